// The components' own plotly.js: the installed plotly package's bundle, served from this asset folder
// (components/interactive_figure.py puts it there) and evaluated once per page, as a CommonJS module so that it
// sets no global of plotly's. Streamlit serves this folder under each component's name, so each component loads
// its own copy of this module: the one load they share is kept under a registered symbol.

const SHARED = Symbol.for("sae_playground.plotly");

export function plotly() {
  if (!globalThis[SHARED]) {
    const url = new URL("./plotly.min.js", import.meta.url);
    const loading = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`plotly.js: HTTP ${response.status}`);
        return response.text();
      })
      .then((source) => {
        const module = { exports: {} };
        new Function("module", "exports", source)(module, module.exports);
        return module.exports;
      });
    loading.catch(() => { if (globalThis[SHARED] === loading) globalThis[SHARED] = null; });  // tried again next time
    globalThis[SHARED] = loading;
  }
  return globalThis[SHARED];
}
