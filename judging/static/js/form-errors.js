/* A form shown again with errors: open the folded section it sits in, bring the first field in
 * error into view and put the cursor in it, so the message is read beside the field it is about. */
(function () {
  "use strict";
  var field = document.querySelector(".field--error");
  if (!field) { return; }
  for (var node = field.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") { node.open = true; }
  }
  var control = field.querySelector("input, select, textarea");
  field.scrollIntoView({ block: "center" });
  if (control) {
    try { control.focus({ preventScroll: true }); } catch (e) { control.focus(); }
  }
})();
