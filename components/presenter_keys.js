// Presenter mode's keyboard and the scene's answer. Each talk key becomes a command for Python; the browser alone
// does F (the scene's figure full screen), A (reveal the answer) and ↓ ↑ Home End (scroll).
// Streamlit calls this again whenever `data` changes, so the one listener lives on `window` and is replaced, never
// stacked. Keys typed into a field, or a slider's own keys on a focused slider, are left alone.

const COMMANDS = { " ": "toggle", ArrowRight: "next", ArrowLeft: "previous", r: "reset", R: "reset", Escape: "leave",
                   PageDown: "next", PageUp: "previous" };  // a clicker sends PageUp/PageDown

// Keys a focused slider uses itself (Streamlit's, the vector editor's bars, the KL canvas's handles).
const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End",
                             "0", "Delete", "Backspace"]);
const SCROLL_KEYS = { ArrowDown: 0.4, ArrowUp: -0.4, Home: -Infinity, End: Infinity };
const NUMBER_WAIT_MS = 700;  // a second digit within this makes scene 10 and up

// Whether `key` pressed on `target` belongs to the element rather than to the talk.
function typing(target, key) {
  if (!target || !(target instanceof Element)) return false;
  const tag = target.tagName;
  if (tag === "INPUT" && target.type === "range") return SLIDER_KEYS.has(key);
  if (tag === "INPUT" && (target.type === "checkbox" || target.type === "radio")) return SLIDER_KEYS.has(key);
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
  if (target.closest('[role="listbox"], [role="combobox"], [role="menu"], [role="radiogroup"]')) {
    return SLIDER_KEYS.has(key) || key === " ";
  }
  return !!target.closest('[role="slider"]') && SLIDER_KEYS.has(key);
}

// The figure F shows full screen: the scene's own (its first declared element), else the one under the pointer or
// holding focus, else the first on the page. A figure is found by the key the app gave its element (`st-key-<key>`,
// public for a keyed element or container) around what it draws: a Plotly chart, a picture, or one of this app's
// components (whose roots sit in a shadow root). The page is what the main scroll region holds, this bar included.
const KEYED = "[class*='st-key-']";
const DRAWN = ".js-plotly-plot, img";
const OWN_ROOTS = ".if-root, .dc-root, .ve-root";

function visible(el) {
  return !!el && el.getClientRects().length > 0;
}

// The keyed element that is a figure, if `el` is one: it draws a chart or picture, or hosts one of our components.
function isFigure(el) {
  if (!(el instanceof Element) || !el.matches(KEYED)) return false;
  if (el.querySelector(DRAWN)) return true;
  for (const node of el.querySelectorAll("*")) if (node.shadowRoot && node.shadowRoot.querySelector(OWN_ROOTS)) return true;
  return false;
}

// The nearest ancestor that may scroll vertically: the main area this bar is drawn in, found from its own element.
function scrollRegion(from) {
  let el = from;
  while (el) {
    if (el instanceof ShadowRoot) { el = el.host; continue; }  // a component's own element may be its shadow root
    if (!(el instanceof Element)) break;
    const overflow = getComputedStyle(el).overflowY;
    if (overflow === "auto" || overflow === "scroll") return el;
    el = el.parentElement || el.getRootNode();
  }
  return document.scrollingElement;
}

function figureFor(event, sceneFigure, page) {
  if (sceneFigure) {
    const own = page.querySelector(`.st-key-${CSS.escape(sceneFigure)}`);
    if (visible(own)) return own;
  }
  for (const node of (event.composedPath ? event.composedPath() : [event.target])) {
    if (node instanceof Element && page.contains(node) && isFigure(node)) return node;  // innermost first
  }
  // The first on the page: a keyed container around several figures is not one of them.
  const figures = [...page.querySelectorAll(KEYED)].filter((el) => visible(el) && isFigure(el));
  return figures.find((el) => !figures.some((inner) => inner !== el && el.contains(inner))) || null;
}

// Full screen: the figure keeps the layout it was drawn at and is scaled to fill the screen, as a slide would be.
function enlarge(figure) {
  const inner = figure.firstElementChild || figure;
  const width = inner.offsetWidth, height = inner.offsetHeight;  // its size on the page
  if (!width || !height) return;
  inner.style.width = `${width}px`;
  figure.requestFullscreen().then(() => {
    const pad = 32;
    const scale = Math.min((window.innerWidth - 2 * pad) / width, (window.innerHeight - 2 * pad) / height);
    Object.assign(inner.style, { transform: `scale(${scale})`, transformOrigin: "0 0",
                                 marginLeft: `${Math.max(0, (window.innerWidth - 2 * pad - width * scale) / 2)}px` });
    document.addEventListener("fullscreenchange", () => {
      Object.assign(inner.style, { transform: "", transformOrigin: "", marginLeft: "", width: "" });
    }, { once: true });
  }).catch(() => { inner.style.width = ""; });
}

