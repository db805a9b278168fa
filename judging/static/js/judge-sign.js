/* judge-sign.js: the judge signs the sheet on the tablet, with a finger or a stylus.

   Pointer events on a canvas record the signature as a vector path: strokes of [x, y] points in a
   1000 x 400 box whatever the canvas's size on screen. The strokes go with the submit form
   (hidden field "signature"); the server keeps them with the hash of the sheet's content and prints
   them on the score sheet. The submit button waits for a signature. Plain ES5-style script. */
(function () {
  "use strict";

  var canvas = document.getElementById("sign-canvas");
  if (!canvas || !canvas.getContext) return;
  var form = canvas.closest("form");
  var field = form ? form.querySelector('input[name="signature"]') : null;
  var submit = document.getElementById("submit-confirm");
  var state = document.getElementById("sign-state");
  var clear = document.getElementById("sign-clear");
  if (!form || !field || !submit) return;

  var W = 1000, H = 400, MIN_POINTS = 10;
  var ctx = canvas.getContext("2d");
  var strokes = [], current = null;

  function point(ev) {
    var r = canvas.getBoundingClientRect();
    var x = Math.round((ev.clientX - r.left) / r.width * W);
    var y = Math.round((ev.clientY - r.top) / r.height * H);
    return [Math.max(0, Math.min(W, x)), Math.max(0, Math.min(H, y))];
  }

  function count() {
    var n = 0;
    for (var i = 0; i < strokes.length; i++) n += strokes[i].length;
    return n;
  }

  function draw() {
    ctx.clearRect(0, 0, W, H);
    ctx.lineWidth = 6;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    for (var i = 0; i < strokes.length; i++) {
      var s = strokes[i];
      ctx.beginPath();
      ctx.moveTo(s[0][0], s[0][1]);
      for (var j = 1; j < s.length; j++) ctx.lineTo(s[j][0], s[j][1]);
      if (s.length === 1) ctx.lineTo(s[0][0] + 0.1, s[0][1]);
      ctx.stroke();
    }
  }

  function update() {
    var ok = count() >= MIN_POINTS;
    field.value = ok ? JSON.stringify(strokes) : "";
    submit.disabled = !ok;
    if (state) state.textContent = ok ? state.dataset.done : state.dataset.empty;
  }

  canvas.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    if (canvas.setPointerCapture) canvas.setPointerCapture(ev.pointerId);
    current = [point(ev)];
    strokes.push(current);
    draw();
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!current) return;
    ev.preventDefault();
    var p = point(ev), last = current[current.length - 1];
    if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) < 3) return;  // keep the path light
    current.push(p);
    draw();
  });
  function end() { if (current) { current = null; update(); } }
  canvas.addEventListener("pointerup", end);
  // A slow stroke is a long press: no context menu or selection on the pad (it would also swallow
  // the next tap, on the submit button).
  canvas.addEventListener("contextmenu", function (ev) { ev.preventDefault(); });
  canvas.addEventListener("pointercancel", end);
  if (clear) clear.addEventListener("click", function () { strokes = []; draw(); update(); });
  update();
})();
