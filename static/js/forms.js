// Small form helpers, loaded from base.html (the CSP forbids inline scripts).
//
// <form data-confirm="…">: asks before submitting (irreversible actions).
// <form data-confirm-final="…" data-final-field="status" data-final-values="a b">:
//   asks only when that field holds one of the listed values (a final verdict).
// <fieldset data-max-choices="n">: once n boxes are ticked, the others are disabled.
// <fieldset data-check-group> with a <button data-check-all hidden>: ticks every box
//   of the group (the button shows only when the script runs).
(function () {
  "use strict";

  function asks(form) {
    var message = form.getAttribute("data-confirm");
    var final = form.getAttribute("data-confirm-final");
    if (final) {
      var field = form.elements[form.getAttribute("data-final-field")];
      var values = (form.getAttribute("data-final-values") || "").split(" ");
      if (field && values.indexOf(field.value) !== -1) {
        message = final;
      }
    }
    return message;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var message = asks(form);
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  function limit(group) {
    var max = parseInt(group.getAttribute("data-max-choices"), 10);
    var boxes = group.querySelectorAll("input[type=checkbox]");
    var ticked = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    boxes.forEach(function (box) {
      box.disabled = !box.checked && ticked >= max;
    });
    var note = group.querySelector("[data-max-note]");
    if (note) {
      note.hidden = ticked < max;
    }
  }

  function init() {
    document.querySelectorAll("[data-check-group] [data-check-all]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var group = button.closest("[data-check-group]");
        group.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          box.checked = true;
        });
      });
    });
    document.querySelectorAll("[data-max-choices]").forEach(function (group) {
      limit(group);
      group.addEventListener("change", function () {
        limit(group);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
