/* JobStop kiosk: the idle reset, keeping nothing of one visitor for the next, and the search
   box's on-screen keyboard.
   Idle time counts from the last request the server heard from this screen (the page itself,
   an htmx update, a form, or the heartbeat a touching visitor sends at most every
   IDLE_HEARTBEAT_SECONDS), as the server counts its session (kiosk/http/sessions.py). After
   IDLE_SECONDS a dialog counts down IDLE_COUNTDOWN_SECONDS; "continue" keeps the session,
   otherwise the server session is cleared (POST …/reset) and the kiosk goes home with
   location.replace. If that request is lost, the kiosk waits out the server's grace, after
   which the server has ended the session by itself, and then goes home.
   Links, forms and htmx (hx-replace-url) all replace the browser's one history entry instead
   of adding entries, so the browser holds no list of a visitor's screens; "back" on a screen
   is a link the server worked out. */
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("idle-dialog");
  if (!dialog || !body.dataset.homeUrl) return;
  var idleMs = Number(body.dataset.idleSeconds) * 1000;
  var countdownMs = Number(body.dataset.countdownSeconds) * 1000;
  var graceMs = Number(body.dataset.graceSeconds) * 1000;
  var heartbeatMs = Math.min(Number(body.dataset.heartbeatSeconds) * 1000, idleMs / 2);
  var text = document.getElementById("idle-countdown");
  var resetForm = document.getElementById("idle-reset");
  var csrf = resetForm.querySelector("input[name=csrf_token]").value;
  var armed = body.dataset.idleArmed === "yes";
  var heard = Date.now();  // when the server last heard from this screen
  var idleTimer = null, tickTimer = null, beatTimer = null, resetting = false;

  function arm() {
    clearTimeout(idleTimer);
    if (armed && !dialog.open && !resetting) {
      idleTimer = setTimeout(showDialog, Math.max(0, heard + idleMs - Date.now()));
    }
  }

  function heardAt(at) {
    heard = Math.max(heard, at);
    arm();
  }

  // `at` is when the activity it reports is known to have happened: a heartbeat that waited
  // reports its due time, even if a sleeping tab sends it later.
  function beat(at) {
    clearTimeout(beatTimer);
    beatTimer = null;
    at = Math.min(at || Date.now(), Date.now());
    return fetch(body.dataset.aliveUrl, {method: "POST", headers: {"X-CSRF-Token": csrf},
                                         credentials: "same-origin", cache: "no-store"})
      .then(function (response) { if (response.ok) heardAt(at); else arm(); },
            function () { arm(); });
  }

  // A touch is reported at once when the server heard nothing for a heartbeat's time, else
  // when that time is up; the idle time moves only when the server has heard.
  function onActivity() {
    if (dialog.open || resetting || beatTimer) return;
    armed = true;
    var wait = heard + heartbeatMs - Date.now();
    if (wait <= 0) beat(); else beatTimer = setTimeout(beat, wait, heard + heartbeatMs);
  }

  function render(seconds) {
    text.textContent = text.dataset.template.replace("{seconds}", String(seconds));
  }

  function resetAt() {
    return heard + idleMs + countdownMs;
  }

  function showDialog() {
    render(Math.max(0, Math.ceil((resetAt() - Date.now()) / 1000)));
    dialog.showModal();
    document.getElementById("idle-continue").focus();
    tickTimer = setInterval(tick, 1000);
  }

  // Counts from the deadline, not from ticks, so a sleeping or throttled tab still resets on time.
  function tick() {
    var left = Math.ceil((resetAt() - Date.now()) / 1000);
    if (left > 0) { render(left); return; }
    clearInterval(tickTimer);
    resetNow();
  }

  function keepGoing() {
    clearInterval(tickTimer);
    if (dialog.open) dialog.close();
    beat();
  }

  function forgetLocally() {
    try { window.localStorage.clear(); window.sessionStorage.clear(); } catch (e) { /* blocked */ }
  }

  // Sends a form by fetch; resolves to the address the server sends the visitor to, or null
  // (no answer, or an answer that is a page: an error to show).
  function send(form, submitter) {
    var data = new FormData(form), at = Date.now();
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
                               redirect: "manual", cache: "no-store", headers: {"X-Kiosk-Submit": "1"}})
      .then(function (response) {
        var target = response.headers.get("X-Kiosk-Location");
        if (target) heard = Math.max(heard, at);
        return target;
      }, function () { return null; });
  }

  function resetNow() {
    if (resetting) return;
    resetting = true;
    clearTimeout(idleTimer);
    clearTimeout(beatTimer);
    forgetLocally();
    var home = function () { window.location.replace(body.dataset.homeUrl); };
    send(resetForm).then(function (target) {
      if (target) { window.location.replace(target); return; }
      // Lost: the server ends the session itself once its grace is over; go home after that.
      setTimeout(home, Math.max(0, resetAt() + graceMs + 1000 - Date.now()));
    });
  }

  // The enrolled device reports in, visitor or not, so staff see it is on; the report leaves the
  // visitor's session and idle time alone. Refused (staff disabled this device): show why.
  var reportMs = Number(body.dataset.reportSeconds) * 1000;
  if (reportMs > 0 && body.dataset.reportUrl) {
    setInterval(function () {
      fetch(body.dataset.reportUrl, {method: "POST", headers: {"X-CSRF-Token": csrf},
                                     credentials: "same-origin", cache: "no-store"})
        .then(function (response) { if (response.status === 403) window.location.reload(); },
              function () { /* offline: the console shows it */ });
    }, reportMs);
  }

  document.getElementById("idle-continue").addEventListener("click", keepGoing);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); keepGoing(); });
  ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (name) {
    document.addEventListener(name, onActivity, {capture: true, passive: true});
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.xhr.kioskSentAt = Date.now();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) heardAt(event.detail.xhr.kioskSentAt || Date.now());
  });
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

  function submitNatively(form, submitter) {
    if (submitter && submitter.name) {
      var chosen = document.createElement("input");
      chosen.type = "hidden"; chosen.name = submitter.name; chosen.value = submitter.value;
      form.appendChild(chosen);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  // A form is sent by fetch too, and the screen it leads to replaces this one. A preference
  // change returns to where the visitor is now (htmx may have moved on). A form answered with
  // a page (an error to show) is sent again the ordinary way, so the visitor sees why.
  document.addEventListener("submit", function (event) {
    var form = event.target, submitter = event.submitter;
    if (event.defaultPrevented || !window.fetch || !window.FormData || form.target
        || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = location.pathname + location.search;
    event.preventDefault();
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      var query = new URLSearchParams(new FormData(form));
      if (submitter && submitter.name) query.append(submitter.name, submitter.value);
      location.replace(form.action.split("?")[0] + "?" + query.toString());
      return;
    }
    if (form.dataset.fetching === "yes") return;  // the second of a double tap
    form.dataset.fetching = "yes";
    if (form.hasAttribute("data-ends-visit")) forgetLocally();
    send(form, submitter).then(function (target) {
      if (target) { location.replace(target); return; }
      form.dataset.fetching = "";
      submitNatively(form, submitter);
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
  arm();

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
