/* judge.js: the judge's tablet. Autosave through a queue kept in localStorage (it survives bad
   Wi-Fi, reloads and an expired session), tap-again-to-clear scoring, the submit dialog.
   Plain ES5-style script, no dependencies, no build step. */
(function () {
  "use strict";

  var doc = document;
  bindConflictForm();
  bindMaterials();

  var app = doc.getElementById("judge-app");
  if (!app) return;

  var t = app.dataset;
  var QKEY = "judging.queue." + t.judge;
  var statusBox = doc.getElementById("save-status");
  var statusText = doc.getElementById("save-text");
  var signIn = doc.getElementById("save-signin");
  var alertBox = doc.getElementById("save-alert");
  var meta = doc.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var rubric = doc.getElementById("rubric");
  var comment = doc.getElementById("comment");
  var pageRound = rubric ? rubric.dataset.round : null;
  var pageEntry = rubric ? rubric.dataset.entry : null;

  var memory = [];          // the queue when localStorage is unavailable
  var stored = storageWorks();
  var mode = "idle";        // idle | saving | offline | retry | signed_out
  var inFlight = null;      // id of the item being sent
  var timer = null;         // pending retry
  var backoff = 1000;
  var csrfRefreshed = false;
  var commentTimer = null;

  /* --- the queue: localStorage is the source of truth, shared by this judge's tabs --- */

  function storageWorks() {
    try { localStorage.setItem(QKEY + ".probe", "1"); localStorage.removeItem(QKEY + ".probe"); return true; }
    catch (e) { return false; }
  }
  function readQueue() {
    if (!stored) return memory;
    try { var q = JSON.parse(localStorage.getItem(QKEY) || "[]"); return Array.isArray(q) ? q : []; }
    catch (e) { return []; }
  }
  function mutate(fn) {
    var q = readQueue();
    var result = fn(q);
    if (stored) { try { localStorage.setItem(QKEY, JSON.stringify(q)); } catch (e) { stored = false; memory = q; } }
    else memory = q;
    changed();
    return result;
  }
  function nextVersion(key, confirmed) {
    var q = readQueue();
    for (var i = q.length - 1; i >= 0; i--) if (q[i].key === key) return q[i].body.version + 1;
    return confirmed;
  }
  function enqueue(item) {
    mutate(function (q) {
      if (item.kind === "comment") {
        for (var i = q.length - 1; i >= 0; i--) {
          if (q[i].key !== item.key) continue;
          if (q[i].id !== inFlight) { q[i].body.body = item.body.body; return; }
          break;
        }
      }
      item.id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      q.push(item);
    });
    pump();
  }
  function remove(item) {
    mutate(function (q) { for (var i = 0; i < q.length; i++) if (q[i].id === item.id) { q.splice(i, 1); return; } });
  }
  function removeKey(item) {
    // The item was refused: later changes of the same thing were built on it, so they go too.
    mutate(function (q) {
      var at = -1, i;
      for (i = 0; i < q.length; i++) if (q[i].id === item.id) { at = i; break; }
      if (at < 0) return;
      for (i = q.length - 1; i >= at; i--) if (q[i].key === item.key) q.splice(i, 1);
    });
  }

  /* --- sending, in order, one at a time --- */

  function pump() {
    render();
    var q = readQueue();
    if (inFlight || timer || mode === "signed_out" || !q.length) return;
    var item = q[0];
    inFlight = item.id;
    mode = "saving";
    render();
    var ctrl = window.AbortController ? new AbortController() : null;
    var guard = setTimeout(function () { if (ctrl) ctrl.abort(); }, 15000);
    fetch(item.url, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(item.body), signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        return {status: r.status, data: data, retryAfter: r.headers.get("Retry-After")};
      });
    }).then(function (res) {
      clearTimeout(guard); inFlight = null; handle(item, res);
    }, function () {
      clearTimeout(guard); inFlight = null; mode = "offline"; later();
    });
  }

  function later(ms) {
    if (timer) clearTimeout(timer);
    var wait = ms || backoff;
    backoff = Math.min(backoff * 2, 15000);
    timer = setTimeout(function () { timer = null; pump(); }, wait);
    render();
  }

  function next() {
    backoff = 1000;
    mode = "idle";
    pump();
  }

  function handle(item, res) {
    var s = res.status, d = res.data || {};
    if (s >= 200 && s < 300 && d.ok) {
      csrfRefreshed = false;
      remove(item); settle(item, d.value, d.version, d.total); return next();
    }
    if (s === 401) { mode = "signed_out"; render(); return; }
    if (s === 400 && d.error === "csrf" && !csrfRefreshed) { refreshCsrf(); return; }
    if (s === 409 && d.current) {
      if (item.kind === "score" ? d.current.value === item.body.value : sameText(d.current.value, item.body.body)) {
        // Our own earlier send arrived but its answer was lost: the server already has this value.
        remove(item); settle(item, d.current.value, d.current.version); return next();
      }
      removeKey(item); stale(item, d); return next();
    }
    if (s === 429) {
      mode = "retry";
      return later(1000 * (parseInt(res.retryAfter || d.retry_after, 10) || 5));
    }
    if (s >= 500 || !res.data) { mode = "retry"; return later(); }
    removeKey(item); refused(item, d); next();
  }

  function sameText(a, b) {
    // The server keeps comments trimmed, with \n line ends.
    return String(a || "").replace(/\r\n/g, "\n").trim() === String(b || "").replace(/\r\n/g, "\n").trim();
  }

  function refreshCsrf() {
    csrfRefreshed = true;
    fetch(t.csrfUrl, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 401) { mode = "signed_out"; render(); return null; }
        return r.json();
      })
      .then(function (d) {
        if (d && d.token) { csrf = d.token; if (meta) meta.content = d.token; pump(); }
        else if (mode !== "signed_out") { mode = "retry"; later(); }
      }, function () { mode = "offline"; later(); });
  }

  /* --- the page: status, pending marks, values --- */

  function fmt(text, n) { return (text || "").replace("{n}", String(n)); }

  function render() {
    var n = readQueue().length, state, text;
    if (mode === "signed_out") { state = "signed_out"; text = fmt(t.tSignedOut, n); }
    else if (n && (mode === "offline" || !navigator.onLine)) { state = "offline"; text = fmt(t.tOffline, n); }
    else if (n && mode === "retry") { state = "error"; text = fmt(t.tRetry, n); }
    else if (n) { state = "saving"; text = t.tSaving; }
    else { state = "saved"; text = t.tSaved; }
    if (statusText.textContent !== text) statusText.textContent = text;
    statusBox.setAttribute("data-state", state);
    signIn.hidden = state !== "signed_out";
  }

  function changed() {
    var q = readQueue(), keys = {}, i;
    for (i = 0; i < q.length; i++) keys[q[i].key] = true;
    if (rubric) {
      var sets = rubric.querySelectorAll("fieldset.crit");
      for (i = 0; i < sets.length; i++) {
        sets[i].classList.toggle("is-pending", !!keys[scoreKey(sets[i])]);
      }
    }
    var open = doc.getElementById("submit-open"), wait = doc.getElementById("submit-wait");
    if (open && wait) {
      wait.hidden = !q.length;
      wait.textContent = q.length ? fmt(t.tWaiting, q.length) : "";
      open.setAttribute("aria-disabled", q.length ? "true" : "false");
    }
    render();
  }

  function scoreKey(fs) { return "s:" + pageEntry + ":" + fs.dataset.criterion; }
  function commentKey() { return "c:" + pageRound + ":" + pageEntry; }
  function onThisPage(item) {
    return rubric && String(item.body.entry) === pageEntry &&
      (item.kind === "score" || String(item.body.round) === pageRound);
  }
  function fieldsetFor(item) {
    return onThisPage(item) && item.kind === "score" ? doc.getElementById("crit-" + item.body.criterion) : null;
  }
  function hasQueued(key) {
    var q = readQueue();
    for (var i = 0; i < q.length; i++) if (q[i].key === key) return true;
    return false;
  }

  function showValue(fs, value) {
    var radios = fs.querySelectorAll("input.seg__input"), i;
    for (i = 0; i < radios.length; i++) radios[i].checked = value !== null && radios[i].value === value;
    var select = fs.querySelector("select");
    if (select) select.value = value === null ? "" : value;
    fs.dataset.shown = value === null ? "" : value;
    updateTotal();
  }

  /* The total shown is the server's (judging.scoring.running_total, weights included) whenever a save
     answers and nothing of this page is still queued. Between saves (offline) the page adds the shown
     scores with the weights the server put on each fieldset: the same rule, Σ score × weight, in whole
     ten-thousandths so no float drift shows. */
  function showTotal(text) {
    var outs = doc.querySelectorAll(".js-total");
    for (var i = 0; i < outs.length; i++) outs[i].textContent = text;
  }

  function updateTotal() {
    if (!rubric) return;
    var sets = rubric.querySelectorAll("fieldset.crit"), units = 0, i;
    for (i = 0; i < sets.length; i++) {
      if (!sets[i].dataset.shown) continue;
      var score = Math.round(parseFloat(sets[i].dataset.shown) * 100);
      var weight = Math.round(parseFloat(sets[i].dataset.weight || "1") * 100);
      units += score * weight;
    }
    showTotal(String(units / 10000));
  }

  function pageQueued() {
    var q = readQueue();
    for (var i = 0; i < q.length; i++) if (onThisPage(q[i]) && q[i].kind === "score") return true;
    return false;
  }

  function message(el, text) {
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function settle(item, value, version, total) {
    var fs = fieldsetFor(item);
    if (fs) {
      fs.dataset.version = version;
      fs.dataset.value = value === null ? "" : value;
      if (!hasQueued(item.key)) showValue(fs, value);
      if (total !== undefined && total !== null && !pageQueued()) showTotal(String(total));
    } else if (comment && item.kind === "comment" && onThisPage(item)) {
      comment.dataset.version = version;
    }
  }

  function stale(item, d) {
    var fs = fieldsetFor(item);
    if (fs) {
      fs.dataset.version = d.current.version;
      fs.dataset.value = d.current.value === null ? "" : d.current.value;
      showValue(fs, d.current.value);
      message(fs.querySelector(".crit__msg"), d.message);
      fs.scrollIntoView({block: "center"});
    } else if (comment && item.kind === "comment" && onThisPage(item)) {
      var mine = comment.value;
      comment.value = d.current.value;
      comment.dataset.version = d.current.version;
      comment.dataset.sent = d.current.value;
      var box = doc.getElementById("comment-msg");
      message(box, d.message);
      if (mine && mine !== d.current.value) {
        var restore = doc.createElement("button");
        restore.type = "button";
        restore.className = "btn btn--quiet";
        restore.textContent = t.tRestore;
        restore.addEventListener("click", function () {
          comment.value = mine; message(box, ""); queueComment();
        });
        box.appendChild(doc.createTextNode(" "));
        box.appendChild(restore);
      }
    } else {
      message(alertBox, d.message);
    }
  }

  function refused(item, d) {
    var text = d.message || "";
    var fs = fieldsetFor(item);
    if (fs) {
      showValue(fs, fs.dataset.value === "" ? null : fs.dataset.value);
      message(fs.querySelector(".crit__msg"), text);
    } else if (comment && item.kind === "comment" && onThisPage(item)) {
      message(doc.getElementById("comment-msg"), text);
    } else {
      message(alertBox, text);
    }
  }

  /* --- scoring controls --- */

  function choose(fs, value) {
    var shown = fs.dataset.shown === "" ? null : fs.dataset.shown;
    if (shown === value) return;
    fs.dataset.shown = value === null ? "" : value;
    message(fs.querySelector(".crit__msg"), "");
    updateTotal();
    var key = scoreKey(fs);
    enqueue({kind: "score", key: key, url: t.scoreUrl, body: {
      entry: +pageEntry, criterion: +fs.dataset.criterion, value: value,
      version: nextVersion(key, +fs.dataset.version)}});
  }

  function queueComment() {
    if (commentTimer) { clearTimeout(commentTimer); commentTimer = null; }
    if (!comment || comment.readOnly || comment.value === comment.dataset.sent) return;
    comment.dataset.sent = comment.value;
    var key = commentKey();
    enqueue({kind: "comment", key: key, url: t.commentUrl, body: {
      round: +pageRound, entry: +pageEntry, body: comment.value,
      version: nextVersion(key, +comment.dataset.version)}});
  }

  if (rubric) {
    rubric.classList.add("js");
    var sets = rubric.querySelectorAll("fieldset.crit"), i;
    for (i = 0; i < sets.length; i++) sets[i].dataset.shown = sets[i].dataset.value;
    if (comment) comment.dataset.sent = comment.value;
    // Changes still waiting in the queue are shown as the judge left them.
    var q = readQueue();
    for (i = 0; i < q.length; i++) {
      if (!onThisPage(q[i])) continue;
      if (q[i].kind === "score") {
        var fs = fieldsetFor(q[i]);
        if (fs) showValue(fs, q[i].body.value);
      } else if (comment) {
        comment.value = q[i].body.body; comment.dataset.sent = q[i].body.body;
      }
    }
    updateTotal();
  }

  if (rubric && !rubric.dataset.locked) {
    rubric.addEventListener("click", function (ev) {
      var el = ev.target;
      if (el.matches && el.matches("input.seg__input")) {
        var fs = el.closest("fieldset.crit");
        // Tapping the chosen value again clears it (undo a mis-tap). A new choice arrives as "change".
        if (el.value === fs.dataset.shown) { el.checked = false; choose(fs, null); }
        return;
      }
      var step = el.closest ? el.closest("[data-step]") : null;
      if (step) {
        var set = step.closest("fieldset.crit"), select = set.querySelector("select");
        var idx = Math.max(1, Math.min(select.options.length - 1, select.selectedIndex + parseInt(step.dataset.step, 10)));
        select.selectedIndex = idx;
        choose(set, select.value);
      }
    });
    rubric.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el.matches("input.seg__input") && el.checked) choose(el.closest("fieldset.crit"), el.value);
      else if (el.matches("select.stepper__select")) choose(el.closest("fieldset.crit"), el.value === "" ? null : el.value);
    });
    rubric.addEventListener("submit", function (ev) { ev.preventDefault(); queueComment(); });
    var steppers = rubric.querySelectorAll("[data-step]");
    for (i = 0; i < steppers.length; i++) steppers[i].hidden = false;
    if (comment) {
      comment.addEventListener("input", function () {
        if (commentTimer) clearTimeout(commentTimer);
        commentTimer = setTimeout(queueComment, 800);
      });
      comment.addEventListener("blur", queueComment);
    }
  }

  /* --- submit dialog (the only confirmation) --- */

  var openBtn = doc.getElementById("submit-open"), dialog = doc.getElementById("submit-dialog");
  if (openBtn && dialog && typeof dialog.showModal === "function") {
    openBtn.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (readQueue().length) { pump(); return; }
      dialog.showModal();
    });
    doc.getElementById("submit-cancel").addEventListener("click", function () { dialog.close(); });
  }

  /* --- connection events --- */

  function retryNow() {
    if (timer) { clearTimeout(timer); timer = null; }
    backoff = 1000;
    if (mode !== "saving") mode = "idle";
    pump();
  }
  window.addEventListener("online", retryNow);
  window.addEventListener("offline", function () { mode = "offline"; render(); });
  doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "visible") retryNow(); });
  window.addEventListener("pagehide", queueComment);
  window.addEventListener("storage", function (ev) { if (ev.key === QKEY) { changed(); pump(); } });

  changed();
  pump();

  /* --- pages without the queue --- */

  function bindConflictForm() {
    var btn = doc.getElementById("all-none");
    if (!btn) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var sets = doc.querySelectorAll("fieldset.declare");
      for (var i = 0; i < sets.length; i++) {
        if (sets[i].querySelector("input[type=radio]:checked")) continue;
        var none = sets[i].querySelector('input[value="none"]');
        if (none) none.checked = true;
      }
    });
  }

  function bindMaterials() {
    var boxes = doc.querySelectorAll("details.material__box");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("toggle", function (ev) {
        var box = ev.currentTarget;
        if (!box.open || box.dataset.loaded) return;
        box.dataset.loaded = "1";
        var el;
        if (box.dataset.kind === "pdf") {
          el = doc.createElement("iframe");
          el.className = "material__frame";
          el.title = box.dataset.name;
        } else {
          el = doc.createElement("img");
          el.className = "material__image";
          el.alt = box.dataset.name;
        }
        el.src = box.dataset.src;
        box.querySelector(".material__view").appendChild(el);
      });
    }
  }
})();
