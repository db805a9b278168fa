/* The live progress board: polls progress.json every few seconds and redraws when it changed.
   Polling rather than server-sent events: with gunicorn sync workers an event stream would hold a
   worker per open board; a short poll does not, and it recovers by itself after Wi-Fi drops. */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-url");
  var interval = Math.max(2, parseInt(root.getAttribute("data-interval"), 10) || 3) * 1000;
  var digest = root.getAttribute("data-digest") || "";
  var text = JSON.parse(document.getElementById("board-text").textContent);
  var failures = 0;
  var timer = null;

  function $(name) { return root.querySelector('[data-board="' + name + '"]'); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp() {
    var d = new Date();
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  function cellLabel(c) {
    if (c.state === "complete") { return text.done; }
    if (c.state === "in_progress") { return c.filled + "/" + c.total; }
    if (c.state === "not_started") { return "—"; }
    if (c.state === "conflict") { return text.conflict; }
    return "";
  }

  function render(board) {
    var labels = board.state_labels;
    var headRow = el("tr", {}, [el("th", {scope: "col", "class": "board__judge", text: text.judge})]);
    board.entries.forEach(function (e) {
      headRow.appendChild(el("th", {scope: "col"}, [
        el("span", {"class": "entry-pos", text: String(e.position)}),
        el("span", {"class": "entry-head", text: e.short}),
        el("span", {"class": "entry-count", text: e.complete + "/" + e.expected})
      ]));
    });
    headRow.appendChild(el("th", {scope: "col", text: text.left}));
    var tbody = el("tbody");
    board.judges.forEach(function (j) {
      var done = j.activity === "submitted";
      var status = el("span", {"class": "judge-status judge-status--" + (done ? "submitted" : "waiting"),
                               text: (done ? "✔ " : "") + board.activity_labels[j.activity]});
      var th = el("th", {scope: "row", "class": "board__judge"});
      th.appendChild(document.createTextNode(j.name));
      th.appendChild(el("br"));
      th.appendChild(status);
      if (j.signed) {
        th.appendChild(document.createTextNode(" "));
        th.appendChild(el("span", {"class": "judge-signed judge-signed--" + j.signed,
                                   text: "✍ " + board.signed_labels[j.signed]}));
      }
      var row = el("tr", {"data-judge": j.key}, [th]);
      j.cells.forEach(function (c, i) {
        var entry = board.entries[i];
        var span = el("span", {"class": "cell cell--" + c.state, "data-state": c.state,
                               title: j.name + " — " + entry.name + ": " + labels[c.state]});
        var label = cellLabel(c);
        if (label) { span.textContent = label; } else { span.appendChild(el("span", {"class": "sr-only", text: labels[c.state]})); }
        row.appendChild(el("td", {}, [span]));
      });
      var left = j.expected === 0 ? "—" : String(j.missing.length);
      row.appendChild(el("td", {"class": "num"}, [j.missing.length ? el("strong", {text: left}) : document.createTextNode(left)]));
      tbody.appendChild(row);
    });
    var table = root.querySelector("[data-board-table]");
    var fresh = el("table", {"class": "board", "data-board-table": ""}, [
      el("caption", {"class": "sr-only", text: text.caption}), el("thead", {}, [headRow]), tbody]);
    table.parentNode.replaceChild(fresh, table);

    ["submitted", "judges_expected", "cells_complete", "cells_expected"].forEach(function (k) {
      var node = $(k);
      if (node) { node.textContent = board[k]; }
    });
    var missing = $("missing");
    if (missing) {
      missing.textContent = "";
      var any = false;
      board.judges.forEach(function (j) {
        if (!j.missing.length) { return; }
        any = true;
        var li = el("li", {}, [el("strong", {text: j.name})]);
        li.appendChild(document.createTextNode(": " + j.missing.join(", ")));
        missing.appendChild(li);
      });
      if (!any) { missing.appendChild(el("li", {text: text.nothing_left})); }
    }
    var announce = $("announce");
    if (announce) {
      announce.textContent = text.announce.replace("{a}", board.submitted).replace("{b}", board.judges_expected)
        .replace("{c}", board.cells_complete).replace("{d}", board.cells_expected);
    }
  }

  // The lock card lists what still stands in the way (problems) or needs confirming (warnings).
  function renderLock(lock) {
    var problems = document.querySelector('[data-lock="problems"]');
    var warnings = document.querySelector('[data-lock="warnings"]');
    var confirm = document.querySelector('[data-lock="confirm"]');
    var button = document.querySelector('[data-lock="button"]');
    [[problems, lock.problems], [warnings, lock.warnings]].forEach(function (pair) {
      var box = pair[0];
      if (!box) { return; }
      var list = el("ul");
      pair[1].forEach(function (line) { list.appendChild(el("li", {text: line})); });
      box.textContent = "";
      box.appendChild(list);
      box.hidden = pair[1].length === 0;
    });
    if (confirm) { confirm.hidden = lock.warnings.length === 0; }
    if (button) {
      button.disabled = lock.problems.length > 0;
      button.setAttribute("aria-disabled", lock.problems.length > 0 ? "true" : "false");
    }
  }

  // The audience panel's turnout (counts only), one card per audience round.
  function renderTurnout(rounds) {
    rounds.forEach(function (r) {
      var t = r.turnout;
      var values = {issued: t.issued, revoked: t.revoked, cast: t.cast,
                    percent: t.percent_display === null ? "—" : t.percent_display + "%"};
      Object.keys(values).forEach(function (k) {
        var node = document.querySelector('[data-turnout="' + r.key + ':' + k + '"]');
        if (node) { node.textContent = String(values[k]); }
      });
      var bar = document.querySelector('[data-turnout="' + r.key + ':bar"]');
      if (bar) { bar.value = t.cast; bar.max = Math.max(t.valid, 1); }
    });
  }

  function setLive(ok, message) {
    var live = $("live");
    var updated = $("updated");
    if (live) { live.classList.toggle("is-stale", !ok); }
    if (updated) { updated.textContent = message; }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  function poll() {
    if (document.hidden) { schedule(interval); return; }
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status === 401) { setLive(false, text.signed_out); throw new Error("signed out"); }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data.board.digest !== digest) {
          digest = data.board.digest;
          root.setAttribute("data-digest", digest);
          render(data.board);
          // the day's chart: markup drawn by the server (judging/charts.py), swapped as it is
          var chart = document.querySelector("[data-day-chart]");
          if (chart && data.day_chart) { chart.innerHTML = data.day_chart; }
        }
        var status = document.querySelector('[data-board="round_status_label"]');
        if (status && data.round_status_label) { status.textContent = data.round_status_label; }
        if (data.lock) { renderLock(data.lock); }
        if (data.audience) { renderTurnout(data.audience); }
        setLive(true, text.updated + " " + stamp());
        schedule(interval);
      })
      .catch(function (error) {
        failures += 1;
        if (String(error.message) !== "signed out") { setLive(false, text.stale); }
        // Back off gently on a flaky network, never more than 30 seconds.
        schedule(Math.min(30000, interval * Math.pow(2, Math.min(failures, 4))));
      });
  }

  document.addEventListener("visibilitychange", function () { if (!document.hidden) { schedule(0); } });
  setLive(true, text.updated + " " + stamp());
  schedule(interval);
}());
