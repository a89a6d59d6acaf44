import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from app_core.figures.export import figure_csv
from app_core.figures.projector import OKABE_ITO, for_projector, swap_colour
from app_core.figures.sae_figures import cosine_heatmap, live_curves
from app_core.figures.norm_figures import shrinkage_curve_figure, shrunk_vector_figure
from app_core.figures.superposition_figures import feature_norms, gram_heatmap


class Metrics:
    def __init__(self, step):
        self.step, self.l0, self.dead_fraction, self.mse, self.fve, self.mmcs = step, 5.0, 0.1, 0.02, 0.8, 0.5


def every_colour(node) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(every_colour(v) for k, v in node.items() if k != "template"))
    if isinstance(node, list):
        return set().union(*(every_colour(v) for v in node)) if node else set()
    return {node.lower()} if isinstance(node, str) and node.startswith(("#", "rgb")) else set()


def test_fonts_reach_projector_sizes_everywhere_a_reader_looks():
    fig = for_projector(live_curves([Metrics(s) for s in range(10)]))
    layout = fig.layout
    assert layout.font.size >= 20 and layout.title.font.size >= 26 and layout.legend.font.size >= 20
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2", "xaxis3", "yaxis3", "xaxis4", "yaxis4"):
        assert layout[axis].tickfont.size >= 20 and layout[axis].title.font.size >= 20, axis
    assert [a.font.size for a in layout.annotations] == [20] * 4  # the panels' titles, 13 px before


def test_a_title_already_larger_keeps_its_size_and_heatmap_text_and_colour_bar_grow():
    fig = go.Figure(gram_heatmap(np.eye(3)))
    fig.update_layout(title_font_size=40)
    out = for_projector(fig)
    assert out.layout.title.font.size == 40
    heat = out.data[0]
    assert heat.textfont.size >= 20 and heat.colorbar.tickfont.size >= 20
    assert heat.colorscale == fig.data[0].colorscale  # RdBu: diverging and colour-blind safe, kept


def test_lines_are_at_least_three_pixels_but_an_absent_outline_stays_absent():
    out = for_projector(shrinkage_curve_figure(0.5, "soft"))
    assert all(t.line.width >= 3 for t in out.data)
    shade = out.layout.shapes[0]
    assert shade.type == "rect" and shade.line.width == 0


def test_d3_colours_become_okabe_ito_in_lines_markers_fills_and_per_point_lists():
    fig = go.Figure(data=[
        dict(type="scatter", x=[0, 1], y=[0, 1], line=dict(color="#1f77b4"), fill="toself",
             fillcolor="rgba(214,39,40,0.08)"),
        dict(type="bar", x=[0, 1, 2], y=[1, 2, 3], marker=dict(color=["#2ca02c", "#FF7F0E", "#7f7f7f"])),
        dict(type="scatter", x=[0], y=[0], mode="markers", marker=dict(color="rgb(148, 103, 189)")),
    ], layout=dict(annotations=[dict(text="x", font=dict(color="#d62728"))]))
    out = for_projector(fig)
    assert out.data[0].line.color == "#0072B2"
    assert out.data[0].fillcolor == "rgba(213,94,0,0.08)"  # vermillion, its transparency kept
    assert list(out.data[1].marker.color) == ["#009E73", "#E69F00", "#7f7f7f"]  # grey means "off": kept
    assert out.data[2].marker.color == "rgb(204,121,167)"
    assert out.layout.annotations[0].font.color == "#D55E00"
    assert tuple(out.layout.colorway) == OKABE_ITO


def test_no_d3_category_colour_survives_in_a_real_figure():
    d3 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#e8710a"}
    fig = shrunk_vector_figure((1.0, -2.0, 0.0, 0.3), 0.5, "soft")
    assert every_colour(fig.to_dict()) & d3, "the test needs a figure that uses them"
    assert not every_colour(for_projector(fig).to_dict()) & d3


def test_the_input_figure_is_untouched_and_the_copy_is_valid_with_the_same_numbers():
    fig = cosine_heatmap(np.random.default_rng(0).uniform(-1, 1, (4, 6)))
    before = pio.to_json(fig)
    out = for_projector(fig)
    assert pio.to_json(fig) == before
    go.Figure(json.loads(pio.to_json(out)))  # validates every property: raises on an invalid one
    restyled = go.Figure(json.loads(pio.to_json(out)))
    assert figure_csv(restyled) == figure_csv(fig)


def test_swap_colour_leaves_other_values_alone():
    assert swap_colour("#555") == "#555" and swap_colour("white") == "white" and swap_colour(3) == 3
    assert swap_colour("rgba(31,119,180,0.35)") == "rgba(0,114,178,0.35)"


def test_a_legend_under_the_plot_moves_to_the_figures_bottom_edge_and_one_above_it_stays():
    below = for_projector(shrinkage_curve_figure(0.5, "soft")).layout.legend
    assert (below.yref, below.y, below.yanchor) == ("container", 0, "bottom")
    above = for_projector(feature_norms(np.ones(3), np.zeros(3), 0.5)).layout.legend
    assert above.y == 1.15 and above.yref is None
    assert shrinkage_curve_figure(0.5, "soft").layout.legend.y == -0.18  # the page's own figure is untouched


def test_a_titled_figure_gets_a_top_margin_its_projector_title_fits_in():
    import plotly.graph_objects as go

    from app_core.figures.projector import TITLE_FONT

    titled = for_projector(go.Figure(layout=dict(title=dict(text="L0 5 → 3"), margin=dict(t=36))))
    assert titled.layout.margin.t >= 2 * TITLE_FONT
    untitled = for_projector(go.Figure(layout=dict(margin=dict(t=10))))
    assert untitled.layout.margin.t == 10
