// One supplier receipt: its lots, label printing, and the incoming inspection form.
import { $, api, dateTimeOf, el, fill, t, toast } from "./common.js";
import { inspectionWord, lotStatusWord } from "./receiving_words.js";
import { emptyRow, field, submitting } from "./setup_forms.js";

const number = document.body.dataset.receipt;
const path = `/receipts/${encodeURIComponent(number)}`;

function facts(r) {
  const pairs = [[t("Supplier"), `${r.supplier} — ${r.supplier_name}`], [t("Invoice"), r.invoice_number || "—"],
    [t("Receipt date"), r.receipt_date], [t("Received by"), r.received_by], [t("Notes"), r.notes || "—"]];
  fill($("#receipt-facts"), pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function lineRow(ln) {
  return el("tr", { dataset: { lot: ln.lot } },
    el("td", {}, ln.line_no), el("td", { class: "mono" }, ln.lot),
    el("td", {}, `${ln.item} — ${ln.item_name}`), el("td", {}, `${ln.quantity} ${ln.unit}`),
    el("td", {}, ln.supplier_lot || "—"), el("td", {}, ln.expiry || "—"),
    el("td", {}, ln.bin ? `${ln.location} / ${ln.bin}` : ln.location),
    el("td", {}, el("span", { class: `badge badge-lot-${ln.lot_status}` }, lotStatusWord(ln.lot_status))));
}

function inspectionRow(i) {
  return el("tr", {}, el("td", {}, dateTimeOf(i.at)), el("td", {}, i.inspector),
    el("td", {}, el("span", { class: `badge badge-inspection-${i.result}` }, inspectionWord(i.result))),
    el("td", {}, i.defects || "—"), el("td", {}, i.notes || "—"));
}

function show(r) {
  facts(r);
  fill($("#line-rows"), r.lines.map(lineRow));
  fill($("#inspection-rows"), r.inspections.length ? r.inspections.map(inspectionRow)
    : emptyRow(5, t("Not inspected yet")));
}

async function inspect(event) {
  event.preventDefault();
  const form = event.target;
  const body = { result: field(form, "result"), inspector: field(form, "inspector"),
    defects: field(form, "defects"), notes: field(form, "notes") };
  const saved = await submitting(form.querySelector("[type=submit]"), $("#inspection-error"),
    () => api("POST", `${path}/inspection`, body));
  if (saved) { form.reset(); show(saved); toast(t("Inspection recorded"), "ok"); }
}

async function printLabels(event) {
  event.preventDefault();
  try {
    await api("POST", `${path}/print`, { printer: $("#printer").value });
    toast(t("Labels sent to the printer"), "ok");
  } catch (err) { toast(err.message, "bad"); }
}

async function start() {
  show(await api("GET", path));
  const printers = await api("GET", "/printers").catch(() => []);
  $("#print-form").hidden = !printers.length;
  fill($("#printer"), printers.map((p) => el("option", { value: p.name }, p.name)));
}

$("#inspection-form").addEventListener("submit", inspect);
$("#print-form").addEventListener("submit", printLabels);
start().catch((err) => toast(err.message, "bad"));
