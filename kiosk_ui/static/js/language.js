// The language picker submits itself on change; its button is there for browsers without JS.
for (const select of document.querySelectorAll(".language-picker select[data-autosubmit]")) {
  const form = select.form;
  form.querySelector(".language-go").hidden = true;
  select.addEventListener("change", () => form.requestSubmit());
}
