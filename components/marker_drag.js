// Drags one marker of a Plotly chart the page drew (st.plotly_chart): press on the marker, move, release, and
// the chart's point under the pointer, snapped to the page's grid, goes to Python. While the pointer moves the
// marker follows it in the browser (Plotly.restyle, a few ms), with the traces that move with it; traces that
// would be out of date until the server answers (a path from the old point) are emptied meanwhile.
//
// It listens on the document, not on the chart: Streamlit replaces a chart's element when its figure changes,
// and the chart may be drawn after this component. A press elsewhere on the chart is left to Plotly (a click
// there still picks a point). Where the marker is is read from the chart at the press, so it is always what is
// on screen. The pixel ↔ data conversion is the chart's own axes' (`_fullLayout.xaxis.p2l`, `l2p`).

const NEAR_PX = 18;  // how close to the marker's centre a press takes hold of it (a finger's width, about)

function chartFor(key) {
  return document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
}

function plotArea(gd) {
  const box = gd.querySelector(".nsewdrag");  // the main subplot's drag area: exactly the axes' rectangle
  return box ? box.getBoundingClientRect() : null;
}

function toLinear(axis, value) {
  return axis.type === "log" ? Math.log10(value) : value;
}

function fromLinear(axis, value) {
  return axis.type === "log" ? 10 ** value : value;
}

function snapped(value, [lo, hi], step) {
  const clamped = Math.min(hi, Math.max(lo, value));
  const onGrid = lo + Math.round((clamped - lo) / step) * step;
  return Number(Math.min(hi, onGrid).toFixed(9));
}

class MarkerDrag {
  constructor() {
    this.drag = null;
    this.sequence = 0;
    this.onDown = (event) => this.down(event);
    this.onMove = (event) => this.move(event);
    this.onUp = (event) => this.up(event);
    document.addEventListener("pointerdown", this.onDown, true);
    document.addEventListener("pointermove", this.onMove, true);
    document.addEventListener("pointerup", this.onUp, true);
    document.addEventListener("pointercancel", this.onUp, true);
  }

  setData(data, send) {
    this.data = data;
    this.send = send;
  }

  // The chart, its axes and the marker's trace index and centre in client pixels; null where not drawn yet.
  marker() {
    const gd = this.data && chartFor(this.data.chart);
    const layout = gd && gd._fullLayout;
    const area = gd && plotArea(gd);
    if (!layout || !layout.xaxis || !layout.yaxis || !area || !gd.data) return null;
    const index = gd.data.findIndex((t) => t.name === this.data.marker);
    const trace = gd.data[index];
    if (!trace || !trace.x || !trace.x.length) return null;
    const [xa, ya] = [layout.xaxis, layout.yaxis];
    const left = area.left + xa.l2p(toLinear(xa, Number(trace.x[0])));
    const top = area.top + ya.l2p(toLinear(ya, Number(trace.y[0])));
    return { gd, xa, ya, area, left, top };
  }

  pointAt(m, event) {
    const x = fromLinear(m.xa, m.xa.p2l(event.clientX - m.area.left));
    const y = fromLinear(m.ya, m.ya.p2l(event.clientY - m.area.top));
    return [snapped(x, this.data.xRange, this.data.xStep), snapped(y, this.data.yRange, this.data.yStep)];
  }

  down(event) {
    if (this.drag || event.button > 0) return;
    const m = this.marker();
    if (!m || !m.gd.contains(event.target)) return;
    if (Math.hypot(event.clientX - m.left, event.clientY - m.top) > NEAR_PX) return;  // Plotly's press
    event.preventDefault();  // no mousedown for Plotly: this press is not a click that picks a point
    event.stopPropagation();
    if (event.target.setPointerCapture) event.target.setPointerCapture(event.pointerId);
    this.drag = { ...m, point: null, pointerId: event.pointerId };
    m.gd.style.cursor = "grabbing";
  }

  move(event) {
    if (!this.drag) {
      this.hover(event);
      return;
    }
    if (event.pointerId !== this.drag.pointerId) return;
    event.preventDefault();
    const point = this.pointAt(this.drag, event);
    if (this.drag.point && point[0] === this.drag.point[0] && point[1] === this.drag.point[1]) return;
    this.drag.point = point;
    this.drag.gd.dataset.dragged = point.join(",");
    const { gd } = this.drag;
    const names = gd.data.map((t) => t.name);
    const moves = this.data.moves.map((n) => names.indexOf(n)).filter((i) => i >= 0);
    const clears = this.data.clears.map((n) => names.indexOf(n)).filter((i) => i >= 0);
    if (!window.Plotly) return;
    if (moves.length) window.Plotly.restyle(gd, { x: moves.map(() => [point[0]]), y: moves.map(() => [point[1]]) }, moves);
    if (clears.length) window.Plotly.restyle(gd, { x: clears.map(() => []), y: clears.map(() => []) }, clears);
  }

  // The cursor says where a press takes hold of the marker.
  hover(event) {
    const m = this.marker();
    if (!m || !m.gd.contains(event.target)) return;
    const over = Math.hypot(event.clientX - m.left, event.clientY - m.top) <= NEAR_PX;
    const box = m.gd.querySelector(".nsewdrag");
    if (box) box.style.cursor = over ? "grab" : "";
  }

  up(event) {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    this.drag = null;
    drag.gd.style.cursor = "";
    if (event.type === "pointercancel" || !drag.point) return;  // let go where it was taken: nothing to send
    this.sequence += 1;
    this.send("point", { x: drag.point[0], y: drag.point[1], seq: this.sequence, at: Date.now() });
  }

  dispose() {
    document.removeEventListener("pointerdown", this.onDown, true);
    document.removeEventListener("pointermove", this.onMove, true);
    document.removeEventListener("pointerup", this.onUp, true);
    document.removeEventListener("pointercancel", this.onUp, true);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const host = parentElement.getRootNode().host;
  const container = host && host.closest('[data-testid="stElementContainer"]');
  if (container) container.style.display = "none";  // nothing of its own to show
  if (!parentElement.__markerDrag) parentElement.__markerDrag = new MarkerDrag();
  const drag = parentElement.__markerDrag;
  drag.setData({ ...data, moves: Array.from(data.moves || []), clears: Array.from(data.clears || []),
                 xRange: Array.from(data.xRange), yRange: Array.from(data.yRange) }, setTriggerValue);
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected) return;
      drag.dispose();
      parentElement.__markerDrag = null;
    }, 0);
  };
}
