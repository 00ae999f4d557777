// Kofu's page behaviour, kept out of the HTML so the Content-Security-Policy allows no inline script.

// A select marked data-submit-on-change submits its form when changed (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});
