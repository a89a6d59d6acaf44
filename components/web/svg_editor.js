// What the two SVG editors (the KL canvas, the Norms vector) share: SVG elements made from attributes, and an
// editor's pointer and key events wired to its handlers, redrawn once a frame and when its box resizes.

const SVG_NS = "http://www.w3.org/2000/svg";

export function svgElement(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

// A subclass has onDown, onMove, onUp, onKey and draw; `listen` wires them to `svg`, and a resize of `box` to draw.
export class SvgEditor {
  listen(svg, box) {
    this.frame = null;
    svg.addEventListener("pointerdown", (e) => this.onDown(e));
    svg.addEventListener("pointermove", (e) => this.onMove(e));
    svg.addEventListener("pointerup", (e) => this.onUp(e));
    svg.addEventListener("pointercancel", (e) => this.onUp(e));
    svg.addEventListener("keydown", (e) => this.onKey(e));
    if (typeof ResizeObserver !== "undefined") {
      this.resize = new ResizeObserver(() => this.schedule());
      this.resize.observe(box);
    }
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  }

  dispose() {
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.resize) this.resize.disconnect();
  }
}
