// PNG and SVG of the Plotly chart whose key this element is given (or of a figure given as Plotly JSON, which
// plotly.js draws off screen), drawn by plotly.js in the browser at slide size: the server has no renderer for
// Plotly (kaleido would need a headless Chrome of its own). Streamlit's chart bundle leaves plotly.js on
// `window.Plotly` once a chart has been drawn; should a later Streamlit stop doing that, the chart's own
// "Download plot" button is pointed at the format for one click instead (a figure given as JSON has none).
// Streamlit calls this again whenever `data` changes: the buttons are built once and read the latest data.

const FORMATS = [["png", "PNG"], ["svg", "SVG"]];

function chartFor(key) {
  return document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
}

// plotly.js saves a file by clicking an <a download> outside the menu, which Streamlit's popover takes for a
// click away and closes on (its own download buttons leave it open, ready for the next format). That one
// click stops at the window; the browser still follows the link.
function spareTheMenu(ms = 20000) {
  const stop = (event) => {
    const target = event.target;
    if (target instanceof HTMLAnchorElement && target.hasAttribute("download")) { event.stopPropagation(); done(); }
  };
  const done = () => window.removeEventListener("click", stop, true);
  window.addEventListener("click", stop, true);
  setTimeout(done, ms);
}

function viaModebar(gd, options) {
  const button = gd.querySelector('.modebar-btn[data-title^="Download plot"]') || gd.querySelector(".modebar-btn");
  if (!button || !gd._context) return Promise.reject(new Error("this chart has no Download plot button"));
  const saved = gd._context.toImageButtonOptions;
  gd._context.toImageButtonOptions = options;  // the button reads its options as it is clicked
  // After plotly.js's own handler, the click goes no further: outside the menu, it too would close it.
  button.addEventListener("click", (event) => event.stopPropagation(), { once: true });
  try { button.click(); } finally { gd._context.toImageButtonOptions = saved; }
  return Promise.resolve();
}

function download(gd, options) {
  const plotly = window.Plotly;
  return plotly && typeof plotly.downloadImage === "function" ? plotly.downloadImage(gd, options) : viaModebar(gd, options);
}

function build(root) {
  for (const [format, label] of FORMATS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fd-button";
    button.dataset.format = format;
    button.textContent = label;
    button.addEventListener("click", () => {
      const { chart, figure, filename, width, height, scale } = root.__data;
      const status = root.querySelector(".fd-status");
      // A figure the page draws in its own component comes as Plotly JSON, for plotly.js to draw off screen.
      const gd = figure ? JSON.parse(figure) : chartFor(chart);
      if (!gd) { status.textContent = "the chart is not on the page yet"; return; }
      if (figure && !(window.Plotly && window.Plotly.downloadImage)) { status.textContent = "plotly.js is not loaded"; return; }
      // Busy rather than disabled: a disabled button drops the keyboard focus.
      if (button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
      status.textContent = "";
      spareTheMenu();
      download(gd, { format, width, height, scale, filename })
        .catch((error) => { status.textContent = `no ${label}: ${error.message || error}`; })
        .finally(() => { button.removeAttribute("aria-busy"); });
    });
    root.appendChild(button);
  }
  const status = document.createElement("span");
  status.className = "fd-status";
  status.setAttribute("role", "status");
  root.appendChild(status);
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".fd-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "fd-root";
    build(root);
    parentElement.appendChild(root);
  }
  root.__data = data;
  for (const button of root.querySelectorAll(".fd-button")) {
    button.title = `Download the chart as ${button.dataset.format.toUpperCase()}, ${data.width * data.scale}×${data.height * data.scale}`;
  }
}
