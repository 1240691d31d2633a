/* JobStop kiosk: the idle reset, keeping nothing of one visitor for the next, and the search
   box's on-screen keyboard.
   After IDLE_SECONDS without a touch a dialog counts down IDLE_COUNTDOWN_SECONDS; "continue"
   keeps the session, otherwise the server session is cleared (POST …/reset) and the kiosk
   goes home with location.replace. Links, preference changes and htmx (hx-replace-url) all
   replace the browser's one history entry instead of adding entries, so the browser holds
   no list of a visitor's screens; "back" on a screen is a link the server worked out. */
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
  // A plain link replaces this screen in the browser's history rather than adding one.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey
        || event.shiftKey || event.altKey || link.target || link.hasAttribute("download")
        || link.hasAttribute("hx-get")) return;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    location.replace(url.href);
  });
  // A preference change returns to where the visitor is now (htmx may have moved on), and it
  // too replaces the screen: the form is sent by fetch, then the screen is loaded again.
  document.addEventListener("submit", function (event) {
    var form = event.target, next = form.querySelector && form.querySelector("input[name=next]");
    if (!next) return;
    next.value = location.pathname + location.search;
    if (!window.fetch || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form), submitter = event.submitter;
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin", redirect: "manual",
                        cache: "no-store"}).then(function (response) {
      if (response.type === "opaqueredirect") { location.replace(next.value); return; }
      if (submitter && submitter.name) {  // refused (an old form): let the browser show why
        var chosen = document.createElement("input");
        chosen.type = "hidden"; chosen.name = submitter.name; chosen.value = submitter.value;
        form.appendChild(chosen);
      }
      form.submit();
    });
  });
  // htmx replaces the history entry too; mark it with this visit like the page's own entry.
  ["htmx:pushedIntoHistory", "htmx:replacedInHistory"].forEach(function (name) {
    document.addEventListener(name, function () {
      history.replaceState(Object.assign({}, history.state || {}, {visit: body.dataset.visit}), "");
    });
  });
  wireKeyboards(document);
  document.addEventListener("htmx:load", function (event) { wireKeyboards(event.detail.elt); });
  if (body.dataset.idleArmed === "yes") armIdle();

  // The search box's keyboard (static/js/hangul.js types into the box): it opens when the box
  // or the keyboard button is touched, and closes on "close" or when the search is sent.
  function setKeyboard(board, open) {
    board.hidden = !open;
    document.querySelectorAll("[data-keyboard-toggle='" + board.id + "']").forEach(function (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function wireKeyboards(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-keyboard-toggle]").forEach(function (button) {
      var board = document.getElementById(button.dataset.keyboardToggle);
      var input = board && document.getElementById(board.dataset.hangulTarget);
      if (!input) return;
      button.hidden = false;
      input.setAttribute("inputmode", "none");  // no second, system keyboard on a touch screen
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-keyboard-toggle]");
    var closer = event.target.closest && event.target.closest("[data-keyboard-close]");
    if (toggle) {
      var board = document.getElementById(toggle.dataset.keyboardToggle);
      setKeyboard(board, board.hidden);
    } else if (closer) setKeyboard(closer.closest("[data-hangul-target]"), false);
  });
  document.addEventListener("focusin", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("aria-controls");
    var board = id && document.getElementById(id);
    if (board && board.matches("[data-hangul-target]") && event.target.matches("input")) setKeyboard(board, true);
  });
  document.addEventListener("submit", function (event) {
    var board = event.target.querySelector && event.target.querySelector("[data-hangul-target]");
    if (board && board.id) setKeyboard(board, false);
  });
})();
