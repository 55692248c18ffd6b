// One lot: facts, ledger, and the planner's actions (issue, move, adjust, scrap, status).
import { $, api, can, dateTimeOf, el, fill, t, toast } from "./common.js";
import { emptyRow, field, hideByRole, submitting } from "./setup_forms.js";
import { fillLocations, issueForm, lotBadge, lotPath, lotStatusWord, quantityBody } from "./inventory_common.js";

const NUMBER = document.body.dataset.lot;
const PATH = lotPath(NUMBER);
const KINDS = () => ({ receive: t("Received"), issue: t("Issued"), produce: t("Produced"), adjust: t("Adjusted"),
  move: t("Moved"), scrap: t("Scrapped"), ship: t("Shipped") });

function kv(label, value) {
  return el("div", {}, el("span", {}, label), el("b", {}, value));
}

function show(lot) {
  fill($("#lot-status"), lotStatusWord(lot.status));
  $("#lot-status").className = `badge lot-${lot.status}`;
  fill($("#lot-facts"),
    kv(t("On hand"), `${lot.on_hand} ${lot.unit}`),
    kv(t("Item"), `${lot.item} · ${lot.item_name}`),
    kv(t("Location"), `${lot.location} (${lot.warehouse})`),
    kv(t("Rack/bin"), lot.bin || "—"),
    kv(t("Expiry"), lot.expiry ? (lot.expired ? t("{date} (expired)", { date: lot.expiry }) : lot.expiry) : "—"),
    kv(t("Supplier batch"), lot.supplier_batch || "—"),
    kv(t("Certificate"), lot.certificate || "—"),
    kv(t("Unit cost"), lot.unit_cost ?? "—"),
    kv(t("Status"), lotBadge(lot.status)));
  const kinds = KINDS();
  fill($("#ledger-rows"), lot.ledger.length ? [...lot.ledger].reverse().map((m) => el("tr", { dataset: { kind: m.kind } },
    el("td", {}, dateTimeOf(m.at)), el("td", {}, kinds[m.kind] || m.kind),
    el("td", { class: "num" }, m.kind === "move" ? "—" : `${m.quantity} ${m.unit}`),
    el("td", {}, m.from_place && m.to_place ? `${m.from_place} → ${m.to_place}` : (m.to_place || "—")),
    el("td", { class: "mono" }, m.record || "—"), el("td", {}, m.actor), el("td", {}, m.reason || "")))
    : emptyRow(7, t("No movements")));
}

async function load() {
  try { show(await api("GET", PATH)); } catch (err) { toast(err.message, "bad"); }
}

function action(formId, errorId, path, body, done) {
  $(formId).addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const lot = await submitting(form.querySelector("[type=submit]"), $(errorId), () => api("POST", `${PATH}/${path}`, body(form)));
    if (lot) { form.reset(); show(lot); toast(done, "ok"); }
  });
}

action("#move-form", "#move-error", "move", (f) => ({ location: field(f, "location"), bin: field(f, "bin") }), t("Lot moved"));
action("#adjust-form", "#adjust-error", "adjust", (f) => ({ quantity: field(f, "quantity").replace("−", "-"), reason: field(f, "reason") }), t("Stock adjusted"));
action("#scrap-form", "#scrap-error", "scrap", (f) => ({ ...quantityBody(f), reason: field(f, "reason") }), t("Scrapped"));
for (const button of document.querySelectorAll("#status-actions [data-status]")) {
  button.addEventListener("click", async () => {
    const lot = await submitting(button, $("#status-error"), () => api("POST", `${PATH}/status`, { status: button.dataset.status }));
    if (lot) { show(lot); toast(t("Lot is now {status}", { status: lotStatusWord(lot.status) }), "ok"); }
  });
}
issueForm($("#issue-form"), show);
hideByRole(can);
if (can("planner")) fillLocations([$("#move-form").elements.namedItem("location")]).catch(() => {});
load();
