/* pillole: reader controls (bigger text, high contrast). No globals. */
(function () {
  "use strict";
  var root = document.documentElement;
  var box = document.querySelector(".reader-controls");
  if (!box) return;
  var prefs = {
    text: { cls: "text-large", key: "pillole-text" },
    contrast: { cls: "high-contrast", key: "pillole-contrast" }
  };
  function save(key, on) {
    try {
      if (on) localStorage.setItem(key, "1");
      else localStorage.removeItem(key);
    } catch (e) { /* storage blocked: the choice lasts for this page only */ }
  }
  var buttons = box.querySelectorAll("button[data-control]");
  Array.prototype.forEach.call(buttons, function (btn) {
    var p = prefs[btn.getAttribute("data-control")];
    if (!p) return;
    try {
      if (localStorage.getItem(p.key) === "1") root.classList.add(p.cls);
    } catch (e) { /* ignore */ }
    btn.setAttribute("aria-pressed", String(root.classList.contains(p.cls)));
    btn.addEventListener("click", function () {
      var on = root.classList.toggle(p.cls);
      btn.setAttribute("aria-pressed", String(on));
      save(p.key, on);
    });
  });
  box.hidden = false;
})();
