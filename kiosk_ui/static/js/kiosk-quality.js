// The kiosk's quality-check prompt: at a station whose operation is a quality check, the scan
// that completes the step asks for the check's result, defects and notes (inspector: the
// logged-in operator); a fail puts the batch on hold. Also the words for a scanned serial.
import { $, api, el, t, toast } from "./common.js";
import { bigButton, closeDialog, errorLine, openDialog, showError } from "./kiosk-dialogs.js";
import { serialStatusWord } from "./completion_words.js";

const body = document.body;
const STATION = body.dataset.station;
const QUALITY = body.dataset.qualityCheck === "yes";
const asked = new Set(); // a scan's result arrives live and as the typed scan's answer: ask once

/** Whether this scan completed a step here that is a quality check (and someone may record it). */
export function asksForCheck(scan, operator) {
  return QUALITY && operator && scan.station === STATION && scan.outcome === "accepted"
    && ["complete", "finish"].includes(scan.transition) && Boolean(scan.batch) && !asked.has(scan.event_id);
}

/** The result card's line for a scanned finished serial: item and status. */
export function serialLine(scan) {
  return [scan.item_name || scan.item, serialStatusWord(scan.serial_status)].filter(Boolean).join(" · ");
}

async function stepOf(code) {
  // The step this station just finished for the batch: its latest finished execution here.
  const batch = await api("GET", `/batches/${encodeURIComponent(code)}`);
  const mine = batch.executions.filter((e) => e.finished_at && !e.undone_at && e.operation === body.dataset.operation);
  return mine.length ? mine[mine.length - 1].position : null;
}

export async function openQualityCheck(scan) {
  asked.add(scan.event_id);
  let step;
  try { step = await stepOf(scan.batch); } catch (err) { toast(t(err.message), "bad"); return; }
  if (step === null) return;
  let result = "pass";
  const choices = ["pass", "conditional", "fail"].map((value) => {
    const label = { pass: t("Pass"), conditional: t("Conditional"), fail: t("Fail (puts the batch on hold)") }[value];
    return bigButton(label, () => pickResult(value), value === "fail" ? "btn-danger qc-result" : "btn-ghost-dark qc-result");
  });
  const pickResult = (value) => {
    result = value;
    choices.forEach((btn, i) => btn.setAttribute("aria-pressed", ["pass", "conditional", "fail"][i] === value ? "true" : "false"));
  };
  pickResult("pass");
  const defects = el("input", { id: "qc-defects", class: "kinput kinput-num mono", type: "number", inputmode: "numeric", min: 0, step: 1, value: "0", "aria-label": t("Defects") });
  const notes = el("input", { id: "qc-notes", class: "kinput", autocomplete: "off", "aria-label": t("Notes"), placeholder: t("Notes") });
  const eventId = crypto.randomUUID ? crypto.randomUUID() : undefined;
  const save = async () => {
    const count = defects.value.trim() || "0";
    if (!/^\d+$/.test(count)) { showError(new Error(t("Defects are counted in whole numbers"))); return; }
    try {
      await api("POST", "/quality-checks", { subject: scan.batch, step, station: STATION, result,
        defects: Number(count), notes: notes.value.trim(), event_id: eventId });
      closeDialog();
      toast(result === "fail" ? t("Check failed: {code} is on hold.", { code: scan.batch }) : t("Quality check recorded"), result === "fail" ? "warn" : "ok");
    } catch (err) { showError(err); }
  };
  openDialog(`${t("Quality check")} · ${scan.batch} · ${scan.step}`,
    [el("div", { class: "qc-results", role: "group", "aria-label": t("Result") }, choices),
      el("label", { class: "qty-row" }, el("span", {}, t("Defects")), defects),
      el("label", { class: "qty-row" }, el("span", {}, t("Notes")), notes), errorLine()],
    [bigButton(t("Record check"), save)]);
  $("#qc-defects").focus();
}
