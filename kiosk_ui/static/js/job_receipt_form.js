// A job receipt's rows, shared by the office receive page and the kiosk: the fields map onto
// JobReceiptIn (server/api/job_schemas.py) one to one. Amounts stay the strings typed; the
// server does all arithmetic (POST /jobs/<n>/receipts/check answers what would be pending).
import { el, fill, stateText, t } from "./common.js";

export const WEIGHT_UNITS = [["g", "g"], ["kg", "kg"], ["mg", "mg"], ["ct", "ct"], ["ozt", "oz t"]];
export const BUCKETS = ["issued", "received", "rejected", "scrapped", "waste", "pending"];

/** A fresh event id; getRandomValues works where randomUUID (secure contexts only) does not. */
export function newEventId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A job's status in words (open is a job's own; the rest are shared states). */
export function jobStatusText(status) { return status === "open" ? t("open") : stateText(status); }

export function bucketWord(bucket) {
  return { issued: t("Issued"), received: t("Received"), rejected: t("Rejected"), scrapped: t("Scrapped"),
    waste: t("Waste"), pending: t("Pending") }[bucket] || bucket;
}

const option = (value, text, selected = false) => el("option", { value, selected }, text);

function itemSelect(path, items, label, { blank = "" } = {}) {
  return el("select", { dataset: { path }, "aria-label": label },
    blank ? option("", blank) : null, items.map((i) => option(i.sku, `${i.sku} — ${i.name}`)));
}

function unitSelect(path, label) {
  return el("select", { dataset: { path }, "aria-label": label }, WEIGHT_UNITS.map(([v, text]) => option(v, text)));
}

function input(path, label, attrs = {}) {
  return el("input", { dataset: { path }, autocomplete: "off", "aria-label": label, ...attrs });
}

const num = (path, label) => input(path, label, { inputmode: "decimal", class: "mono" });
const count = (path, label) => input(path, label, { inputmode: "numeric", class: "mono" });

function labelled(text, control, cls = "") {
  return el("label", { class: `jr-field ${cls}` }, el("span", { class: "jr-label" }, text), control);
}

/** The fields of a rejection or a scrap of row n (hidden until its toggle is on). */
function partFields(n, part, items) {
  const at = (name) => `rows.${n}.${part}.${name}`;
  return el("div", { class: `jr-part jr-${part}`, dataset: { part }, hidden: true },
    el("p", { class: "jr-part-title" }, part === "rejection" ? t("Rejected output") : t("Scrap")),
    labelled(t("Pieces"), count(at("pieces"), t("Pieces"))),
    labelled(t("Weight"), num(at("weight"), t("Weight"))),
    labelled(t("Unit"), unitSelect(at("unit"), t("Unit"))),
    labelled(t("Shape"), input(at("shape"), t("Shape"))),
    labelled(t("Size"), input(at("size"), t("Size"))),
    labelled(t("Colour"), input(at("colour"), t("Colour"))),
    labelled(t("Inventory type"), input(at("inventory_type"), t("Inventory type"))),
    labelled(t("Product"), itemSelect(at("item"), items, t("Product"), { blank: t("Same as the row") })),
    labelled(t("Type"), input(at("type"), t("Type"))));
}

function toggle(text, part, box) {
  const check = el("input", { type: "checkbox", dataset: { toggle: part } });
  check.addEventListener("change", () => { box.hidden = !check.checked; box.dispatchEvent(new Event("input", { bubbles: true })); });
  return el("label", { class: "jr-toggle" }, check, el("span", {}, text));
}

/** One receipt row: output type, product, type, shape, size, pieces, weight, waste, toggles. */
export function receiptRow(n, items, { onRemove = null, product = "" } = {}) {
  const at = (name) => `rows.${n}.${name}`;
  const output = el("select", { dataset: { path: at("output_type") }, "aria-label": t("Output type") },
    option("finished", t("Finished goods")), option("materials", t("Materials and supplies")));
  const typeLabel = el("span", { class: "jr-label" }, t("Finished type"));
  output.addEventListener("change", () => {
    typeLabel.textContent = output.value === "finished" ? t("Finished type") : t("Materials and supplies type");
  });
  const item = itemSelect(at("item"), items, t("Product"));
  if (product) item.value = product;
  const rejection = partFields(n, "rejection", items);
  const scrap = partFields(n, "scrap", items);
  const row = el("fieldset", { class: "jr-row", dataset: { row: n } },
    el("legend", {}, t("Row {n}", { n: n + 1 })),
    el("div", { class: "jr-grid" },
      labelled(t("Output type"), output),
      labelled(t("Product"), item, "jr-wide"),
      el("label", { class: "jr-field" }, typeLabel, input(at("type"), t("Type"))),
      labelled(t("Shape"), input(at("shape"), t("Shape"))),
      labelled(t("Size"), input(at("size"), t("Size"))),
      labelled(t("Pieces"), count(at("pieces"), t("Pieces"))),
      labelled(t("Weight"), num(at("weight"), t("Weight"))),
      labelled(t("Unit"), unitSelect(at("unit"), t("Unit"))),
      labelled(t("Wasted weight"), num(at("waste_weight"), t("Wasted weight"))),
      labelled(t("Waste unit"), unitSelect(at("waste_unit"), t("Waste unit")))),
    el("div", { class: "jr-toggles" }, toggle(t("Output has rejection"), "rejection", rejection),
      toggle(t("Output has scrap"), "scrap", scrap)),
    rejection, scrap,
    onRemove ? el("button", { type: "button", class: "btn btn-ghost jr-remove", onclick: () => onRemove(row) }, t("Remove row")) : null);
  return row;
}

