// Drag two distributions, P and Q, and see KL/JS change every animation frame. The numbers drawn here are the
// page's own (kl_numbers.js). Each handle is also a keyboard slider (Tab, arrows, Page, Home, End). The ranges and
// the keys' steps come in the data (app_core/wire/canvas_wire.py); values go back under lifecycle.js's sequence
// numbers, and what the page sends is not shown until it has applied the last one.

import { mounted, parsed, Sequence } from "./lifecycle.js";
import { SvgEditor, svgElement } from "./svg_editor.js";
import { clamp, formatValue, logpdf, numbers, terms } from "./kl_numbers.js";

const W_DEFAULT = 760, H = 372, BAND = 92, PAD_L = 44, PAD_R = 16, PAD_T = 34, GAP = 44;
const KEY_SETTLE_MS = 400;  // arrow keys pressed within this of each other are one move, sent as one release
const RESEND_MS = 600, RESENDS = 5;
const COLORS = { p: "#1f77b4", q: "#e8710a", pos: "#c0392b", neg: "#7f8c8d" };
const SHADE_LABEL = {
  kl_pq: "where KL(P‖Q) comes from: p·log(p/q)",
  kl_qp: "where KL(Q‖P) comes from: q·log(q/p)",
  js: "where JS comes from: ½p·log(p/m) + ½q·log(q/m)",
};

const round4 = (v) => Math.round(v * 1e4) / 1e4;

const el = svgElement;

function setProbability(probs, index, value) {
  value = clamp(value, 0, 1);
  const rest = probs.reduce((a, b) => a + b, 0) - probs[index];
  const others = probs.length - 1;
  const out = probs.map((old, i) => (i === index ? value : rest > 1e-12 ? (old * (1 - value)) / rest : (1 - value) / others));
  const total = out.reduce((a, b) => a + b, 0);
  return total > 0 ? out.map((v) => round4(v / total)) : probs.slice();
}

class Canvas extends SvgEditor {
  constructor({ parentElement }) {
    super();
    const root = (this.root = document.createElement("div"));
    root.className = "dc-root";
    // The readout changes every frame of a drag, too often to announce: the status line speaks once a keyboard
    // move settles, and each handle is a slider whose value a screen reader reads as it changes.
    root.innerHTML = '<div class="dc-live" aria-live="off"></div><div class="dc-status" role="status"></div>'
      + '<svg class="dc-svg" role="group" aria-label="P and Q: drag a handle, or focus one and press the arrow keys"></svg>';
    parentElement.appendChild(root);
    this.readout = root.querySelector(".dc-live");
    this.svg = root.querySelector("svg");
    this.status = root.querySelector(".dc-status");
    // The picture is redrawn every frame; the handles are kept (and moved), so a focused one stays focused.
    this.scene = el("g", { "aria-hidden": "true" }, this.svg);
    this.handles = el("g", { class: "dc-handles" }, this.svg);
    this.sequence = new Sequence();
    this.keys = null;
    this.state = null;
    this.drag = null;
    this.lastSentAt = 0;
    this.sendTimer = null;
    this.yMax = null;
    this.listen(this.svg, root);
  }

  update({ data, setStateValue }) {
    this.setStateValue = setStateValue;
    this.root.classList.toggle("dc-large", !!data.large);  // presenter mode: type for the back of a room
    this.view = { units: data.units, shade: data.shade };
    this.appliedSeq = Number(data.appliedSeq || 0);
    this.sendMs = Number(data.sendMs) || 0;  // mid-drag sends; 0: the release only
    this.steps = parsed(data.steps, {});
    this.ranges = parsed(data.ranges, {});
    const incoming = { mode: data.mode, p: parsed(data.p), q: parsed(data.q), pBars: data.pBars, qBars: data.qBars };
    // The pointer (or a key being pressed) wins; until the page has applied the last value sent, its data
    // predates that value (showing it would make the curve jump back).
    if (this.drag || this.keys || !this.sequence.settled(this.appliedSeq)) return this.schedule();
    this.show(incoming);
  }

  show(state) {
    if (!this.state || this.state.mode !== state.mode) this.yMax = null;
    this.state = state;
    this.schedule();
  }

  geometry() {
    const width = Math.max(320, Math.round(this.root.clientWidth || W_DEFAULT));
    const plotBottom = H - BAND - GAP;
    return {
      width,
      plotTop: PAD_T,
      plotBottom,
      bandTop: plotBottom + GAP,
      bandBottom: H - 8,
      left: PAD_L,
      right: width - PAD_R,
    };
  }

