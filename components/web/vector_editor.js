// A vector whose entries are dragged: one column per entry, its bar following the pointer (or the arrow keys)
// within the frame, with the vector's L0, L1 and L2 redrawn at once. Python gets the entries when a drag ends
// or the keys pause, and its rerun redraws the rest of the page. The norms drawn here are exact (a count and two
// sums), the same definitions as sae_core/norms/vector.py; the wire format, range and step included, is
// app_core/wire/editor_wire.py. Values go back under lifecycle.js's sequence numbers, and what the page sends is
// not shown until it has applied the last one.

import { mounted, parsed, Sequence } from "./lifecycle.js";
import { SvgEditor, svgElement } from "./svg_editor.js";

const H = 300, PAD_L = 46, PAD_R = 10, PAD_T = 18, PAD_B = 34;
const H_LARGE = 420, PAD_B_LARGE = 48;
const KEY_SEND_MS = 150;  // arrow keys held down or pressed in a burst: one rerun when they pause
const RESEND_MS = 600, RESENDS = 5;

const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

const el = svgElement;

// As Python formats a coordinate (app_core/figures/norm_figures.format_coordinate): "0" for an exact zero.
function formatEntry(v) {
  if (v === 0) return "0";
  return Math.abs(v) >= 0.005 ? v.toFixed(2) : v.toExponential(1);
}

function norms(entries) {
  let l0 = 0, l1 = 0, sq = 0;
  for (const v of entries) { if (v !== 0) l0 += 1; l1 += Math.abs(v); sq += v * v; }
  return { l0, l1, l2: Math.sqrt(sq) };
}

class Editor extends SvgEditor {
  constructor({ parentElement }) {
    super();
    const root = (this.root = document.createElement("div"));
    root.className = "ve-root";
    // Not a live region: it changes on every frame of a drag. A focused bar is a slider, whose value is announced.
    root.innerHTML = '<div class="ve-readout" aria-live="off"></div>'
      + '<svg class="ve-svg" role="group" aria-label="The vector: drag a bar, or focus it and use the arrow keys"></svg>';
    parentElement.appendChild(root);
    this.readout = root.querySelector(".ve-readout");
    this.svg = root.querySelector("svg");
    this.sequence = new Sequence();
    this.entries = null;
    this.drag = null;
    this.keyTimer = null;
    this.confirmTimer = null;
    this.listen(this.svg, root);
  }

