/* Voice guidance (소리 안내), loaded only while the visitor has it on (kiosk/web/voice.py).
   - Each screen reads its line (its title and what to do there) when it opens, and again on
     "다시 듣기" (#voice-replay).
   - A visitor moving with keys (a kiosk keypad: arrows, Enter, back) hears the control that
     gets focus: its name, and for a choice whether it is selected. A tap does not speak. The
     idle dialog says its question and countdown when it opens.
   - The server speaks (espeak-ng) and sends WAV; the words of a control go in a POST body, never
     in an address. Each new request interrupts what is playing; an older answer that arrives
     late is dropped.
   The kiosk's Chromium runs with --autoplay-policy=no-user-gesture-required (docs/deploy.md),
   so a screen can speak before it is touched. */
(function () {
  "use strict";
  var body = document.body, data = body.dataset;
  if (data.voice !== "on") return;
  // Web Audio rather than an <audio> element: the sound is decoded from the answer itself, so
  // the Content-Security-Policy needs no blob: or media source.
  var Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  var context = new Context(), gain = context.createGain(), playing = null;
  gain.gain.value = Number(data.voiceVolume) || 0.8;
  gain.connect(context.destination);
  var csrf = (JSON.parse(body.getAttribute("hx-headers") || "{}"))["X-CSRF-Token"] || "";
  var asked = 0, byKeys = false;

  function stop() {
    if (playing) { try { playing.stop(); } catch (e) { /* already ended */ } }
    playing = null;
  }

  function play(request) {
    var mine = ++asked;
    stop();
    return request.then(function (response) { return response.ok ? response.arrayBuffer() : null; })
      .then(function (wav) { return wav && mine === asked ? context.decodeAudioData(wav) : null; })
      .then(function (sound) {
        if (!sound || mine !== asked) return;
        stop();
        playing = context.createBufferSource();
        playing.buffer = sound;
        playing.connect(gain);
        if (context.state === "suspended") context.resume();
        playing.start();
        body.dataset.voiceSpoken = String(mine);  // how many were asked when this one played
      }).catch(function () { /* no sound device, or a request lost: the screen still works */ });
  }

  function screen() {
    play(fetch(data.voiceScreen, {credentials: "same-origin"}));
  }

  function say(text) {
    if (!text) return;
    var form = new FormData();
    form.append("text", text.slice(0, 400));
    play(fetch(data.voiceSay, {method: "POST", body: form, credentials: "same-origin",
                               headers: {"X-CSRF-Token": csrf}}));
  }

  function words(element) {
    if (!element) return "";
    var copy = element.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach(function (hidden) { hidden.remove(); });
    return (copy.textContent || "").replace(/\s+/g, " ").trim();
  }

  // The control's name as a screen reader would say it (the parts JobStop's screens use).
  function nameOf(element) {
    var name = element.getAttribute("aria-label");
    if (!name && element.hasAttribute("aria-labelledby")) {
      name = element.getAttribute("aria-labelledby").split(/\s+/).map(function (id) {
        return words(document.getElementById(id));
      }).join(" ");
    }
    if (!name && element.labels && element.labels.length) name = words(element.labels[0]);
    if (!name) name = words(element);
    if (element.matches("input[type=checkbox], input[type=radio]")) {
      name += ", " + (element.checked ? data.voiceChecked : data.voiceNotChecked);
    } else if (element.getAttribute("aria-pressed") === "true" || element.getAttribute("aria-current")) {
      name += ", " + data.voiceChecked;
    }
    return name;
  }

  document.addEventListener("keydown", function () { byKeys = true; }, true);
  document.addEventListener("pointerdown", function () { byKeys = false; }, true);
  document.addEventListener("focusin", function (event) {
    var dialog = event.target.closest && event.target.closest("dialog[open]");
    if (dialog && !dialog.contains(event.relatedTarget)) {
      // The idle dialog opened by itself: say why, whatever the visitor last used.
      say([words(document.getElementById(dialog.getAttribute("aria-labelledby"))),
           words(document.getElementById(dialog.getAttribute("aria-describedby"))),
           nameOf(event.target)].join(". "));
    } else if (byKeys && event.target !== body) say(nameOf(event.target));
  });
  // A choice changed by a key says its new state.
  document.addEventListener("change", function (event) {
    if (byKeys && event.target.matches("input[type=checkbox], input[type=radio]")) say(nameOf(event.target));
  });
  var replay = document.getElementById("voice-replay");
  if (replay) replay.addEventListener("click", screen);
  screen();
})();
