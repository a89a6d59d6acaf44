"""Where a Plotly figure's text lands once plotly.js has drawn it: titles, axis titles, tick labels, legend
entries, annotations and trace text, as boxes in the page; and which of them overprint one another or are cut
by the figure's edge. Used on the app's pages and on figures drawn alone (`render`)."""

from __future__ import annotations

from pathlib import Path

import plotly

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOLERANCE_PX = 1.5  # antialiasing and glyph side bearings: a touch is not an overlap

# For every .js-plotly-plot under `root` (or the document): its box and its visible text elements' boxes.
TEXT_BOXES_JS = """
(root) => {
  const scope = root || document;
  const kinds = [
    ['title', '.g-gtitle text'],     ['axis title', 'text[class^="x"][class$="title"], text[class^="y"][class$="title"]'],
    ['tick', 'g[class$="tick"] > text'],
    ['legend', '.legendtext'], ['annotation', '.annotation-text'], ['trace text', '.textpoint text'],
    ['colorbar title', '.cbtitle text'],
  ];
  // Charts inside a component's shadow root (the interactive figure) too.
  const deep = (node) => [...node.querySelectorAll('.js-plotly-plot'),
    ...[...node.querySelectorAll('*')].filter((e) => e.shadowRoot).flatMap((e) => deep(e.shadowRoot))];
  const plots = deep(scope);
  if (root && root.classList && root.classList.contains('js-plotly-plot')) plots.unshift(root);
  return plots.map((plot) => {
    const svg = plot.querySelector('.main-svg');
    const frame = (svg || plot).getBoundingClientRect();
    const seen = new Set(); const texts = [];
    for (const [kind, selector] of kinds) {
      for (const el of plot.querySelectorAll(selector)) {
        if (seen.has(el)) continue; seen.add(el);
        const label = (el.textContent || '').trim();
        if (!label) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
        let hidden = false;
        for (let p = el.parentElement; p && p !== plot; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) { hidden = true; break; }
        }
        if (hidden) continue;
        const r = el.getBoundingClientRect();
        if (r.width <= 0 || r.height <= 0) continue;
        texts.push({kind, label, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
      }
    }
    const chart = plot.closest('[data-name]');  // a chart of an interactive figure: its name is its key
    const host = chart ? null : plot.closest('[class*="st-key-"]');
    if (chart) return {key: `st-key-${chart.dataset.name}`, frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, texts};
    const key = host ? [...host.classList].find((c) => c.startsWith('st-key-')) : null;
    return {key, frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, texts};
  });
}
"""


def _overlap(a: dict, b: dict) -> float:
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
    return min(w, h)


def problems(plot: dict) -> list[str]:
    """Text cut by the figure's edge, and pairs of text boxes that overprint each other."""
    found, frame, texts = [], plot["frame"], plot["texts"]
    for t in texts:
        if (t["x0"] < frame["x0"] - TOLERANCE_PX or t["x1"] > frame["x1"] + TOLERANCE_PX
                or t["y0"] < frame["y0"] - TOLERANCE_PX or t["y1"] > frame["y1"] + TOLERANCE_PX):
            found.append(f"{t['kind']} {t['label']!r} cut by the figure's edge")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if _overlap(a, b) > TOLERANCE_PX:
                found.append(f"{a['kind']} {a['label']!r} overprints {b['kind']} {b['label']!r}")
    return found


def render(page, fig, width: int, height: int | None = None) -> dict:
    """Draw `fig` alone with plotly.js at width × height (its own height if None); its text boxes."""
    spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else fig
    import plotly.io as pio

    # Once Streamlit is imported (the whole suite; the app always) a figure carries Streamlit's placeholder template,
    # which only its frontend's theme fills in (automargin included): drawn alone, it gets plotly's own instead.
    layout = {**spec["layout"], "template": pio.templates["plotly"].to_plotly_json()}
    payload = pio.to_json({"data": spec["data"], "layout": layout}, validate=False)
    if not page.evaluate("() => typeof Plotly !== 'undefined'"):
        page.set_content("<html><body style='margin:0'><div id='g'></div></body></html>")
        page.add_script_tag(path=str(PLOTLY_JS))
    return page.evaluate(
        """async ([payload, width, height, js]) => {
            const spec = JSON.parse(payload);
            const layout = Object.assign({}, spec.layout, {width, autosize: false});
            if (height) layout.height = height;
            const div = document.getElementById('g');
            Plotly.purge(div);
            await Plotly.newPlot(div, spec.data, layout, {staticPlot: true});
            // Margins grown to fit tick labels come in a later redraw, which the whole suite's CI run measured
            // before: a second draw starts from the margins the first pushed, and the readings must then agree
            // 300 ms apart (10 s at most).
            await Plotly.react(div, spec.data, layout, {staticPlot: true});
            const measure = () => eval(js)(div)[0];
            let last = JSON.stringify(measure());
            for (let i = 0; i < 33; i++) {
                await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300)));
                const now = JSON.stringify(measure());
                if (now === last) break;
                last = now;
            }
            return JSON.parse(last);
        }""",
        [payload, width, height, TEXT_BOXES_JS],
    )
