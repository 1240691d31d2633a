/* JobStop kiosk: the idle reset, and keeping nothing of one visitor for the next.
   After IDLE_SECONDS without a touch a dialog counts down IDLE_COUNTDOWN_SECONDS; "continue"
   keeps the session, otherwise the server session is cleared (POST …/reset) and the kiosk
   goes home with location.replace, so "back" cannot return to this visitor's screens. */
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("idle-dialog");
  if (!dialog || !body.dataset.homeUrl) return;
  var idleMs = Number(body.dataset.idleSeconds) * 1000;
  var countdownMs = Number(body.dataset.countdownSeconds) * 1000;
  var text = document.getElementById("idle-countdown");
  var idleTimer = null, tickTimer = null, deadline = 0, resetting = false;

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(showDialog, idleMs);
  }

  function onActivity() {
    if (!dialog.open) armIdle();
  }

  function render(seconds) {
    text.textContent = text.dataset.template.replace("{seconds}", String(seconds));
  }

  function showDialog() {
    deadline = Date.now() + countdownMs;
    render(Math.ceil(countdownMs / 1000));
    dialog.showModal();
    document.getElementById("idle-continue").focus();
    tickTimer = setInterval(tick, 1000);
  }

  // Counts from the deadline, not from ticks, so a sleeping or throttled tab still resets on time.
  function tick() {
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (left > 0) { render(left); return; }
    clearInterval(tickTimer);
    resetNow();
  }

  function keepGoing() {
    clearInterval(tickTimer);
    if (dialog.open) dialog.close();
    armIdle();
  }

  function forgetLocally() {
    try { window.localStorage.clear(); window.sessionStorage.clear(); } catch (e) { /* blocked */ }
  }

  function resetNow() {
    if (resetting) return;
    resetting = true;
    forgetLocally();
    var form = document.getElementById("idle-reset");
    var home = function () { window.location.replace(body.dataset.homeUrl); };
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        redirect: "manual", cache: "no-store"}).then(home, home);
  }

  document.getElementById("idle-continue").addEventListener("click", keepGoing);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); keepGoing(); });
  ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (name) {
    document.addEventListener(name, onActivity, {capture: true, passive: true});
  });
  document.addEventListener("htmx:afterRequest", onActivity);
  // After htmx moved to another list, a preference change returns to where the visitor is now.
  document.addEventListener("submit", function (event) {
    var next = event.target.querySelector && event.target.querySelector("input[name=next]");
    if (next) next.value = location.pathname + location.search;
  });
  // htmx writes its own history entries; mark them with this visit like the page's own entry.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    history.replaceState(Object.assign({}, history.state || {}, {visit: body.dataset.visit}), "");
  });
  if (body.dataset.idleArmed === "yes") armIdle();
})();
