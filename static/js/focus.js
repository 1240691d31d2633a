/* Focus and keys on the kiosk, for a visitor with a keypad (arrows, Enter) or a screen reader.
   - After an htmx update focus stays where the visitor was: on the same control if it is
     still there (the same id, or a link or button with the same words in the new part), on
     the first new card after "more", else on the updated part's result count or heading,
     which is read out.
   - Each on-screen keypad and keyboard is one Tab stop; arrow keys move between its keys
     (a roving tabindex), Home and End go to its first and last key.
   - The search box's keyboard opens when the box is tapped or its button pressed, never on
     focus alone, so Tab walks past the box without 50 more stops.
   A double tap on a form is kiosk.js's to stop (one submit in flight per form). */
(function () {
  "use strict";
  var GROUPS = "[data-keypad], [data-hangul-target]";
  var saved = null;

  function visible(element) {
    return Boolean(element && element.isConnected && element.getClientRects().length);
  }

  function words(element) { return (element.textContent || "").replace(/\s+/g, " ").trim(); }

  // --- keeping focus over htmx updates ---
  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    saved = {active: active, id: active && active.id, tag: active && active.tagName,
             text: active ? words(active) : "", fromForm: event.detail.elt.tagName === "FORM",
             appends: /^beforeend/.test(event.detail.elt.getAttribute("hx-swap") || "")};
  });

  // "More" appends cards: remember how many there were, to go to the first new one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (saved && saved.appends && event.detail.target) saved.had = event.detail.target.children.length;
  });

  function firstNew(area) {
    if (!saved || saved.had === undefined || area.children.length <= saved.had) return null;
    var added = area.children[saved.had];
    return added.querySelector("a[href], button") || null;
  }

  function sameControl(area) {
    if (!saved) return null;
    if (saved.id) {
      var same = document.getElementById(saved.id);
      if (visible(same)) return same;
    }
    if (saved.fromForm || !saved.text || !/^(A|BUTTON)$/.test(saved.tag || "")) return null;
    var found = Array.prototype.find.call(area.querySelectorAll(saved.tag), function (element) {
      return visible(element) && words(element) === saved.text;
    });
    return found || null;
  }

  function announceArea(area) {
    var spot = area.querySelector(".result-count") || area.querySelector("h1, h2") || area;
    if (!spot.hasAttribute("tabindex") && !spot.matches("a, button, input")) spot.setAttribute("tabindex", "-1");
    return spot;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && visible(active)) return;
    var area = event.detail.target && event.detail.target.isConnected ? event.detail.target : document.querySelector("main");
    var spot = sameControl(area) || firstNew(area) || announceArea(area);
    spot.focus();
    saved = null;
  });

  // --- one Tab stop per keypad, arrows between its keys ---
  function keysOf(group) {
    return Array.prototype.filter.call(group.querySelectorAll("button"), visible);
  }

  function makeStop(group, key) {
    group.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("tabindex", button === key ? "0" : "-1");
    });
  }

  // Keys of the layout shown (the whole keyboard may still be closed).
  function shownKeys(group) {
    return Array.prototype.filter.call(group.querySelectorAll("button"), function (button) {
      var hidden = button.closest("[hidden]");
      return !hidden || hidden === group || !group.contains(hidden);
    });
  }

  function ensureStop(group) {
    var keys = shownKeys(group);
    var stop = keys.find(function (key) { return key.getAttribute("tabindex") === "0"; });
    if (!stop && keys.length) makeStop(group, keys[0]);
  }

  function centre(rect) { return {x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, h: rect.height}; }

  // The key above or below: the nearest row in that direction, then the nearest key in it.
  function vertical(keys, from, down) {
    var here = centre(from.getBoundingClientRect()), best = null, bestScore = Infinity;
    keys.forEach(function (key) {
      var there = centre(key.getBoundingClientRect()), dy = (there.y - here.y) * (down ? 1 : -1);
      if (dy < here.h / 2) return;
      var score = dy * 10000 + Math.abs(there.x - here.x);
      if (score < bestScore) { bestScore = score; best = key; }
    });
    return best;
  }

  function nextKey(keys, from, key) {
    var at = keys.indexOf(from);
    if (key === "ArrowLeft") return keys[at - 1];
    if (key === "ArrowRight") return keys[at + 1];
    if (key === "Home") return keys[0];
    if (key === "End") return keys[keys.length - 1];
    if (key === "ArrowUp" || key === "ArrowDown") return vertical(keys, from, key === "ArrowDown");
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var from = event.target.closest && event.target.closest("button");
    var group = from && from.closest(GROUPS);
    if (!group || event.altKey || event.ctrlKey || event.metaKey) return;
    if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].indexOf(event.key) < 0) return;
    event.preventDefault();
    var to = nextKey(keysOf(group), from, event.key);
    if (!to) return;
    makeStop(group, to);
    to.focus();
  });

  document.addEventListener("focusin", function (event) {
    var group = event.target.closest && event.target.closest(GROUPS);
    if (group && event.target.matches("button")) makeStop(group, event.target);
  });

  // A key that switches layouts hides the others: keep one stop among those now shown.
  document.addEventListener("click", function (event) {
    var group = event.target.closest && event.target.closest(GROUPS);
    if (group) setTimeout(function () { ensureStop(group); }, 0);
  });

  // --- the search keyboard opens on a tap on its box, not on focus ---
  document.addEventListener("click", function (event) {
    var input = event.target.closest && event.target.closest("input[data-keyboard-input]");
    var board = input && document.getElementById(input.dataset.keyboardInput);
    var toggle = board && document.querySelector("[data-keyboard-toggle='" + board.id + "']:not([hidden])");
    if (toggle && board.hidden) toggle.click();
  });

  function init(root) {
    if (!root.querySelectorAll) return;
    var groups = Array.prototype.slice.call(root.querySelectorAll(GROUPS));
    if (root.matches && root.matches(GROUPS)) groups.push(root);
    groups.forEach(ensureStop);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(document); });
  else init(document);
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
