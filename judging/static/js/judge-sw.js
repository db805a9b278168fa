/* judge-sw.js: the judge app's service worker (served as /judge/sw.js, scope /judge/, with
   ``self.JUDGING_SW = {version, scope, assets, offline}`` written before this file by the server).

   - The app's own files (the asset URLs the server emits) are stored at install, in a cache named
     after the deployment's version, and answered from there.
   - Judge pages: from the network when it answers (within a few seconds), stored in the judge's
     cache (judging-judge-<id>, named by the X-Judging-Judge header); from that cache otherwise.
   - Materials (/judge/files/...): from the judge's cache when stored, else from the network.
   - Writes (autosave, submit) and anything else go to the network: the page queues autosaves itself.
   A new deployment installs beside the old one; on activation the stored pages are fetched again
   (so they name the new asset URLs) and only then is the old version's cache removed. */
"use strict";

var CFG = self.JUDGING_SW;
var STATIC = "judging-static-" + CFG.version;
var JUDGE = "judging-judge-";
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(CFG.assets);
  }).then(function () { return self.skipWaiting(); }));
});

function isPage(url) {
  var path = new URL(url).pathname;
  return path.indexOf(CFG.scope) === 0 && path.indexOf(CFG.scope + "files/") !== 0 &&
    path.indexOf(CFG.scope + "api/") !== 0 && path !== CFG.scope + "sw.js";
}

function judgeCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (n) { return n.indexOf(JUDGE) === 0; });
  });
}

function refreshPages() {
  // Every stored page fetched again; true when all came back (then the old assets can go).
  return judgeCaches().then(function (names) {
    return Promise.all(names.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (r) { return isPage(r.url); }).map(function (r) {
            return fetch(r.url, {credentials: "same-origin", cache: "no-store"}).then(function (resp) {
              if (!resp.ok || resp.redirected) return false;
              return cache.put(r.url, resp).then(function () { return true; });
            }, function () { return false; });
          }));
        });
      });
    }));
  }).then(function (all) {
    return all.every(function (list) { return list.every(Boolean); });
  });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (n) { return n.indexOf("judging-static-") === 0 && n !== STATIC; });
    if (!old.length) return self.clients.claim();  // the first install: nothing stored to replace
    return refreshPages().then(function (refreshed) {
      if (!refreshed) return null;  // keep the old files until every stored page names the new ones
      return Promise.all(old.map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); }).then(function () {
      return self.clients.matchAll({type: "window"});
    }).then(function (clients) {
      clients.forEach(function (c) { c.postMessage("updated"); });
    });
  }));
});

function fromCache(request) {
  return caches.match(request, {ignoreVary: true}).then(function (hit) {
    if (hit) return hit;
    var url = new URL(request.url);
    // The page without the ?lang= switch, then the offline notice.
    return caches.match(url.origin + url.pathname, {ignoreVary: true}).then(function (plain) {
      if (plain) return plain;
      if (request.mode !== "navigate") return Response.error();
      return caches.match(CFG.offline).then(function (notice) {
        return notice || new Response("Offline", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
      });
    });
  });
}

function networkFirst(request) {
  return new Promise(function (resolve) {
    var settled = false;
    function answer(r) { if (!settled) { settled = true; resolve(r); } }
    // A network that hangs (weak Wi-Fi): after a few seconds the stored page, if there is one.
    var timer = setTimeout(function () {
      caches.match(request, {ignoreVary: true}).then(function (hit) { if (hit) answer(hit); });
    }, NETWORK_WAIT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      var judge = response.headers.get("X-Judging-Judge");
      if (response.ok && response.type === "basic" && !response.redirected && judge) {
        var copy = response.clone();
        caches.open(JUDGE + judge).then(function (cache) { return cache.put(request.url, copy); });
      }
      answer(response);
    }, function () {
      clearTimeout(timer);
      fromCache(request).then(answer);
    });
  });
}

function cacheFirst(request) {
  return caches.match(request, {ignoreVary: true}).then(function (hit) {
    return hit || fetch(request);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && (CFG.assets.indexOf(url.pathname + url.search) >= 0 ||
      CFG.assets.indexOf(url.pathname) >= 0 || url.pathname.indexOf(CFG.scope + "files/") === 0)) {
    event.respondWith(cacheFirst(request));
  } else if (request.method === "GET" && isPage(request.url) && url.pathname !== CFG.scope + "offline.json") {
    event.respondWith(networkFirst(request));
  } else {
    // Writes and everything else: the network, made by this worker (one path for every request).
    event.respondWith(fetch(request));
  }
});