  // --- continuous -----------------------------------------------------------------------------
  xToPx(g, x) { const [lo, hi] = this.ranges.x; return g.left + ((x - lo) / (hi - lo)) * (g.right - g.left); }
  pxToX(g, px) { const [lo, hi] = this.ranges.x; return lo + ((px - g.left) / (g.right - g.left)) * (hi - lo); }

  densityPeak(d) {
    let best = { x: d.loc, y: 0 };
    for (let i = 0; i <= 200; i++) {
      const x = d.loc - 2 * d.sd + (4 * d.sd * i) / 200;
      const y = Math.exp(logpdf(d, x));
      if (y > best.y) best = { x, y };
    }
    return best;
  }

  drawContinuous(g) {
    const { p, q } = this.state;
    const [X_MIN, X_MAX] = this.ranges.x;
    const n = 600, xs = [], ps = [], qs = [], contrib = [];
    const dx = (X_MAX - X_MIN) / (n - 1);
    for (let i = 0; i < n; i++) {
      const x = X_MIN + i * dx;
      const pv = Math.exp(logpdf(p, x)), qv = Math.exp(logpdf(q, x));
      xs.push(x); ps.push(pv); qs.push(qv);
      contrib.push(terms(pv, qv)[this.view.shade]);
    }
    const peakP = this.densityPeak(p), peakQ = this.densityPeak(q);
    const needed = 1.15 * Math.max(peakP.y, peakQ.y);
    if (!this.yMax || (!this.drag && Math.abs(needed - this.yMax) > 1e-9) || needed > this.yMax) this.yMax = needed;
    const yPx = (y) => g.plotBottom - (y / this.yMax) * (g.plotBottom - g.plotTop);
    const svg = this.scene;
    this.axes(g, "x");
    for (const [name, d, ys, peak] of [["p", p, ps, peakP], ["q", q, qs, peakQ]]) {
      let path = `M${this.xToPx(g, X_MIN)},${g.plotBottom}`;
      xs.forEach((x, i) => { path += `L${this.xToPx(g, x).toFixed(1)},${yPx(ys[i]).toFixed(1)}`; });
      path += `L${this.xToPx(g, X_MAX)},${g.plotBottom}Z`;
      el("path", { d: path, fill: COLORS[name], "fill-opacity": 0.12, stroke: COLORS[name], "stroke-width": 2.5, "pointer-events": "none" }, svg);
      const sx = d.loc + d.sd;
      const sy = Math.exp(logpdf(d, sx));
      el("line", { x1: this.xToPx(g, d.loc), x2: this.xToPx(g, sx), y1: yPx(sy), y2: yPx(sy), stroke: COLORS[name], "stroke-dasharray": "4 3", "pointer-events": "none" }, svg);
      this.handle(`${name}-peak`, "circle", {
        cx: this.xToPx(g, d.loc), cy: yPx(peak.y), r: 10, fill: COLORS[name], stroke: "#fff", "stroke-width": 2.5,
        class: "dc-handle dc-peak",
      });
      this.handle(`${name}-width`, "rect", {
        x: this.xToPx(g, sx) - 7, y: yPx(sy) - 7, width: 14, height: 14, rx: 3,
        fill: "#fff", stroke: COLORS[name], "stroke-width": 2.5,
        class: "dc-handle dc-width", transform: `rotate(45 ${this.xToPx(g, sx)} ${yPx(sy)})`,
      });
      const label = el("text", { x: this.xToPx(g, d.loc), y: yPx(peak.y) - 16, "text-anchor": "middle", class: "dc-name", fill: COLORS[name] }, svg);
      label.textContent = name.toUpperCase();
    }
    this.band(g, xs.map((x) => this.xToPx(g, x)), contrib, dx);
  }

  // --- discrete -------------------------------------------------------------------------------
  slot(g, i) {
    const w = (g.right - g.left) / this.state.pBars.length;
    return { x0: g.left + i * w, w };
  }

