// Machines: list, add, edit (name, station), enable and disable; writing needs an admin.
import { $, api, can, el, fill, t } from "./common.js";
import { clearErrors, gate, showBoxError, showError, values } from "./setup_form.js";

let editing = null;

async function load() {
  const [machines, stations] = await Promise.all([api("GET", "/machines"), api("GET", "/stations")]);
  const options = () => [el("option", { value: "" }, t("No station")),
    ...stations.map((s) => el("option", { value: s.name }, s.name))];
  for (const select of document.querySelectorAll(".station-select")) {
    const keep = select.value;
    fill(select, options());
    select.value = keep;
  }
  fill($("#machine-rows"), machines.map(row));
}

function row(m) {
  const admin = can("admin");
  return el("tr", { dataset: { code: m.code } },
    el("td", { class: "mono" }, m.code),
    el("td", {}, m.name),
    el("td", {}, m.station || "—"),
    el("td", {}, el("span", { class: `badge ${m.enabled ? "badge-completed" : "badge-cancelled"}` },
      m.enabled ? t("Enabled") : t("Disabled"))),
    el("td", { class: "actions" }, admin ? [
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => openEdit(m) }, t("Edit")),
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => setEnabled(m, !m.enabled) },
        m.enabled ? t("Disable") : t("Enable"))] : null));
}

function body(form) {
  const data = values(form);
  return { ...data, station: data.station || null };
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("POST", "/machines", body(form));
    form.reset();
    clearErrors(form);
    await load();
  } catch (err) { showError(form, err); }
}

function openEdit(m) {
  editing = m.code;
  const form = $("#machine-edit-form");
  clearErrors(form);
  $("#machine-edit-code").textContent = m.code;
  form.elements.name.value = m.name;
  form.elements.station.value = m.station || "";
  $("#machine-edit").hidden = false;
}

async function saveEdit(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("PATCH", `/machines/${encodeURIComponent(editing)}`, body(form));
    $("#machine-edit").hidden = true;
    await load();
  } catch (err) { showError(form, err); }
}

async function setEnabled(m, enabled) {
  $("#machine-list-error").hidden = true;
  try {
    await api("PATCH", `/machines/${encodeURIComponent(m.code)}`, { enabled });
    await load();
  } catch (err) { showBoxError($("#machine-list-error"), err); }
}

gate(can);
$("#machine-form").addEventListener("submit", create);
$("#machine-edit-form").addEventListener("submit", saveEdit);
$("#machine-edit-cancel").addEventListener("click", () => { $("#machine-edit").hidden = true; });
load().catch((err) => showBoxError($("#machine-list-error"), err));
