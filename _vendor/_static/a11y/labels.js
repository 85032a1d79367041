// Widget sliders are drawn in the browser by the widget manager; their handle
// (role="slider") carries no name, so a screen reader announces only a number.
// Name each handle after its widget's label, as widgets appear.
(function () {
  "use strict";
  function nameHandles(root) {
    var handles = (root.querySelectorAll ? root : document).querySelectorAll("[role=slider]:not([aria-label])");
    Array.prototype.forEach.call(handles, function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-inline-hbox");
      var label = widget && widget.querySelector(".widget-label, label");
      var text = label && label.textContent.trim();
      handle.setAttribute("aria-label", text || "slider");
    });
  }
  function start() {
    nameHandles(document);
    new MutationObserver(function () { nameHandles(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
