/* Voice guidance (소리 안내), loaded only while the visitor has it on (kiosk/web/voice.py).
   - Each screen reads its line (its title and what to do there) when it opens, and again on
     "다시 듣기" (#voice-replay); then what the screen marks with data-voice-read (an opening's
     title, employer and facts).
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

  function decoded(request) {
    return request.then(function (response) { return response.ok ? response.arrayBuffer() : null; })
      .then(function (wav) { return wav ? context.decodeAudioData(wav) : null; })
      .catch(function () { return null; });  // a request lost: the screen still works
  }

  // Plays the answers one after another (all are asked at once); a newer play() stops them.
  function play(requests) {
    var mine = ++asked, sounds = requests.map(decoded);
    stop();
    (function next(at) {
      if (at >= sounds.length) return;
      sounds[at].then(function (sound) {
        if (mine !== asked) return;
        if (!sound) { next(at + 1); return; }
        playing = context.createBufferSource();
        playing.buffer = sound;
        playing.connect(gain);
        playing.onended = function () { if (mine === asked) next(at + 1); };
        if (context.state === "suspended") context.resume();
        playing.start();
        body.dataset.voiceSpoken = String(mine);  // how many were asked when this one played
      });
    })(0);
  }

  function sayRequest(text) {
    var form = new FormData();
    form.append("text", text.slice(0, 400));
    return fetch(data.voiceSay, {method: "POST", body: form, credentials: "same-origin",
                                 headers: {"X-CSRF-Token": csrf}});
  }

  // The screen's line, then what the screen marks to be read with it (an opening's facts).
  function screen() {
    var requests = [fetch(data.voiceScreen, {credentials: "same-origin"})];
    document.querySelectorAll("main [data-voice-read]").forEach(function (part) {
      var text = words(part);
      if (text) requests.push(sayRequest(text));
    });
    play(requests);
  }

  function say(text) {
    if (text) play([sayRequest(text)]);
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
