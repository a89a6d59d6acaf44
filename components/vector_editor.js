// A vector whose entries are dragged: one column per entry, its bar following the pointer (or the arrow keys)
// within the frame, with the vector's L0, L1 and L2 redrawn at once. Python gets the entries when a drag ends
// or the keys pause, and its rerun redraws the rest of the page. The norms drawn here are exact (a count and two
// sums), the same definitions as sae_core/norms/vector.py; the wire format is sae_core/norms/editor_wire.py.
// Streamlit calls this function again whenever `data` changes, so everything is idempotent: the editor lives on
// the root element and listeners are assigned, never stacked.

const H = 300, PAD_L = 46, PAD_R = 10, PAD_T = 18, PAD_B = 34;
const H_LARGE = 420, PAD_B_LARGE = 48;
const COLORS = { pos: "#1f77b4", neg: "#e8710a", zero: "#7f7f7f" };  // until Python's arrive (`data.colors`)
const KEY_SEND_MS = 150;  // arrow keys held down or pressed in a burst: one rerun when they pause
const RESEND_MS = 600;
const SVG_NS = "http://www.w3.org/2000/svg";

const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

function el(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

// As Python formats a coordinate (sae_core/figures/norm_figures.format_coordinate): "0" for an exact zero.
function formatEntry(v) {
  if (v === 0) return "0";
  return Math.abs(v) >= 0.005 ? v.toFixed(2) : v.toExponential(1);
}

function norms(entries) {
  let l0 = 0, l1 = 0, sq = 0;
  for (const v of entries) { if (v !== 0) l0 += 1; l1 += Math.abs(v); sq += v * v; }
  return { l0, l1, l2: Math.sqrt(sq) };
}

class Editor {
  constructor(root) {
    this.root = root;
    this.readout = root.querySelector(".ve-readout");
    this.svg = root.querySelector("svg");
    this.entries = null;
    this.drag = null;
    this.seq = 0;
    this.appliedSeq = 0;
    this.frame = null;
    this.keyTimer = null;
    this.confirmTimer = null;
    this.svg.onpointerdown = (e) => this.onDown(e);
    this.svg.onpointermove = (e) => this.onMove(e);
    this.svg.onpointerup = (e) => this.onUp(e);
    this.svg.onpointercancel = (e) => this.onUp(e);
    this.svg.onkeydown = (e) => this.onKey(e);
  }

  setData(data, setStateValue) {
    this.setStateValue = setStateValue;
    this.lo = data.lo; this.hi = data.hi; this.step = data.step;
    this.labels = data.labels;
    this.large = !!data.large;
    // The glue sends nested objects as JSON text (components/component_data.py: so Streamlit loads no pandas).
    this.colors = typeof data.colors === "string" ? JSON.parse(data.colors) : data.colors || COLORS;
    this.appliedSeq = data.appliedSeq ?? 0;
    const incoming = data.entries.map(Number);
    // While the pointer is down, or a value sent here has not come back applied yet, what is on screen is newer
    // than what the rerun carries: keep it (showing the rerun's would make a bar jump back).
    const pending = this.drag || this.keyTimer || this.appliedSeq < this.seq;
    if (!pending || !this.entries || this.entries.length !== incoming.length) this.entries = incoming;
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  }

  geometry() {
    const width = Math.max(280, Math.round(this.root.clientWidth || 640));
    const height = this.large ? H_LARGE : H;
    const bottom = height - (this.large ? PAD_B_LARGE : PAD_B);
    const n = this.entries.length;
    const column = (width - PAD_L - PAD_R) / n;
    return { width, height, top: PAD_T, bottom, column, n };
  }

  yToPx(g, v) { return g.top + ((this.hi - v) / (this.hi - this.lo)) * (g.bottom - g.top); }
  pxToY(g, px) { return this.hi - ((px - g.top) / (g.bottom - g.top)) * (this.hi - this.lo); }
  columnAt(g, px) { return clamp(Math.floor((px - PAD_L) / g.column), 0, g.n - 1); }

  // A value on the step grid, inside the range: what the sliders it replaces would have sent.
  snap(v) {
    const steps = Math.round((clamp(v, this.lo, this.hi) - this.lo) / this.step);
    const snapped = this.lo + steps * this.step;
    return Math.abs(snapped) < this.step / 2 ? 0 : Number(snapped.toFixed(6));
  }

  setEntry(i, v) {
    const value = this.snap(v);
    if (this.entries[i] === value) return false;
    this.entries = this.entries.map((old, j) => (j === i ? value : old));
    this.schedule();
    return true;
  }

  pointerPx(e) {
    const box = this.svg.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  onDown(e) {
    if (!this.entries || e.button > 0) return;
    const g = this.geometry();
    const p = this.pointerPx(e);
    if (p.x < PAD_L) return;
    const i = this.columnAt(g, p.x);
    this.drag = { index: i };
    this.focusColumn(i);
    this.svg.setPointerCapture(e.pointerId);
    this.root.classList.add("ve-dragging");
    this.setEntry(i, this.pxToY(g, p.y));
    e.preventDefault();
  }

  onMove(e) {
    if (!this.drag) return;
    this.setEntry(this.drag.index, this.pxToY(this.geometry(), this.pointerPx(e).y));
  }

  onUp(e) {
    if (!this.drag) return;
    this.drag = null;
    this.root.classList.remove("ve-dragging");
    try { this.svg.releasePointerCapture(e.pointerId); } catch (_) { /* already released */ }
    this.send();
  }

  onKey(e) {
    const column = e.target instanceof Element ? e.target.closest("[data-index]") : null;
    if (!column || !this.entries) return;
    const i = Number(column.dataset.index), v = this.entries[i], s = this.step;
    const moves = {
      ArrowUp: v + s, ArrowRight: v + s, ArrowDown: v - s, ArrowLeft: v - s,
      PageUp: v + 10 * s, PageDown: v - 10 * s, Home: this.lo, End: this.hi,
      "0": 0, Delete: 0, Backspace: 0,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    e.stopPropagation();
    if (!this.setEntry(i, moves[e.key])) return;
    clearTimeout(this.keyTimer);
    this.keyTimer = setTimeout(() => { this.keyTimer = null; this.send(); }, KEY_SEND_MS);
  }

  focusColumn(i) {
    const column = this.svg.querySelector(`[data-index="${i}"]`);
    if (column) column.focus({ preventScroll: true });
  }

  send() {
    this.seq += 1;
    this.setStateValue("value", { entries: this.entries.slice(), seq: this.seq });
    this.confirm(this.seq, 0);
  }

  // A value set while Streamlit is busy with an earlier rerun is occasionally dropped; until Python reports (as
  // `appliedSeq`) that it has applied this one, send it again under a new number.
  confirm(seq, attempt) {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      if (this.appliedSeq >= seq || this.drag || this.seq !== seq || attempt >= 5) return;
      this.seq += 1;
      this.setStateValue("value", { entries: this.entries.slice(), seq: this.seq });
      this.confirm(this.seq, attempt + 1);
    }, RESEND_MS);
  }

  draw() {
    if (!this.entries) return;
    const g = this.geometry();
    const n = norms(this.entries);
    this.readout.textContent = `L0 = ${n.l0}   ·   L1 = ${n.l1.toFixed(2)}   ·   L2 = ${n.l2.toFixed(2)}`;
    const focused = this.root.getRootNode().activeElement;
    const focusIndex = focused && focused.dataset ? focused.dataset.index : undefined;
    const svg = this.svg;
    svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
    svg.setAttribute("height", g.height);
    svg.replaceChildren();
    for (let t = Math.ceil(this.lo); t <= Math.floor(this.hi); t += 1) {
      const y = this.yToPx(g, t);
      el("line", { x1: PAD_L, x2: g.width - PAD_R, y1: y, y2: y, class: t === 0 ? "ve-zero" : "ve-grid" }, svg);
      el("text", { x: PAD_L - 8, y: y + 4, class: "ve-tick", "text-anchor": "end" }, svg).textContent = String(t);
    }
    const zeroY = this.yToPx(g, 0);
    this.entries.forEach((v, i) => {
      const x0 = PAD_L + i * g.column, mid = x0 + g.column / 2, barW = Math.max(10, g.column * 0.55);
      const label = this.labels[i] || `x${i + 1}`;
      const column = el("g", {
        class: "ve-column", "data-index": i, tabindex: 0, role: "slider", "aria-label": `entry ${label}`,
        "aria-valuemin": this.lo, "aria-valuemax": this.hi, "aria-valuenow": v, "aria-valuetext": formatEntry(v),
      }, svg);
      el("rect", { x: x0, y: g.top, width: g.column, height: g.bottom - g.top, class: "ve-hit" }, column);
      const y = this.yToPx(g, v), marker = this.large ? 9 : 7;
      const color = v === 0 ? this.colors.zero : v > 0 ? this.colors.pos : this.colors.neg;
      if (v === 0) {
        el("circle", { cx: mid, cy: zeroY, r: marker, class: "ve-zero-marker", stroke: color }, column);
      } else {
        el("rect", { x: mid - barW / 2, y: Math.min(y, zeroY), width: barW, height: Math.abs(zeroY - y), fill: color,
                     class: "ve-bar" }, column);
        el("line", { x1: mid - barW / 2, x2: mid + barW / 2, y1: y, y2: y, stroke: color, class: "ve-grip" }, column);
      }
      const textY = v === 0 ? zeroY - marker - 6 : v > 0 ? y - 6 : y + (this.large ? 22 : 16);
      el("text", { x: mid, y: textY, class: "ve-value", "text-anchor": "middle", fill: color }, column).textContent =
        formatEntry(v);
      el("text", { x: mid, y: g.height - 8, class: "ve-label", "text-anchor": "middle" }, column).textContent = label;
    });
    if (focusIndex !== undefined) this.focusColumn(focusIndex);
  }

  dispose() {
    clearTimeout(this.keyTimer);
    clearTimeout(this.confirmTimer);
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let root = parentElement.querySelector(".ve-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "ve-root";
    root.innerHTML = '<div class="ve-readout" aria-live="polite"></div>'
      + '<svg class="ve-svg" role="group" aria-label="The vector: drag a bar, or focus it and use the arrow keys"></svg>';
    parentElement.appendChild(root);
  }
  if (!root.__editor) root.__editor = new Editor(root);
  const editor = root.__editor;
  root.classList.toggle("ve-large", !!data.large);  // presenter mode: type for the back of a room
  editor.setData(data, setStateValue);
  if (!root.__resize && typeof ResizeObserver !== "undefined") {
    root.__resize = new ResizeObserver(() => editor.schedule());
    root.__resize.observe(root);
  }
  // Streamlit may call the cleanup before re-invoking us with new data, not only on unmount: tear down only once
  // the root has really left the page.
  return () => {
    setTimeout(() => {
      if (root.isConnected) return;
      editor.dispose();
      if (root.__resize) { root.__resize.disconnect(); root.__resize = null; }
      root.__editor = null;
    }, 0);
  };
}
