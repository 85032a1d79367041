// Draws the page's diagrams with mermaid's classic (non-module) build.
// A classic script loads from file:// as well as over HTTP, where a module
// script's import is refused; the SVG stays in the page, so it prints too.
(function () {
  "use strict";
  // Below this scale a diagram's 16 px labels fall under 10 px: the diagram
  // keeps this scale and its frame scrolls sideways instead.
  var MIN_SCALE = 0.65;

  function fit(pre) {
    var svg = pre.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var natural = svg.viewBox.baseVal.width;
    var available = pre.clientWidth;
    if (natural * MIN_SCALE > available) {
      svg.style.maxWidth = "none";
      svg.style.width = Math.ceil(natural * MIN_SCALE) + "px";
      pre.classList.add("mermaid-wide");
      // A scrolling frame must be reachable from the keyboard.
      pre.setAttribute("tabindex", "0");
      pre.setAttribute("role", "group");
      pre.setAttribute("aria-label", "Diagram (scroll sideways to see all of it)");
    }
    pre.setAttribute("data-drawn", "true");
  }

  function draw() {
    if (typeof mermaid === "undefined") return;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
    var pres = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
    mermaid.run({ nodes: pres }).then(function () {
      pres.forEach(fit);
    }, function (error) {
      console.error("A diagram could not be drawn:", error);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
