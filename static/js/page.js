// What every page does for people using a screen reader or the keyboard (WCAG 2.1: 3.3.1, 4.1.3).
//
// - A refused form: focus moves to its error summary (or to the conflict to settle), which names each field and
//   links to it; the page's title already starts with "Error:".
// - Messages after a full-page action ("Section saved."): a live region present from page load is given their text
//   a moment after load, so that they are spoken once; they stay on the page as they are, for everyone.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) summary.focus();
  var region = document.getElementById("portal-announce");
  var messages = document.querySelectorAll(".portal-messages .alert");
  if (region && messages.length && !summary) {
    var text = Array.prototype.map.call(messages, function (m) { return m.textContent.trim(); }).join(" ");
    setTimeout(function () { region.textContent = text; }, 400);
  }
})();
