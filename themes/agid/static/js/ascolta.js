/* pillole: "Ascolta" reads a tutorial step, a diary entry or an event aloud
   with the browser's own speech synthesis, in the page's language; "Un passo
   alla volta" shows a tutorial one step per screen. Each appears only where
   the browser can do it; without JavaScript the page is as it was. No globals. */
(function () {
  "use strict";
  var main = document.querySelector("main");
  if (!main) return;
  var lang = document.documentElement.lang || "it";
  var steps = Array.prototype.slice.call(main.querySelectorAll("ol.steps > li.step"));

  function button(label, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button-secondary " + cls;
    b.textContent = label;
    return b;
  }

  /* The text of `el` as it reads, without the controls added here. */
  function textOf(el) {
    var copy = el.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".speak, .actions, script, style, [aria-hidden=true]"), function (x) {
      x.remove();
    });
    // A pause wherever the eye sees one: after titles, paragraphs, items, line breaks.
    Array.prototype.forEach.call(copy.querySelectorAll("h1, h2, h3, p, li, dt, dd, .step-num"), function (x) {
      x.append(". ");
    });
    Array.prototype.forEach.call(copy.querySelectorAll("br"), function (x) {
      x.replaceWith(". ");
    });
    return copy.textContent.replace(/\s+/g, " ").replace(/(\.\s*){2,}/g, ". ").replace(/([:!?])\s*\.\s/g, "$1 ").trim();
  }

  // ------------------------------------------------------------ Ascolta
  var synth = window.speechSynthesis;
  if (synth && typeof window.SpeechSynthesisUtterance === "function") {
    var current = null; // { box, play, pause }

    var voice = function () {
      var voices = synth.getVoices() || [];
      for (var i = 0; i < voices.length; i++) {
        if ((voices[i].lang || "").toLowerCase().indexOf(lang.toLowerCase()) === 0) return voices[i];
      }
      return null;
    };

    var reset = function () {
      if (!current) return;
      current.box.classList.remove("reading");
      current.play.textContent = "Ascolta";
      current.play.setAttribute("aria-pressed", "false");
      current.pause.hidden = true;
      current.pause.textContent = "Pausa";
      current = null;
    };

    var addSpeaker = function (box, source, after) {
      var group = document.createElement("div");
      group.className = "speak";
      var play = button("Ascolta", "speak-play");
      play.setAttribute("aria-pressed", "false");
      var pause = button("Pausa", "speak-pause");
      pause.hidden = true;
      group.appendChild(play);
      group.appendChild(pause);
      after.insertAdjacentElement("afterend", group);
      play.addEventListener("click", function () {
        var mine = current && current.box === box;
        synth.cancel();
        reset();
        if (mine) return; // it was reading: "Ferma" stops it
        var u = new window.SpeechSynthesisUtterance(textOf(source));
        u.lang = lang;
        var v = voice();
        if (v) u.voice = v;
        current = { box: box, play: play, pause: pause };
        u.onend = u.onerror = function () {
          if (current && current.box === box) reset();
        };
        box.classList.add("reading");
        play.textContent = "Ferma";
        play.setAttribute("aria-pressed", "true");
        pause.hidden = false;
        synth.speak(u);
      });
      pause.addEventListener("click", function () {
        if (synth.paused) {
          synth.resume();
          pause.textContent = "Pausa";
        } else {
          synth.pause();
          pause.textContent = "Riprendi";
        }
      });
    };

    if (steps.length) {
      steps.forEach(function (li) {
        var h = li.querySelector("h2");
        if (h) addSpeaker(li, li, h);
      });
    } else {
      var article = main.querySelector("article.diary, article.event");
      var h1 = article && article.querySelector("h1");
      if (h1) addSpeaker(article, article, h1);
    }
  }

  // --------------------------------------------------- Un passo alla volta
  if (steps.length > 1) {
    var list = steps[0].parentNode;
    var at = 0;
    var on = false;
    var toggle = button("Un passo alla volta", "one-step-toggle");
    toggle.setAttribute("aria-pressed", "false");
    var actions = main.querySelector(".tutorial .actions");
    if (actions) actions.appendChild(toggle);
    else list.insertAdjacentElement("beforebegin", toggle);

    var bar = document.createElement("div");
    bar.className = "one-step-bar";
    bar.hidden = true;
    var back = button("Indietro", "one-step-back");
    var next = button("Avanti", "one-step-next");
    var count = document.createElement("p");
    count.className = "one-step-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(back);
    bar.appendChild(count);
    bar.appendChild(next);
    list.insertAdjacentElement("afterend", bar);

    var show = function (i, focus) {
      at = Math.max(0, Math.min(steps.length - 1, i));
      steps.forEach(function (li, k) {
        li.hidden = on && k !== at;
      });
      back.disabled = at === 0;
      next.disabled = at === steps.length - 1;
      count.textContent = on ? "Passo " + (at + 1) + " di " + steps.length : "";
      if (on && focus) {
        var h = steps[at].querySelector("h2");
        if (h) {
          h.setAttribute("tabindex", "-1");
          h.focus();
        }
      }
    };
    toggle.addEventListener("click", function () {
      on = !on;
      toggle.setAttribute("aria-pressed", String(on));
      toggle.textContent = on ? "Mostra tutti i passi" : "Un passo alla volta";
      bar.hidden = !on;
      document.documentElement.classList.toggle("one-step", on);
      show(0, on);
    });
    back.addEventListener("click", function () { show(at - 1, false); });
    next.addEventListener("click", function () { show(at + 1, false); });
    document.addEventListener("keydown", function (e) {
      if (!on || e.altKey || e.ctrlKey || e.metaKey) return;
      var t = e.target && e.target.tagName;
      if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return;
      if (e.key === "ArrowRight") { show(at + 1, true); e.preventDefault(); }
      if (e.key === "ArrowLeft") { show(at - 1, true); e.preventDefault(); }
    });
  }
})();
