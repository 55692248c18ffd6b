// The batch page's quality checks: list them, and record one for a past quality-check step.
import { $, api, can, dateTimeOf, el, fill, t, toast } from "./common.js";
import { resultWord, stageWord } from "./completion_words.js";
import { emptyRow, field, submitting } from "./setup_forms.js";

const box = $("#quality-checks");
const code = box.dataset.batch;
const done = JSON.parse(box.dataset.steps || "[]");
const routing = JSON.parse(box.dataset.routing || "[]");

function row(q) {
  return el("tr", {}, el("td", {}, dateTimeOf(q.at)),
    el("td", {}, stageWord(q.stage) + (q.step !== null ? ` #${q.step + 1} ${routing[q.step] || ""}` : "")),
    el("td", {}, q.inspector), el("td", {}, el("span", { class: `badge badge-result-${q.result}` }, resultWord(q.result))),
    el("td", { class: "num" }, String(q.defects)), el("td", {}, q.notes || "—"));
}

async function showChecks() {
  const checks = await api("GET", `/quality-checks?subject=${encodeURIComponent(code)}`);
  fill($("#check-rows"), checks.length ? checks.map(row) : emptyRow(6, t("No quality checks yet")));
}

async function setUpForm() {
  if (!can("operator")) return;
  const operations = await api("GET", "/operations");
  const checks = new Set(operations.filter((o) => o.is_quality_check).map((o) => o.code));
  const steps = done.filter((p) => checks.has(routing[p]));
  if (!steps.length) return;
  fill($("#check-step"), steps.map((p) => el("option", { value: String(p) }, `${p + 1}. ${routing[p]}`)));
  $("#check-form").hidden = false;
}

async function record(event) {
  event.preventDefault();
  const form = event.target;
  const body = { subject: code, step: Number(field(form, "step")), result: field(form, "result"),
    defects: Number(field(form, "defects") || "0"), inspector: field(form, "inspector"), notes: field(form, "notes") };
  const saved = await submitting(form.querySelector("[type=submit]"), $("#check-error"), () => api("POST", "/quality-checks", body));
  if (!saved) return;
  toast(t("Quality check recorded"), "ok");
  if (saved.result === "fail") window.location.reload(); // the batch went on hold: show it
  else showChecks().catch((err) => toast(err.message, "bad"));
}

$("#check-form").addEventListener("submit", record);
Promise.all([showChecks(), setUpForm()]).catch((err) => toast(err.message, "bad"));
