// A group of sliders and the Plotly charts they draw, with the slider patches the server made ahead, all in this
// component's shadow root, drawn by the component's own plotly.js. A move is drawn at once from its patch (no
// patch for that position, or a second slider moved before the server answered the first: the charts are dimmed
// until the server answers), and sent to the page with a sequence number; data that predates the page's applying
// it (appliedSeq) does not move the sliders back.
// Each slider is a native range input over its options' indices: arrows, Home/End, PageUp/PageDown, touch.

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

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

class SliderView {
  constructor(figure, parent, name, id) {
    this.name = name;
    this.row = element("div", "if-slider", parent);
    this.row.dataset.name = name;
    this.label = element("label", "if-label", this.row);
    this.readout = element("output", "if-readout", this.row);
    this.input = element("input", "if-range", this.row);
    this.input.type = "range";
    this.input.min = "0";
    this.input.step = "1";
    this.input.id = `if-range-${id}`;
    this.input.dataset.name = name;
    this.label.htmlFor = this.input.id;
    this.readout.setAttribute("aria-hidden", "true");
    this.input.addEventListener("input", () => figure.moved(this, false));
    this.input.addEventListener("change", () => figure.moved(this, true));
    this.input.addEventListener("keydown", (event) => this.pageKey(event, figure));
  }

  set(wire) {
    this.options = Array.from(wire.options);
    this.serverIndex = Number(wire.index);
    this.pageStep = Math.max(1, Number(wire.pageStep || 1));
    this.label.textContent = wire.label;
    if (wire.help) this.input.title = wire.help;
    else this.input.removeAttribute("title");
    this.input.max = String(this.options.length - 1);
  }

  show(index) {
    this.index = index;
    this.input.value = String(index);
    const text = String(this.options[index]);
    this.input.setAttribute("aria-valuetext", text);
    this.readout.textContent = text;
  }

  // PageUp/PageDown step by the page step the server made patches for; the other keys are the range input's own.
  pageKey(event, figure) {
    if (event.key !== "PageUp" && event.key !== "PageDown") return;
    event.preventDefault();
    const step = event.key === "PageUp" ? this.pageStep : -this.pageStep;
    this.input.value = String(Math.min(this.options.length - 1, Math.max(0, Number(this.input.value) + step)));
    figure.moved(this, true);
  }
}

class ChartView {
  constructor(figure, parent, name) {
    this.name = name;
    this.wrap = element("div", "if-part", parent);
    this.wrap.dataset.name = name;
    this.downloads = element("div", "if-downloads", this.wrap);  // above the chart, which a legend may overhang
    this.box = element("div", "if-box", this.wrap);  // the figure's height, which the responsive chart fills
    this.chart = element("div", "if-chart", this.box);
    this.chart.dataset.name = name;
    this.chart.setAttribute("role", "img");
    this.version = 0;
  }

  set(wire) {
    const text = JSON.stringify(wire.figure);
    if (text !== this.figureText) {
      this.figureText = text;
      this.base = wire.figure;
      this.version += 1;
    }
    this.chart.setAttribute("aria-label", wire.description || wire.name);
    this.buildDownloads(wire.downloads || null);
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
      button.setAttribute("aria-label", `${label} of ${this.name}`);
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

  dim(on) {
    this.chart.style.opacity = on ? DIM_OPACITY : "";
  }

  // Draw `figure` (the server's, or a patch's); `shown` and `source` are written on the chart once it is drawn.
  async draw(Plotly, figure, shown, source) {
    this.Plotly = Plotly;
    // plotly.js decodes and annotates the objects it is given: each drawing gets its own copy.
    const { data, layout } = structuredClone(figure);
    this.box.style.height = `${layout.height || 450}px`;
    await Plotly.react(this.chart, data, layout, { responsive: true, ...this.config });
    this.drawn = `${this.version}|${shown}`;
    this.chart.dataset.shown = shown;
    this.chart.dataset.source = source;
    this.dim(false);
  }
}

class InteractiveFigure {
  constructor({ parentElement }) {
    this.sequence = new Sequence();
    this.root = element("div", "if-root", parentElement);
    this.slidersBox = element("div", "if-sliders", this.root);
    this.chartsBox = element("div", "if-charts", this.root);
    this.sliders = new Map();
    this.charts = new Map();
    this.ids = 0;
    this.token = 0;
    this.drawing = Promise.resolve();
  }

