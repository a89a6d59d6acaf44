// Drags one marker of a Plotly chart the page drew (st.plotly_chart): press on the marker, move, release, and
// the chart's point under the pointer, snapped to the page's grid, goes to Python. While the pointer moves the
// marker follows it in the browser (one Plotly.restyle per grid step: a redraw of the chart), with the traces
// that follow it; traces that would be out of date until the server answers (a path from the old point) are
// emptied meanwhile. A drag that ends where it began, or is cancelled, puts every trace back as it was.
//
// It listens on the document, not on the chart: Streamlit replaces a chart's element when its figure changes (a
// playing fit's chart, several times a second), and the chart may be drawn after this component. A press away
// from the marker is left to Plotly; a press on it that does not move is a click at that point, as Plotly's own
// click would have been. The pixel ↔ data conversion is the chart's own axes' (Plotly's internal
// `_fullLayout.xaxis.l2p` and `p2l`, on the main subplot's drag rectangle).

const GRAB_PX = { mouse: 9, pen: 12, touch: 18 };  // how close to the marker's centre a press takes hold of it

function chartFor(key) {
  return document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
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

const same = (a, b) => a && b && a[0] === b[0] && a[1] === b[1];

class MarkerDrag {
  constructor() {
    this.drag = null;
    this.sequence = 0;
    this.onDown = (event) => this.down(event);
    this.onMove = (event) => this.move(event);
    this.onUp = (event) => this.up(event);
    // A finger's drag is also a touch gesture, which Plotly pans the chart with: not while it moves the marker.
    this.onTouch = (event) => { if (this.drag) { event.preventDefault(); event.stopPropagation(); } };
    document.addEventListener("pointerdown", this.onDown, true);
    document.addEventListener("pointermove", this.onMove, true);
    document.addEventListener("pointerup", this.onUp, true);
    document.addEventListener("pointercancel", this.onUp, true);
    document.addEventListener("touchstart", this.onTouch, { capture: true, passive: false });
    document.addEventListener("touchmove", this.onTouch, { capture: true, passive: false });
  }

  setData(data, send) {
    this.data = data;
    this.send = send;
  }

  // The chart as drawn now: its element, axes, plot rectangle, and the marker's data point and client pixels.
  geometry() {
    const gd = this.data && chartFor(this.data.chart);
    const layout = gd && gd._fullLayout;
    const box = gd && gd.querySelector(".nsewdrag");
    if (!layout || !layout.xaxis || !layout.yaxis || !box || !gd.data) return null;
    const trace = gd.data.find((t) => t.name === this.data.marker);
    if (!trace || !trace.x || !trace.x.length) return null;
    const [xa, ya, area] = [layout.xaxis, layout.yaxis, box.getBoundingClientRect()];
    const point = [Number(trace.x[0]), Number(trace.y[0])];
    const left = area.left + xa.l2p(toLinear(xa, point[0]));
    const top = area.top + ya.l2p(toLinear(ya, point[1]));
    return { gd, box, xa, ya, area, point, left, top };
  }

  pointAt(g, clientX, clientY) {
    const x = fromLinear(g.xa, g.xa.p2l(clientX - g.area.left));
    const y = fromLinear(g.ya, g.ya.p2l(clientY - g.area.top));
    return [snapped(x, this.data.xRange, this.data.xStep), snapped(y, this.data.yRange, this.data.yStep)];
  }

  traceIndices(gd, names) {
    return names.map((n) => gd.data.findIndex((t) => t.name === n)).filter((i) => i >= 0);
  }

  down(event) {
    if (this.drag || event.button > 0 || !event.isPrimary) return;
    const gd = this.data && chartFor(this.data.chart);
    if (!gd || !gd.contains(event.target)) return;
    const g = this.geometry();
    const reach = GRAB_PX[event.pointerType] || GRAB_PX.mouse;
    if (!g || Math.hypot(event.clientX - g.left, event.clientY - g.top) > reach) return;  // Plotly's press
    event.preventDefault();  // no mousedown for Plotly: no click of its own, no pan
    event.stopPropagation();
    if (event.target.setPointerCapture) event.target.setPointerCapture(event.pointerId);
    // Where in the marker it was taken: the marker keeps that offset from the pointer (no jump on the first move).
    this.drag = { ...g, pointerId: event.pointerId, touch: event.pointerType === "touch", shown: g.point,
                  dx: event.clientX - g.left, dy: event.clientY - g.top, moved: false, saved: this.save(g.gd) };
    g.box.style.cursor = "grabbing";
  }

  // The traces a drag changes, as drawn before it: put back if it comes to nothing.
  save(gd) {
    const names = [...this.data.follows, ...this.data.clears];
    return this.traceIndices(gd, names).map((i) => [i, Array.from(gd.data[i].x), Array.from(gd.data[i].y)]);
  }

  restore(drag) {
    const gd = chartFor(this.data.chart);
    if (gd !== drag.gd || !window.Plotly || !drag.moved) return;  // a new chart is the server's own
    window.Plotly.restyle(gd, { x: drag.saved.map((s) => s[1]), y: drag.saved.map((s) => s[2]) },
                          drag.saved.map((s) => s[0]));
  }

  move(event) {
    const drag = this.drag;
    if (!drag) {
      this.hover(event);
      return;
    }
    if (event.pointerId !== drag.pointerId) return;
    if (!drag.touch && !(event.buttons & 1)) {  // the release never came (a context menu, the window lost focus)
      this.end(drag, null);
      return;
    }
    event.preventDefault();
    // The chart may have been redrawn meanwhile (a playing fit): follow the element and axes now on screen.
    const now = chartFor(this.data.chart);
    if (now && now !== drag.gd) {
      const g = this.geometry();
      if (!g) return;
      Object.assign(drag, { gd: g.gd, box: g.box, xa: g.xa, ya: g.ya, area: g.area, shown: null, saved: this.save(g.gd) });
    }
    const point = this.pointAt(drag, event.clientX - drag.dx, event.clientY - drag.dy);
    if (same(point, drag.shown)) return;
    drag.shown = point;
    drag.moved = true;
    if (same(point, drag.point)) {
      this.restore(drag);  // back where it began: as it was
      return;
    }
    const follows = this.traceIndices(drag.gd, this.data.follows);
    const clears = this.traceIndices(drag.gd, this.data.clears);
    if (!window.Plotly || !follows.length) return;
    window.Plotly.restyle(drag.gd, { x: [...follows.map(() => [point[0]]), ...clears.map(() => [])],
                                     y: [...follows.map(() => [point[1]]), ...clears.map(() => [])] },
                          [...follows, ...clears]);
  }

  // The cursor says where a press takes hold of the marker.
  hover(event) {
    const gd = this.data && chartFor(this.data.chart);
    if (!gd || !gd.contains(event.target)) return;  // every move on the page comes here: the cheap test first
    const g = this.geometry();
    if (!g) return;
    const over = Math.hypot(event.clientX - g.left, event.clientY - g.top) <= GRAB_PX.mouse;
    g.box.style.cursor = over ? "grab" : "";
  }

  up(event) {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    if (event.type === "pointercancel") {
      this.end(drag, null);
      return;
    }
    // Never moved: a click, at the point under the pointer (a neighbouring start, or the marker's own).
    const point = drag.moved ? drag.shown : this.pointAt(drag, event.clientX, event.clientY);
    this.end(drag, same(point, drag.point) ? null : point);
  }

  end(drag, point) {
    this.drag = null;
    if (drag.box) drag.box.style.cursor = "";
    if (point === null) {
      this.restore(drag);
      return;
    }
    this.sequence += 1;
    this.send("point", { x: point[0], y: point[1], seq: this.sequence, at: Date.now() });
  }

  dispose() {
    document.removeEventListener("pointerdown", this.onDown, true);
    document.removeEventListener("pointermove", this.onMove, true);
    document.removeEventListener("pointerup", this.onUp, true);
    document.removeEventListener("pointercancel", this.onUp, true);
    document.removeEventListener("touchstart", this.onTouch, true);
    document.removeEventListener("touchmove", this.onTouch, true);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const host = parentElement.getRootNode().host;
  const container = host && host.closest('[data-testid="stElementContainer"]');
  if (!parentElement.__markerDrag) parentElement.__markerDrag = new MarkerDrag();
  const drag = parentElement.__markerDrag;
  drag.setData({ ...data, follows: Array.from(data.follows || []), clears: Array.from(data.clears || []),
                 xRange: Array.from(data.xRange), yRange: Array.from(data.yRange) }, setTriggerValue);
  if (container) {
    container.style.display = "none";  // nothing of its own to show
    container.dataset.ready = "1";  // listening (tests)
  }
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected) return;
      drag.dispose();
      parentElement.__markerDrag = null;
    }, 0);
  };
}
