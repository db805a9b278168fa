// Print buttons (judge cards, council invitations, the receipt): <button data-print>. A file, not an
// onclick attribute, so the Content-Security-Policy can forbid every inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