function scroll(main, amount) {
  if (amount === Infinity || amount === -Infinity) main.scrollTo({ top: amount > 0 ? main.scrollHeight : 0 });
  else main.scrollBy({ top: amount * main.clientHeight });
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

// The scene's bar: its answer behind a button, and the keys. The answer is the browser's alone: A or a click shows
// it at once, and a new scene starts with it closed.
function drawBar(root, data) {
  let bar = root.querySelector(".bar");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "bar";
    bar.innerHTML = '<button type="button" aria-expanded="false" aria-controls="answer"></button>'
                  + '<span class="hint"></span><p id="answer" class="answer" aria-live="polite"></p>';
    root.appendChild(bar);
  }
  const scene = data && data.scene;
  const button = bar.querySelector("button"), answer = bar.querySelector(".answer");
  bar.querySelector(".hint").textContent = (data && data.hint) || "";
  button.hidden = !(scene && scene.reveal);
  const open = !!scene && window.__saeRevealed === scene.slug;
  button.setAttribute("aria-expanded", String(open));
  button.replaceChildren(open ? "Hide the answer " : "Reveal the answer ");
  const kbd = document.createElement("kbd");
  kbd.textContent = "A";
  button.append(kbd);
  answer.textContent = open ? scene.reveal : "";
  answer.hidden = !open;
  if (button.hidden) return null;
  const toggle = () => {
    window.__saeRevealed = window.__saeRevealed === scene.slug ? null : scene.slug;
    drawBar(root, data);
  };
  button.onclick = () => { toggle(); button.blur(); };  // focus back to the slide: Space plays again
  return toggle;
}

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  const q = keys();
  q.send = setTriggerValue;
  const done = data && Number.isFinite(data.done) ? data.done : 0;
  q.pending = q.pending.filter((c) => c.n > done);
  if (q.inFlight !== null && q.inFlight <= done) q.inFlight = null;
  pump(q, setTriggerValue);
  const slug = data && data.scene ? data.scene.slug : null;
  if (window.__saeRevealed && window.__saeRevealed !== slug) window.__saeRevealed = null;  // a scene change closes it
  const reveal = drawBar(parentElement, data);
  const count = data && Number.isFinite(data.count) ? data.count : 0;
  const send = (name) => {
    q.sent = Math.max(q.sent, done) + 1;
    q.pending.push({ name, n: q.sent, at: Date.now() });
    pump(q, q.send);
  };
  if (window.__saePresenterKeys) window.removeEventListener("keydown", window.__saePresenterKeys, true);
  const handler = (event) => {
    // A key inside a component's shadow root reaches `window` retargeted to the component's host: ask the element
    // that really has focus (the vector editor's bars are sliders too).
    const origin = event.composedPath ? event.composedPath()[0] : event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(origin, event.key)) return;
    const claim = () => { event.preventDefault(); event.stopImmediatePropagation(); };
    if (event.key === "f" || event.key === "F") {
      claim();
      if (document.fullscreenElement) { document.exitFullscreen(); return; }
      const figure = figureFor(event, data && data.figure, scrollRegion(parentElement));
      if (figure && figure.requestFullscreen) enlarge(figure);
      return;
    }
    if ((event.key === "a" || event.key === "A") && reveal) { claim(); reveal(); return; }
    if (event.key in SCROLL_KEYS) { claim(); scroll(scrollRegion(parentElement), SCROLL_KEYS[event.key]); return; }
    if (/^[0-9]$/.test(event.key)) {
      claim();
      const digits = (window.__saeSceneDigits || "") + event.key;
      clearTimeout(window.__saeSceneTimer);
      // Wait for a second digit only while one could still name a scene of this talk.
      if (Number(digits) * 10 > count || digits.length > 1) {
        window.__saeSceneDigits = "";
        if (Number(digits) >= 1) send("scene" + Number(digits));
      } else {
        window.__saeSceneDigits = digits;
        window.__saeSceneTimer = setTimeout(() => {
          window.__saeSceneDigits = "";
          if (Number(digits) >= 1) send("scene" + Number(digits));
        }, NUMBER_WAIT_MS);
      }
      return;
    }
    const command = COMMANDS[event.key];
    if (!command) return;
    // Esc first leaves full screen (browsers do that themselves, some without telling the page); only a second Esc
    // leaves presenter mode.
    if (command === "leave" && document.fullscreenElement) { claim(); document.exitFullscreen().catch(() => {}); return; }
    claim();  // Space on a focused button would press it as well: the talk's Space is play/pause, wherever focus is
    send(command);
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
