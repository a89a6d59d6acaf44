// Presenter mode's slide scale: a scene is laid out for 1920×1080 and scaled to the screen in use — its type here
// (presenter.css reads the variable), its charts' height and type by Python, which this tells when it differs from
// what the charts on screen were drawn for. Drawn after the page, so the rerun it asks for never cuts a run short.
const SLIDE_WIDTH = 1920, SLIDE_HEIGHT = 1080;

function fit() {
  const told = window.__saeSlideScale;
  const scale = Math.round(100 * Math.min(window.innerWidth / SLIDE_WIDTH, window.innerHeight / SLIDE_HEIGHT)) / 100;
  document.documentElement.style.setProperty("--sae-slide-scale", String(scale));
  if (told && told.asked !== scale && told.drawnAt !== scale) { told.asked = scale; told.set("scale", scale); }
  // Whether the charts on screen were drawn for this scale (tests wait for it; a first visit reruns once).
  document.documentElement.dataset.slideSettled = String(!!told && told.drawnAt === scale);
}

export default function (component) {
  const drawnAt = component.data && Number.isFinite(component.data.scale) ? component.data.scale : 1;
  const before = window.__saeSlideScale;
  window.__saeSlideScale = { drawnAt, asked: before && before.asked, set: component.setStateValue };
  fit();
  if (!window.__saeSlideFitting) { window.__saeSlideFitting = true; window.addEventListener("resize", fit); }
}