  drawDiscrete(g) {
    const { pBars, qBars } = this.state;
    const needed = Math.max(0.3, Math.ceil(Math.max(...pBars, ...qBars) * 12) / 10);
    if (!this.yMax || (!this.drag && needed !== this.yMax) || needed > this.yMax) this.yMax = needed;
    const yPx = (y) => g.plotBottom - (y / this.yMax) * (g.plotBottom - g.plotTop);
    this.axes(g, "y");
    const contrib = [], centres = [];
    pBars.forEach((pv, i) => {
      const qv = qBars[i];
      contrib.push(terms(pv, qv)[this.view.shade]);
      const { x0, w } = this.slot(g, i);
      centres.push(x0 + w / 2);
      for (const [name, v, offset] of [["p", pv, 0.12], ["q", qv, 0.52]]) {
        const top = yPx(v);
        el("rect", { x: x0 + offset * w, y: top, width: 0.36 * w, height: Math.max(g.plotBottom - top, 0), fill: COLORS[name], "fill-opacity": 0.75, "data-bar": `${name}-bar-${i}`, class: "dc-bar" }, this.scene);
        this.handle(`${name}-bar-${i}`, "rect", { x: x0 + offset * w, y: top - 5, width: 0.36 * w, height: 10, fill: COLORS[name], class: "dc-handle dc-bar-top" });
      }
      const tick = el("text", { x: x0 + w / 2, y: g.plotBottom + 16, "text-anchor": "middle", class: "dc-tick" }, this.scene);
      tick.textContent = String(i);
    });
    this.band(g, centres, contrib, null, this.slot(g, 0).w * 0.8);
  }

  // --- shared pieces --------------------------------------------------------------------------
  axes(g, kind) {
    el("line", { x1: g.left, x2: g.right, y1: g.plotBottom, y2: g.plotBottom, class: "dc-axis" }, this.scene);
    if (kind === "x") {
      const [lo, hi] = this.ranges.x;
      for (let x = 2 * Math.floor(lo / 2) + 2; x < hi; x += 2) {
        const t = el("text", { x: this.xToPx(g, x), y: g.plotBottom + 16, "text-anchor": "middle", class: "dc-tick" }, this.scene);
        t.textContent = String(x);
      }
    } else {
      for (let k = 0; k <= 4; k++) {
        const v = (this.yMax * k) / 4;
        const y = g.plotBottom - (k / 4) * (g.plotBottom - g.plotTop);
        el("line", { x1: g.left, x2: g.right, y1: y, y2: y, class: "dc-grid" }, this.scene);
        const t = el("text", { x: g.left - 6, y: y + 4, "text-anchor": "end", class: "dc-tick" }, this.scene);
        t.textContent = v.toFixed(2);
      }
    }
  }

  band(g, xsPx, values, dx, barWidth) {
    const mid = (g.bandTop + g.bandBottom) / 2;
    const finite = values.filter((v) => isFinite(v));
    const extent = Math.max(1e-12, ...finite.map(Math.abs));
    const half = (g.bandBottom - g.bandTop) / 2 - 2;
    const toY = (v) => mid - (clamp(v, -extent, extent) / extent) * half;
    el("rect", { x: g.left, y: g.bandTop, width: g.right - g.left, height: g.bandBottom - g.bandTop, class: "dc-band-bg" }, this.scene);
    el("line", { x1: g.left, x2: g.right, y1: mid, y2: mid, class: "dc-axis" }, this.scene);
    const label = el("text", { x: g.left + 6, y: g.bandTop - 6, class: "dc-band-label" }, this.scene);
    label.textContent = SHADE_LABEL[this.view.shade];
    if (barWidth) {
      values.forEach((v, i) => {
        const inf = !isFinite(v);
        const y = inf ? g.bandTop : toY(v);
        el("rect", { x: xsPx[i] - barWidth / 2, y: Math.min(y, mid), width: barWidth, height: Math.abs(mid - y), fill: inf || v >= 0 ? COLORS.pos : COLORS.neg, "fill-opacity": inf ? 0.35 : 0.8 }, this.scene);
        if (inf) { const t = el("text", { x: xsPx[i], y: g.bandTop + 14, "text-anchor": "middle", class: "dc-inf" }, this.scene); t.textContent = "∞"; }
      });
      return;
    }
    let pos = `M${xsPx[0]},${mid}`, neg = `M${xsPx[0]},${mid}`;
    values.forEach((v, i) => {
      const y = isFinite(v) ? toY(v) : g.bandTop;
      pos += `L${xsPx[i].toFixed(1)},${Math.min(y, mid).toFixed(1)}`;
      neg += `L${xsPx[i].toFixed(1)},${Math.max(y, mid).toFixed(1)}`;
    });
    pos += `L${xsPx[xsPx.length - 1]},${mid}Z`;
    neg += `L${xsPx[xsPx.length - 1]},${mid}Z`;
    el("path", { d: pos, fill: COLORS.pos, "fill-opacity": 0.55 }, this.scene);
    el("path", { d: neg, fill: COLORS.neg, "fill-opacity": 0.45 }, this.scene);
    values.forEach((v, i) => {
      if (!isFinite(v)) el("line", { x1: xsPx[i], x2: xsPx[i], y1: g.bandTop, y2: mid, class: "dc-inf-line" }, this.scene);
    });
  }

