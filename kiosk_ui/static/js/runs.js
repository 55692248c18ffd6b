// The planner's run list: search, create a run from batch specs or from an Estimate order.
import { $, api, can, el, fill, toast, words } from "./common.js";

let items = [];

async function load() {
  const params = new URLSearchParams({ q: $("#search").value.trim(), status: $("#status").value });
  try {
    const data = await api("GET", `/runs?${params}`);
    fill($("#run-rows"), data.runs.map(row));
    $("#run-total").textContent = `${data.total} run${data.total === 1 ? "" : "s"}`;
  } catch (err) { toast(err.message, "bad"); }
}

function row(run) {
  const p = run.progress;
  const bar = el("div", { class: "mini-bar" }, el("div", {}));
  bar.firstChild.style.width = `${p.completion}%`;
  const href = `/runs/${encodeURIComponent(run.number)}`;
  return el("tr", {},
    el("td", {}, el("a", { class: "mono", href }, run.number)),
    el("td", {}, el("span", { class: `badge badge-${run.status}` }, words(run.status))),
    el("td", {}, el("div", { class: "kv" }, bar, el("span", {}, `${p.completion}%`))),
    el("td", {}, `${p.done} / ${p.batches}`),
    el("td", {}, run.sales_order || "—"),
    el("td", {}, run.notes || ""),
    el("td", {}, new Date(run.created_at).toLocaleString()),
    el("td", {}, el("a", { class: "btn btn-ghost", href: `/api/v1/runs/${encodeURIComponent(run.number)}/labels.pdf`, target: "_blank", rel: "noopener" }, "Labels")));
}

function specRow() {
  const item = el("select", { name: "item", required: true }, items.map((i) => el("option", { value: i.sku, dataset: { unit: i.unit } }, `${i.sku} — ${i.name}`)));
  const unit = el("input", { name: "unit", required: true, value: items[0]?.unit || "pcs", maxlength: 8 });
  item.addEventListener("change", () => { unit.value = item.selectedOptions[0].dataset.unit; });
  const line = el("div", { class: "spec-row" },
    el("label", {}, "Item", item),
    el("label", {}, "Quantity per batch", el("input", { name: "quantity", required: true, inputmode: "decimal", value: "10" })),
    el("label", {}, "Unit", unit),
    el("label", {}, "Batches", el("input", { name: "batches", type: "number", min: 1, max: 10000, value: 1, required: true })),
    el("label", {}, "Machines (comma separated)", el("input", { name: "machines", placeholder: "optional" })),
    el("button", { type: "button", class: "btn btn-ghost", onclick: () => line.remove() }, "Remove"));
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
    const run = await api("POST", "/runs", { lines, notes: $("#run-notes").value });
    location.href = `/runs/${encodeURIComponent(run.number)}`;
  } catch (err) { $("#run-error").hidden = false; $("#run-error").textContent = err.message; }
}

async function fromOrder(event) {
  event.preventDefault();
  try {
    const run = await api("POST", "/runs/from-order", { order: $("#order-select").value, batches_per_line: Number($("#order-batches").value) });
    location.href = `/runs/${encodeURIComponent(run.number)}`;
  } catch (err) { $("#order-error").hidden = false; $("#order-error").textContent = err.message; }
}

async function openNew() {
  $("#new-run").hidden = false;
  if (!items.length) items = await api("GET", "/items");
  if (!$("#spec-rows").children.length) $("#spec-rows").append(specRow());
}

async function openOrder() {
  $("#from-order").hidden = false;
  const orders = await api("GET", "/orders?status=estimate");
  const list = Array.isArray(orders) ? orders : orders.orders || [];
  fill($("#order-select"), list.length ? list.map((o) => el("option", { value: o.number }, `${o.number} — ${o.customer || ""}`))
    : el("option", { value: "" }, "No orders in Estimate status"));
}

for (const btn of document.querySelectorAll("[data-needs]")) btn.hidden = !can(btn.dataset.needs);
$("#btn-new").addEventListener("click", openNew);
$("#btn-order").addEventListener("click", openOrder);
$("#add-spec").addEventListener("click", () => $("#spec-rows").append(specRow()));
$("#run-form").addEventListener("submit", createRun);
$("#order-form").addEventListener("submit", fromOrder);
$("#search-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
