// The language picker submits itself on change (without JS its <noscript> button does).
for (const select of document.querySelectorAll(".language-picker select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