  draw() {
    if (!this.state) return;
    const started = performance.now();
    const g = this.geometry();
    this.svg.setAttribute("viewBox", `0 0 ${g.width} ${H}`);
    this.svg.setAttribute("width", g.width);
    this.svg.setAttribute("height", H);
    while (this.scene.firstChild) this.scene.removeChild(this.scene.firstChild);
    this.drawn = new Set();
    if (this.state.mode === "discrete") this.drawDiscrete(g); else this.drawContinuous(g);
    // Handles of the other mode go; the ones drawn stay the same elements, so keyboard focus stays on them.
    for (const node of [...this.handles.children]) if (!this.drawn.has(node.getAttribute("data-handle"))) node.remove();
    this.readout.textContent = this.numbersText();
    this.root.dataset.drawn = String((Number(this.root.dataset.drawn) || 0) + 1);
    this.root.dataset.drawMs = (performance.now() - started).toFixed(2); // read by bench/kl_bench.py
  }

  numbersText() {
    const n = numbers(this.state), u = this.view.units;
    return `KL(P‖Q) = ${formatValue(n.kl_pq, u)} · KL(Q‖P) = ${formatValue(n.kl_qp, u)} · JS = ${formatValue(n.js, u)} ${u}`;
  }

  // --- handles: kept from frame to frame, each a slider for the keyboard and a screen reader ---------
  handle(name, tag, attrs) {
    let node = this.handles.querySelector(`[data-handle="${name}"]`);
    if (!node || node.tagName !== tag) {
      if (node) node.remove();
      node = el(tag, { "data-handle": name, tabindex: 0, role: "slider" }, this.handles);
    }
    node.removeAttribute("transform");
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    const a = this.describe(name);
    node.setAttribute("aria-label", a.label);
    node.setAttribute("aria-valuemin", a.min);
    node.setAttribute("aria-valuemax", a.max);
    node.setAttribute("aria-valuenow", a.now);
    node.setAttribute("aria-valuetext", a.text);
    this.drawn.add(name);
    return node;
  }

  describe(name) {
    const s = this.state, who = name[0].toUpperCase();
    if (name.endsWith("-peak")) {
      const v = s[name[0]].loc;
      return { label: `${who}'s mean`, min: this.ranges.loc[0], max: this.ranges.loc[1], now: v, text: `${who}'s mean ${v.toFixed(2)}` };
    }
    if (name.endsWith("-width")) {
      const v = s[name[0]].sd;
      return { label: `${who}'s width (standard deviation)`, min: this.ranges.sd[0], max: this.ranges.sd[1], now: v, text: `${who}'s width ${v.toFixed(2)}` };
    }
    const i = Number(name.split("-")[2]), v = s[name[0] === "p" ? "pBars" : "qBars"][i];
    return { label: `${who}(${i})`, min: 0, max: 1, now: v, text: `${who}(${i}) = ${v.toFixed(2)}` };
  }

  // Arrows move a handle by its slider's step (Page keys by ten, Home and End to the ends), onto the steps' grid.
  onKey(e) {
    const name = e.target.getAttribute && e.target.getAttribute("data-handle");
    if (!name || !this.state || this.drag) return;
    const by = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[e.key];
    const end = { Home: -Infinity, End: Infinity }[e.key];
    if (by === undefined && end === undefined) return;
    e.preventDefault();
    e.stopPropagation();  // the arrow moves this handle, not the presenter's scenes
    const move = (v, step, lo, hi) => clamp(end !== undefined ? end : round4(Math.round(v / step + by) * step), lo, hi);
    const s = this.state;
    if (name.endsWith("-peak") || name.endsWith("-width")) {
      const d = { ...s[name[0]] };
      if (name.endsWith("-peak")) d.loc = move(d.loc, this.steps.loc, ...this.ranges.loc);
      else d.sd = move(d.sd, this.steps.sd, ...this.ranges.sd);
      this.state = { ...s, [name[0]]: d };
    } else {
      const key = name[0] === "p" ? "pBars" : "qBars", i = Number(name.split("-")[2]);
      this.state = { ...s, [key]: setProbability(s[key], i, move(s[key][i], this.steps.bar, 0, 1)) };
    }
    this.keys = { handle: name };
    this.draw();  // now, so that the slider's new value is what a screen reader reads next
    this.sendThrottled();
    clearTimeout(this.keyTimer);
    this.keyTimer = setTimeout(() => this.endKeys(), KEY_SETTLE_MS);
  }

