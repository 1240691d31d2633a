/* Hangul composition for the on-screen name keyboard (2-beolsik layout).
   The keyboard keeps the keys pressed as a list of jamo; the field shows them composed into
   syllables, so backspace removes exactly the last jamo (닭 → 달 → 다 → ㄷ).
   Hangul.compose(["ㄷ","ㅏ","ㄹ","ㄱ"]) === "닭"; Hangul.decompose("닭") gives the keys back. */
(function (global) {
  "use strict";

  var CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
  var JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
  var JONG = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ",
              "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"];
  var VOWEL_PAIRS = {"ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ"};
  var FINAL_PAIRS = {"ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ",
                     "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ"};
  var SPLIT = {};
  [VOWEL_PAIRS, FINAL_PAIRS].forEach(function (pairs) {
    Object.keys(pairs).forEach(function (two) { SPLIT[pairs[two]] = [two[0], two[1]]; });
  });

  function isConsonant(key) { return CHO.indexOf(key) >= 0; }
  function isVowel(key) { return JUNG.indexOf(key) >= 0; }

  function render(block) {
    if (block.cho && block.jung) {
      return String.fromCharCode(0xAC00 + (CHO.indexOf(block.cho) * 21 + JUNG.indexOf(block.jung)) * 28
                                 + JONG.indexOf(block.jong));
    }
    return block.cho + block.jung;
  }

  function compose(keys) {
    var out = "", block = null;
    function flush() { if (block) out += render(block); block = null; }
    keys.forEach(function (key) {
      if (isConsonant(key)) {
        if (block && block.cho && block.jung && !block.jong && JONG.indexOf(key) > 0) block.jong = key;
        else if (block && block.jong && FINAL_PAIRS[block.jong + key]) block.jong = FINAL_PAIRS[block.jong + key];
        else { flush(); block = {cho: key, jung: "", jong: ""}; }
      } else if (isVowel(key)) {
        if (block && block.cho && !block.jung) block.jung = key;
        else if (block && block.jung && !block.jong && VOWEL_PAIRS[block.jung + key]) {
          block.jung = VOWEL_PAIRS[block.jung + key];
        } else if (block && block.jong) {
          // The last final consonant moves on to start the next syllable: 닭 + ㅏ → 달가.
          var parts = SPLIT[block.jong], next;
          if (parts) { block.jong = parts[0]; next = parts[1]; } else { next = block.jong; block.jong = ""; }
          flush();
          block = {cho: next, jung: key, jong: ""};
        } else { flush(); block = {cho: "", jung: key, jong: ""}; }
      } else { flush(); out += key; }
    });
    flush();
    return out;
  }

  function splitJamo(jamo) { return SPLIT[jamo] || (jamo ? [jamo] : []); }

  function decompose(text) {
    var keys = [];
    Array.from(text || "").forEach(function (ch) {
      var code = ch.charCodeAt(0) - 0xAC00;
      if (code >= 0 && code < 11172) {
        keys.push(CHO[Math.floor(code / 588)]);
        keys = keys.concat(splitJamo(JUNG[Math.floor((code % 588) / 28)]), splitJamo(JONG[code % 28]));
      } else keys = keys.concat(SPLIT[ch] || [ch]);
    });
    return keys;
  }

  function wire(board) {
    var input = document.getElementById(board.dataset.hangulTarget);
    if (!input || board.dataset.hangulWired) return;
    board.dataset.hangulWired = "yes";
    var keys = decompose(input.value), shift = false;
    var shiftButton = board.querySelector("[data-action='shift']");
    var layoutButton = board.querySelector("[data-action='layout']");
    function show() { input.value = compose(keys); input.removeAttribute("aria-invalid"); }
    function setShift(on) {
      shift = on;
      shiftButton.setAttribute("aria-pressed", on ? "true" : "false");
      board.querySelectorAll("button[data-shift]").forEach(function (b) {
        b.textContent = on ? b.dataset.shift : b.dataset.key;
      });
    }
    input.addEventListener("input", function () { keys = decompose(input.value); });
    board.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var action = button.dataset.action;
      if (action === "shift") { setShift(!shift); return; }
      if (action === "layout") {
        var layouts = board.querySelectorAll(".kb-layout"), toLatin = !layouts[0].hidden;
        layouts[0].hidden = toLatin;
        layouts[1].hidden = !toLatin;
        button.textContent = toLatin ? button.dataset.labelEn : button.dataset.labelKo;
        setShift(false);
        return;
      }
      if (action === "back") keys.pop();
      else if (action === "clear") keys = [];
      else if (button.dataset.key) {
        if (input.maxLength > 0 && compose(keys).length >= input.maxLength) return;
        keys.push(shift && button.dataset.shift ? button.dataset.shift : button.dataset.key);
        if (shift) setShift(false);
      }
      show();
    });
  }

  global.Hangul = {compose: compose, decompose: decompose};
  function init() { document.querySelectorAll("[data-hangul-target]").forEach(wire); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // A keyboard that htmx brought in (the search box after a filter) is wired as it arrives.
  document.addEventListener("htmx:load", init);
})(window);