  update({ data, setStateValue }) {
    this.send = setStateValue;
    const hidden = new Set(Array.from(data.hidden || []));
    const config = parsed(data.config, {});
    this.sync(this.sliders, parsed(data.sliders, []), (w) => new SliderView(this, this.slidersBox, w.name, this.ids++));
    this.sync(this.charts, parsed(data.charts, []), (w) => new ChartView(this, this.chartsBox, w.name));
    for (const chart of this.charts.values()) {
      chart.config = config;
      chart.wrap.hidden = hidden.has(chart.name);
    }
    for (const slider of this.sliders.values()) slider.row.hidden = hidden.has(slider.name);
    const columns = Math.max(1, Number(data.columns || 1));  // one: a plain block, as the one-chart figure was
    this.chartsBox.classList.toggle("if-grid", columns > 1);
    this.chartsBox.style.gridTemplateColumns = columns > 1 ? `repeat(${columns}, minmax(0, 1fr))` : "";
    const patches = parsed(data.patches, {});
    this.patches = new Map(Object.entries(patches).map(([name, list]) => [name, new Map(list.map((p) => [Number(p.value), p.charts]))]));
    // Until the page has applied the last move sent, this data predates it: the sliders stay where they were moved.
    const settled = this.sequence.settled(data.appliedSeq);
    for (const slider of this.sliders.values()) {
      if (settled || slider.index === undefined) slider.sent = slider.serverIndex;
      slider.show(settled || slider.index === undefined ? slider.serverIndex : slider.index);
    }
    this.render();
  }

  // Keep the views of `wires` (by name, in their order), making new ones with `make` and dropping the rest.
  sync(views, wires, make) {
    const names = new Set(wires.map((w) => w.name));
    for (const [name, view] of views) {
      if (!names.has(name)) { (view.row || view.wrap).remove(); views.delete(name); }
    }
    for (const wire of wires) {
      if (!views.has(wire.name)) views.set(wire.name, make(wire));
      views.get(wire.name).set(wire);
    }
    // In the data's order, moved only when it is not: a moved element loses focus (a slider in mid-press) and
    // its chart a layout.
    const order = wires.map((w) => views.get(w.name)).map((v) => v.row || v.wrap);
    const box = order.length ? order[0].parentElement : null;
    if (box && order.some((el, i) => box.children[i] !== el)) for (const el of order) box.appendChild(el);
  }

  moved(slider, commit) {
    const index = Number(slider.input.value);
    if (index !== slider.index) {
      slider.show(index);
      this.render();
    }
    if (commit && index !== slider.sent) {
      slider.sent = index;
      const indices = Object.fromEntries([...this.sliders.values()].map((s) => [s.name, s.index]));
      this.send("value", { slider: slider.name, index, indices, seq: this.sequence.next() });
    }
  }

  // What the charts show for the sliders' positions: the server's figures where every slider is at the server's
  // index; one slider elsewhere, its patch there (none: dimmed until the server answers); two, dimmed.
  render() {
    const sliders = [...this.sliders.values()];
    const shown = sliders.map((s) => s.index).join(",");
    const away = sliders.filter((s) => s.index !== s.serverIndex);
    let patch = {};
    if (away.length === 1) patch = this.patches.get(away[0].name)?.get(away[0].index) || null;
    else if (away.length > 1) patch = null;
    const source = away.length ? "patch" : "server";
    const token = (this.token += 1);
    const charts = [...this.charts.values()];
    for (const chart of charts) if (!patch || chart.drawn !== `${chart.version}|${shown}`) chart.dim(!patch);
    if (!patch) return;
    // One chart per task, the next after the browser has painted: each is on screen as soon as it is ready.
    this.drawing = this.drawing.then(() => plotly()).then(async (Plotly) => {
      let first = true;
      for (const chart of charts) {
        if (chart.drawn === `${chart.version}|${shown}` || chart.wrap.hidden) continue;  // a hidden one: once shown
        // After the last chart no frame is waited for: the next move's drawing would wait for it.
        if (!first) await nextFrame();
        first = false;
        if (token !== this.token) return;  // a later move's figures are due instead
        const figure = away.length ? patched(chart.base, patch[chart.name] || {}) : chart.base;
        await chart.draw(Plotly, figure, shown, source);
      }
    }).catch((error) => {
      for (const chart of charts) {
        chart.dim(true);
        chart.chart.dataset.error = String(error && error.message ? error.message : error);
      }
    });
  }

  dispose() {
    this.token += 1;
    for (const chart of this.charts.values()) if (chart.Plotly) chart.Plotly.purge(chart.chart);
  }
}

export default function (component) {
  return mounted(component, (c) => new InteractiveFigure(c));
}
