/* The on-screen number keypad: big keys that type into the field named by data-keypad.
   Phone fields (data-format="phone") show dashes as the number grows: 010-1234-5678.
   The field stays an ordinary input, so a hardware keyboard and no-JavaScript still work. */
(function () {
  "use strict";

  function formatPhone(digits) {
    if (digits.length < 4) return digits;
    if (digits.length < 8) return digits.slice(0, 3) + "-" + digits.slice(3);
    var middle = digits.length === 10 ? 3 : 4;
    return digits.slice(0, 3) + "-" + digits.slice(3, 3 + middle) + "-" + digits.slice(3 + middle);
  }

  function press(input, key) {
    var digits = input.value.replace(/\D/g, "");
    var max = input.dataset.format === "phone" ? 11 : (input.maxLength > 0 ? input.maxLength : 32);
    if (key === "back") digits = digits.slice(0, -1);
    else if (key === "clear") digits = "";
    else if (digits.length < max) digits += key;
    input.value = input.dataset.format === "phone" ? formatPhone(digits) : digits;
    input.removeAttribute("aria-invalid");
  }

  function wire(pad) {
    var input = document.getElementById(pad.dataset.keypad);
    if (!input) return;
    pad.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-key]");
      if (button) press(input, button.dataset.key);
    });
  }

  function countDown(hint) {
    var left = parseInt(hint.dataset.wait || "0", 10);
    var button = document.getElementById("resend");
    if (!button || left <= 0) return;
    button.disabled = true;
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        hint.textContent = "";
        return;
      }
      if (left % 10 === 0) hint.textContent = hint.dataset.template.replace("{seconds}", left);
    }, 1000);
  }

  /* A second tap on a submit button while the first is on its way does nothing. */
  function guardDoubleSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "yes") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "yes";
      setTimeout(function () { form.dataset.sending = ""; }, 4000);
    });
  }

  function init() {
    document.querySelectorAll("[data-keypad]").forEach(wire);
    document.querySelectorAll("[data-format='phone']").forEach(function (input) {
      if (input.value) input.value = formatPhone(input.value.replace(/\D/g, ""));
    });
    var hint = document.getElementById("resend-hint");
    if (hint) countDown(hint);
    document.querySelectorAll("main form[method='post']").forEach(guardDoubleSubmit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
