// Haven glossary terms: a tap shows the definition first (a second tap follows the link to the
// glossary); Escape hides an open definition without moving focus; a tooltip near the right
// edge opens leftwards so it never makes the page scroll sideways.
(function () {
  "use strict";
  var lastPointer = "mouse";
  function terms() { return document.querySelectorAll(".haven-term"); }
  function closeAll(except) {
    Array.prototype.forEach.call(terms(), function (t) { if (t !== except) { t.classList.remove("is-open"); } });
  }
  function place(term) {
    var tip = term.querySelector(".haven-term-tip");
    if (!tip) { return; }
    tip.classList.remove("is-flipped");
    var rect = tip.getBoundingClientRect();
    if (rect.width && rect.right > document.documentElement.clientWidth) { tip.classList.add("is-flipped"); }
  }
  function init() {
    document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
    Array.prototype.forEach.call(terms(), function (term) {
      var link = term.querySelector(".haven-term-link");
      if (!link) { return; }
      link.addEventListener("click", function (e) {
        if (lastPointer === "touch" && !term.classList.contains("is-open")) {
          e.preventDefault();
          closeAll(term);
          term.classList.remove("is-dismissed");
          term.classList.add("is-open");
          place(term);
        }
      });
      link.addEventListener("focus", function () { term.classList.remove("is-dismissed"); place(term); });
      term.addEventListener("mouseenter", function () { term.classList.remove("is-dismissed"); place(term); });
      link.addEventListener("blur", function () { term.classList.remove("is-open"); });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") {
        Array.prototype.forEach.call(terms(), function (t) { t.classList.remove("is-open"); t.classList.add("is-dismissed"); });
      }
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".haven-term")) { closeAll(null); }
    });
    lastPointer = "mouse";
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
