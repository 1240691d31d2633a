/* Focus and keys on the kiosk, for a visitor with a keypad (arrows, Enter) or a screen reader.
   - After an htmx update focus stays where the visitor was: on the same control if it is
     still there (the same id, or a link or button with the same words in the new part), on
     the first new card after "more", else on the updated part's result count or heading,
     which is read out.
   - Each on-screen keypad and keyboard is one Tab stop; arrow keys move between its keys
     (a roving tabindex), Home and End go to its first and last key.
   - The search box's keyboard opens when the box is tapped or its button pressed, never on
     focus alone, so Tab walks past the box without 50 more stops.
   - A keyboard opened with OK on its button takes the focus.
   - A kiosk keypad (arrows, Enter/OK, a back key) reaches everything: outside a keypad, Down
     and Right go to the next control, Up and Left to the one before (a keypad counts as one,
     and an arrow past its edge leaves it); from nothing focused, Down goes to the screen's
     first control below the bar. In a grid of choices Up and Down go a row at a time. In a
     text box Left and Right move the caret until its end.
     Enter (OK) on a choice selects it. The back key is Escape, or Backspace outside a text
     box: it closes an open on-screen keyboard, else follows the bar's "back" (docs/accessibility.md).
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
    if (!to) { if (ARROWS[event.key]) moveFrom(from, ARROWS[event.key]); return; }
    makeStop(group, to);
    to.focus();
  });

  // --- the whole screen by arrows, Enter and a back key (a kiosk keypad) ---
  var ARROWS = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1};
  var STOPS = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, [tabindex]";
  var TYPED = /^(text|search|tel|number|email|password|url)$/;

  // Every control a Tab would reach, in order; inside an open modal dialog only its own.
  function stops() {
    var scope = document.querySelector("dialog[open]") || document;
    return Array.prototype.filter.call(scope.querySelectorAll(STOPS), function (element) {
      return element.tabIndex >= 0 && visible(element) && !element.closest("[hidden], [inert]");
    });
  }

  // The next or previous control from `from` in document order (`from` itself may be no stop:
  // a result count focus.js moved to); from nothing, Down goes to the screen's first control.
  function moveFrom(from, step) {
    var all = stops(), main = document.querySelector("main"), to;
    if (!from) {
      to = step > 0 ? all.find(function (element) { return main && main.contains(element); }) : all[all.length - 1];
    } else if (all.indexOf(from) >= 0) {
      to = all[all.indexOf(from) + step];
    } else {
      var side = step > 0 ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
      var found = all.filter(function (element) { return from.compareDocumentPosition(element) & side; });
      to = step > 0 ? found[0] : found[found.length - 1];
    }
    if (to) to.focus();
  }

  // In a grid of choices Up and Down go a row at a time; past its first or last row they leave it.
  function acrossChoices(from, key) {
    var grid = from.closest(".choices");
    if (!grid || (key !== "ArrowUp" && key !== "ArrowDown")) return false;
    var all = Array.prototype.filter.call(grid.querySelectorAll("input"), visible);
    var to = vertical(all, from, key === "ArrowDown");
    if (to) to.focus();
    else moveFrom(all[key === "ArrowDown" ? all.length - 1 : 0], ARROWS[key]);
    return true;
  }

  function typedIn(element) {
    return element.matches("textarea") || (element.matches("input") && TYPED.test(element.type));
  }

  // Left and Right stay with the caret inside a text box until it reaches that end.
  function caretMoves(element, key) {
    if (!typedIn(element) || (key !== "ArrowLeft" && key !== "ArrowRight")) return false;
    if (element.matches("textarea") || element.selectionStart === null) return true;
    return key === "ArrowLeft" ? element.selectionStart > 0 : element.selectionEnd < element.value.length;
  }

  function goBack() {
    var open = document.querySelector("[data-hangul-target]:not([hidden]) [data-keyboard-close]");
    var back = document.getElementById("nav-back");
    if (open) { open.click(); document.getElementById(open.closest("[data-hangul-target]").dataset.hangulTarget).focus(); }
    else if (back) back.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target === document.body ? null : event.target;
    if (ARROWS[event.key] && !(target && (target.matches("select") || caretMoves(target, event.key)))) {
      event.preventDefault();
      if (!(target && acrossChoices(target, event.key))) moveFrom(target, ARROWS[event.key]);
    } else if (event.key === "Enter" && target && target.matches("input[type=checkbox], input[type=radio]")) {
      event.preventDefault();  // OK on a choice selects it, rather than sending the form
      if (!(target.type === "radio" && target.checked)) target.click();
    } else if ((event.key === "Escape" || (event.key === "Backspace" && !(target && typedIn(target))))
               && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      goBack();
    }
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

  // A keyboard opened by a key (OK on its button, not a tap) takes the focus, on its stop key.
  document.addEventListener("click", function (event) {
    var toggle = event.detail === 0 && event.target.closest && event.target.closest("[data-keyboard-toggle]");
    var board = toggle && document.getElementById(toggle.dataset.keyboardToggle);
    if (!board) return;
    setTimeout(function () {
      var stop = board.hidden ? null : board.querySelector("button[tabindex='0']");
      if (stop && visible(stop)) stop.focus();
    }, 0);
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
