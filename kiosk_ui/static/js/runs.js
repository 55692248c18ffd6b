// The planner's run list: search, create a run from batch specs or from a sales order.
import { $, api, can, dateTimeOf, el, fill, stateText, t, toast } from "./common.js";

let items = [];
let orders = [];
// Orders a run can still be made from; one in production already has a run.
const RUNNABLE = ["estimate", "confirmed", "in_production"];

/** Say why the API refused a run, in the page's language (its messages stay English). */
function refusal(err) {
  const d = err.detail || {};
  switch (err.code) {
    case "order_has_run": return t("{order} already has run {run}; tick “Additional run” and give a reason.",
      { order: $("#order-select").value, run: (d.runs || []).join(", ") });
    case "reason_required": return t("An additional run from an order needs a reason.");
    case "order_closed": return t("Runs are made from Estimate or Confirmed orders only.");
    case "unknown_user": return t("No active user {name}.", { name: d.username });
    case "invalid_responsible": return t("{name} is a viewer and cannot be responsible for a run.", { name: d.username });
    case "invalid_batch_count": return t("A run has 1 to {max} batches, and each line at least one.", { max: 10000 });
    case "no_routing": return t("Item {sku} has no routing.", { sku: d.sku });
    default: return err.message;
  }
}

async function load() {
  const params = new URLSearchParams({ q: $("#search").value.trim(), status: $("#status").value });
  try {
    const data = await api("GET", `/runs?${params}`);
    fill($("#run-rows"), data.runs.map(row));
    $("#run-total").textContent = data.total === 1 ? t("1 run") : t("{n} runs", { n: data.total });
  } catch (err) { toast(err.message, "bad"); }
}

function row(run) {
  const p = run.progress;
  const bar = el("div", { class: "mini-bar" }, el("div", {}));
  bar.firstChild.style.width = `${p.completion}%`;
  const href = `/runs/${encodeURIComponent(run.number)}`;
  return el("tr", {},
    el("td", {}, el("a", { class: "mono", href }, run.number)),
    el("td", {}, el("span", { class: `badge badge-${run.status}` }, stateText(run.status))),
    el("td", {}, el("div", { class: "kv" }, bar, el("span", {}, `${p.completion}%`))),
    el("td", {}, `${p.done} / ${p.batches}`),
    el("td", {}, run.sales_order || "—"),
    el("td", {}, run.notes || ""),
    el("td", {}, dateTimeOf(run.created_at)),
    el("td", {}, el("a", { class: "btn btn-ghost", href: `/api/v1/runs/${encodeURIComponent(run.number)}/labels.pdf`, target: "_blank", rel: "noopener" }, t("Labels"))));
}

function specRow() {
  const item = el("select", { name: "item", required: true }, items.map((i) => el("option", { value: i.sku, dataset: { unit: i.unit } }, `${i.sku} — ${i.name}`)));
  const unit = el("input", { name: "unit", required: true, value: items[0]?.unit || "pcs", maxlength: 8 });
  item.addEventListener("change", () => { unit.value = item.selectedOptions[0].dataset.unit; });
  const line = el("div", { class: "spec-row" },
    el("label", {}, t("Item"), item),
    el("label", {}, t("Quantity per batch"), el("input", { name: "quantity", required: true, inputmode: "decimal", value: "10" })),
    el("label", {}, t("Unit"), unit),
    el("label", {}, t("Batches"), el("input", { name: "batches", type: "number", min: 1, max: 10000, value: 1, required: true })),
    el("label", {}, t("Machines (comma separated)"), el("input", { name: "machines", placeholder: t("optional") })),
    el("button", { type: "button", class: "btn btn-ghost", onclick: () => line.remove() }, t("Remove")));
  return line;
}

async function createRun(event) {
  event.preventDefault();
  const lines = [...document.querySelectorAll("#spec-rows .spec-row")].map((r) => {
    const v = (n) => r.querySelector(`[name=${n}]`).value.trim();
    return { item: v("item"), quantity: v("quantity"), unit: v("unit"), batches: Number(v("batches")),
      machines: v("machines").split(",").map((m) => m.trim()).filter(Boolean) };
  });
  try {
    const responsible = $("#run-responsible").value.trim() || null;
    const run = await api("POST", "/runs", { lines, notes: $("#run-notes").value, responsible });
    location.href = `/runs/${encodeURIComponent(run.number)}`;
  } catch (err) { $("#run-error").hidden = false; $("#run-error").textContent = refusal(err); }
}

async function fromOrder(event) {
  event.preventDefault();
  try {
    const run = await api("POST", "/runs/from-order", {
      order: $("#order-select").value, batches_per_line: Number($("#order-batches").value),
      responsible: $("#order-responsible").value.trim() || null,
      allow_additional: $("#order-additional").checked, reason: $("#order-reason").value.trim(),
    });
    location.href = `/runs/${encodeURIComponent(run.number)}`;
  } catch (err) { $("#order-error").hidden = false; $("#order-error").textContent = refusal(err); }
}

async function openNew() {
  $("#new-run").hidden = false;
  if (!items.length) items = await api("GET", "/items");
  if (!$("#spec-rows").children.length) $("#spec-rows").append(specRow());
}

async function openOrder() {
  const all = await api("GET", "/orders");
  orders = (Array.isArray(all) ? all : all.orders || []).filter((o) => RUNNABLE.includes(o.status));
  fill($("#order-select"), orders.length ? orders.map((o) => el("option", { value: o.number }, `${o.number} — ${o.customer || ""} · ${stateText(o.status)}`))
    : el("option", { value: "" }, t("No open sales orders")));
  $("#from-order").hidden = false;  // only now: a choice made before the list came would be wiped
  showOrder();
}

function showOrder() {
  const order = orders.find((o) => o.number === $("#order-select").value);
  const runs = order ? order.runs : [];
  $("#order-info").textContent = !order ? "" : [
    order.due_date ? t("Due {date}.", { date: order.due_date }) : t("No due date."),
    runs.length ? t("Runs already made from it: {runs}. Another needs “Additional run” and a reason.", { runs: runs.join(", ") })
      : t("No run made from it yet."),
  ].join(" ");
  $("#order-additional").checked = false;
}

for (const btn of document.querySelectorAll("[data-needs]")) btn.hidden = !can(btn.dataset.needs);
$("#btn-new").addEventListener("click", openNew);
$("#btn-order").addEventListener("click", openOrder);
$("#add-spec").addEventListener("click", () => $("#spec-rows").append(specRow()));
$("#run-form").addEventListener("submit", createRun);
$("#order-form").addEventListener("submit", fromOrder);
$("#order-select").addEventListener("change", showOrder);
$("#search-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
