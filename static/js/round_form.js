// Round form: choosing a preset fills the rule fields in, visibly, before anything is saved.
// The presets come from a JSON data block on the page (CSP allows no inline script).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var select = document.getElementById("id_preset");
    var data = document.getElementById("rule-presets");
    if (!select || !data) return;
    var presets = JSON.parse(data.textContent);
    var button = document.getElementById("apply-preset");
    // The script does what the button does without it; removed, it cannot catch Enter.
    if (button) button.remove();
    var note = document.getElementById("preset-filled");
    select.addEventListener("change", function () {
      var values = presets[select.value];
      if (!values) return;
      Object.keys(values).forEach(function (name) {
        var input = document.getElementById("id_" + name);
        if (!input) return;
        if (input.type === "checkbox") input.checked = Boolean(values[name]);
        else input.value = String(values[name]);
        input.dispatchEvent(new Event("change", { bubbles: true }));
        var field = input.closest(".field");
        if (field) {
          field.classList.remove("just-filled");
          void field.offsetWidth; // restart the highlight
          field.classList.add("just-filled");
        }
      });
      if (note) note.hidden = false;
    });
  });
})();