const text = (root, path) => {
  const node = root.querySelector(`[data-path="${path}"]`);
  return node ? node.value.trim() : "";
};

function partBody(row, n, part) {
  const at = (name) => `rows.${n}.${part}.${name}`;
  const v = (name) => text(row, at(name));
  return { pieces: v("pieces") === "" ? null : wholeOrText(v("pieces")), weight: v("weight") || "0", unit: v("unit"),
    shape: v("shape"), size: v("size"), colour: v("colour"), inventory_type: v("inventory_type"),
    item: v("item") || null, type: v("type") };
}

// Pieces go as integers when they are whole, else as typed: the server names the field.
function wholeOrText(value) { return /^\d+$/.test(value) ? Number.parseInt(value, 10) : value; }

/** The JobReceiptIn rows of every row fieldset under root, renumbered in order. */
export function rowsBody(root) {
  return [...root.querySelectorAll(".jr-row")].map((row) => {
    const n = row.dataset.row;
    const v = (name) => text(row, `rows.${n}.${name}`);
    const on = (part) => row.querySelector(`[data-toggle=${part}]`).checked;
    return { output_type: v("output_type"), item: v("item"), type: v("type"), shape: v("shape"), size: v("size"),
      pieces: v("pieces") === "" ? null : wholeOrText(v("pieces")), weight: v("weight") || "0", unit: v("unit"),
      waste_weight: v("waste_weight") || null, waste_unit: v("waste_weight") ? v("waste_unit") : null,
      rejection: on("rejection") ? partBody(row, n, "rejection") : null,
      scrap: on("scrap") ? partBody(row, n, "scrap") : null };
  });
}

/** Whether any row gives an amount yet: an untouched form is not checked (it would only be
 * refused for receiving nothing, before the operator has typed anything). */
export function hasAmounts(rows) {
  const given = (v) => v !== null && v !== undefined && !/^\s*0*([.,]0*)?\s*$/.test(String(v));
  return rows.some((r) => given(r.pieces) || given(r.weight) || given(r.waste_weight)
    || (r.rejection && (given(r.rejection.weight) || given(r.rejection.pieces)))
    || (r.scrap && (given(r.scrap.weight) || given(r.scrap.pieces))));
}

/** The field an API error names, as this form's data-path: rows[0].scrap.item -> rows.0.scrap.item. */
export function errorPaths(err) {
  const detail = err.detail || {};
  const listed = (detail.errors || []).map((e) => [e.field, e.message]);
  if (detail.field) listed.push([detail.field, err.message]);
  return listed.map(([field, message]) => [String(field || "").replace(/\[(\d+)\]/g, ".$1")
    .replace(/\.waste\.waste_weight$/, ".waste_weight").replace(/\.waste\.unit$/, ".waste_unit"), message]);
}

export function clearFieldErrors(root) {
  for (const node of root.querySelectorAll(".jr-error")) node.remove();
  for (const node of root.querySelectorAll(".jr-bad")) node.classList.remove("jr-bad");
}

/** Put each of the error's messages next to the field it names; return how many found one. */
export function placeErrors(root, err) {
  clearFieldErrors(root);
  let placed = 0;
  for (const [path, message] of errorPaths(err)) {
    // A field, or a part named as a whole (rows.0.scrap): its weight field.
    const candidates = [path, `${path}.weight`];
    const node = candidates.map((p) => root.querySelector(`[data-path="${p}"]`)).find(Boolean);
    if (!node) continue;
    node.classList.add("jr-bad");
    node.closest("label").append(el("span", { class: "jr-error", role: "alert" }, t(message)));
    placed += 1;
  }
  return placed;
}

/** Say a balance refusal the way a person reads it: bucket, and how much over. */
export function balanceText(err) {
  const d = err.detail || {};
  return t("{bucket} is {over} {unit} over what is pending ({pending} {unit})",
    { bucket: bucketWord(d.bucket), over: d.over, unit: d.unit, pending: d.pending });
}

/** Rows of the buckets now and after this receipt (the server's strings, never recomputed). */
export function balanceRows(now, after) {
  return BUCKETS.map((b) => el("tr", { dataset: { bucket: b }, class: b === "pending" ? "jr-pending" : "" },
    el("th", { scope: "row" }, bucketWord(b)),
    el("td", { class: "num mono" }, now.pieces[b]), el("td", { class: "num mono" }, `${now.weight[b]} g`),
    el("td", { class: "num mono jr-after", dataset: { dim: "pieces" } }, after ? after.pieces[b] : "—"),
    el("td", { class: "num mono jr-after", dataset: { dim: "weight" } }, after ? `${after.weight[b]} g` : "—")));
}

export function fillBalance(tbody, now, after) { fill(tbody, balanceRows(now, after)); }

/** Number the rows under root 0, 1, … again (after one is removed), fields and legends too. */
export function renumber(root) {
  [...root.querySelectorAll(".jr-row")].forEach((row, i) => {
    const old = row.dataset.row;
    for (const node of row.querySelectorAll("[data-path]")) node.dataset.path = node.dataset.path.replace(`rows.${old}.`, `rows.${i}.`);
    row.dataset.row = i;
    row.querySelector("legend").textContent = t("Row {n}", { n: i + 1 });
  });
}
