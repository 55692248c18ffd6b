// The shipments list: by status and customer, newest first.
import { $, api, can, dateTimeOf, el, fill, newestOnly, t, toast } from "./common.js";
import { emptyRow, hideByRole } from "./setup_forms.js";
import { shipmentLink, statusBadge } from "./shipments_common.js";

// /shipments?order=SO-... lists one sales order's shipments (linked from the order's page).
const ORDER = new URLSearchParams(location.search).get("order") || "";
const load = newestOnly(async () => {
  const query = new URLSearchParams({ status: $("#filter-status").value, customer: $("#filter-customer").value.trim(), order: ORDER });
  return api("GET", `/shipments?${query}`);
});

async function draw() {
  let list;
  try { list = await load(); } catch (err) { if (err.name !== "AbortError") toast(t(err.message), "bad"); return; }
  if (!list) return;
  fill($("#shipment-rows"), list.length ? list.map((s) => el("tr", { dataset: { number: s.number } },
    el("td", {}, shipmentLink(s.number)),
    el("td", {}, `${s.customer} — ${s.customer_name}`),
    el("td", { class: "mono" }, s.order || "—"),
    el("td", {}, statusBadge(s.status)),
    el("td", {}, s.delivery_date || "—"),
    el("td", { class: "num" }, String(s.line_count)),
    el("td", {}, s.shipped_at ? dateTimeOf(s.shipped_at) : "—"))) : emptyRow(7, t("No shipments yet")));
}

let timer = null;
$("#filters").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(draw, 250); });
$("#filters").addEventListener("submit", (e) => { e.preventDefault(); draw(); });
hideByRole(can);
draw();
