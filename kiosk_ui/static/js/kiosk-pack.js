// A packing station's kiosk: the shipment scanned serials and lots go onto (services/packing.py),
// its lines live after every packed scan, picking or opening a shipment, and Ship.
import { $, api, can, el, fill, t, toast } from "./common.js";
import { bigButton, closeDialog, errorLine, openDialog, showError } from "./kiosk-dialogs.js";

let station = "";
let shipment = null;
const path = () => `/stations/${encodeURIComponent(station)}/shipment`;

/** Whether a scan's answer packed a line or picked a shipment at this station. */
export const packs = (scan) => scan.outcome === "accepted" && (scan.transition === "packed" || scan.transition === "shipment_picked");

/** The words for a packed or picked scan. */
export function packedText(scan) {
  if (scan.transition === "shipment_picked") return t("Packing into {shipment}", { shipment: scan.shipment });
  return t("Packed onto {shipment}: {quantity} {unit} {item}", { shipment: scan.shipment, quantity: scan.quantity, unit: scan.unit, item: scan.item });
}

function draw(answer) {
  shipment = answer.shipment;
  $("#pack-number").textContent = shipment ? shipment.number : t("no shipment");
  $("#pack-customer").textContent = shipment ? [`${shipment.customer} — ${shipment.customer_name}`, shipment.order].filter(Boolean).join(" · ") : t("Pick or open a shipment, then scan serials and lots.");
  $("#pack-count").textContent = String(shipment ? shipment.lines.length : 0);
  fill($("#pack-lines"), (shipment ? shipment.lines : []).slice().reverse().map((ln) => el("li", { class: "pack-line", dataset: { line: ln.line_no } },
    el("span", { class: "mono" }, ln.code), el("span", {}, `${ln.quantity} ${ln.unit} ${ln.item}`))));
  $("#btn-pack-ship").disabled = !(shipment && shipment.lines.length && can("operator"));
}

/** Read the station's shipment again (after a packed scan, a pick or a ship). */
export async function refreshPacking() {
  if (!can("viewer")) { $("#pack-customer").textContent = t("Log in with your badge to pack."); return; }
  try { draw(await api("GET", path())); } catch (err) { toast(t(err.message), "bad"); }
}

async function openPick() {
  let open, orders, customers;
  try {
    [open, orders, customers] = await Promise.all([api("GET", "/shipments?status=open"), api("GET", "/orders"), api("GET", "/customers")]);
  } catch (err) { toast(t(err.message), "bad"); return; }
  const choose = (body) => async () => {
    try { draw(await api("POST", path(), body)); closeDialog(); } catch (err) { showError(err); }
  };
  const shipments = open.map((s) => bigButton(`${s.number} · ${s.customer_name}${s.order ? ` · ${s.order}` : ""}`, choose({ shipment: s.number }), "btn-ghost-dark"));
  const live = orders.filter((o) => !["shipped", "cancelled", "estimate"].includes(o.status));
  const order = el("select", { id: "pack-order", class: "kinput", "aria-label": t("Sales order") },
    el("option", { value: "" }, t("No order")), live.map((o) => el("option", { value: o.number }, `${o.number} · ${o.customer_name}`)));
  const customer = el("select", { id: "pack-customer-pick", class: "kinput", "aria-label": t("Customer") },
    customers.map((c) => el("option", { value: c.code }, `${c.code} — ${c.name}`)));
  const fresh = () => choose(order.value ? { order: order.value } : { customer: customer.value })();
  openDialog(t("Pick a shipment"), [
    el("div", { class: "pack-pick", id: "pack-open" }, shipments.length ? shipments : el("p", {}, t("No open shipments."))),
    el("h3", {}, t("Or open a new one")), order, customer, errorLine()],
  [bigButton(t("Open shipment"), fresh)]);
}

async function ship() {
  if (!shipment) return;
  try {
    const done = await api("POST", `${path()}/ship`, {});
    toast(t("{number} shipped to {customer}.", { number: done.number, customer: done.customer_name }), "ok");
  } catch (err) { toast(t(err.message), "bad"); }
  refreshPacking();
}

/** Start the packing panel for station, if the kiosk's station packs. */
export function initPacking(name) {
  station = name;
  $("#btn-pack-pick").disabled = !can("operator");
  $("#btn-pack-pick").addEventListener("click", openPick);
  $("#btn-pack-ship").addEventListener("click", ship);
  refreshPacking();
}
