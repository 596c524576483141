/* pillole: reading without internet. Every page and file is asked of the
   network first and kept for when there is none; the site's shell (styles,
   fonts, scripts, home, tutorials, search and its index) is kept when the
   worker is installed. Without network, a page never opened shows the
   offline page. A new build with another shell replaces the old copies;
   pages saved by the reader ("Salva per leggere senza internet") stay. */
"use strict";
var VERSION = "__VERSION__";
var PREFIX = "__PREFIX__";
var CACHE = "pillole-" + VERSION;
var SAVED = "pillole-salvate";
var SHELL = __SHELL__;
// The search index is kept whole while it is small (a phone's data is dear).
var INDEX_FILES_MAX = 300;

function searchIndexFiles() {
  return fetch(PREFIX + "/cerca/indice.json").then(function (r) {
    return r.json();
  }).then(function (root) {
    var base = PREFIX + "/cerca/" + (root.p || "indice/");
    var files = [];
    (root.f || []).forEach(function (_, i) { files.push(base + "f" + i + ".json"); });
    (root.t || []).forEach(function (_, i) { files.push(base + "t" + i + ".json"); });
    for (var i = 0; i < (root.n || 0); i++) files.push(base + "d" + i + ".json");
    return files.length <= INDEX_FILES_MAX ? files : [];
  }).catch(function () { return []; });
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return c.addAll(SHELL).then(searchIndexFiles).then(function (files) { return c.addAll(files); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("pillole-") === 0 && k !== CACHE && k !== SAVED;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok && res.type === "basic") {
      var copy = res.clone();
      e.waitUntil(caches.open(CACHE).then(function (c) { return c.put(req, copy); }));
    }
    return res;
  }).catch(function () {
    return caches.match(req, { ignoreSearch: true }).then(function (hit) {
      if (hit) return hit;
      if (req.mode === "navigate") return caches.match(PREFIX + "/offline/");
      return Response.error();
    });
  }));
});
