// One item: its fields, archive/restore, its routing editor (buttons, no dragging) and the
// routing versions with how many active batches still follow each.
import { $, api, el, fill, t, toast } from "./common.js";
import { clearErrors, showBoxError, showError, values } from "./setup_form.js";

const SKU = document.body.dataset.sku;
const PATH = `/items/${encodeURIComponent(SKU)}`;
let item = null;
let steps = [];       // operation codes being edited
let operations = [];  // the catalogue, for names and the add list

async function load({ keepSteps = false } = {}) {
  let items;
  [item, operations, items] = await Promise.all([api("GET", `${PATH}/routing`), api("GET", "/operations"), api("GET", "/items")]);
  showItem();
  showScrap(items);
  if (!keepSteps) steps = item.routing.map((s) => s.operation);  // unsaved edits stay
  drawSteps();
  drawVersions();
}

function showItem() {
  const form = $("#item-form");
  for (const name of ["name", "kind", "unit", "tracking", "standard_cost"]) form.elements[name].value = item[name];
  $("#item-status").textContent = item.archived ? t("Archived") : t("Active");
  $("#item-status").className = `badge ${item.archived ? "badge-cancelled" : "badge-completed"}`;
  $("#item-archive").textContent = item.archived ? t("Restore") : t("Archive");
  $("#routing-version").textContent = t("version {n}", { n: item.routing_version });
  const usable = operations.filter((op) => !op.archived);
  fill($("#route-op"), usable.map((op) => el("option", { value: op.code }, `${op.code} — ${op.name}`)));
}

// Any other item may hold this one's scrap; scrap-kind items first, as they are the usual choice.
function showScrap(items) {
  const others = items.filter((i) => i.sku !== SKU && (!i.archived || i.sku === item.scrap_sku))
    .sort((a, b) => (a.kind === "scrap" ? 0 : 1) - (b.kind === "scrap" ? 0 : 1) || a.sku.localeCompare(b.sku));
  fill($("#scrap-sku"), el("option", { value: "" }, t("No scrap SKU")),
    others.map((i) => el("option", { value: i.sku }, `${i.sku} — ${i.name}`)));
  $("#scrap-sku").value = item.scrap_sku || "";
}

async function saveScrap(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("PUT", `${PATH}/scrap-item`, { scrap_sku: $("#scrap-sku").value || null });
    clearErrors(form);
    await load({ keepSteps: true });
    toast(t("Scrap SKU saved."), "good");
  } catch (err) { showError(form, err); }
}

function opName(code) {
  return (operations.find((op) => op.code === code) || {}).name || "";
}

function drawSteps() {
  const last = steps.length - 1;
  fill($("#route-steps"), steps.length ? steps.map((code, i) => el("li", { class: "route-step", dataset: { op: code } },
    el("span", { class: "route-pos" }, String(i + 1)),
    el("span", { class: "route-name" }, el("span", { class: "mono" }, code), " ", el("span", { class: "muted" }, opName(code))),
    el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Move {op} up", { op: code }), disabled: i === 0, onclick: () => move(i, -1) }, "↑"),
    el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Move {op} down", { op: code }), disabled: i === last, onclick: () => move(i, 1) }, "↓"),
    el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Remove {op}", { op: code }), onclick: () => remove(i) }, "✕")))
    : [el("li", { class: "muted" }, t("No steps yet."))]);
}

function move(i, by) {
  [steps[i], steps[i + by]] = [steps[i + by], steps[i]];
  drawSteps();
}

function remove(i) {
  steps.splice(i, 1);
  drawSteps();
}

function drawVersions() {
  fill($("#version-rows"), item.versions.map((v) => el("tr", { dataset: { version: v.version } },
    el("td", {}, t("v{n}", { n: v.version }), " ", v.current ? el("span", { class: "badge badge-in_progress" }, t("current")) : null),
    el("td", { class: "mono small" }, v.steps.map((s) => s.operation).join(" → ") || "—"),
    el("td", { class: "active-batches" }, String(v.active_batches)),
    el("td", { class: "small" }, `${new Date(v.created_at).toLocaleString()} · ${v.created_by}`),
    el("td", {}, v.note))));
}

async function saveItem(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("PATCH", PATH, values(form));
    clearErrors(form);
    await load({ keepSteps: true });
    toast(t("Item saved."), "good");
  } catch (err) { showError(form, err); }
}

async function saveRouting(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const before = item.routing_version;
    item = await api("PUT", `${PATH}/routing`, { operations: steps, note: $("#route-note").value.trim() });
    clearErrors(form);
    $("#route-note").value = "";
    await load();
    toast(item.routing_version === before ? t("No change to save.") : t("Saved as version {n}.", { n: item.routing_version }), "good");
  } catch (err) { showError(form, err); }
}

async function toggleArchived() {
  $("#item-page-error").hidden = true;
  try {
    await api("PATCH", PATH, { archived: !item.archived });
    await load({ keepSteps: true });
  } catch (err) { showBoxError($("#item-page-error"), err); }
}

$("#item-form").addEventListener("submit", saveItem);
$("#routing-form").addEventListener("submit", saveRouting);
$("#route-add").addEventListener("click", () => {
  if (!$("#route-op").value) return;
  steps.push($("#route-op").value);
  drawSteps();
});
$("#item-archive").addEventListener("click", toggleArchived);
$("#scrap-form").addEventListener("submit", saveScrap);
load().catch((err) => showBoxError($("#item-page-error"), err));
