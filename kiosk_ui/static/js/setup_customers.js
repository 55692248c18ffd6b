// Customers: add one, rename one in place (the code stays: orders refer to it).
import { $, api, el, fill, t, toast } from "./common.js";
import { clearError, emptyRow, field, submitting } from "./setup_forms.js";

function row(c) {
  const name = el("td", { class: "customer-name" }, c.name);
  const actions = el("td", { class: "row-actions" });
  const tr = el("tr", { dataset: { customer: c.code } }, el("td", { class: "mono" }, c.code), name, actions);
  const view = () => {
    fill(name, c.name);
    fill(actions, el("button", { type: "button", class: "btn btn-ghost", onclick: edit }, t("Edit")));
  };
  function edit() {
    clearError($("#edit-error"));
    const input = el("input", { name: "name", value: c.name, "aria-label": t("Name"), autocomplete: "off" });
    const save = el("button", { type: "submit", class: "btn btn-primary" }, t("Save"));
    const form = el("form", { class: "row-actions", onsubmit: async (event) => {
      event.preventDefault();
      const saved = await submitting(save, $("#edit-error"), () =>
        api("PATCH", `/customers/${encodeURIComponent(c.code)}`, { name: input.value.trim() }));
      if (saved) { c = saved; view(); toast(t("Customer saved"), "ok"); }
    } }, input, save, el("button", { type: "button", class: "btn btn-ghost", onclick: view }, t("Cancel")));
    fill(name, form);
    fill(actions);
    input.focus();
  }
  view();
  return tr;
}

async function load() {
  try {
    const customers = await api("GET", "/customers");
    fill($("#customer-rows"), customers.length ? customers.map(row) : emptyRow(3, t("No customers yet")));
  } catch (err) { toast(err.message, "bad"); }
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const made = await submitting(form.querySelector("[type=submit]"), $("#customer-error"), () =>
    api("POST", "/customers", { code: field(form, "code"), name: field(form, "name") }));
  if (made) { form.reset(); toast(t("Customer added"), "ok"); load(); }
}

$("#customer-form").addEventListener("submit", create);
load();
