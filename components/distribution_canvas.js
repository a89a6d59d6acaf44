// Drag two distributions, P and Q, and see KL/JS change every animation frame.
// The numbers drawn here are the page's own: the grid and trapezoid sums of sae_core/divergence/measures.py
// (shared_grid, compare_continuous; kl_divergence and js_divergence for bars), so the readout agrees with the
// metrics under it and JS never passes ln 2. Each handle is also a keyboard slider (Tab, arrows, Page, Home, End).
// Streamlit calls this function again whenever `data` changes, so everything is idempotent: the
// controller lives on the root element and listeners are assigned, never stacked.

const W_DEFAULT = 760, H = 372, BAND = 92, PAD_L = 44, PAD_R = 16, PAD_T = 34, GAP = 44;
const X_MIN = -9, X_MAX = 9, LOC_MIN = -6, LOC_MAX = 6, SD_MIN = 0.2, SD_MAX = 3;
const STEPS_DEFAULT = { loc: 0.05, sd: 0.05, bar: 0.01 };  // the page's sliders' steps (canvas_wire.KEY_STEPS)
const KEY_SETTLE_MS = 400;  // arrow keys pressed within this of each other are one move, sent as one release
const SEND_INTERVAL_MS = 100;  // mid-drag, unless Python asks for less (`sendMs`; 0: the release only)
const LN2 = Math.log(2);
const COLORS = { p: "#1f77b4", q: "#e8710a", pos: "#c0392b", neg: "#7f8c8d" };
const SHADE_LABEL = {
  kl_pq: "where KL(P‖Q) comes from: p·log(p/q)",
  kl_qp: "where KL(Q‖P) comes from: q·log(q/p)",
  js: "where JS comes from: ½p·log(p/m) + ½q·log(q/m)",
};
const SVG_NS = "http://www.w3.org/2000/svg";

const round4 = (v) => Math.round(v * 1e4) / 1e4;
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

function gaussLog(x, mu, s) {
  const z = (x - mu) / s;
  return -0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI));
}

export function logpdf(d, x) {
  const s = d.sd;
  if (d.family === "gaussian") return gaussLog(x, d.loc, s);
  if (d.family === "laplace") { const b = s / Math.SQRT2; return -Math.abs(x - d.loc) / b - Math.log(2 * b); }
  if (d.family === "uniform") {
    const half = Math.sqrt(3) * s;
    return x >= d.loc - half && x <= d.loc + half ? -Math.log(2 * half) : -Infinity;
  }
  const a = gaussLog(x, d.loc - 0.8 * s, 0.6 * s), b = gaussLog(x, d.loc + 0.8 * s, 0.6 * s);
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m)) - LN2;
}

// --- the page's numbers, computed as measures.py computes them ------------------------------------
const GRID_POINTS = 4001, GRID_MAX = 200001;

function support(d) {
  if (d.family === "uniform") { const half = Math.sqrt(3) * d.sd; return [d.loc - half, d.loc + half]; }
  const reach = d.family === "laplace" ? 16 : 12;
  return [d.loc - reach * d.sd, d.loc + reach * d.sd];
}

function breakpoints(d) {
  if (d.family === "uniform") return support(d);
  return d.family === "laplace" ? [d.loc] : [];
}

// measures.shared_grid: numpy's linspace (its last point exactly `hi`) with the kinks and jumps merged in.
function sharedGrid(p, q) {
  const [pLo, pHi] = support(p), [qLo, qHi] = support(q);
  const lo = Math.min(pLo, qLo), hi = Math.max(pHi, qHi);
  const needed = Math.ceil((hi - lo) / (Math.min(p.sd, q.sd) / 25)) + 1;
  const n = Math.max(GRID_POINTS, Math.min(needed, GRID_MAX));
  const step = (hi - lo) / (n - 1);
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = lo + i * step;
  grid[n - 1] = hi;
  const extra = [...breakpoints(p), ...breakpoints(q)].filter((b) => lo <= b && b <= hi);
  if (!extra.length) return grid;
  return Float64Array.from(new Set([...grid, ...extra])).sort();
}

