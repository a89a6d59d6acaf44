// PNG and SVG of a figure at slide size, made by the component's own plotly.js from the figure's JSON (drawn off
// screen): the server has no renderer for Plotly (kaleido would need a headless Chrome of its own). The page
// sends the figure only while its download menu is open (components/figure_view.py).
// The file is saved through a link of this component's own, so the click stays inside the menu and leaves it
// open for the next format.

import { mounted, parsed } from "./lifecycle.js";
import { plotly } from "./plotly_loader.js";

const FORMATS = [["png", "PNG", "image/png"], ["svg", "SVG", "image/svg+xml"]];

function element(tag, className, parent) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (parent) parent.appendChild(el);
  return el;
}

// toImage's `imageDataOnly`: the SVG as text, a PNG as base64.
function asBlob(image, format, mime) {
  if (format === "svg") return new Blob([image], { type: mime });
  const bytes = Uint8Array.from(atob(image), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: mime });
}

class FigureImages {
  constructor({ parentElement }) {
    this.root = element("div", "fi-root", parentElement);
    this.buttons = FORMATS.map(([format, label, mime]) => {
      const button = element("button", "fi-button", this.root);
      button.type = "button";
      button.dataset.format = format;
      button.textContent = label;
      button.addEventListener("click", () => this.download(button, format, label, mime));
      return button;
    });
    this.status = element("span", "fi-status", this.root);
    this.status.setAttribute("role", "status");
  }

  update({ data }) {
    this.options = data;
    for (const button of this.buttons) {
      button.title = `Download the chart as ${button.textContent}, ${data.width * data.scale}×${data.height * data.scale}`;
    }
  }

  async download(button, format, label, mime) {
    if (button.getAttribute("aria-busy") === "true") return;  // busy rather than disabled: keeps the focus
    button.setAttribute("aria-busy", "true");
    this.status.textContent = "";
    const { figure, filename, width, height, scale } = this.options;
    try {
      const Plotly = await plotly();
      const { data, layout } = parsed(figure, { data: [], layout: {} });
      const image = await Plotly.toImage({ data, layout, config: { displayModeBar: false } },
                                         { format, width, height, scale, imageDataOnly: true });
      const link = element("a");
      link.href = URL.createObjectURL(asBlob(image, format, mime));
      link.download = `${filename}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
    } catch (error) {
      this.status.textContent = `no ${label}: ${error && error.message ? error.message : error}`;
    } finally {
      button.removeAttribute("aria-busy");
    }
  }
}

export default function (component) {
  return mounted(component, (c) => new FigureImages(c));
}
