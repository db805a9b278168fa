/* The ceremony: steps through the reveal sequence embedded in the page (no network needed).
 *
 * Audience window: one slide at a time, full screen. Presenter window: current slide, what comes
 * next, the 심사평 notes and buttons. Windows on the same laptop follow each other through a
 * BroadcastChannel, with localStorage "storage" events as a fallback; the position is also kept in
 * localStorage so a reloaded window resumes where the ceremony is. Across devices (the presenter's
 * tablet) the position lives on the server: every move is sent (one request at a time, the latest
 * position wins) and every window polls it, adopting a position only when its sequence number is
 * newer than the last one it knows. Without network the keys keep working from the embedded slides.
 *
 * Keys: → Space PageDown Enter = next; ← PageUp Backspace = back; Home/End; F = full screen;
 * B or . = blank screen (presentation clickers send these).
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("ceremony-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var slides = data.slides || [];
  var role = data.role;
  var storeKey = "ceremony:" + data.slug + ":v" + data.version;
  var me = Math.random().toString(36).slice(2);
  var index = 0;
  var channel = null;

  try { channel = new BroadcastChannel("ceremony:" + data.slug); } catch (e) { channel = null; }

  /* Labels come translated from the page (Korean by default). */
  function t(key) { return (data.labels && data.labels[key]) || key; }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null && text !== "") { node.textContent = text; }
    return node;
  }

  /* One slide as DOM. ``compact`` is the presenter's preview (same content, smaller). */
  function renderSlide(slide, compact) {
    var s = el("section", "slide slide--" + slide.kind);
    s.setAttribute("data-index", String(slide.index));
    s.setAttribute("data-kind", slide.kind);
    if (slide.kind === "title") {
      s.appendChild(el("p", "slide__kicker", slide.organizer));
      s.appendChild(el(compact ? "p" : "h1", "slide__heading", slide.heading));
      s.appendChild(el("p", "slide__meta", slide.date + (slide.venue ? " · " + slide.venue : "")));
      if (slide.rule) { s.appendChild(el("p", "slide__rule", slide.rule)); }
    } else if (slide.kind === "award") {
      s.appendChild(el("p", "slide__kicker", t("kicker")));
      s.appendChild(el(compact ? "p" : "h1", "slide__award-big", slide.award));
      s.appendChild(el("p", "slide__meta", t("count").replace("{n}", slide.count)));
    } else if (slide.kind === "reveal") {
      s.appendChild(el("p", "slide__award", slide.award));
      if (slide.district) { s.appendChild(el("p", "slide__district", slide.district)); }
      var name = el(compact ? "p" : "h1", "slide__recipient", slide.recipient);
      s.appendChild(name);
      if (slide.project) { s.appendChild(el("p", "slide__project", "「" + slide.project + "」")); }
      if (slide.reason) { s.appendChild(el("p", "slide__reason", slide.reason)); }
      if (slide.of && slide.of[1] > 1) {
        s.appendChild(el("p", "slide__count", slide.award + " " + slide.of[0] + " / " + slide.of[1]));
      }
    } else if (slide.kind === "method") {
      s.appendChild(el("p", "slide__kicker", t("method")));
      s.appendChild(el(compact ? "p" : "h1", "slide__heading", slide.heading));
      (slide.lines || []).forEach(function (line) { s.appendChild(el("p", "slide__meta", line)); });
    } else if (slide.kind === "closing") {
      s.appendChild(el(compact ? "p" : "h1", "slide__heading", t("congratulations")));
      s.appendChild(el("p", "slide__meta", slide.heading));
      var list = el("ul", "slide__winners");
      (slide.winners || []).forEach(function (w) {
        var li = el("li");
        li.appendChild(el("span", "w-award", w.award));
        li.appendChild(el("span", "w-name", w.recipient));
        list.appendChild(li);
      });
      s.appendChild(list);
    }
    return s;
  }

  /* Shrink a line of big type until it fits its box (long council names); never breaks a word. */
  function fit(node) {
    if (!node) { return; }
    node.style.fontSize = "";
    var size = parseFloat(window.getComputedStyle(node).fontSize);
    var guard = 40;
    while (guard-- > 0 && size > 24 && (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1)) {
      size = size * 0.93;
      node.style.fontSize = size + "px";
    }
  }

  function clamp(i) { return Math.max(0, Math.min(slides.length - 1, i)); }

  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify({ index: index, from: me, at: Date.now() })); } catch (e) { /* private mode */ }
  }

  function announce() {
    if (channel) {
      try { channel.postMessage({ index: index, version: data.version, from: me }); } catch (e) { /* closed */ }
    }
    save();
    share();
  }

  /* The server's copy of the position, for windows on other devices. */
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var knownSeq = 0;
  var sending = false;
  var dirty = false;

  function adopt(reply) {
    if (!reply || reply.version !== data.version || typeof reply.seq !== "number") { return; }
    if (reply.seq > knownSeq) {
      knownSeq = reply.seq;
      if (typeof reply.slide === "number" && reply.slide !== index) { go(reply.slide, true); save(); }
    }
  }

  function share() {
    if (!data.moveUrl || !window.fetch) { return; }
    dirty = true;
    if (sending) { return; }
    sending = true;
    dirty = false;
    fetch(data.moveUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ version: data.version, slide: index })
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (reply) { if (reply && typeof reply.seq === "number" && reply.seq > knownSeq) { knownSeq = reply.seq; } })
      .catch(function () { /* offline: the keys keep working here */ })
      .then(function () { sending = false; if (dirty) { share(); } });
  }

  function poll() {
    if (!data.positionUrl || !window.fetch || sending || dirty) { return; }
    fetch(data.positionUrl, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (reply) { if (!sending && !dirty) { adopt(reply); } })
      .catch(function () { /* offline: try again on the next tick */ });
  }

  var stage = document.getElementById("stage");
  var position = document.getElementById("position");

  function showAudience() {
    var slide = slides[index];
    var node = renderSlide(slide, false);
    var old = stage.querySelectorAll(".slide");
    for (var i = 0; i < old.length; i++) { stage.removeChild(old[i]); }
    stage.appendChild(node);
    // Next frame: start the entrance transition.
    window.requestAnimationFrame(function () { node.classList.add("is-current"); });
    fit(node.querySelector(".slide__recipient"));
    fit(node.querySelector(".slide__heading"));
    document.title = (slide.recipient || slide.award || slide.heading || "") + " · " + t("ceremony");
  }

  function describe(slide) {
    if (!slide) { return t("end"); }
    if (slide.kind === "title") { return t("titleSlide") + ": " + slide.heading; }
    if (slide.kind === "award") { return slide.award + " (" + t("count").replace("{n}", slide.count) + ")"; }
    if (slide.kind === "method") { return t("method") + ": " + slide.heading; }
    if (slide.kind === "reveal") { return slide.award + " — " + slide.recipient + (slide.project ? " 「" + slide.project + "」" : ""); }
    return t("congratulations");
  }

  function showPresenter() {
    var now = document.getElementById("now");
    var next = document.getElementById("next");
    var upcoming = document.getElementById("upcoming");
    now.innerHTML = "";
    now.appendChild(renderSlide(slides[index], true));
    next.innerHTML = "";
    if (index + 1 < slides.length) {
      next.appendChild(renderSlide(slides[index + 1], true));
    } else {
      next.appendChild(el("p", "preview__end", t("last")));
    }
    upcoming.innerHTML = "";
    for (var i = index + 2; i < Math.min(slides.length, index + 6); i++) {
      upcoming.appendChild(el("li", null, describe(slides[i])));
    }
    if (!upcoming.children.length) { upcoming.appendChild(el("li", "upcoming__none", t("end"))); }
  }

  function render() {
    if (position) { position.textContent = (index + 1) + " / " + slides.length; }
    document.body.setAttribute("data-index", String(index));
    if (role === "presenter") { showPresenter(); } else { showAudience(); }
  }

  function go(i, quiet) {
    var target = clamp(i);
    if (target === index && document.body.hasAttribute("data-index")) { return; }
    index = target;
    render();
    if (!quiet) { announce(); }
  }

  function next() { go(index + 1); }
  function prev() { go(index - 1); }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    }
  }

  function toggleBlank() {
    var blank = document.getElementById("blank");
    if (blank) { blank.hidden = !blank.hidden; }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
    var key = ev.key;
    var handled = true;
    if (key === "ArrowRight" || key === " " || key === "Spacebar" || key === "PageDown" || key === "Enter" || key === "ArrowDown") {
      if (key === "Enter" && t && t.tagName === "BUTTON") { return; }
      next();
    } else if (key === "ArrowLeft" || key === "PageUp" || key === "Backspace" || key === "ArrowUp") {
      prev();
    } else if (key === "Home") {
      go(0);
    } else if (key === "End") {
      go(slides.length - 1);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else if (key === "b" || key === "B" || key === ".") {
      toggleBlank();
    } else {
      handled = false;
    }
    if (handled) { ev.preventDefault(); }
  });

  if (channel) {
    channel.onmessage = function (ev) {
      var msg = ev.data || {};
      if (msg.from !== me && msg.version === data.version && typeof msg.index === "number") { go(msg.index, true); }
    };
  }
  window.addEventListener("storage", function (ev) {
    if (ev.key !== storeKey || !ev.newValue) { return; }
    try {
      var msg = JSON.parse(ev.newValue);
      if (msg.from !== me && typeof msg.index === "number") { go(msg.index, true); }
    } catch (e) { /* ignore */ }
  });

  if (role === "presenter") {
    Array.prototype.forEach.call(document.querySelectorAll("[data-go]"), function (button) {
      button.addEventListener("click", function () {
        var where = button.getAttribute("data-go");
        if (where === "next") { next(); } else if (where === "prev") { prev(); }
        else if (where === "first") { go(0); } else if (where === "last") { go(slides.length - 1); }
      });
    });
    var opener = document.getElementById("open-audience");
    if (opener) {
      opener.addEventListener("click", function () {
        window.open(data.audienceUrl, "ceremony-audience-" + data.slug, "popup,width=1920,height=1080");
      });
    }
    var clock = document.getElementById("clock");
    var tick = function () {
      var d = new Date();
      clock.textContent = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    };
    if (clock) { tick(); window.setInterval(tick, 10000); }
  } else {
    // A click or tap on the screen steps forward, as in slide software.
    stage.addEventListener("click", function () { next(); });
    var idle = null;
    var wake = function () {
      document.body.classList.remove("is-idle");
      if (idle) { window.clearTimeout(idle); }
      idle = window.setTimeout(function () { document.body.classList.add("is-idle"); }, 2500);
    };
    document.addEventListener("mousemove", wake);
    wake();
  }

  // Load both weights now, while the network is surely up, so a later slide never waits on a font.
  if (document.fonts && document.fonts.load) {
    document.fonts.load('700 64px "Ceremony Myeongjo"', "가").catch(function () {});
    document.fonts.load('400 32px "Ceremony Myeongjo"', "가").catch(function () {});
    document.fonts.ready.then(function () {
      if (role !== "presenter") {
        var current = stage.querySelector(".slide");
        if (current) { fit(current.querySelector(".slide__recipient")); fit(current.querySelector(".slide__heading")); }
      }
    });
  }

  window.addEventListener("resize", function () {
    if (role !== "presenter") {
      var current = stage.querySelector(".slide");
      if (current) { fit(current.querySelector(".slide__recipient")); fit(current.querySelector(".slide__heading")); }
    }
  });

  var start = 0;
  try {
    var stored = JSON.parse(localStorage.getItem(storeKey) || "null");
    // Resume after a reload during the ceremony, but not from yesterday's rehearsal.
    if (stored && typeof stored.index === "number" && Date.now() - (stored.at || 0) < 6 * 3600 * 1000) {
      start = clamp(stored.index);
    }
  } catch (e) { start = 0; }
  index = start;
  render();
  poll();
  window.setInterval(poll, 1500);
  document.body.classList.add("is-ready");
  window.ceremony = { go: go, next: next, prev: prev, index: function () { return index; }, count: slides.length };
})();
