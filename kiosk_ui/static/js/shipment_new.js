// A new shipment: customer, sales order (which names the customer) and delivery date.
import { $, api, el, t } from "./common.js";
import { submitting } from "./setup_forms.js";

let orders = [];

function orderOptions() {
  const customer = $("#ship-customer").value;
  const open = orders.filter((o) => o.customer === customer && !["shipped", "cancelled"].includes(o.status));
  $("#ship-order").replaceChildren(el("option", { value: "" }, t("No order")),
    ...open.map((o) => el("option", { value: o.number }, `${o.number} · ${o.lines.map((l) => `${l.quantity} ${l.unit} ${l.item}`).join(", ")}`)));
  const wanted = new URLSearchParams(location.search).get("order");
  if (wanted && open.some((o) => o.number === wanted)) $("#ship-order").value = wanted;
}

async function start() {
  const [customers, list] = await Promise.all([api("GET", "/customers"), api("GET", "/orders")]);
  orders = list;
  $("#ship-customer").replaceChildren(...customers.map((c) => el("option", { value: c.code }, `${c.code} — ${c.name}`)));
  const wanted = new URLSearchParams(location.search).get("order");
  const order = orders.find((o) => o.number === wanted);
  if (order) $("#ship-customer").value = order.customer;
  orderOptions();
}

$("#ship-customer").addEventListener("change", orderOptions);
$("#shipment-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const body = { customer: form.customer.value, order: form.order.value || null,
    delivery_date: form.delivery_date.value || null, notes: form.notes.value.trim() };
  submitting($("#open-shipment"), $("#shipment-error"), async () => {
    const made = await api("POST", "/shipments", body);
    location.href = `/shipments/${encodeURIComponent(made.number)}`;
  });
});
start();
