// Sales orders: the list by status, and a new order with lines added and removed in the form.
import { $, api, el, fill, newestOnly, t, toast } from "./common.js";
import { emptyRow, field, statusWord, submitting } from "./setup_forms.js";

let items = [];
const listOrders = newestOnly((query) => api("GET", `/orders${query}`));

function row(o) {
  const href = `/setup/orders/${encodeURIComponent(o.number)}`;
  return el("tr", { dataset: { order: o.number } },
    el("td", {}, el("a", { class: "mono", href }, o.number)),
    el("td", {}, o.customer_name ? `${o.customer} — ${o.customer_name}` : o.customer),
    el("td", {}, el("span", { class: `badge badge-${o.status}` }, statusWord(o.status))),
    el("td", {}, o.due_date || "—"),
    el("td", {}, o.lines.map((ln) => `${ln.item} × ${ln.quantity} ${ln.unit}`).join(", ")),
    el("td", {}, o.runs.map((r, i) => [i ? ", " : "", el("a", { class: "mono", href: `/runs/${encodeURIComponent(r)}` }, r)])),
    el("td", {}, new Date(o.created_at).toLocaleDateString()));
}

async function load() {
  const status = $("#status-filter").value;
  try {
    const orders = await listOrders(status ? `?status=${encodeURIComponent(status)}` : "");
    fill($("#order-rows"), orders.length ? orders.map(row) : emptyRow(7, t("No orders")));
  } catch (err) { toast(err.message, "bad"); }
}

function lineRow() {
  const item = el("select", { name: "item", required: true, "aria-label": t("Item") },
    items.map((i) => el("option", { value: i.sku, dataset: { unit: i.unit } }, `${i.sku} — ${i.name}`)));
  const unit = el("input", { name: "unit", value: items[0]?.unit || "", readonly: true, "aria-label": t("Unit") });
  item.addEventListener("change", () => { unit.value = item.selectedOptions[0].dataset.unit; });
  const line = el("div", { class: "line-row" },
    el("label", {}, t("Item"), item),
    el("label", {}, t("Quantity"), el("input", { name: "quantity", required: true, inputmode: "decimal", autocomplete: "off" })),
    el("label", {}, t("Unit"), unit),
    el("button", { type: "button", class: "btn btn-ghost remove-line", onclick: () => line.remove() }, t("Remove")));
  return line;
}

async function openNew() {
  $("#new-order").hidden = false;
  const [customers, all] = await Promise.all([api("GET", "/customers"), api("GET", "/items")]);
  items = all;
  fill($("#order-customer"), customers.map((c) => el("option", { value: c.code }, `${c.code} — ${c.name}`)));
  if (!$("#order-lines").children.length) $("#order-lines").append(lineRow());
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const lines = [...$("#order-lines").querySelectorAll(".line-row")].map((r) => ({
    item: r.querySelector("[name=item]").value, quantity: r.querySelector("[name=quantity]").value.trim(),
    unit: r.querySelector("[name=unit]").value,
  }));
  const body = { customer: field(form, "customer"), lines, notes: form.elements.namedItem("notes").value,
    due_date: field(form, "due_date") || null };
  const made = await submitting(form.querySelector("[type=submit]"), $("#order-error"), () => api("POST", "/orders", body));
  if (made) location.href = `/setup/orders/${encodeURIComponent(made.number)}`;
}

$("#btn-new").addEventListener("click", openNew);
$("#add-line").addEventListener("click", () => $("#order-lines").append(lineRow()));
$("#order-form").addEventListener("submit", create);
$("#status-filter").addEventListener("change", load);
$("#filter-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
