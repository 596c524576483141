/* pillole: reading without internet. Starts the service worker (/sw.js),
   keeps a tutorial's print sheet when the tutorial is opened, adds "Salva per
   leggere senza internet" to tutorials and lists what is saved on the
   offline page. Without service workers nothing changes. No globals. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var manifest = document.querySelector('link[rel="manifest"]');
  if (!manifest) return;
  var prefix = new URL(manifest.href).pathname.replace(/\/manifest\.webmanifest$/, "");
  var SAVED = "pillole-salvate";
  navigator.serviceWorker.register(prefix + "/sw.js", { scope: prefix + "/" }).catch(function () {});

  var main = document.querySelector("main");
  if (!main) return;
  var sheet = main.querySelector('.tutorial .actions a[href$="/stampa/"]');
  var saveData = navigator.connection && navigator.connection.saveData;

  // A tutorial opened once can be printed without internet too.
  if (sheet && !saveData) {
    navigator.serviceWorker.ready.then(function () {
      return fetch(sheet.href, { credentials: "same-origin" });
    }).catch(function () {});
  }

  // "Salva per leggere senza internet": the page, its print sheet, its pictures.
  if (sheet) {
    var save = document.createElement("button");
    save.type = "button";
    save.className = "button button-secondary save-offline";
    save.textContent = "Salva per leggere senza internet";
    sheet.parentNode.appendChild(save);
    var done = function () {
      save.textContent = "Salvata: puoi leggerla senza internet";
      save.disabled = true;
    };
    caches.open(SAVED).then(function (c) { return c.match(location.pathname); }).then(function (hit) {
      if (hit) done();
    });
    save.addEventListener("click", function () {
      var files = [location.pathname, new URL(sheet.href).pathname];
      Array.prototype.forEach.call(main.querySelectorAll("img[src]"), function (img) {
        files.push(new URL(img.src, location.href).pathname);
      });
      save.disabled = true;
      caches.open(SAVED).then(function (c) { return c.addAll(files); }).then(done, function () {
        save.disabled = false;
        save.textContent = "Non sono riuscito a salvarla: riprova con internet";
      });
    });
  }

  // The offline page: what can be read now.
  var saved = main.querySelector(".saved");
  if (saved) {
    var list = saved.querySelector(".saved-list");
    var seen = {};
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("pillole-") === 0; }).map(function (n) {
        return caches.open(n).then(function (c) {
          return c.keys().then(function (reqs) {
            return Promise.all(reqs.map(function (req) {
              var path = new URL(req.url).pathname;
              if (seen[path] || !/\/$/.test(path) || /\/(offline|stampa|locandina)\/$/.test(path)) return null;
              seen[path] = true;
              return c.match(req).then(function (res) { return res.text(); }).then(function (html) {
                var title = new DOMParser().parseFromString(html, "text/html").querySelector("main h1");
                return title ? { path: path, title: title.textContent.trim() } : null;
              });
            }));
          });
        });
      }));
    }).then(function (groups) {
      var pages = [].concat.apply([], groups).filter(Boolean);
      pages.sort(function (a, b) { return a.title.localeCompare(b.title, "it"); });
      pages.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = p.path;
        a.textContent = p.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      saved.hidden = pages.length === 0;
    }).catch(function () {});
  }
})();
