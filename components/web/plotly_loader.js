// The component's own plotly.js: the installed plotly package's bundle, served from this asset folder
// (components/interactive_figure.py puts it there) and evaluated once per page, as a CommonJS module so that it
// sets no global.

let loading = null;

export function plotly() {
  if (!loading) {
    const url = new URL("./plotly.min.js", import.meta.url);
    loading = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`plotly.js: HTTP ${response.status}`);
        return response.text();
      })
      .then((source) => {
        const module = { exports: {} };
        new Function("module", "exports", source)(module, module.exports);
        return module.exports;
      });
    loading.catch(() => { loading = null; });  // a failed load is tried again by the next figure
  }
  return loading;
}