  update({ data, setStateValue }) {
    this.setStateValue = setStateValue;
    this.lo = Number(data.lo); this.hi = Number(data.hi); this.step = Number(data.step);
    this.labels = Array.from(data.labels);
    this.large = !!data.large;
    this.root.classList.toggle("ve-large", this.large);  // presenter mode: type for the back of a room
    this.colors = parsed(data.colors, {});  // the page's palette: the projector's while presenting
    this.appliedSeq = Number(data.appliedSeq || 0);
    const incoming = Array.from(data.entries, Number);
    // While the pointer is down or keys are being pressed, or a value sent here has not come back applied yet,
    // what is on screen is newer than what the rerun carries: keep it (showing the rerun's would make a bar jump
    // back).
    const pending = this.drag || this.keyTimer || !this.sequence.settled(this.appliedSeq);
    if (!pending || !this.entries || this.entries.length !== incoming.length) this.entries = incoming;
    this.schedule();
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

  // Mouse and pen drag a bar from wherever they press in its column. A finger taps a value in (a swipe is left
  // to the browser, which scrolls the page: `touch-action: pan-y`), so a phone can still scroll past the editor.
  onDown(e) {
    if (!this.entries || e.button > 0 || this.drag) return;
    const g = this.geometry();
    const p = this.pointerPx(e);
    if (p.x < PAD_L) return;
    const i = this.columnAt(g, p.x);
    this.focusColumn(i);
    e.preventDefault();  // else the mouse's own focus handling, after this, moves focus off the bar
    if (p.y < g.top || p.y > g.bottom) return;  // a label or the margin: focus the bar, change nothing
    this.drag = { index: i, pointer: e.pointerId, touch: e.pointerType === "touch" };
    if (this.drag.touch) return;
    this.svg.setPointerCapture(e.pointerId);
    this.root.classList.add("ve-dragging");
    this.setEntry(i, this.pxToY(g, p.y));
  }

  onMove(e) {
    if (!this.drag || e.pointerId !== this.drag.pointer || this.drag.touch) return;
    this.setEntry(this.drag.index, this.pxToY(this.geometry(), this.pointerPx(e).y));
  }

  onUp(e) {
    if (!this.drag || e.pointerId !== this.drag.pointer) return;
    const { index, touch } = this.drag;
    this.drag = null;
    this.root.classList.remove("ve-dragging");
    try { this.svg.releasePointerCapture(e.pointerId); } catch (_) { /* never captured, or already released */ }
    if (touch) {
      if (e.type === "pointercancel") return;  // the browser took the swipe: a scroll, not a value
      this.setEntry(index, this.pxToY(this.geometry(), this.pointerPx(e).y));
    }
    // In presenter mode the keys belong to the talk: a bar keeps no focus after a drag, so a clicker's next key
    // changes the scene, not this entry.
    if (this.large) this.blurColumn();
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
    const column = this.columns && this.columns[i];
    if (column) column.group.focus({ preventScroll: true });
  }

  blurColumn() {
    const focused = this.root.getRootNode().activeElement;
    if (focused && this.svg.contains(focused)) focused.blur();
  }

  // The entries on screen, under a new number.
  post() {
    this.setStateValue("value", { entries: this.entries.slice(), seq: this.sequence.next() });
  }

  send() {
    this.post();
    this.confirm(0);
  }

  // A value set while Streamlit is busy with an earlier rerun is occasionally dropped: until the page has applied
  // it, it is sent again under a new number; after the last try, the page's next data is shown.
  confirm(attempt) {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      if (this.sequence.settled(this.appliedSeq) || this.drag || this.keyTimer) return;
      if (attempt >= RESENDS) { this.sequence.waive(); return; }
      this.post();
      this.confirm(attempt + 1);
    }, RESEND_MS);
  }

  // The SVG is built once per layout (size, range, labels), then updated in place: a bar keeps its element, so a
  // focused bar keeps its focus (and a screen reader is not sent to a new element on every frame).
  layoutKey(g) { return JSON.stringify([g.width, g.height, this.lo, this.hi, this.labels]); }

  build(g) {
    const svg = this.svg;
    svg.replaceChildren();
    for (let t = Math.ceil(this.lo); t <= Math.floor(this.hi); t += 1) {
      const y = this.yToPx(g, t);
      el("line", { x1: PAD_L, x2: g.width - PAD_R, y1: y, y2: y, class: t === 0 ? "ve-zero" : "ve-grid" }, svg);
      el("text", { x: PAD_L - 8, y: y + 4, class: "ve-tick", "text-anchor": "end" }, svg).textContent = String(t);
    }
    this.columns = this.labels.map((label, i) => {
      const x0 = PAD_L + i * g.column;
      const group = el("g", { class: "ve-column", "data-index": i, tabindex: 0, role: "slider", "aria-label": `entry ${label}`,
                              "aria-orientation": "vertical", "aria-valuemin": this.lo, "aria-valuemax": this.hi }, svg);
      el("rect", { x: x0, y: g.top, width: g.column, height: g.bottom - g.top, class: "ve-hit" }, group);
      el("text", { x: x0 + g.column / 2, y: g.height - 8, class: "ve-label", "text-anchor": "middle" }, group)
        .textContent = label;
      return {
        group,
        bar: el("rect", { class: "ve-bar" }, group),
        grip: el("line", { class: "ve-grip" }, group),
        zero: el("circle", { class: "ve-zero-marker" }, group),
        value: el("text", { class: "ve-value", "text-anchor": "middle" }, group),
      };
    });
    this.built = this.layoutKey(g);
  }

  draw() {
    if (!this.entries) return;
    const g = this.geometry();
    const svg = this.svg;
    svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
    svg.setAttribute("height", g.height);
    if (this.built !== this.layoutKey(g)) this.build(g);
    const n = norms(this.entries);
    const [l1, l2] = [n.l1.toFixed(2), n.l2.toFixed(2)];
    this.readout.textContent = `L0 = ${n.l0}   ·   L1 = ${l1}   ·   L2 = ${l2}`;
    const zeroY = this.yToPx(g, 0), marker = this.large ? 9 : 7;
    this.entries.forEach((v, i) => {
      const c = this.columns[i];
      const mid = PAD_L + (i + 0.5) * g.column, barW = Math.max(10, g.column * 0.55);
      const y = this.yToPx(g, v);
      const color = v === 0 ? this.colors.zero : v > 0 ? this.colors.pos : this.colors.neg;
      c.group.setAttribute("aria-valuenow", v);
      c.group.setAttribute("aria-valuetext", `${formatEntry(v)}; the vector's L0 ${n.l0}, L1 ${l1}, L2 ${l2}`);
      c.bar.setAttribute("display", v === 0 ? "none" : "inline");
      c.grip.setAttribute("display", v === 0 ? "none" : "inline");
      c.zero.setAttribute("display", v === 0 ? "inline" : "none");
      for (const [k, val] of Object.entries({ x: mid - barW / 2, y: Math.min(y, zeroY), width: barW,
                                               height: Math.abs(zeroY - y), fill: color })) c.bar.setAttribute(k, val);
      for (const [k, val] of Object.entries({ x1: mid - barW / 2, x2: mid + barW / 2, y1: y, y2: y, stroke: color }))
        c.grip.setAttribute(k, val);
      for (const [k, val] of Object.entries({ cx: mid, cy: zeroY, r: marker, stroke: color })) c.zero.setAttribute(k, val);
      const textY = v === 0 ? zeroY - marker - 6 : v > 0 ? y - 6 : y + (this.large ? 22 : 16);
      c.value.setAttribute("x", mid);
      c.value.setAttribute("y", textY);
      c.value.setAttribute("fill", color);
      c.value.textContent = formatEntry(v);
    });
  }

  dispose() {
    clearTimeout(this.keyTimer);
    clearTimeout(this.confirmTimer);
    super.dispose();
  }
}

export default function (component) {
  return mounted(component, (c) => new Editor(c));
}
