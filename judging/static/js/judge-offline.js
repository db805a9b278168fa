/* judge-offline.js: the judge's pages keep working without the network.

   - Registers the service worker (/judge/sw.js, scope /judge/) that answers from the device when the
     network is gone.
   - Stores this judge's offline copy: the server lists what to keep (/judge/offline.json: home,
     every entry page, review and submit, then the materials in running order within the budget);
     a page is fetched again when its stored copy is a few minutes old, a material once.
   - Shows a banner while offline, with the number of changes waiting on the device.
   - Warns before the judge starts when the device cannot keep changes (private browsing).
   - Sign-out: warns about unsent changes and sends them first or keeps them on the device, then
     removes this judge's pages and materials from the device.
   Plain ES5-style script, no build step. */
(function () {
  "use strict";

  var doc = document;
  var app = doc.getElementById("judge-app");
  if (!app) return;
  var t = app.dataset;
  var PREFIX = "judging-judge-";
  var REFRESH_MS = 5 * 60 * 1000;
  var banner = doc.getElementById("offline-banner");
  var ready = doc.getElementById("offline-ready");
  var storageWarning = doc.getElementById("storage-warning");
  var judging = null;  // window.JudgingApp once the queue is open

  function fmt(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function pending() { return judging ? judging.queue.count() + judging.queue.conflictList().length : 0; }

  /* --- the banner --- */

  function showBanner() {
    if (!banner) return;
    var offline = !navigator.onLine || app.getAttribute("data-state") === "offline";
    banner.hidden = !offline;
    if (offline) {
      var n = judging ? judging.queue.count() : 0;
      banner.textContent = n ? fmt(t.tBannerPending, {n: n}) : t.tBannerIdle;
    }
  }

  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);
  doc.addEventListener("judging:queue", function (ev) {
    judging = ev.detail;
    judging.queue.onChange(showBanner);
    if (storageWarning) storageWarning.hidden = judging.queue.durable;
    showBanner();
  });
  if (window.JudgingApp) doc.dispatchEvent(new CustomEvent("judging:queue", {detail: window.JudgingApp}));
  new MutationObserver(showBanner).observe(app, {attributes: true, attributeFilter: ["data-state"]});
  showBanner();

  /* --- the service worker and the offline copy --- */

  var cacheName = PREFIX + t.judge;

  function fetchPut(cache, url) {
    return fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      // Only the judge's own pages: not a redirect to the sign-in page, not an error.
      if (!r.ok || r.redirected || r.headers.get("X-Judging-Judge") !== String(t.judge)) return 0;
      return cache.put(url, r.clone()).then(function () { return 1; });
    }, function () { return 0; });
  }

  function warm() {
    if (!window.caches || !navigator.onLine) return Promise.resolve();
    var stampKey = "judging.warm." + t.judge, plan;
    return fetch(t.planUrl, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error("plan " + r.status); return r.json(); })
      .then(function (p) {
        plan = p;
        cacheName = plan.cache;
        return caches.keys();
      })
      .then(function (names) {
        // Another judge's pages left on this tablet (no sign-out) are removed.
        return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== cacheName; })
          .map(function (n) { return caches.delete(n); }));
      })
      .then(function () { return caches.open(cacheName); })
      .then(function (cache) {
        var forced = false;
        try { forced = !!localStorage.getItem(stampKey); localStorage.removeItem(stampKey); } catch (e) { forced = false; }
        // A page stored in the last few minutes (its Date header) is not fetched again.
        var pages = plan.pages.map(function (url) {
          return cache.match(url).then(function (hit) {
            var at = hit ? Date.parse(hit.headers.get("Date") || "") : NaN;
            return hit && !forced && Date.now() - at < REFRESH_MS ? 1 : fetchPut(cache, url);
          });
        });
        return Promise.all(pages).then(function (done) {
          var stored = done.reduce(function (a, b) { return a + b; }, 0);
          return materials(cache, plan.materials).then(function (files) {
            app.setAttribute("data-offline", stored === plan.pages.length ? "ready" : "partial");
            if (ready) {
              ready.textContent = fmt(t.tReady, {pages: stored, files: files.count, size: megabytes(files.bytes)});
              ready.hidden = false;
            }
          });
        });
      })
      .catch(function () { /* offline or signed out: the copy stays as it was */ });
  }

  function megabytes(bytes) { return (bytes / (1024 * 1024)).toFixed(1) + " MB"; }

  /* Materials in running order, one at a time (the Wi-Fi is shared), each stored once. */
  function materials(cache, list) {
    var out = {count: 0, bytes: 0}, i = 0;
    function step() {
      if (i >= list.length || !navigator.onLine) return Promise.resolve(out);
      var m = list[i++];
      return cache.match(m.url).then(function (hit) {
        if (hit) { out.count++; out.bytes += m.size; return null; }
        return fetchPut(cache, m.url).then(function (n) { if (n) { out.count++; out.bytes += m.size; } });
      }).then(step);
    }
    return step();
  }

  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(t.swUrl, {scope: t.scope}).catch(function () { /* no offline copy */ });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return false; });
    if (doc.readyState === "complete") warm();
    else window.addEventListener("load", warm);
    window.addEventListener("online", warm);
    navigator.serviceWorker.addEventListener("message", function (ev) {
      // A new deployment: every stored page is fetched again.
      if (ev.data === "updated") { try { localStorage.setItem("judging.warm." + t.judge, "1"); } catch (e) { /* */ } warm(); }
    });
  }

  /* --- sign-out --- */

  function forgetDevice(keepQueue) {
    try { localStorage.removeItem("judging.warm." + t.judge); } catch (e) { /* nothing stored */ }
    var steps = [];
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    if (judging) steps.push(judging.queue.forget(keepQueue));
    return Promise.all(steps).catch(function () { return null; });
  }

  var form = doc.querySelector('form[action="' + t.signOutUrl + '"]');
  var dialog = doc.getElementById("signout-dialog");

  function leave(keepQueue) {
    form.setAttribute("data-confirmed", "1");
    forgetDevice(keepQueue).then(function () { form.submit(); });
  }

  function waitEmpty(ms) {
    return new Promise(function (resolve) {
      var until = Date.now() + ms;
      (function check() {
        if (!judging || judging.queue.count() === 0) return resolve(true);
        if (Date.now() > until || !navigator.onLine) return resolve(false);
        setTimeout(check, 200);
      })();
    });
  }

  if (form && dialog && typeof dialog.showModal === "function") {
    var note = doc.getElementById("signout-note"), count = doc.getElementById("signout-count");
    form.addEventListener("submit", function (ev) {
      if (form.getAttribute("data-confirmed")) return;
      ev.preventDefault();
      if (judging) judging.flushComment();
      if (!navigator.onLine) {
        count.textContent = pending() ? fmt(t.tSignoutCount, {n: pending()}) : "";
        note.textContent = t.tSignoutOffline;
        note.hidden = false;
        doc.getElementById("signout-send").hidden = true;
        doc.getElementById("signout-keep").hidden = true;
        dialog.showModal();
        return;
      }
      if (!pending()) { leave(false); return; }
      count.textContent = fmt(t.tSignoutCount, {n: pending()});
      note.hidden = true;
      doc.getElementById("signout-send").hidden = judging.queue.count() === 0;
      doc.getElementById("signout-keep").hidden = false;
      dialog.showModal();
    });
    doc.getElementById("signout-send").addEventListener("click", function () {
      note.textContent = t.tSignoutSending;
      note.hidden = false;
      judging.send();
      waitEmpty(15000).then(function (empty) {
        if (empty && !judging.queue.conflictList().length) { leave(false); return; }
        count.textContent = fmt(t.tSignoutCount, {n: pending()});
        note.textContent = empty ? t.tSignoutConflicts : t.tSignoutFailed;
      });
    });
    doc.getElementById("signout-keep").addEventListener("click", function () { leave(true); });
    doc.getElementById("signout-cancel").addEventListener("click", function () { dialog.close(); });
  }
})();
