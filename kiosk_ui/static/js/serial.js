// One serial: item, status, place, the completion that made it, its shipment and checks.
import { $, api, dateTimeOf, el, fill, t, toast } from "./common.js";
import { resultWord, serialStatusWord, stageWord } from "./completion_words.js";
import { emptyRow } from "./setup_forms.js";

const code = document.body.dataset.serial;

const link = (href, text) => el("a", { href, class: "mono" }, text);
const pairsOf = (pairs) => pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]);

function source(s) {
  if (s.batch) return link(`/batches/${encodeURIComponent(s.batch)}`, s.batch);
  if (s.job) return link(`/jobs/${encodeURIComponent(s.job)}`, s.job);
  return "—";
}

function shipment(s) {
  if (!s.shipment) return t("Not shipped");
  const sh = s.shipment;
  return el("span", {}, link(`/shipments/${encodeURIComponent(sh.number)}`, sh.number),
    ` · ${sh.customer_name || sh.customer}${sh.order ? ` · ${sh.order}` : ""}${sh.shipped_at ? ` · ${dateTimeOf(sh.shipped_at)}` : ""}`);
}

function show(s) {
  const badge = $("#serial-status");
  badge.className = `badge badge-serial-${s.status}`;
  badge.textContent = serialStatusWord(s.status);
  fill($("#serial-facts"), ...pairsOf([[t("Item"), `${s.item} — ${s.item_name}`],
    [t("Location"), s.location ? (s.bin ? `${s.location} / ${s.bin}` : s.location) : "—"],
    [t("Made from"), source(s)], [t("Run"), s.run ? link(`/runs/${encodeURIComponent(s.run)}`, s.run) : "—"],
    [t("Shipment"), shipment(s)]]));
  const c = s.completion;
  fill($("#completion-facts"), ...pairsOf([[t("Completed"), dateTimeOf(c.completed_at)],
    [t("Quantity completed"), `${c.quantity_completed} ${c.unit}`], [t("Quantity defective"), `${c.quantity_defective} ${c.unit}`],
    [t("Inspector"), c.inspector], [t("Result"), el("span", { class: `badge badge-result-${c.result}` }, resultWord(c.result))],
    [t("Notes"), c.notes || "—"]]));
  fill($("#check-rows"), s.quality_checks.length ? s.quality_checks.map((q) => el("tr", {},
    el("td", {}, dateTimeOf(q.at)), el("td", {}, stageWord(q.stage) + (q.step !== null ? ` #${q.step + 1}` : "")),
    el("td", { class: "mono" }, q.subject_code), el("td", {}, q.inspector),
    el("td", {}, el("span", { class: `badge badge-result-${q.result}` }, resultWord(q.result))),
    el("td", { class: "num" }, String(q.defects)), el("td", {}, q.notes || "—"))) : emptyRow(7, t("No quality checks")));
}

api("GET", `/serials/${encodeURIComponent(code)}`).then(show).catch((err) => toast(err.message, "bad"));
