// Inventory: lots with on hand, status, place and expiry; filter them; receive a lot.
import { $, api, can, el, fill, newestOnly, t, toast } from "./common.js";
import { emptyRow, field, hideByRole, submitting } from "./setup_forms.js";
import { fillLocations, lotBadge, lotLink } from "./inventory_common.js";

const filter = $("#lot-filter");

function row(lot) {
  return el("tr", { dataset: { lot: lot.number } },
    el("td", {}, lotLink(lot.number)),
    el("td", {}, el("span", { class: "mono" }, lot.item), " ", el("span", { class: "muted" }, lot.item_name)),
    el("td", { class: "num" }, `${lot.on_hand} ${lot.unit}`),
    el("td", {}, lotBadge(lot.status)),
    el("td", {}, lot.location),
    el("td", { class: "mono" }, lot.bin || "—"),
    el("td", { class: lot.expired ? "expired" : "" }, lot.expiry ? (lot.expired ? t("{date} (expired)", { date: lot.expiry }) : lot.expiry) : "—"));
}

const listLots = newestOnly((params) => api("GET", `/lots?${params}`));  // newest answer only

async function load() {
  const params = new URLSearchParams();
  for (const name of ["q", "item", "location", "status"]) {
    const value = field(filter, name);
    if (value) params.set(name, value);
  }
  try {
    const lots = await listLots(params);
    fill($("#lot-rows"), lots.length ? lots.map(row) : emptyRow(7, t("No lots match")));
  } catch (err) { toast(err.message, "bad"); }
}

async function receive(event) {
  event.preventDefault();
  const form = event.target;
  const body = { item: field(form, "item"), quantity: field(form, "quantity"), unit: field(form, "unit"),
    location: field(form, "location"), bin: field(form, "bin") };
  for (const name of ["lot_number", "supplier_batch", "certificate", "unit_cost", "expiry"]) {
    const value = field(form, name);
    if (value) body[name] = value;
  }
  const lot = await submitting(form.querySelector("[type=submit]"), $("#receive-error"), () =>
    api("POST", "/lots", body));
  if (lot) { form.reset(); toast(t("Lot {lot} received", { lot: lot.number }), "ok"); load(); }
}

let timer = null;
filter.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 250); });
filter.addEventListener("submit", (event) => { event.preventDefault(); load(); });
$("#receive-form").addEventListener("submit", receive);
hideByRole(can);
fillLocations([filter.elements.namedItem("location")], { any: true }).catch(() => {});
if (can("planner")) fillLocations([$("#receive-form").elements.namedItem("location")]).catch(() => {});
load();
