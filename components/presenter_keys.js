// Presenter mode's keyboard: each key becomes a command for Python, except F (full screen), which is the
// browser's alone. Streamlit calls this again whenever `data` changes, so the one listener lives on `window`
// and is replaced, never stacked. Keys typed into a field, or a slider's own keys on a focused slider, are left alone.

const COMMANDS = { " ": "toggle", ArrowRight: "next", ArrowLeft: "previous", r: "reset", R: "reset",
                   Escape: "leave", PageDown: "next", PageUp: "previous" };  // a clicker sends PageUp/PageDown

// Keys a focused slider uses itself (Streamlit's, the vector editor's bars): those stay the slider's.
const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End",
                             "0", "Delete", "Backspace"]);

// Whether `key` pressed on `target` belongs to the element rather than to the talk.
function typing(target, key) {
  if (!target || !(target instanceof Element)) return false;
  const tag = target.tagName;
  if (tag === "INPUT" && target.type === "range") return SLIDER_KEYS.has(key);
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
  if (target.closest('[role="listbox"], [role="combobox"], [role="menu"]')) return true;
  return !!target.closest('[role="slider"]') && SLIDER_KEYS.has(key);
}

// The figure F shows full screen: the one under the pointer or holding focus, else the first on the page. A
// component's figure (the KL canvas, the vector editor) sits in a shadow root: its host's container is the one.
const FIGURES = ".stPlotlyChart, [data-testid='stImage'], .st-key-figure, .dc-root, .ve-root";
const HOSTS = "[data-testid='stElementContainer']";

function figureIn(path) {
  for (const node of path) {
    if (!(node instanceof Element)) continue;
    if (node.matches(FIGURES)) return node.matches(".dc-root, .ve-root") ? hostOf(node) : node;
  }
  return null;
}

function hostOf(node) {
  const host = node.getRootNode().host;
  return (host && host.closest(HOSTS)) || node;
}

function figureFor(event) {
  const near = figureIn(event.composedPath ? event.composedPath() : [event.target]);
  if (near) return near;
  for (const el of document.querySelectorAll(":hover")) {
    if (el.matches && el.matches(FIGURES)) return el;
    if (el.shadowRoot) { const inner = el.shadowRoot.querySelector(".dc-root:hover, .ve-root:hover"); if (inner) return hostOf(inner); }
  }
  for (const box of document.querySelectorAll(`[data-testid='stMain'] ${HOSTS}`)) {
    const figure = box.querySelector(FIGURES);
    if (figure) return figure;
    for (const el of box.querySelectorAll("*")) {
      if (el.shadowRoot && el.shadowRoot.querySelector(".dc-root, .ve-root")) return box;
    }
  }
  return null;
}

// Keys are queued and sent one at a time, each once Python has carried out the one before (`data.done`, the number
// of the last command it took): a second key sent while the first one's run was still going interrupted that run,
// and the first was lost (→ → advanced one scene). The queue and the count live on `window`, which outlives the
// component across reruns and page switches; an unanswered command is sent again (Python takes each number once).
const RESEND_MS = 1500;

function keys() {
  if (!window.__saePresenterQueue) window.__saePresenterQueue = { pending: [], sent: 0, inFlight: null, timer: null };
  return window.__saePresenterQueue;
}

function pump(q, setTriggerValue) {
  if (!q.pending.length) { q.inFlight = null; clearTimeout(q.timer); return; }
  const head = q.pending[0];
  if (q.inFlight === head.n) return;  // waiting for Python
  q.inFlight = head.n;
  setTriggerValue("command", head);
  clearTimeout(q.timer);
  q.timer = setTimeout(() => { if (q.inFlight === head.n) { q.inFlight = null; pump(q, q.send); } }, RESEND_MS);
}

export default function (component) {
  const { data, setTriggerValue } = component;
  const q = keys();
  q.send = setTriggerValue;
  const done = data && Number.isFinite(data.done) ? data.done : 0;
  q.pending = q.pending.filter((c) => c.n > done);
  if (q.inFlight !== null && q.inFlight <= done) q.inFlight = null;
  pump(q, setTriggerValue);
  if (window.__saePresenterKeys) window.removeEventListener("keydown", window.__saePresenterKeys, true);
  const handler = (event) => {
    // A key inside a component's shadow root reaches `window` retargeted to the component's host: ask the element
    // that really has focus (the vector editor's bars are sliders too).
    const origin = event.composedPath ? event.composedPath()[0] : event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(origin, event.key)) return;
    let command = COMMANDS[event.key];
    if (!command && /^[1-9]$/.test(event.key)) command = "scene" + event.key;
    if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (document.fullscreenElement) { document.exitFullscreen(); return; }
      const figure = figureFor(event);
      if (figure && figure.requestFullscreen) figure.requestFullscreen().catch(() => {});
      return;
    }
    if (!command) return;
    // Esc first leaves full screen (the browser does that itself); only a second Esc leaves presenter mode.
    if (command === "leave" && document.fullscreenElement) return;
    // Space on a focused button presses that button: let it.
    if (command === "toggle" && event.target instanceof Element && event.target.closest("button, a, summary")) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // R is also Streamlit's "rerun" shortcut
    q.sent = Math.max(q.sent, done) + 1;
    q.pending.push({ name: command, n: q.sent, at: Date.now() });
    pump(q, q.send);
  };
  window.__saePresenterKeys = handler;
  window.addEventListener("keydown", handler, true);
  document.documentElement.dataset.presenting = data && data.presenting ? "1" : "0";
  return () => {
    setTimeout(() => {
      if (window.__saePresenterKeys === handler && !component.parentElement.isConnected) {
        window.removeEventListener("keydown", handler, true);
        window.__saePresenterKeys = null;
      }
    }, 0);
  };
}