  endKeys() {
    if (!this.keys) return;
    this.keys = null;
    this.send();
    this.confirmRelease();
    this.status.textContent = this.numbersText();  // role=status: announced once, when the keys stop
  }

  // --- pointer --------------------------------------------------------------------------------
  pointer(e) {
    const rect = this.svg.getBoundingClientRect();
    const g = this.geometry();
    return { g, x: ((e.clientX - rect.left) / rect.width) * g.width, y: ((e.clientY - rect.top) / rect.height) * H };
  }

  onDown(e) {
    if (!this.state) return;
    const target = e.target.closest ? e.target.closest("[data-handle],[data-bar]") : null;
    const { g, x } = this.pointer(e);
    let handle = target ? target.getAttribute("data-handle") || target.getAttribute("data-bar") : null;
    if (!handle && this.state.mode === "continuous") {
      // Grabbing near a curve's centre line moves that curve, so the peak is easy to hit.
      const near = ["p", "q"].map((n) => ({ n, d: Math.abs(this.xToPx(g, this.state[n].loc) - x) })).sort((a, b) => a.d - b.d)[0];
      if (near.d < 14) handle = `${near.n}-peak`;
    }
    if (!handle) return;
    e.preventDefault();
    this.svg.setPointerCapture(e.pointerId);
    this.drag = { handle, offset: 0 };
    if (handle.endsWith("-peak")) this.drag.offset = this.state[handle[0]].loc - this.pxToX(g, x);
    this.root.classList.add("dc-dragging");
  }

  onMove(e) {
    if (!this.drag) return;
    const { g, x, y } = this.pointer(e);
    const h = this.drag.handle;
    const s = this.state;
    if (s.mode === "continuous") {
      const name = h[0];
      const d = { ...s[name] };
      if (h.endsWith("-peak")) d.loc = round4(clamp(this.pxToX(g, x) + this.drag.offset, ...this.ranges.loc));
      else d.sd = round4(clamp(Math.abs(this.pxToX(g, x) - d.loc), ...this.ranges.sd));
      this.state = { ...s, [name]: d };
    } else {
      const [name, , idx] = h.split("-");
      const key = name === "p" ? "pBars" : "qBars";
      const value = ((g.plotBottom - y) / (g.plotBottom - g.plotTop)) * this.yMax;
      this.state = { ...s, [key]: setProbability(s[key], Number(idx), value) };
    }
    this.schedule();
    this.sendThrottled();
  }

  onUp(e) {
    if (!this.drag) return;
    this.drag = null;
    this.root.classList.remove("dc-dragging");
    try { this.svg.releasePointerCapture(e.pointerId); } catch (_) { /* already released */ }
    this.send();
    this.confirmRelease();
    this.schedule();
  }

  // A value set while Streamlit is busy with an earlier rerun is occasionally dropped: until the page has applied
  // the release, it is sent again under a new number; after the last try, the page's next data is shown.
  confirmRelease(attempt = 0) {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      if (this.sequence.settled(this.appliedSeq) || this.drag || this.keys) return;
      if (attempt >= RESENDS) { this.sequence.waive(); return; }
      this.send();
      this.confirmRelease(attempt + 1);
    }, RESEND_MS);
  }

  sendThrottled() {
    if (this.sendMs <= 0) return;  // a busy server: the numbers drawn here carry the drag, Python gets the release
    const wait = this.sendMs - (performance.now() - this.lastSentAt);
    if (wait <= 0) return this.send();
    if (!this.sendTimer) this.sendTimer = setTimeout(() => { this.sendTimer = null; if (this.drag || this.keys) this.send(); }, wait);
  }

  send() {
    if (this.sendTimer) { clearTimeout(this.sendTimer); this.sendTimer = null; }
    this.lastSentAt = performance.now();
    const s = this.state;
    // `dragging` lets Python skip redrawing its heavier charts until the release.
    this.setStateValue("value", { mode: s.mode, p: s.p, q: s.q, pBars: s.pBars, qBars: s.qBars,
                                  seq: this.sequence.next(), dragging: !!(this.drag || this.keys) });
  }

  dispose() {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    clearTimeout(this.confirmTimer);
    clearTimeout(this.keyTimer);
    super.dispose();
  }
}

export default function (component) {
  return mounted(component, (c) => new Canvas(c));
}
