// One job: facts, the five buckets as a flow picture, efficiency, run history, lots and receipts.
import { $, api, can, dateTimeOf, el, fill, t, toast } from "./common.js";
import { emptyRow, hideByRole } from "./setup_forms.js";
import { lotLink } from "./inventory_common.js";
import { BUCKETS, BUCKET_WORDS, drawFlow } from "./job_flow.js";
import { amount, grams, jobBadge, jobLink, jobStatusWord, percent, share } from "./jobs_common.js";

const NUMBER = document.body.dataset.job;
const PATH = `/jobs/${encodeURIComponent(NUMBER)}`;
const pcs = (n) => t("{n} pcs", { n: amount(String(n)) });
let job = null;
let measure = "weight";

function kv(label, value, key) {
  return el("div", { dataset: { fact: key } }, el("span", {}, label), el("b", {}, value));
}

function product(data) {
  const items = data.items.length ? data.items.map((i) => `${i.item} · ${i.name}`)
    : [...new Set(data.issues.map((i) => i.item))];
  return items.join(", ") || "—";
}

function showFacts(data) {
  const badge = $("#job-status");
  fill(badge, jobStatusWord(data.status));
  badge.className = `badge job-${data.status}`;
  const order = data.order ? (data.order_line ? t("{order} line {line}", { order: data.order, line: data.order_line }) : data.order) : "—";
  fill($("#job-facts"),
    kv(t("Stage"), data.stage.name, "stage"),
    kv(t("Product"), product(data), "product"),
    kv(t("Staff"), data.assignee ? data.assignee.name || data.assignee.username : "—", "staff"),
    kv(t("Deadline"), data.deadline || "—", "deadline"),
    kv(t("Order"), order, "order"),
    kv(t("Issued on"), data.issued_on, "issued_on"),
    kv(t("Shape"), data.shape || "—", "shape"),
    kv(t("Size"), data.size || "—", "size"));
  if (data.notes) $("#job-facts").append(kv(t("Notes"), data.notes, "notes"));
  const receive = $("#job-receive");
  receive.hidden = !can("planner") || data.status === "completed" || data.status === "cancelled";
}

function showBuckets(data) {
  const { weight, pieces } = data.balance;
  const cells = (values, show) => ["issued", ...BUCKETS].map((b) => el("td", { class: "num", dataset: { bucket: b } }, show(values[b])));
  fill($("#bucket-table tbody"),
    el("tr", { dataset: { measure: "weight" } }, el("th", { scope: "row" }, t("Weight")), cells(weight, grams)),
    el("tr", { dataset: { measure: "pieces" } }, el("th", { scope: "row" }, t("Pieces")), cells(pieces, pcs)));
  const basis = Number(weight.issued) > 0 ? weight : pieces;
  const done = share(String(Number(basis.issued) - Number(basis.pending)), basis.issued);
  $("#job-progress").firstElementChild.style.width = `${(done * 100).toFixed(1)}%`;
  $("#job-progress").setAttribute("aria-valuenow", (done * 100).toFixed(0));
  fill($("#progress-text"), t("{done} of {issued} accounted for, {pending} pending", {
    done: basis === weight ? grams(String(Number(weight.issued) - Number(weight.pending))) : pcs(Number(pieces.issued) - Number(pieces.pending)),
    issued: basis === weight ? grams(weight.issued) : pcs(pieces.issued),
    pending: basis === weight ? grams(weight.pending) : pcs(pieces.pending) }));
  drawCurrent();
}

function drawCurrent() {
  if (!job) return;
  const values = job.balance[measure];
  const box = $("#job-flow");
  if (!(Number(values.issued) > 0)) {
    fill(box, el("p", { class: "muted" }, measure === "weight" ? t("No weight was issued into this job.") : t("No pieces were issued into this job.")));
    return;
  }
  drawFlow(box, values, measure === "weight" ? grams : pcs);
}

function onTime(data) {
  const p = data.progress;
  if (p.on_time === true) return t("on time");
  if (p.on_time === false) return t("late");
  if (data.deadline && data.status !== "completed" && data.deadline < new Date().toISOString().slice(0, 10)) return t("late");
  return "—";
}

function showEfficiency(data) {
  const p = data.progress;
  fill($("#job-efficiency"),
    kv(t("Yield"), percent(p.yield), "yield"),
    kv(t("Rejection rate"), percent(p.rejection_rate), "rejection_rate"),
    kv(t("Scrap rate"), percent(p.scrap_rate), "scrap_rate"),
    kv(t("Waste rate"), percent(p.waste_rate), "waste_rate"),
    kv(t("On time"), onTime(data), "on_time"));
}

