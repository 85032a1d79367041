// Tell RequireJS where the widget manager's own files are (this folder), so the
// fonts and chunks it loads resolve here on every page, at any depth, instead
// of relative to the page or to a CDN.
(function () {
  var src = document.currentScript && document.currentScript.src;
  if (!src || typeof require === "undefined") { return; }
  var base = src.slice(0, src.lastIndexOf("/"));
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": base } });
})();

// The widget manager typesets a widget's label with MathJax 2's
// `MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])`; the book runs
// MathJax 3, which has no Hub, so every labelled widget logged "Cannot read
// properties of undefined (reading 'Queue')". Give each MathJax object (the
// configuration first, then MathJax 3 itself when it replaces it) a Hub whose
// Queue typesets the element with MathJax 3, once MathJax has started.
(function () {
  function typesetLater(job) {
    var element = job && job[2];
    var mathjax = window.MathJax;
    if (!mathjax || !mathjax.startup || !mathjax.startup.promise || !mathjax.typesetPromise) {
      return; // MathJax has not started: it typesets the whole page when it does.
    }
    mathjax.startup.promise
      .then(function () { return mathjax.typesetPromise(element ? [element] : undefined); })
      .catch(function (error) { console.warn("MathJax could not typeset a widget label:", error); });
  }
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      Object.defineProperty(value, "Hub", { value: { Queue: typesetLater }, enumerable: false });
    }
    return value;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();
