// The idle session: signed out after SESSION_IDLE_TIMEOUT without activity (portal/security.py), warned before.
//
// - Typing, clicking and the page's own requests (autosave, htmx) count as activity: while someone works, the
//   session stays (at most one "ping" a minute tells the server).
// - Two minutes before the end, a warning with a "Stay signed in" button.
// - At the end, unsaved typing is kept on this device (static/js/autosave.js) and the page goes to the sign-in.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout || "0", 10) * 1000;
  if (!timeout || !body.dataset.pingUrl) return;
  var warnBefore = Math.min(120000, timeout / 4);
  var lastContact = Date.now(), pinging = false;
  var banner = document.getElementById("session-warning");
  var remaining = document.getElementById("session-warning-minutes");

  function contact() {
    lastContact = Date.now();
    if (banner && !banner.hidden) banner.hidden = true;
  }

  function ping() {
    if (pinging) return;
    pinging = true;
    fetch(body.dataset.pingUrl, {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": body.dataset.csrf}
    }).then(function (response) {
      if (response.ok) contact();
    }).catch(function () { /* offline: the next activity tries again */ }).then(function () { pinging = false; });
  }

  document.addEventListener("portal:server-contact", contact);
  document.addEventListener("htmx:afterRequest", contact);
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (Date.now() - lastContact > 60000) ping();
    }, {passive: true});
  });
  var stay = document.getElementById("session-stay");
  if (stay) stay.addEventListener("click", ping);

  setInterval(function () {
    var idle = Date.now() - lastContact;
    if (idle >= timeout) {
      document.dispatchEvent(new CustomEvent("portal:signing-out"));
      window.location.assign(body.dataset.loginUrl + "?idle=1&next=" +
        encodeURIComponent(window.location.pathname + window.location.search));
    } else if (idle >= timeout - warnBefore && banner) {
      remaining.textContent = String(Math.max(1, Math.ceil((timeout - idle) / 60000)));
      banner.hidden = false;
    }
  }, 5000);
})();
