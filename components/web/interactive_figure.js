// A Plotly chart with its own slider: the chart, the slider and the slider patches the server made ahead all live
// in this component's shadow root, drawn by the component's own plotly.js. A move is drawn at once from its patch
// (no patch for that position: the chart is dimmed until the server answers), and sent to the page with a
// sequence number; data that predates the page's applying it (appliedSeq) does not move the slider back.
// The slider is a native range input over the options' indices: arrows, Home/End, PageUp/PageDown, touch.

import { mounted, parsed, Sequence } from "./lifecycle.js";
import { plotly } from "./plotly_loader.js";

const DIM_OPACITY = "0.45";

function merged(obj, changes) {
  const out = { ...obj, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === null) delete out[k];
  return out;
}

// `base` with a slider patch applied (app_core/figures/frames.py: apply_patch is the same in Python).
function patched(base, patch) {
  const changes = patch.data || {};
  const data = patch.traces ? patch.traces : base.data.map((t, i) => (changes[i] ? merged(t, changes[i]) : t));
  return { data, layout: merged(base.layout || {}, patch.layout || {}) };
}

function element(tag, className, parent) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (parent) parent.appendChild(el);
  return el;
}

class InteractiveFigure {
  constructor({ parentElement }) {
    this.sequence = new Sequence();
    this.root = element("div", "if-root", parentElement);
    const row = element("div", "if-slider", this.root);
    this.label = element("label", "if-label", row);
    this.readout = element("output", "if-readout", row);
    this.input = element("input", "if-range", row);
    this.input.type = "range";
    this.input.min = "0";
    this.input.step = "1";
    this.input.id = "if-range";
    this.label.htmlFor = "if-range";
    this.readout.setAttribute("aria-hidden", "true");
    this.downloads = element("div", "if-downloads", this.root);  // above the chart, which a legend may overhang
    this.box = element("div", "if-box", this.root);  // the figure's height, which the responsive chart fills
    this.chart = element("div", "if-chart", this.box);
    this.chart.setAttribute("role", "img");
    this.input.addEventListener("input", () => this.moved(false));
    this.input.addEventListener("change", () => this.moved(true));
    this.input.addEventListener("keydown", (event) => this.pageKey(event));
    this.drawing = Promise.resolve();
  }

  update({ data, setStateValue }) {
    this.send = setStateValue;
    const unchanged = data.figure === this.figureText && data.patches === this.patchesText;
    this.figureText = data.figure;
    this.patchesText = data.patches;
    this.base = parsed(data.figure, { data: [], layout: {} });
    this.config = parsed(data.config, {});
    this.patches = new Map(parsed(data.patches, []).map((p) => [Number(p.value), p.charts.figure]));
    const slider = parsed(data.slider, {});
    this.options = Array.from(slider.options);
    this.serverIndex = Number(slider.index);
    this.pageStep = Math.max(1, Number(slider.pageStep || 1));
    this.label.textContent = slider.label;
    if (slider.help) this.input.title = slider.help;
    this.input.max = String(this.options.length - 1);
    this.chart.setAttribute("aria-label", data.description || slider.label);
    this.buildDownloads(parsed(data.downloads, null));
    // Until the page has applied the last move sent, this data predates it: the slider stays where it was moved.
    const settled = this.sequence.settled(data.appliedSeq);
    if (settled) this.sentIndex = this.serverIndex;
    const index = settled ? this.serverIndex : this.index ?? this.serverIndex;
    if (unchanged && index === this.index && this.chart.dataset.shown === String(index)) return;  // a rerun for another control
    this.show(index);
  }

  // PageUp/PageDown step by the page step the server made patches for; the other keys are the range input's own.
  pageKey(event) {
    if (event.key !== "PageUp" && event.key !== "PageDown") return;
    event.preventDefault();
    const step = event.key === "PageUp" ? this.pageStep : -this.pageStep;
    this.input.value = String(Math.min(this.options.length - 1, Math.max(0, Number(this.input.value) + step)));
    this.moved(true);
  }

  moved(commit) {
    const index = Number(this.input.value);
    if (index !== this.index) this.show(index);
    if (commit && index !== this.sentIndex) {
      this.sentIndex = index;
      this.send("value", { index, seq: this.sequence.next() });
    }
  }

  show(index) {
    this.index = index;
    this.input.value = String(index);
    const text = String(this.options[index]);
    this.input.setAttribute("aria-valuetext", text);
    this.readout.textContent = text;
    const patch = index === this.serverIndex ? {} : this.patches.get(index);
    this.chart.style.opacity = patch ? "" : DIM_OPACITY;  // no patch: the server's figure is on its way
    if (!patch) return;
    const figure = patched(this.base, patch);
    const token = (this.token = (this.token || 0) + 1);
    this.drawing = this.drawing.then(() => plotly()).then((Plotly) => {
      if (token !== this.token) return null;  // a later move's figure is due instead
      this.Plotly = Plotly;
      // plotly.js decodes and annotates the objects it is given: each drawing gets its own copy.
      const { data, layout } = structuredClone(figure);
      this.box.style.height = `${layout.height || 450}px`;
      return Plotly.react(this.chart, data, layout, { responsive: true, ...this.config });
    }).then(() => {
      if (token !== this.token) return;
      this.chart.dataset.shown = String(index);
      this.chart.dataset.source = index === this.serverIndex ? "server" : "patch";
    }).catch((error) => {
      this.chart.style.opacity = DIM_OPACITY;
      this.chart.dataset.error = String(error && error.message ? error.message : error);
    });
  }

  buildDownloads(options) {
    this.downloadOptions = options;
    this.downloads.hidden = !options;
    if (!options || this.downloads.childElementCount) return;
    for (const [format, label] of [["png", "PNG"], ["svg", "SVG"], ["csv", "CSV"]]) {
      const button = element("button", "if-download", this.downloads);
      button.type = "button";
      button.dataset.format = format;
      button.textContent = label;
      button.addEventListener("click", () => this.download(button, format));
    }
    this.status = element("span", "if-status", this.downloads);
    this.status.setAttribute("role", "status");
  }

  download(button, format) {
    const { filename, width, height, scale, csv } = this.downloadOptions;
    if (format === "csv") {  // the numbers the server wrote for this figure
      const link = element("a");
      link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      link.download = `${filename}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
      return;
    }
    if (!this.Plotly || button.getAttribute("aria-busy") === "true") return;  // busy, not disabled: keeps focus
    button.setAttribute("aria-busy", "true");
    this.status.textContent = "";
    this.Plotly.downloadImage(this.chart, { format, width, height, scale, filename })
      .catch((error) => { this.status.textContent = `no ${format.toUpperCase()}: ${error.message || error}`; })
      .finally(() => button.removeAttribute("aria-busy"));
  }

  dispose() {
    this.token = (this.token || 0) + 1;
    if (this.Plotly) this.Plotly.purge(this.chart);
  }
}

export default function (component) {
  return mounted(component, (c) => new InteractiveFigure(c));
}
