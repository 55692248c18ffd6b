// One shipment: what it carries, picking serials and lot quantities onto it, ship or cancel.
import { $, api, can, dateTimeOf, el, fill, newestOnly, t, toast } from "./common.js";
import { emptyRow, submitting } from "./setup_forms.js";
import { statusBadge } from "./shipments_common.js";

const NUMBER = document.body.dataset.shipment;
const PATH = `/shipments/${encodeURIComponent(NUMBER)}`;
let shipment = null;

const fact = (label, value) => el("div", {}, el("span", {}, label), el("b", {}, value || "—"));
const kindText = (kind) => (kind === "serial" ? t("serial") : t("lot"));

function draw(s) {
  shipment = s;
  const open = s.status === "open";
  fill($("#shipment-status"), statusBadge(s.status));
  fill($("#shipment-facts"),
    fact(t("Customer"), `${s.customer} — ${s.customer_name}`),
    el("div", {}, el("span", {}, t("Order")), s.order ? el("a", { href: `/setup/orders/${encodeURIComponent(s.order)}`, class: "mono" }, s.order) : el("b", {}, "—")),
    fact(t("Delivery date"), s.delivery_date), fact(t("Packing station"), s.station),
    fact(t("Shipped"), s.shipped_at ? `${dateTimeOf(s.shipped_at)} · ${s.shipped_by}` : ""),
    fact(t("Notes"), s.notes));
  $("#line-count").textContent = String(s.lines.length);
  fill($("#line-rows"), s.lines.length ? s.lines.map((ln) => el("tr", { dataset: { line: ln.line_no } },
    el("td", {}, String(ln.line_no)), el("td", { class: "mono" }, ln.code),
    el("td", { class: "ship-kind" }, kindText(ln.kind)), el("td", {}, `${ln.item} — ${ln.item_name}`),
    el("td", { class: "num" }, `${ln.quantity} ${ln.unit}`), el("td", {}, ln.added_by),
    el("td", {}, open && can("operator") ? el("button", { type: "button", class: "btn btn-ghost remove-line",
      onclick: (e) => removeLine(e.target, ln.line_no) }, t("Remove")) : ""))) : emptyRow(7, t("Nothing on this shipment yet")));
  $("#pick").hidden = !(open && can("operator"));
  for (const id of ["#ship-shipment", "#cancel-shipment"]) $(id).hidden = !(open && can("planner"));
  if (open && can("operator")) search();
}

async function reload() { draw(await api("GET", PATH)); }

const candidates = newestOnly((q) => api("GET", `${PATH}/candidates?${new URLSearchParams({ q })}`));

async function search() {
  let found;
  try { found = await candidates($("#pick-q").value.trim()); } catch (err) { toast(t(err.message), "bad"); return; }
  fill($("#candidate-rows"), found.length ? found.map(candidateRow) : emptyRow(6, t("Nothing free to ship matches")));
}

function candidateRow(c) {
  const qty = c.kind === "lot" ? el("input", { class: "pick-qty", inputmode: "decimal", autocomplete: "off",
    "aria-label": t("Quantity of {code}", { code: c.code }), value: c.available }) : null;
  return el("tr", { dataset: { code: c.code } },
    el("td", { class: "mono" }, c.code), el("td", {}, `${c.item} — ${c.item_name}`),
    el("td", {}, [c.location, c.bin].filter(Boolean).join(" ") || "—"),
    el("td", { class: "num" }, `${c.available} ${c.unit}`),
    el("td", {}, qty ? [qty, ` ${c.unit}`] : `1 ${c.unit}`),
    el("td", {}, el("button", { type: "button", class: "btn btn-ghost add-line",
      onclick: (e) => addLine(e.target, c, qty) }, t("Add"))));
}

function addLine(button, c, qty) {
  const body = { code: c.code, event_id: crypto.randomUUID() };
  if (qty) Object.assign(body, { quantity: qty.value.trim(), unit: c.unit });
  submitting(button, $("#pick-error"), async () => {
    const line = await api("POST", `${PATH}/lines`, body);
    toast(t("{code} added as line {n}", { code: line.code, n: line.line_no }), "ok");
    await reload();
  });
}

function removeLine(button, lineNo) {
  submitting(button, $("#action-error"), async () => {
    await api("DELETE", `${PATH}/lines/${lineNo}`);
    await reload();
  });
}

$("#ship-shipment").addEventListener("click", (e) => {
  submitting(e.target, $("#action-error"), async () => {
    draw(await api("POST", `${PATH}/ship`, {}));
    toast(t("{number} shipped to {customer}.", { number: NUMBER, customer: shipment.customer_name }), "ok");
  });
});
$("#cancel-shipment").addEventListener("click", (e) => {
  submitting(e.target, $("#action-error"), async () => { draw(await api("POST", `${PATH}/cancel`, { reason: "" })); });
});
let timer = null;
$("#pick-q").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 250); });
$("#pick-search").addEventListener("submit", (e) => { e.preventDefault(); search(); });
reload();
