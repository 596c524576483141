/* pillole: the menu open on wide screens, and the reader controls (bigger
   text, high contrast) under "Aspetto". No globals. */
(function () {
  "use strict";
  var root = document.documentElement;
  // Wide screens show the menu open (CSS shows it even without JavaScript).
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 48em)");
    var follow = function () { menu.open = wide.matches; };
    follow();
    if (wide.addEventListener) wide.addEventListener("change", follow);
  }
  var box = document.querySelector("details.appearance");
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