function showLots(data) {
  fill($("#issue-rows"), data.issues.length ? data.issues.map((i) => el("tr", { dataset: { lot: i.lot } },
    el("td", {}, lotLink(i.lot)), el("td", { class: "mono" }, i.item),
    el("td", { class: "num" }, `${amount(i.quantity)} ${i.unit}`),
    el("td", { class: "num" }, i.pieces ?? "—"),
    el("td", { class: "num" }, i.weight ? `${amount(i.weight)} ${i.weight_unit}` : "—")))
    : emptyRow(5, t("No lots issued")));
  const words = BUCKET_WORDS();
  const rows = data.receipts.flatMap((r) => r.rows.map((row) => el("tr", { dataset: { receipt: r.seq, bucket: row.bucket } },
    el("td", {}, r.seq), el("td", {}, r.received_on), el("td", {}, words[row.bucket] || row.bucket),
    el("td", { class: "mono" }, row.item || "—"), el("td", { class: "num" }, row.pieces ?? "—"),
    el("td", { class: "num" }, `${amount(row.weight)} ${row.unit}`),
    el("td", {}, row.lot ? lotLink(row.lot) : "—"))));
  fill($("#receipt-rows"), rows.length ? rows : emptyRow(7, t("Nothing received yet")));
}

function amountPair(part) {
  return part.pieces ? `${grams(part.weight)} · ${pcs(part.pieces)}` : grams(part.weight);
}

function stageEntry(entry) {
  const words = BUCKET_WORDS();
  const here = entry.job === NUMBER;
  const outputs = ["received", "rejected", "scrapped", "waste"].map((b) => el("li", { dataset: { bucket: b } },
    el("span", { class: `dot b-${b}` }), `${words[b]}: `, el("b", {}, amountPair(entry.outputs[b]))));
  return el("li", { class: here ? "stage-step here" : "stage-step", dataset: { job: entry.job, position: entry.position } },
    el("div", { class: "step-head" }, el("b", {}, entry.stage.name), " ",
      here ? el("span", { class: "mono", "aria-current": "page" }, entry.job) : jobLink(entry.job), " ", jobBadge(entry.status)),
    el("div", { class: "muted small" }, entry.to ? `${entry.from} – ${entry.to}` : t("since {date}", { date: entry.from })),
    el("div", { class: "step-part" }, el("span", { class: "part-name" }, t("In")), " ", el("b", { dataset: { part: "issued" } }, amountPair(entry.issued)),
      entry.inputs.length ? el("div", { class: "small" }, entry.inputs.flatMap((i, n) => [n ? ", " : "", lotLink(i.lot), ` ${amount(i.quantity)} ${i.unit}`])) : null),
    el("div", { class: "step-part" }, el("span", { class: "part-name" }, t("Out")), el("ul", { class: "outputs" }, outputs)),
    el("div", { class: "step-part", dataset: { part: "losses" } }, el("span", { class: "part-name" }, t("Lost")), " ",
      el("b", {}, grams(entry.losses.weight)), entry.losses.rate ? ` (${percent(entry.losses.rate)})` : "",
      " · ", t("{amount} pending", { amount: amountPair(entry.pending) })));
}

// The server's detail of a receipt event is English; the page says it in its own words.
function eventText(e) {
  const detail = e.detail || "—";
  return { issued: () => t("Issued from {detail}", { detail }), received: () => t("Output received"),
    changed: () => t("Changed: {detail}", { detail }) }[e.what]?.() || e.what;
}

function showHistory(history) {
  fill($("#job-timeline"), history.timeline.map(stageEntry));
  fill($("#job-events"), history.events.map((e) => el("li", { dataset: { what: e.what } },
    el("span", { class: "muted" }, dateTimeOf(e.at)), " ", eventText(e), " · ", el("span", { class: "muted" }, e.by))));
}

async function load() {
  try {
    const [data, history] = await Promise.all([api("GET", PATH), api("GET", `${PATH}/history`)]);
    if (!job && !(Number(data.balance.weight.issued) > 0)) pickMeasure("pieces");  // counted in pieces only
    job = data;
    showFacts(data);
    showBuckets(data);
    showEfficiency(data);
    showLots(data);
    showHistory(history);
  } catch (err) { toast(err.message, "bad"); }
}

function pickMeasure(name) {
  measure = name;
  for (const b of document.querySelectorAll(".segmented [data-measure]")) b.setAttribute("aria-pressed", String(b.dataset.measure === name));
}

for (const button of document.querySelectorAll(".segmented [data-measure]")) {
  button.addEventListener("click", () => { pickMeasure(button.dataset.measure); drawCurrent(); });
}
let lastWidth = 0;
new ResizeObserver(() => {
  const width = $("#job-flow").clientWidth;
  if (Math.abs(width - lastWidth) > 4) { lastWidth = width; drawCurrent(); }
}).observe($("#job-flow"));
hideByRole(can);
load();
