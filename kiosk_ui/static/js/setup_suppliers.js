// Suppliers: add one, edit its name and contact in place, deactivate or reactivate it.
import { $, api, el, fill, t, toast } from "./common.js";
import { clearError, emptyRow, field, submitting } from "./setup_forms.js";

function row(s) {
  const tr = el("tr", { dataset: { supplier: s.code } });
  const view = () => fill(tr,
    el("td", { class: "mono" }, s.code), el("td", {}, s.name), el("td", {}, s.contact || "—"),
    el("td", {}, el("span", { class: `badge badge-${s.active ? "active" : "inactive"}` },
      s.active ? t("active") : t("inactive"))),
    el("td", { class: "row-actions" },
      el("button", { type: "button", class: "btn btn-ghost", onclick: edit }, t("Edit")),
      el("button", { type: "button", class: "btn btn-ghost", onclick: toggle },
        s.active ? t("Deactivate") : t("Activate"))));
  async function save(body) {
    const saved = await submitting(null, $("#edit-error"),
      () => api("PATCH", `/suppliers/${encodeURIComponent(s.code)}`, body));
    if (saved) { s = saved; view(); toast(t("Supplier saved"), "ok"); }
  }
  function toggle() { save({ active: !s.active }); }
  function edit() {
    clearError($("#edit-error"));
    const name = el("input", { name: "name", value: s.name, "aria-label": t("Name"), autocomplete: "off" });
    const contact = el("input", { name: "contact", value: s.contact, "aria-label": t("Contact"), autocomplete: "off" });
    const form = el("form", { class: "row-actions", onsubmit: (event) => {
      event.preventDefault();
      save({ name: name.value.trim(), contact: contact.value.trim() });
    } }, name, contact, el("button", { type: "submit", class: "btn btn-primary" }, t("Save")),
    el("button", { type: "button", class: "btn btn-ghost", onclick: view }, t("Cancel")));
    fill(tr, el("td", { class: "mono" }, s.code), el("td", { colspan: 4 }, form));
    name.focus();
  }
  view();
  return tr;
}

async function load() {
  try {
    const suppliers = await api("GET", "/suppliers");
    fill($("#supplier-rows"), suppliers.length ? suppliers.map(row) : emptyRow(5, t("No suppliers yet")));
  } catch (err) { toast(err.message, "bad"); }
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const made = await submitting(form.querySelector("[type=submit]"), $("#supplier-error"), () =>
    api("POST", "/suppliers", { code: field(form, "code"), name: field(form, "name"),
      contact: field(form, "contact") }));
  if (made) { form.reset(); toast(t("Supplier added"), "ok"); load(); }
}

$("#supplier-form").addEventListener("submit", create);
load();
