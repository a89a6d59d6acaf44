// Shows a page's charts at a slider's new position the moment the slider gets there: the server made those
// figures ahead as frames (app_core/figures/frames.py), so a key press or a drag is answered in the browser,
// and the server's rerun then mounts the same figure for real. Where a frame might not be exactly what the server
// will draw, the charts are dimmed until it answers instead: a position with no frame; a chart the server has
// redrawn since the frames came (they are patches to the chart they were made against); another control moved
// meanwhile (the frames hold its old value), a slider of the same group included (its position is checked, not
// only its events: those can reach the page before this data, which was made before them).
//
// Several previews may draw the same chart (each slider of a group has one): the last slider moved owns the
// charts, and a painting begun for another stops there.
//
// Streamlit's slider (react-aria) fires no input event on a key press, but it sets its range input's `value`
// attribute at once, so that is what is watched. Streamlit calls this function again with each rerun's data;
// the watcher is re-attached each time (the slider's element can be replaced) and never stacked.

const DIM_OPACITY = "0.45";

function near(a, b) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

function chartFor(key) {
  return document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
}

function sliderFor(key) {
  return document.querySelector(`.st-key-${CSS.escape(key)}`);
}

function merged(obj, changes) {
  const out = { ...obj, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === null) delete out[k];
  return out;
}

// The chart as the server drew it, kept the first time it is previewed: every frame is a patch to that, and
// the current position's (empty) frame puts it back.
function original(gd) {
  if (!gd.__spOriginal) gd.__spOriginal = { data: gd.data.map((t) => ({ ...t })), layout: { ...gd.layout } };
  return gd.__spOriginal;
}

// Streamlit's Plotly theme draws every chart's title bold, wrapping its text in <b> as it mounts the chart
// (streamlit 1.67, PlotlyChart): a frame's title, straight from the figure, gets the same.
function asStreamlitDraws(layout) {
  const title = layout.title;
  if (!title || typeof title !== "object") return layout;
  return { ...layout, title: { ...title, text: `<b>${typeof title.text === "string" ? title.text : ""}</b>` } };
}

// The chart's size is the page's (Streamlit's full-screen view sets its own), never a frame's.
const SIZE_KEYS = ["width", "height"];

function show(gd, patch) {
  const base = original(gd);
  const changes = patch.data || {};
  const data = patch.traces ? patch.traces : base.data.map((t, i) => (changes[i] ? merged(t, changes[i]) : t));
  const layout = { ...(patch.layout || {}) };
  for (const key of SIZE_KEYS) delete layout[key];
  return window.Plotly.react(gd, data, merged(base.layout, asStreamlitDraws(layout)));
}

function dim(gd, on) {
  const box = gd.closest(".stPlotlyChart") || gd;
  box.style.opacity = on ? DIM_OPACITY : "";
  box.style.transition = "opacity 120ms";
}

// Keys that move no control: pressing them elsewhere leaves the frames as good as they were.
const QUIET_KEYS = new Set(["Tab", "Shift", "Control", "Alt", "Meta", "CapsLock"]);

class Preview {
  constructor() {
    this.observer = new MutationObserver(() => this.onSlider());
    this.watched = null;
    this.token = 0;
    this.onInput = (event) => this.noteInput(event);
    document.addEventListener("pointerdown", this.onInput, true);
    document.addEventListener("keydown", this.onInput, true);
  }

  setData(data) {
    this.slider = data.slider;
    this.charts = Array.from(data.charts || []);
    this.unaffectedBy = Array.from(data.unaffectedBy || []);
    this.current = Number(data.current);
    this.assumes = Object.entries(typeof data.assumes === "string" ? JSON.parse(data.assumes) : data.assumes || {});
    // The glue sends nested values as JSON text (components/component_data.py: so Streamlit loads no pandas).
    this.frames = typeof data.frames === "string" ? JSON.parse(data.frames) : data.frames || [];
    this.token += 1;  // a painting of the last data's frames stops here
    // This data comes last in its rerun, after the charts it was made against: those are on the page now, or
    // (plotly.js still loading, on a first visit) the next ones to be drawn there.
    this.bases = new Map(this.charts.map((key) => [key, chartFor(key)]));
    this.movedElsewhere = false;
    this.shown = this.current;
    // The rerun that sent this drew the server's charts: a chart this preview dimmed waits no longer, even one
    // dimmed when the rerun moved the slider itself (a click on a chart, a scene, Back) and Streamlit kept the
    // chart's element. A chart another slider's move holds is that preview's to let go of.
    for (const key of this.charts) {
      const gd = chartFor(key);
      const claim = gd && gd.__spClaim;
      if (gd && (!claim || claim.owner === this || claim.owner.disposed)) { gd.__spClaim = null; dim(gd, false); }
    }
    this.watch();
    this.onSlider();  // the slider may have moved on while this data was on its way
  }

