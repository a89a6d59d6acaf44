import csv
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from app_core.figures.export import figure_csv, image_csv, image_png, image_svg
from app_core.figures.images import tile
from app_core.figures.superposition_figures import gram_heatmap

SVG = "{http://www.w3.org/2000/svg}"


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_figure_csv_has_one_row_per_point_of_each_trace_built_from_dicts_with_numpy_arrays():
    fig = go.Figure(data=[dict(type="scatter", x=np.array([0.5, 1.5, 2.5]), y=np.array([3.0, np.nan, -1.25]),
                               name="loss"),
                          dict(type="bar", x=["a", "b"], y=np.array([7, 9]), name="counts")])
    rows = rows_of(figure_csv(fig))
    assert [r["trace"] for r in rows] == ["loss"] * 3 + ["counts"] * 2
    assert [(float(r["x"]), r["y"]) for r in rows[:3]] == [(0.5, "3.0"), (1.5, ""), (2.5, "-1.25")]  # NaN: a gap
    assert [(r["x"], int(r["y"]), r["z"]) for r in rows[3:]] == [("a", 7, ""), ("b", 9, "")]


def test_figure_csv_writes_a_heatmap_cell_by_cell_with_its_row_and_column_labels():
    gram = np.array([[1.0, -0.25], [0.5, 0.75]])
    rows = rows_of(figure_csv(gram_heatmap(gram)))
    cells = {(r["y"], r["x"]): float(r["z"]) for r in rows}
    assert cells == {("f1", "f1"): 1.0, ("f1", "f2"): -0.25, ("f2", "f1"): 0.5, ("f2", "f2"): 0.75}


def test_figure_csv_uses_indices_for_a_heatmap_without_labels_and_for_a_trace_with_only_y():
    fig = go.Figure(data=[go.Heatmap(z=[[1, 2, 3]]), go.Scatter(y=[4, 5], name="only y")])
    rows = rows_of(figure_csv(fig))
    assert [(r["x"], r["y"], r["z"]) for r in rows[:3]] == [("0", "0", "1"), ("1", "0", "2"), ("2", "0", "3")]
    assert [(r["x"], r["y"]) for r in rows[3:]] == [("0", "4"), ("1", "5")]


def test_figure_csv_leaves_out_invisible_click_targets():
    fig = go.Figure(data=[dict(type="scatter", x=[1], y=[2], name="seen"),
                          dict(type="scatter", x=[0, 1], y=[0, 1], mode="markers", marker=dict(opacity=0), name="pick")])
    assert {r["trace"] for r in rows_of(figure_csv(fig))} == {"seen"}


def picture() -> np.ndarray:
    return tile(np.random.default_rng(1).normal(size=(5, 36)), (6, 6), cols=3, signed=True, zoom=3)


def test_image_png_enlarges_by_whole_pixels_until_the_long_side_reaches_1080():
    rgb = picture()
    decoded = np.asarray(Image.open(io.BytesIO(image_png(rgb))).convert("RGB"))
    k = -(-1080 // max(rgb.shape[:2]))
    assert decoded.shape == (rgb.shape[0] * k, rgb.shape[1] * k, 3) and max(decoded.shape[:2]) >= 1080
    np.testing.assert_array_equal(decoded[::k, ::k], rgb)  # nearest neighbour: each pixel a k×k block
    np.testing.assert_array_equal(decoded[k - 1::k, k - 1::k], rgb)


def test_image_png_leaves_a_picture_already_slide_sized_as_it_is():
    rgb = np.zeros((1200, 30, 3), dtype=np.uint8)
    assert Image.open(io.BytesIO(image_png(rgb))).size == (30, 1200)


def render_svg(svg: str) -> np.ndarray:
    """Paint the SVG's background rect and path rectangles onto a grid of its viewBox's units."""
    root = ET.fromstring(svg)
    _, _, w, h = (int(v) for v in root.get("viewBox").split())
    out = np.zeros((h, w, 3), dtype=np.int64) - 1
    for el in root:
        colour = [int(el.get("fill")[i:i + 2], 16) for i in (1, 3, 5)]
        if el.tag == SVG + "rect":
            out[:, :] = colour
        else:
            assert el.tag == SVG + "path"
            for x, y, dx, dy, back in re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h(-\d+)z", el.get("d")):
                x, y, dx, dy = int(x), int(y), int(dx), int(dy)
                assert int(back) == -dx  # a closed rectangle
                out[y:y + dy, x:x + dx] = colour
    return out


def test_image_svg_draws_every_pixel_as_a_vector_rectangle_of_its_colour():
    rgb = picture()
    svg = image_svg(rgb)
    root = ET.fromstring(svg)
    assert svg.startswith("<svg") and root.get("shape-rendering") == "crispEdges"
    k = -(-1080 // max(rgb.shape[:2]))
    assert (int(root.get("width")), int(root.get("height"))) == (rgb.shape[1] * k, rgb.shape[0] * k)
    painted = render_svg(svg)
    np.testing.assert_array_equal(painted, rgb[::3, ::3])  # the tile's 3× zoom undone, colours exact


def test_image_svg_merges_runs_so_a_flat_picture_is_one_rectangle():
    rgb = np.full((40, 60, 3), 200, dtype=np.uint8)
    rgb[10:20, 5:45] = (255, 0, 0)
    root = ET.fromstring(image_svg(rgb))
    paths = root.findall(SVG + "path")
    assert len(paths) == 1 and paths[0].get("fill") == "#ff0000"
    assert paths[0].get("d") == "M1 2h8v2h-8z"  # in units of the 5-pixel blocks this picture is made of
    np.testing.assert_array_equal(render_svg(ET.tostring(root, encoding="unicode")), rgb[::5, ::5])


def test_image_csv_lists_every_pixel_before_the_zoom_with_its_colour():
    rgb = picture()
    rows = rows_of(image_csv(rgb))
    small = rgb[::3, ::3]
    assert len(rows) == small.shape[0] * small.shape[1]
    for r in (rows[0], rows[len(rows) // 2], rows[-1]):
        i, j = int(r["row"]), int(r["col"])
        assert (int(r["r"]), int(r["g"]), int(r["b"])) == tuple(small[i, j])
    assert (int(rows[-1]["row"]), int(rows[-1]["col"])) == (small.shape[0] - 1, small.shape[1] - 1)


def test_figure_csv_reads_a_figure_back_from_json_whose_numbers_are_base64_typed_arrays():
    import plotly.io as pio

    fig = go.Figure(data=[go.Heatmap(z=np.array([[0.5, 2.0]])), go.Scatter(x=np.arange(2), y=np.array([1.5, 3.0]))])
    back = pio.from_json(pio.to_json(fig))
    assert isinstance(back.data[0].z, dict), "the figure holds typed arrays, as this test needs"
    assert figure_csv(back) == figure_csv(fig)
    assert [r["z"] for r in rows_of(figure_csv(back))[:2]] == ["0.5", "2.0"]