function logaddexp(a, b) {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

// measures.compare_continuous: KL both ways and JS in nats, trapezoid sums of log-density terms.
export function continuousNumbers(p, q) {
  const grid = sharedGrid(p, q);
  const sums = { kl_pq: 0, kl_qp: 0, js: 0 };
  let prev = null;
  for (let i = 0; i < grid.length; i++) {
    const lp = logpdf(p, grid[i]), lq = logpdf(q, grid[i]);
    const dp = Math.exp(lp), dq = Math.exp(lq), lm = logaddexp(lp, lq) - LN2;
    const t = {
      kl_pq: dp > 0 ? dp * (lp - lq) : 0,
      kl_qp: dq > 0 ? dq * (lq - lp) : 0,
      js: 0.5 * ((dp > 0 ? dp * (lp - lm) : 0) + (dq > 0 ? dq * (lq - lm) : 0)),
    };
    if (prev) for (const k in sums) sums[k] += ((grid[i] - grid[i - 1]) * (t[k] + prev[k])) / 2;
    prev = t;
  }
  return { kl_pq: sums.kl_pq, kl_qp: sums.kl_qp, js: clamp(sums.js, 0, LN2) };
}

function relEntr(x, y) {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return x === 0 && y >= 0 ? 0 : Infinity;
}

// measures.kl_divergence and js_divergence (scipy's rel_entr) on the normalised bars, in nats.
export function discreteNumbers(pBars, qBars) {
  const total = (v) => v.reduce((a, b) => a + b, 0);
  const tp = total(pBars), tq = total(qBars);
  const p = pBars.map((v) => v / tp), q = qBars.map((v) => v / tq);
  let klpq = 0, klqp = 0, js = 0;
  p.forEach((pv, i) => {
    const qv = q[i], m = 0.5 * (pv + qv);
    klpq += relEntr(pv, qv);
    klqp += relEntr(qv, pv);
    js += 0.5 * (relEntr(pv, m) + relEntr(qv, m));
  });
  return { kl_pq: klpq, kl_qp: klqp, js: clamp(js, 0, LN2) };
}

export function numbers(state) {
  return state.mode === "discrete" ? discreteNumbers(state.pBars, state.qBars) : continuousNumbers(state.p, state.q);
}

// Pointwise terms of the three divergences, given probabilities (or densities) p and q.
function terms(p, q) {
  const lp = Math.log(p), lq = Math.log(q), m = 0.5 * (p + q), lm = Math.log(m);
  const klpq = p > 0 ? (q > 0 ? p * (lp - lq) : Infinity) : 0;
  const klqp = q > 0 ? (p > 0 ? q * (lq - lp) : Infinity) : 0;
  const js = 0.5 * ((p > 0 ? p * (lp - lm) : 0) + (q > 0 ? q * (lq - lm) : 0));
  return { kl_pq: klpq, kl_qp: klqp, js };
}

function el(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function setProbability(probs, index, value) {
  value = clamp(value, 0, 1);
  const rest = probs.reduce((a, b) => a + b, 0) - probs[index];
  const others = probs.length - 1;
  const out = probs.map((old, i) => (i === index ? value : rest > 1e-12 ? (old * (1 - value)) / rest : (1 - value) / others));
  const total = out.reduce((a, b) => a + b, 0);
  return total > 0 ? out.map((v) => round4(v / total)) : probs.slice();
}

export function formatValue(v, units) {
  if (!isFinite(v)) return "∞";
  return (units === "bits" ? v / LN2 : v).toFixed(3);
}

class Canvas {
  constructor(root) {
    this.root = root;
    this.readout = root.querySelector(".dc-live");
    this.svg = root.querySelector("svg");
    this.status = root.querySelector(".dc-status");
    // The picture is redrawn every frame; the handles are kept (and moved), so a focused one stays focused.
    this.scene = el("g", { "aria-hidden": "true" }, this.svg);
    this.handles = el("g", { class: "dc-handles" }, this.svg);
    this.steps = { ...STEPS_DEFAULT };
    this.keys = null;
    this.state = null;
    this.view = { units: "nats", shade: "kl_pq" };
    this.drag = null;
    this.sentDuringDrag = [];
    this.lastSentAt = 0;
    this.sendTimer = null;
    this.frame = null;
    this.yMax = null;
    this.svg.onpointerdown = (e) => this.onDown(e);
    this.svg.onpointermove = (e) => this.onMove(e);
    this.svg.onpointerup = (e) => this.onUp(e);
    this.svg.onpointercancel = (e) => this.onUp(e);
    this.svg.onkeydown = (e) => this.onKey(e);
  }

  setData(data, setStateValue) {
    this.setStateValue = setStateValue;
    this.view = { units: data.units, shade: data.shade };
    this.appliedSeq = data.appliedSeq ?? 0;
    // A remounted canvas starts counting afresh while the page remembers the last number it applied: number on
    // from there, or a new value would look applied before it was (and never be resent).
    this.seq = Math.max(this.seq || 0, this.appliedSeq);
    this.sendMs = Number.isFinite(data.sendMs) ? data.sendMs : SEND_INTERVAL_MS;
    // The glue sends nested objects as JSON text (components/component_data.py: so Streamlit loads no pandas).
    const parsed = (v) => (typeof v === "string" ? JSON.parse(v) : v);
    this.steps = { ...STEPS_DEFAULT, ...(data.steps ? parsed(data.steps) : {}) };
    const incoming = { mode: data.mode, p: parsed(data.p), q: parsed(data.q), pBars: data.pBars, qBars: data.qBars };
    if (this.drag || this.keys) return this.schedule(); // the pointer (or a key being pressed) wins meanwhile
    // Reruns may still carry positions sent earlier in the drag; showing them would make the curve
    // jump back. Anything else (a preset, a slider, a mode switch) is a genuine change.
    const isStale = this.sentDuringDrag.slice(0, -1).some((sent) => sameState(incoming, sent));
    const last = this.sentDuringDrag[this.sentDuringDrag.length - 1];
    if (isStale && !(last && sameState(incoming, last))) return this.schedule();
    if (!this.state || this.state.mode !== incoming.mode) this.yMax = null;
    this.state = incoming;
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
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
  xToPx(g, x) { return g.left + ((x - X_MIN) / (X_MAX - X_MIN)) * (g.right - g.left); }
  pxToX(g, px) { return X_MIN + ((px - g.left) / (g.right - g.left)) * (X_MAX - X_MIN); }

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
      for (let x = -8; x <= 8; x += 2) {
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
      return { label: `${who}'s mean`, min: LOC_MIN, max: LOC_MAX, now: v, text: `${who}'s mean ${v.toFixed(2)}` };
    }
    if (name.endsWith("-width")) {
      const v = s[name[0]].sd;
      return { label: `${who}'s width (standard deviation)`, min: SD_MIN, max: SD_MAX, now: v, text: `${who}'s width ${v.toFixed(2)}` };
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
      if (name.endsWith("-peak")) d.loc = move(d.loc, this.steps.loc, LOC_MIN, LOC_MAX);
      else d.sd = move(d.sd, this.steps.sd, SD_MIN, SD_MAX);
      this.state = { ...s, [name[0]]: d };
    } else {
      const key = name[0] === "p" ? "pBars" : "qBars", i = Number(name.split("-")[2]);
      this.state = { ...s, [key]: setProbability(s[key], i, move(s[key][i], this.steps.bar, 0, 1)) };
    }
    if (!this.keys) this.sentDuringDrag = [];
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
    this.sentDuringDrag = [];
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
      if (h.endsWith("-peak")) d.loc = round4(clamp(this.pxToX(g, x) + this.drag.offset, LOC_MIN, LOC_MAX));
      else d.sd = round4(clamp(Math.abs(this.pxToX(g, x) - d.loc), SD_MIN, SD_MAX));
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

  // A value set while Streamlit is busy with an earlier rerun is occasionally dropped; until Python
  // reports (as `appliedSeq`) that it has applied the release, send it again under a new number.
  confirmRelease(attempt = 0) {
    const releaseSeq = this.seq;
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      if (this.appliedSeq >= releaseSeq || this.drag || this.keys || attempt >= 5) return;
      this.send();
      this.confirmRelease(attempt + 1);
    }, 600);
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
    this.sentDuringDrag.push(s);
    this.seq = (this.seq || 0) + 1;
    // `dragging` lets Python skip redrawing its heavier charts until the release.
    this.setStateValue("value", { mode: s.mode, p: s.p, q: s.q, pBars: s.pBars, qBars: s.qBars, seq: this.seq, dragging: !!(this.drag || this.keys) });
  }

  dispose() {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    clearTimeout(this.confirmTimer);
    clearTimeout(this.keyTimer);
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}

function sameState(a, b) {
  const close = (x, y) => Math.abs(x - y) < 1e-3;
  const sameDensity = (d, e) => d.family === e.family && close(d.loc, e.loc) && close(d.sd, e.sd);
  const sameBars = (u, v) => u.length === v.length && u.every((x, i) => close(x, v[i]));
  return a.mode === b.mode && sameDensity(a.p, b.p) && sameDensity(a.q, b.q) && sameBars(a.pBars, b.pBars) && sameBars(a.qBars, b.qBars);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let root = parentElement.querySelector(".dc-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "dc-root";
    // The readout changes every frame of a drag, too often to announce: the status line speaks once a keyboard
    // move settles, and each handle is a slider whose value a screen reader reads as it changes.
    root.innerHTML = '<div class="dc-live" aria-live="off"></div><div class="dc-status" role="status"></div>'
      + '<svg class="dc-svg" role="group" aria-label="P and Q: drag a handle, or focus one and press the arrow keys"></svg>';
    parentElement.appendChild(root);
  }
  if (!root.__canvas) root.__canvas = new Canvas(root);
  const canvas = root.__canvas;
  root.classList.toggle("dc-large", !!data.large);  // presenter mode: type for the back of a room
  canvas.setData(data, setStateValue);
  if (!root.__resize && typeof ResizeObserver !== "undefined") {
    root.__resize = new ResizeObserver(() => canvas.schedule());
    root.__resize.observe(root);
  }
  // Streamlit may call the cleanup before re-invoking us with new data, not only on unmount, so the
  // canvas (and any drag in progress) is torn down only once the root has really left the page.
  return () => {
    setTimeout(() => {
      if (root.isConnected) return;
      canvas.dispose();
      if (root.__resize) { root.__resize.disconnect(); root.__resize = null; }
      root.__canvas = null;
    }, 0);
  };
}