  watch() {
    const box = sliderFor(this.slider);
    if (box === this.watched) return;
    this.observer.disconnect();
    this.watched = box;
    if (box) this.observer.observe(box, { subtree: true, attributes: true, attributeFilter: ["value", "aria-valuetext"] });
  }

  // A press or a key on another control (a widget, a chart, a component; a presenter's key changing the scene)
  // before the server answers: from then on these frames may hold that control's old value.
  noteInput(event) {
    if (event.type === "keydown" && QUIET_KEYS.has(event.key)) return;
    const path = event.composedPath ? event.composedPath() : [event.target];
    if (this.watched && path.includes(this.watched)) return;
    if (this.unaffectedBy.some((key) => { const box = sliderFor(key); return box && path.includes(box); })) return;
    const onControl = path.some((n) => n instanceof Element && n.matches('[data-testid="stElementContainer"]'));
    if (event.type === "keydown" || onControl) {
      this.movedElsewhere = true;
      this.token += 1;  // a painting under way stops: the rest of its charts wait, dimmed, for the server
    }
  }

  // The other sliders of the group are where the frames were made: each range input holds its assumed position.
  assumptionsHold() {
    return this.assumes.every(([key, position]) => {
      const input = sliderFor(key)?.querySelector("input[type=range]");
      return !input || near(Number(input.value), Number(position));
    });
  }

  frameAt(value) {
    if (near(value, this.current)) return { value, charts: {} };
    return this.frames.find((f) => near(f.value, value)) || null;
  }

  onSlider() {
    const input = this.watched && this.watched.querySelector("input[type=range]");
    if (!input) return;
    const value = Number(input.value);
    if (!Number.isFinite(value) || value === this.shown) return;
    this.shown = value;
    const frame = this.movedElsewhere || !this.assumptionsHold() ? null : this.frameAt(value);
    // Every chart waits dimmed until its frame is drawn, so none shows a position the slider has left. One chart
    // per task, the next after the browser has painted: each is on screen as soon as it is ready, instead of all
    // at once after the slowest (a contour plot takes Plotly 100–170 ms on a busy 2-core machine; a line 40).
    const claim = { owner: this };  // this move's: a later move of any slider drawing these charts takes them over
    for (const key of this.charts) {
      const gd = chartFor(key);
      if (gd) { gd.__spClaim = claim; dim(gd, true); }
    }
    const token = (this.token += 1);
    const next = (i) => {
      if (token !== this.token || i >= this.charts.length) return;
      this.showChart(this.charts[i], frame, value, claim);
      requestAnimationFrame(() => setTimeout(() => next(i + 1), 0));
    };
    next(0);
  }

  showChart(key, frame, value, claim) {
    const gd = chartFor(key);
    if (!gd || !gd.data || gd.__spClaim !== claim) return;  // not drawn yet (the server's chart is on its way), or another move's now
    const patch = frame ? frame.charts[key] || {} : null;  // {}: the chart as the server drew it
    if (!this.bases.get(key)) this.bases.set(key, gd);
    // A patch fits only the chart it was made against; a whole figure fits any.
    const fits = patch && (patch.traces || this.bases.get(key) === gd);
    if (!fits || !window.Plotly) return;  // stays dimmed
    try {
      Promise.resolve(show(gd, patch)).catch(() => { if (gd.__spClaim === claim) dim(gd, true); });
      gd.dataset.preview = String(value);
      dim(gd, false);
    } catch (err) {
      dim(gd, true);  // the server's figure is on its way; a failed preview only costs the head start
    }
  }

  dispose() {
    this.disposed = true;
    this.token += 1;
    this.observer.disconnect();
    document.removeEventListener("pointerdown", this.onInput, true);
    document.removeEventListener("keydown", this.onInput, true);
    this.watched = null;
  }
}

export default function (component) {
  const { data, parentElement } = component;
  // Nothing to see: its element takes no room on the page. How many frames it holds is written on it (tests).
  const host = parentElement.getRootNode().host;
  const container = host && host.closest('[data-testid="stElementContainer"]');
  if (!parentElement.__preview) parentElement.__preview = new Preview();
  const preview = parentElement.__preview;
  preview.setData(data);
  if (container) {
    container.style.display = "none";
    container.dataset.frames = String(preview.frames.length);
  }
  // Streamlit may call the cleanup before re-invoking us with new data, not only on unmount.
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected) return;
      preview.dispose();
      parentElement.__preview = null;
    }, 0);
  };
}
