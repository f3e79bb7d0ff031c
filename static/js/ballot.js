// Ballot pages on a shared or borrowed phone: when the voter leaves a ballot or its review,
// wipe the choices from the page, so that a copy the browser might keep for Back (its
// back/forward cache) shows nothing. The server already sends Cache-Control: no-store.
window.addEventListener("pagehide", function () {
  document.querySelectorAll("form.ballot").forEach(function (form) {
    form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken])").forEach(function (input) {
      input.remove();
    });
    form.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.checked = false;
    });
  });
  document.querySelectorAll("[data-secret]").forEach(function (element) {
    element.remove();
  });
});
// A page restored from that cache is reloaded from the server, which knows the ballot is cast.
window.addEventListener("pageshow", function (event) {
  if (event.persisted) {
    window.location.reload();
  }
});
