// Tell RequireJS where the widget manager's own files are (this folder), so the
// fonts and chunks it loads resolve here on every page, at any depth, instead
// of relative to the page or to a CDN.
(function () {
  var src = document.currentScript && document.currentScript.src;
  if (!src || typeof require === "undefined") { return; }
  var base = src.slice(0, src.lastIndexOf("/"));
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": base } });
})();
