"""Every chart and picture offers its slide downloads under it; in presenter mode charts take the projector style."""

import json

from .conftest import on_page

NORMS_CHARTS = ("nm_vector_chart", "nm_balls_chart", "nm_curve_chart", "nm_shrunk_chart")


def image_buttons(at) -> dict[str, dict]:
    """The PNG/SVG buttons' data, by the key of the figure they download."""
    mounted = [c for c in at.get("bidi_component") if c.proto.component_name.endswith("figure_images")]
    return {c.proto.id.rsplit("-", 1)[-1].removesuffix("_images"): json.loads(c.proto.json) for c in mounted}


def download_labels(at) -> dict[str, str]:
    """Each download button's label, by the key it was given."""
    return {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in at.get("download_button")}


def chart_spec(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if key in str(c.proto.id)).proto.spec)


def open_menus(at, keys) -> None:
    for key in keys:
        at.session_state[f"{key}_menu"] = True
    at.run()


def test_each_chart_of_the_norms_page_has_png_svg_at_slide_size_and_a_csv():
    at = on_page("norms").run()
    assert not at.exception
    assert not image_buttons(at) and not at.get("download_button"), "a shut menu holds nothing: nothing to send"
    open_menus(at, NORMS_CHARTS)
    buttons = image_buttons(at)
    assert set(buttons) == set(NORMS_CHARTS)
    assert all((d["width"] * d["scale"], d["height"] * d["scale"]) == (1920, 1080) for d in buttons.values())
    labels = download_labels(at)
    assert all(labels.get(f"{key}_csv") == "CSV" for key in NORMS_CHARTS), labels
    # The images are drawn in the browser from the figure's own JSON, as the page shows it (the vector, which its
    # editor draws, included), on plotly's white template: the placeholder one Streamlit's chart fills in would
    # draw every default colour near black.
    figures = {key: json.loads(buttons[key]["figure"]) for key in NORMS_CHARTS}
    assert "L1 = 5.00" in figures["nm_vector_chart"]["layout"]["title"]["text"]
    for key in NORMS_CHARTS[1:]:
        assert figures[key]["data"] == chart_spec(at, key)["data"], key
    assert all(f["layout"]["template"]["layout"]["colorway"][0] == "#636efa" for f in figures.values())
    config = json.loads(next(c for c in at.get("plotly_chart") if "nm_shrunk_chart" in str(c.proto.id)).proto.config)
    assert config["toImageButtonOptions"] == {"format": "png", "width": 960, "height": 540, "scale": 2,
                                              "filename": "nm_shrunk_chart"}  # a 1920×1080 file


def test_a_picture_offers_png_svg_and_csv():
    at = on_page("autoencoders").run()  # before training: the probe digits
    assert not at.exception
    open_menus(at, ["ae_probes"])
    labels = download_labels(at)
    assert {labels.get(f"ae_probes_{fmt}") for fmt in ("png", "svg", "csv")} == {"PNG", "SVG", "CSV"}, labels


def test_presenter_mode_draws_charts_in_the_projector_style():
    plain = on_page("norms").run()
    at = on_page("norms")
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception and at.session_state["present_on"] is True
    before, after = chart_spec(plain, "nm_shrunk_chart"), chart_spec(at, "nm_shrunk_chart")
    assert "#1f77b4" in json.dumps(before["data"]) and "#1f77b4" not in json.dumps(after["data"])
    assert "#0072B2" in json.dumps(after["data"])
    assert after["layout"]["yaxis"]["title"]["font"]["size"] >= 20 and after["layout"]["title"]["font"]["size"] >= 26
    open_menus(at, ["nm_vector_chart", "nm_shrunk_chart"])  # the slide files take the projector style too
    for key in ("nm_vector_chart", "nm_shrunk_chart"):
        drawn = json.dumps(json.loads(image_buttons(at)[key]["figure"])["data"])
        assert "#0072B2" in drawn and "#1f77b4" not in drawn, key
