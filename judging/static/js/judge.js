/* judge.js: the judge's tablet. Autosave through a queue kept in localStorage (it survives bad
   Wi-Fi, reloads and an expired session), tap-again-to-clear scoring, the submit dialog.
   Plain ES5-style script, no dependencies, no build step. */
/* judge.js: the judge's tablet. Autosave through a queue kept on the device (judge-queue.js,
   IndexedDB): it survives bad Wi-Fi, reloads, closing the browser and an expired session. Changes go
   to the server in the order they were made; a change the server refuses for one score is shown on
   that score and never holds up or drops the others. Tap-again-to-clear scoring, the submit dialog.
   Plain ES5-style script, no build step. */
(function () {
  "use strict";

  var doc = document;
  bindConflictForm();
  bindMaterials();

  var app = doc.getElementById("judge-app");
  if (!app) return;

  var t = app.dataset;
  var statusBox = doc.getElementById("save-status");
  var statusText = doc.getElementById("save-text");
  var signIn = doc.getElementById("save-signin");
  var alertBox = doc.getElementById("save-alert");
  var conflictBox = doc.getElementById("save-conflicts");
  var meta = doc.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var rubric = doc.getElementById("rubric");
  var comment = doc.getElementById("comment");
  var pageRound = rubric ? rubric.dataset.round : null;
  var pageEntry = rubric ? rubric.dataset.entry : null;
  var entryName = doc.getElementById("entry-name");

  var queue = null;         // JudgingQueue, once opened
  var mode = "idle";        // idle | saving | offline | retry | signed_out
  var inFlight = null;      // the item being sent
  var timer = null;         // pending retry
  var backoff = 1000;
  var csrfRefreshed = false;
  var csrfPending = false;  // a fresh CSRF token is being fetched
  var commentTimer = null;
  var FAIL_LIMIT = 3;       // server errors in a row before a change is set aside (and retried later)
  var HOLD_MS = 30000;      // how long a set-aside change waits before its next try

  window.JudgingQueue.open(t.judge).then(start);

  /* --- the queue --- */

  function items() { return queue ? queue.items : []; }

  function nextVersion(key, confirmed) {
    var mine = queue.ofKey(key);
    if (mine.length) return mine[mine.length - 1].body.version + 1;
    var known = queue.known[key];
    return known && known.version > confirmed ? known.version : confirmed;
  }

  function enqueue(item) {
    queue.dropConflict(item.key);
    if (item.kind === "comment") {
      var same = queue.ofKey(item.key);
      var last = same[same.length - 1];
      if (last && last !== inFlight && !last.failedAt) {
        last.body.body = item.body.body;
        queue.update(last).then(pump);
        return;
      }
    }
    item.page = location.pathname;
    queue.add(item).then(pump);
    pump();
  }

  function removeKey(item) {
    // The item was refused: later changes of the same thing were built on it, so they go too.
    return queue.remove(queue.ofKey(item.key));
  }

  /* The first change whose score or comment is not waiting behind a set-aside change. */
  function pick() {
    var q = items(), held = {}, now = Date.now();
    for (var i = 0; i < q.length; i++) {
      if (held[q[i].key]) continue;
      if (q[i].holdUntil && q[i].holdUntil > now) { held[q[i].key] = true; continue; }
      return q[i];
    }
    return null;
  }

  function earliestHold() {
    var q = items(), at = 0;
    for (var i = 0; i < q.length; i++) if (q[i].holdUntil && (!at || q[i].holdUntil < at)) at = q[i].holdUntil;
    return at;
  }

  /* --- sending, in order, one at a time --- */

  function pump() {
    render();
    if (!queue || inFlight || timer || csrfPending || mode === "signed_out" || !items().length) return;
    var item = pick();
    if (!item) { later(Math.max(1000, earliestHold() - Date.now())); return; }
    inFlight = item;
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
    if (!ms) backoff = Math.min(backoff * 2, 15000);
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
      queue.remove([item]);
      queue.setKnown(item.key, d.value, d.version);
      settle(item, d.value, d.version, d.total);
      return next();
    }
    if (s === 401) { mode = "signed_out"; render(); return; }
    if (s === 400 && d.error === "csrf") {
      // A stale token is the page's problem, never the change's: fetch a new one, or wait and retry.
      if (!csrfRefreshed) { refreshCsrf(); return; }
      mode = "retry";
      return later();
    }
    if (s === 409 && d.current) {
      if (item.kind === "score" ? d.current.value === item.body.value : sameText(d.current.value, item.body.body)) {
        // Our own earlier send arrived but its answer was lost: the server already has this value.
        queue.remove([item]);
        queue.setKnown(item.key, d.current.value, d.current.version);
        settle(item, d.current.value, d.current.version);
        return next();
      }
      conflict(item, d);
      return next();
    }
    if (s === 429) {
      mode = "retry";
      return later(1000 * (parseInt(res.retryAfter || d.retry_after, 10) || 5));
    }
    if (s >= 500 || !res.data) {
      // The server failed on this change: try again a few times, then set it aside so the others go on.
      item.failures = (item.failures || 0) + 1;
      if (item.failures >= FAIL_LIMIT) {
        item.holdUntil = Date.now() + HOLD_MS;
        item.failedAt = Date.now();
        queue.update(item);
        failed(item);
        return next();
      }
      queue.update(item);
      mode = "retry";
      return later();
    }
    removeKey(item); refused(item, d); next();
  }

  function sameText(a, b) {
    // The server keeps comments trimmed, with \n line ends.
    return String(a || "").replace(/\r\n/g, "\n").trim() === String(b || "").replace(/\r\n/g, "\n").trim();
  }

  function refreshCsrf() {
    csrfRefreshed = true;
    csrfPending = true;  // nothing is sent with the old token meanwhile
    fetch(t.csrfUrl, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 401) { csrfPending = false; mode = "signed_out"; render(); return null; }
        return r.json();
      })
      .then(function (d) {
        csrfPending = false;
        if (d && d.token) { csrf = d.token; if (meta) meta.content = d.token; pump(); }
        else if (mode !== "signed_out") { mode = "retry"; later(); }
      }, function () { csrfPending = false; mode = "offline"; later(); });
  }

  /* --- the page: status, pending marks, values --- */

  function fmt(text, n) { return (text || "").replace("{n}", String(n)); }

  function failedCount() {
    var q = items(), n = 0;
    for (var i = 0; i < q.length; i++) if (q[i].failedAt) n++;
    return n;
  }

  function render() {
    var n = items().length, state, text;
    if (mode === "signed_out") { state = "signed_out"; text = fmt(t.tSignedOut, n); }
    else if (n && (mode === "offline" || !navigator.onLine)) { state = "offline"; text = fmt(t.tOffline, n); }
    else if (n && failedCount()) { state = "error"; text = fmt(t.tFailed, n); }
    else if (n && mode === "retry") { state = "error"; text = fmt(t.tRetry, n); }
    else if (n) { state = "saving"; text = t.tSaving; }
    else { state = "saved"; text = t.tSaved; }
    if (statusText.textContent !== text) statusText.textContent = text;
    statusBox.setAttribute("data-state", state);
    signIn.hidden = state !== "signed_out";
    app.setAttribute("data-pending", String(n));
    app.setAttribute("data-state", state);
  }

  function changed() {
    var q = items(), keys = {}, bad = {}, i;
    for (i = 0; i < q.length; i++) { keys[q[i].key] = true; if (q[i].failedAt) bad[q[i].key] = q[i]; }
    if (rubric) {
      var sets = rubric.querySelectorAll("fieldset.crit");
      for (i = 0; i < sets.length; i++) {
        var key = scoreKey(sets[i]);
        sets[i].classList.toggle("is-pending", !!keys[key]);
        sets[i].classList.toggle("is-failed", !!bad[key]);
      }
    }
    var open = doc.getElementById("submit-open"), wait = doc.getElementById("submit-wait");
    if (open && wait) {
      wait.hidden = !q.length;
      wait.textContent = q.length ? fmt(t.tWaiting, q.length) : "";
      open.setAttribute("aria-disabled", q.length ? "true" : "false");
    }
    showConflicts();
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
  function hasQueued(key) { return queue.ofKey(key).length > 0; }

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
     units (scores in hundredths, weights in ten-thousandths, as the set-up allows) so no float drift
     shows. */
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
      var weight = Math.round(parseFloat(sets[i].dataset.weight || "1") * 10000);
      units += score * weight;
    }
    showTotal(String(units / 1000000));
  }

  function pageQueued() {
    var q = items();
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
      if (!queue.conflicts[item.key]) message(fs.querySelector(".crit__msg"), "");
      if (total !== undefined && total !== null && !pageQueued()) showTotal(String(total));
    } else if (comment && item.kind === "comment" && onThisPage(item)) {
      comment.dataset.version = version;
    }
  }

  /* Another device changed this score or comment first. The judge's latest value for it is kept
     aside with the server's, and the judge chooses; the other changes keep going. */
  function conflict(item, d) {
    var same = queue.ofKey(item.key);
    var last = same.length ? same[same.length - 1] : item;
    queue.remove(same.length ? same : [item]);
    queue.setKnown(item.key, d.current.value, d.current.version);
    queue.putConflict({
      key: item.key, kind: item.kind, url: item.url, page: item.page || "", label: item.label || "",
      body: last.body, mine: item.kind === "score" ? last.body.value : last.body.body,
      current: d.current, message: d.message || ""
    });
    var fs = fieldsetFor(item);
    if (fs) {
      fs.dataset.version = d.current.version;
      fs.dataset.value = d.current.value === null ? "" : d.current.value;
      showValue(fs, d.current.value);
      fs.scrollIntoView({block: "center"});
    } else if (comment && item.kind === "comment" && onThisPage(item)) {
      comment.value = d.current.value;
      comment.dataset.version = d.current.version;
      comment.dataset.sent = d.current.value;
    }
    changed();
  }

  function resolveButton(text, fn) {
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "btn btn--quiet";
    b.textContent = text;
    b.addEventListener("click", fn);
    return b;
  }

  function keepMine(c) {
    queue.dropConflict(c.key);
    var body = JSON.parse(JSON.stringify(c.body));
    body.version = c.current.version;
    if (c.kind === "comment" && comment && String(body.entry) === pageEntry) {
      comment.value = body.body; comment.dataset.sent = body.body;
    }
    var fs = c.kind === "score" && String(body.entry) === pageEntry ? doc.getElementById("crit-" + body.criterion) : null;
    if (fs) showValue(fs, body.value);
    enqueue({kind: c.kind, key: c.key, url: c.url, label: c.label, body: body});
    changed();
  }

  function keepServer(c) { queue.dropConflict(c.key); changed(); }

  function shown(value) { return value === null || value === "" ? t.tEmpty : value; }

  /* Conflicts: on the score or comment itself when it is on this page, else listed at the top
     with a link to its entry. */
  function showConflicts() {
    if (!queue) return;
    var list = queue.conflictList(), elsewhere = [], i;
    var boxes = doc.querySelectorAll(".crit__msg.is-conflict");
    for (i = 0; i < boxes.length; i++) { boxes[i].classList.remove("is-conflict"); message(boxes[i], ""); }
    for (i = 0; i < list.length; i++) {
      var c = list[i], here = onThisPage({kind: c.kind, body: c.body});
      var box = here ? (c.kind === "score" ? doc.querySelector("#crit-" + c.body.criterion + " .crit__msg")
        : doc.getElementById("comment-msg")) : null;
      if (!box) { elsewhere.push(c); continue; }
      box.classList.add("is-conflict");
      message(box, c.message);
      box.appendChild(doc.createTextNode(" "));
      box.appendChild(resolveButton(c.kind === "score" ? t.tKeepMine.replace("{v}", shown(c.mine)) : t.tRestore,
        keepMine.bind(null, c)));
      box.appendChild(doc.createTextNode(" "));
      box.appendChild(resolveButton(t.tKeepServer, keepServer.bind(null, c)));
    }
    if (!conflictBox) return;
    conflictBox.textContent = "";
    conflictBox.hidden = !elsewhere.length;
    if (!elsewhere.length) return;
    var head = doc.createElement("p");
    head.textContent = fmt(t.tConflicts, elsewhere.length);
    conflictBox.appendChild(head);
    var ul = doc.createElement("ul");
    for (i = 0; i < elsewhere.length; i++) {
      var li = doc.createElement("li"), a = doc.createElement("a");
      a.href = elsewhere[i].page || "#";
      a.textContent = elsewhere[i].label || elsewhere[i].key;
      li.appendChild(a);
      ul.appendChild(li);
    }
    conflictBox.appendChild(ul);
  }

  function failed(item) {
    var fs = fieldsetFor(item);
    if (fs) message(fs.querySelector(".crit__msg"), t.tItemFailed);
    else if (comment && item.kind === "comment" && onThisPage(item)) message(doc.getElementById("comment-msg"), t.tItemFailed);
    changed();
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

  function label(fs) {
    var title = fs.querySelector(".crit__title");
    return (entryName ? entryName.textContent + " · " : "") + (title ? title.textContent : "");
  }

  function choose(fs, value) {
    var shownValue = fs.dataset.shown === "" ? null : fs.dataset.shown;
    if (shownValue === value) return;
    fs.dataset.shown = value === null ? "" : value;
    message(fs.querySelector(".crit__msg"), "");
    updateTotal();
    var key = scoreKey(fs);
    enqueue({kind: "score", key: key, url: t.scoreUrl, label: label(fs), body: {
      entry: +pageEntry, criterion: +fs.dataset.criterion, value: value,
      version: nextVersion(key, +fs.dataset.version)}});
  }

  function queueComment() {
    if (commentTimer) { clearTimeout(commentTimer); commentTimer = null; }
    if (!queue || !comment || comment.readOnly || comment.value === comment.dataset.sent) return;
    comment.dataset.sent = comment.value;
    var key = commentKey();
    enqueue({kind: "comment", key: key, url: t.commentUrl, label: (entryName ? entryName.textContent + " · " : "") + t.tComment,
      body: {round: +pageRound, entry: +pageEntry, body: comment.value,
        version: nextVersion(key, +comment.dataset.version)}});
  }

  /* The page may come from the offline copy: what the server confirmed since, and the changes still
     waiting, are shown as the judge left them. */
  function restorePage() {
    var i, k;
    var sets = rubric.querySelectorAll("fieldset.crit");
    for (i = 0; i < sets.length; i++) {
      sets[i].dataset.shown = sets[i].dataset.value;
      k = queue.known[scoreKey(sets[i])];
      if (k && k.version > +sets[i].dataset.version) {
        sets[i].dataset.version = k.version;
        sets[i].dataset.value = k.value === null ? "" : k.value;
        showValue(sets[i], k.value);
      }
    }
    if (comment) {
      k = queue.known[commentKey()];
      if (k && k.version > +comment.dataset.version) { comment.value = k.value; comment.dataset.version = k.version; }
      comment.dataset.sent = comment.value;
    }
    var q = items();
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

  function bindRubric() {
    var i;
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

  function bindSubmit() {
    var openBtn = doc.getElementById("submit-open"), dialog = doc.getElementById("submit-dialog");
    if (!openBtn || !dialog || typeof dialog.showModal !== "function") return;
    openBtn.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (items().length) { retryNow(); return; }
      var wait = doc.getElementById("submit-wait");
      if (!navigator.onLine && wait) {
        // Submitting needs the server: say so rather than open a form that cannot be sent.
        wait.textContent = t.tSubmitOffline;
        wait.hidden = false;
        return;
      }
      if (wait) wait.hidden = true;
      dialog.showModal();
    });
    doc.getElementById("submit-cancel").addEventListener("click", function () { dialog.close(); });
  }

  /* --- connection events --- */

  function retryNow() {
    if (timer) { clearTimeout(timer); timer = null; }
    backoff = 1000;
    var q = items();
    for (var i = 0; i < q.length; i++) if (q[i].holdUntil) { q[i].holdUntil = 0; }
    if (mode !== "saving") mode = "idle";
    pump();
  }

  function start(q) {
    queue = q;
    queue.onChange(function (remote) { changed(); if (remote) pump(); });
    if (rubric) {
      rubric.classList.add("js");
      restorePage();
      if (!rubric.dataset.locked) bindRubric();
    }
    bindSubmit();
    window.addEventListener("online", retryNow);
    window.addEventListener("offline", function () { mode = "offline"; render(); });
    doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "visible") retryNow(); });
    window.addEventListener("pagehide", queueComment);
    /* For judge-offline.js (the storage warning, sign-out): the queue and a way to send it now. */
    window.JudgingApp = {queue: queue, send: retryNow, flushComment: queueComment};
    doc.dispatchEvent(new CustomEvent("judging:queue", {detail: window.JudgingApp}));
    changed();
    pump();
  }

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
