// Operations: list, add, edit (name, quality check), archive when unused, restore.
import { $, api, el, fill, t } from "./common.js";
import { clearErrors, showBoxError, showError, values } from "./setup_form.js";

let editing = null;

async function load() {
  const ops = await api("GET", "/operations");
  fill($("#op-rows"), ops.map(row));
}

function row(op) {
  return el("tr", { dataset: { code: op.code } },
    el("td", { class: "mono" }, op.code),
    el("td", {}, op.name),
    el("td", {}, op.is_quality_check ? t("Yes") : t("No")),
    el("td", {}, el("span", { class: `badge ${op.archived ? "badge-cancelled" : "badge-completed"}` },
      op.archived ? t("Archived") : t("Active"))),
    el("td", { class: "actions" },
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => openEdit(op) }, t("Edit")),
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => setArchived(op, !op.archived) },
        op.archived ? t("Restore") : t("Archive"))));
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("POST", "/operations", values(form));
    form.reset();
    clearErrors(form);
    await load();
  } catch (err) { showError(form, err); }
}

function openEdit(op) {
  editing = op.code;
  const form = $("#op-edit-form");
  clearErrors(form);
  $("#op-edit-code").textContent = op.code;
  form.elements.name.value = op.name;
  form.elements.is_quality_check.checked = op.is_quality_check;
  $("#op-edit").hidden = false;
  form.elements.name.focus();
}

async function saveEdit(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("PATCH", `/operations/${encodeURIComponent(editing)}`, values(form));
    $("#op-edit").hidden = true;
    await load();
  } catch (err) { showError(form, err); }
}

async function setArchived(op, archived) {
  $("#op-list-error").hidden = true;
  try {
    await api("PATCH", `/operations/${encodeURIComponent(op.code)}`, { archived });
    await load();
  } catch (err) { showBoxError($("#op-list-error"), err); }
}

$("#op-form").addEventListener("submit", create);
$("#op-edit-form").addEventListener("submit", saveEdit);
$("#op-edit-cancel").addEventListener("click", () => { $("#op-edit").hidden = true; });
load().catch((err) => showBoxError($("#op-list-error"), err));
