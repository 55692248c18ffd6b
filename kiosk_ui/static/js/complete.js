// Complete & inspect a done batch (serials or one finished lot) or a job's received output
// (serials taken out of the lots its receipts made: it is in stock as lots already).
import { $, api, el, fill, t, toast } from "./common.js";
import { resultWord, serialStatusWord } from "./completion_words.js";
import { field, submitting } from "./setup_forms.js";

const { kind, code, inspector } = document.body.dataset;
const path = `/${kind === "batch" ? "batches" : "jobs"}/${encodeURIComponent(code)}/complete`;

function facts(left) {
  const pairs = [[t("Item"), left.item ? `${left.item} — ${left.item_name}` : "—"],
    [t("Good quantity"), `${left.good} ${left.unit}`], [t("Completed so far"), `${left.completed} ${left.unit}`],
    [kind === "job" ? t("Still on hand in its received lots") : t("Left to complete"), `${left.left} ${left.unit}`]];
  fill($("#source-facts"), pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  if (kind === "job") jobLots(left.lots || []);
}

// What the job's received good lots still hold: a completion takes its pieces from them, oldest first.
function jobLots(lots) {
  fill($("#job-lots tbody"), lots.map((l) => el("tr", {},
    el("td", {}, el("a", { href: `/inventory/lots/${encodeURIComponent(l.number)}`, class: "mono" }, l.number)),
    el("td", { class: "num" }, `${l.on_hand} ${l.unit}`),
    el("td", {}, `${l.location}${l.bin ? ` / ${l.bin}` : ""}`))));
  $("#job-lots").hidden = !lots.length;
  $("#job-lots-empty").hidden = lots.length > 0;
}

function prefill(left) {
  const form = $("#complete-form");
  form.elements.quantity_completed.value = left.left;
  form.elements.inspector.value = inspector;
  const serials = $("#output").querySelector("option[value=serials]");
  serials.disabled = !left.counted;
  const outputs = left.outputs || ["serials", "lot"];
  if (!left.counted && outputs.includes("lot")) $("#output").value = "lot";
  if (kind === "job" && left.item && !left.counted) {
    // A job's output is a lot already; serials need pieces: nothing to complete here.
    $("#complete-submit").disabled = true;
    toast(t("Serials need an item counted in pieces: record a quality check of the received lot instead"), "warn");
  } else if (!left.ready || left.left === "0") {
    $("#complete-submit").disabled = true;
    const why = left.ready || left.kind === "job" ? t("Nothing left to complete") : t("The batch is not done with all its steps yet");
    toast(why, "warn");
  }
}

function showAnswer(answer) {
  const c = answer.completion;
  $("#complete-card").hidden = true;
  $("#answer").hidden = false;
  $("#answer-title").textContent = answer.serials.length
    ? t("{count} serials made", { count: answer.serials.length }) : t("Completion recorded");
  const pairs = [[t("Completed"), `${c.quantity_completed} ${c.unit}`], [t("Defective"), `${c.quantity_defective} ${c.unit}`],
    [t("Inspector"), c.inspector], [t("Result"), resultWord(c.result)]];
  fill($("#answer-facts"), pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  fill($("#answer-serials"), answer.serials.map((s) => el("li", {},
    el("a", { href: `/serials/${encodeURIComponent(s.code)}`, class: "serial-link" }, s.code),
    " ", el("span", { class: `badge badge-serial-${s.status}` }, serialStatusWord(s.status)))));
  if (answer.lot) {
    $("#answer-lot").hidden = false;
    fill($("#answer-lot"), t("Lot"), " ", el("a", { href: `/inventory/lots/${encodeURIComponent(answer.lot.number)}`, class: "mono", id: "lot-link" }, answer.lot.number),
      ` · ${answer.lot.quantity} ${answer.lot.unit} · ${answer.lot.location}${answer.lot.bin ? ` / ${answer.lot.bin}` : ""}`);
  }
  const print = $("#print-labels");
  print.hidden = !answer.serials.length;
  print.href = `/api/v1/completions/${c.id}/labels.pdf`;
}

async function complete(event) {
  event.preventDefault();
  const form = event.target;
  const body = { quantity_completed: field(form, "quantity_completed"), quantity_defective: field(form, "quantity_defective") || "0",
    inspector: field(form, "inspector"), result: field(form, "result"), notes: form.elements.notes.value,
    output: field(form, "output"), location: field(form, "location"), bin: field(form, "bin"),
    event_id: form.dataset.eventId };
  const answer = await submitting(form.querySelector("[type=submit]"), $("#complete-error"), () => api("POST", path, body));
  if (answer) { showAnswer(answer); toast(t("Completion recorded"), "ok"); }
}

async function start() {
  // One id per form: a double tap or a resend after a lost answer completes once.
  $("#complete-form").dataset.eventId = crypto.randomUUID ? crypto.randomUUID() : undefined;
  const [left, locations] = await Promise.all([api("GET", path), api("GET", "/locations")]);
  fill($("#location"), locations.map((l) => el("option", { value: l.code }, `${l.code} — ${l.name}`)));
  facts(left);
  prefill(left);
}

$("#complete-form").addEventListener("submit", complete);
start().catch((err) => toast(err.message, "bad"));
