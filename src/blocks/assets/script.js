// Haven conversation scripts: the copy button. Progressive enhancement: the button stays hidden
// unless this script runs, and copies the script's plain text (kept in a <template>).
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  function setUp(script) {
    var button = script.querySelector(".haven-script-copy");
    var status = script.querySelector(".haven-script-status");
    var plain = script.querySelector("template.haven-script-plain");
    if (!button || !status || !plain) { return; }
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = plain.content ? plain.content.textContent : plain.textContent;
      copyText(text).then(function () {
        status.textContent = button.getAttribute("data-copied") || "";
        script.dispatchEvent(new CustomEvent("haven:copied", { bubbles: true, detail: { text: text } }));
      }, function () {
        status.textContent = button.getAttribute("data-failed") || "";
      });
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = ""; }, 5000);
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-haven-script]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
