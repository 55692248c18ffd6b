// Receiving: receipts list, and a new receipt whose lines a USB scanner fills from GS1 labels.
import { $, api, el, fill, t, toast } from "./common.js";
import { inspectionWord } from "./receiving_words.js";
import { clearError, emptyRow, field, showError, submitting } from "./setup_forms.js";

const GS = "\x1d"; // FNC1 as a scanner sends it between variable-length GS1 fields
let items = [];

function option(value, text, attrs = {}) { return el("option", { value, ...attrs }, text); }

function lineRow() {
  const item = el("select", { name: "item", "aria-label": t("Item") }, option("", t("Choose the item")),
    items.map((i) => option(i.sku, `${i.sku} — ${i.name}`, { dataset: { unit: i.unit } })));
  const unit = el("input", { name: "unit", list: "unit-list", autocomplete: "off", "aria-label": t("Unit") });
  item.addEventListener("change", () => { if (item.value) unit.value = item.selectedOptions[0].dataset.unit; });
  const input = (name, label, attrs = {}) => el("label", {}, label,
    el("input", { name, autocomplete: "off", ...attrs }));
  const line = el("fieldset", { class: "receipt-line" },
    el("label", { class: "line-item" }, t("Item"), item),
    input("gtin", t("GTIN"), { inputmode: "numeric" }),
    input("supplier_lot", t("Supplier lot")),
    input("expiry", t("Expiry"), { type: "date" }),
    input("quantity", t("Quantity"), { inputmode: "decimal" }),
    el("label", {}, t("Unit"), unit),
    input("location", t("Location"), { list: "location-list" }),
    input("bin", t("Rack/bin")),
    el("button", { type: "button", class: "btn btn-ghost remove-line", onclick: () => line.remove() }, t("Remove")));
  const last = [...document.querySelectorAll(".receipt-line")].pop();
  if (last) { // a delivery usually goes to one place: start where the last line went
    for (const name of ["location", "bin"]) line.querySelector(`[name=${name}]`).value = last.querySelector(`[name=${name}]`).value;
  }
  $("#receipt-lines").append(line);
  return line;
}

const value = (line, name) => line.querySelector(`[name=${name}]`).value.trim();
const isEmpty = (line) => !value(line, "item") && !value(line, "gtin") && !value(line, "quantity");

function fillLine(line, label) {
  const set = (name, v) => { if (v !== null && v !== undefined) line.querySelector(`[name=${name}]`).value = v; };
  set("gtin", label.gtin);
  set("supplier_lot", label.lot);
  set("expiry", label.expiry);
  if (label.item) { set("item", label.item.sku); set("unit", label.item.unit); }
  if (label.net_weight) { set("quantity", label.net_weight.quantity); set("unit", label.net_weight.unit); }
  line.classList.add("scanned");
  if (!label.item && label.gtin) {
    toast(t("GTIN {gtin} is not known yet: choose its item; the receipt remembers it", { gtin: label.gtin }), "info");
  }
}

async function scan() {
  const box = $("#scan"), text = box.value;
  if (!text.trim()) return;
  clearError($("#scan-error"));
  try {
    const label = await api("POST", "/gs1/parse", { text });
    const lines = [...document.querySelectorAll(".receipt-line")];
    fillLine(lines.find(isEmpty) || lineRow(), label);
    box.value = "";
  } catch (err) { showError($("#scan-error"), err); box.select(); }
}

function onScanKey(event) {
  // HID scanners end a read with Enter or Tab, and type FNC1 as Ctrl+] (no character of its own).
  if (event.key === "Enter" || (event.key === "Tab" && event.target.value)) {
    event.preventDefault();
    scan();
  } else if (event.ctrlKey && (event.key === "]" || event.code === "BracketRight")) {
    event.preventDefault();
    const box = event.target, at = box.selectionStart ?? box.value.length;
    box.value = box.value.slice(0, at) + GS + box.value.slice(box.selectionEnd ?? at);
    box.setSelectionRange(at + 1, at + 1);
  }
}

function lineBody(line) {
  const opt = (name) => value(line, name) || null;
  return { item: opt("item"), gtin: opt("gtin"), quantity: opt("quantity"), unit: opt("unit"),
    location: value(line, "location"), bin: value(line, "bin"), supplier_lot: value(line, "supplier_lot"),
    expiry: opt("expiry") };
}

async function save(event) {
  event.preventDefault();
  const form = event.target;
  const lines = [...document.querySelectorAll(".receipt-line")].filter((l) => !isEmpty(l)).map(lineBody);
  const body = { supplier: field(form, "supplier"), invoice_number: field(form, "invoice_number"),
    receipt_date: field(form, "receipt_date") || null, notes: field(form, "notes"), lines };
  const made = await submitting($("#save-receipt"), $("#receipt-error"), () => api("POST", "/receipts", body));
  if (made) location.href = `/receiving/${encodeURIComponent(made.number)}`;
}

function receiptRow(r) {
  return el("tr", { dataset: { receipt: r.number } },
    el("td", {}, el("a", { class: "mono", href: `/receiving/${encodeURIComponent(r.number)}` }, r.number)),
    el("td", {}, `${r.supplier} — ${r.supplier_name}`), el("td", {}, r.invoice_number || "—"),
    el("td", {}, r.receipt_date), el("td", { class: "mono" }, r.lots.join(", ")),
    el("td", {}, r.inspection ? inspectionWord(r.inspection) : t("not inspected")));
}

async function load() {
  try {
    const receipts = await api("GET", "/receipts");
    fill($("#receipt-rows"), receipts.length ? receipts.map(receiptRow) : emptyRow(6, t("No receipts yet")));
  } catch (err) { toast(err.message, "bad"); }
}

async function start() {
  const [suppliers, all, locations] = await Promise.all([api("GET", "/suppliers?active=1"),
    api("GET", "/items"), api("GET", "/locations").catch(() => [])]);
  items = all;
  fill($("#receipt-supplier"), suppliers.length ? suppliers.map((s) => option(s.code, `${s.code} — ${s.name}`))
    : option("", t("Add a supplier first")));
  document.body.append(
    el("datalist", { id: "location-list" }, locations.map((l) => option(l.code, l.name || l.code))),
    el("datalist", { id: "unit-list" }, ["pcs", "kg", "g", "lb", "m", "l"].map((u) => option(u, u))));
  $("#receipt-date").value = new Date().toISOString().slice(0, 10);
  lineRow();
  $("#scan").focus();
}

$("#scan").addEventListener("keydown", onScanKey);
$("#add-line").addEventListener("click", () => lineRow());
$("#receipt-form").addEventListener("submit", save);
start().catch((err) => toast(err.message, "bad"));
load();
