// A job's label scanned at a station serving its stage: record a receipt on the touchscreen.
// Same rows, same check and same receipt API as the office page; one event id per receipt.
import { api, el, t, toast } from "./common.js";
import {
  balanceText, clearFieldErrors, hasAmounts, newEventId, placeErrors, receiptRow, rowsBody,
} from "./job_receipt_form.js";
import { keypad } from "./keypad.js";
import { bigButton, closeDialog, doneButton, errorLine, openDialog, showError } from "./kiosk-dialogs.js";

const opened = new Set(); // scan event ids whose form is open or was: a scan opens it once

function pendingText(balance) {
  return t("Pending: {pieces} pcs, {weight} g", { pieces: balance.pieces.pending, weight: balance.weight.pending });
}

/** Open the receipt form for a job scan's answer (from the live result or the typed code's). */
export async function openJobReceipt(scan, { loggedIn }) {
  if (opened.has(scan.event_id)) return;
  opened.add(scan.event_id);
  if (!loggedIn) { toast(t("Log in with your badge to record a receipt for this job."), "info"); return; }
  const path = `/jobs/${encodeURIComponent(scan.job)}`;
  let job, items, locations;
  try {
    [job, items, locations] = await Promise.all([api("GET", path), api("GET", "/items"), api("GET", "/locations")]);
  } catch (err) { toast(t(err.message), "bad"); return; }
  const eventId = newEventId();
  const product = job.items.length ? job.items[0].item : "";
  const row = receiptRow(0, items, { product });
  const where = el("select", { id: "jr-location", class: "kinput", "aria-label": t("Location"), dataset: { path: "location" } },
    locations.map((l) => el("option", { value: l.code }, `${l.code} — ${l.name || l.code}`)));
  const bin = el("input", { id: "jr-bin", class: "kinput", autocomplete: "off", placeholder: t("Rack/bin"), "aria-label": t("Rack/bin"), dataset: { path: "bin" } });
  const form = el("div", { class: "jr-kiosk", id: "jr-form" },
    el("div", { class: "jr-place" }, el("label", { class: "jr-field" }, el("span", { class: "jr-label" }, t("Location")), where),
      el("label", { class: "jr-field" }, el("span", { class: "jr-label" }, t("Rack/bin")), bin)), row);
  const now = el("p", { class: "jr-now", id: "jr-now" }, pendingText(job.balance));
  const next = el("p", { class: "jr-next", id: "jr-next", role: "status" });
  // The keypad types into the amount field last touched (a hardware keyboard works too).
  let active = row.querySelector('[data-path="rows.0.weight"]');
  for (const input of row.querySelectorAll("input[inputmode]")) input.addEventListener("focus", () => { active = input; });
  const pad = keypad({ get value() { return active.value; }, set value(v) { active.value = v; active.dispatchEvent(new Event("input", { bubbles: true })); } }, "number");
  const body = () => ({ location: where.value, bin: bin.value.trim(), quality: "", event_id: eventId, rows: rowsBody(form) });
  let asked = 0;
  let timer = null;
  const check = async () => {
    const mine = ++asked;
    const { event_id: _, ...draft } = body();
    if (!hasAmounts(draft.rows)) { next.className = "jr-next"; next.textContent = ""; return; }
    try {
      const answer = await api("POST", `${path}/receipts/check`, draft);
      if (mine !== asked) return;
      next.className = "jr-next";
      next.textContent = t("After this receipt: {pieces} pcs, {weight} g pending", { pieces: answer.balance.pieces.pending, weight: answer.balance.weight.pending });
    } catch (err) {
      if (mine !== asked) return;
      next.className = "jr-next jr-refused";
      next.textContent = err.code === "balance" ? balanceText(err) : t(err.message);
    }
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 350); });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(check, 350); });
  const save = async () => {
    clearFieldErrors(form);
    try {
      const answer = await api("POST", `${path}/receipts`, body());
      const lots = answer.receipt.rows.filter((r) => r.lot).map((r) => r.lot);
      openDialog(t("Receipt {seq} for {job}", { seq: answer.receipt.seq, job: job.number }),
        [el("p", { class: "ok-line", id: "jr-saved" }, pendingText(answer.job.balance)),
          el("ul", { class: "child-list" }, lots.map((lot) => el("li", {}, el("span", { class: "mono" }, lot),
            el("a", { class: "btn btn-ghost-dark", href: `/api/v1/lots/${encodeURIComponent(lot)}/label.pdf`, target: "_blank", rel: "noopener" }, t("Print label")))))],
        [doneButton()]);
      toast(t("Receipt saved for {job}.", { job: job.number }), "ok");
    } catch (err) {
      placeErrors(form, err);
      showError(err.code === "balance" ? new Error(balanceText(err)) : err);
    }
  };
  openDialog(t("Receive {job} · {stage}", { job: job.number, stage: job.stage.name }),
    [now, el("div", { class: "jr-kiosk-grid" }, form, pad), next, errorLine()],
    [bigButton(t("Save receipt"), save), bigButton(t("Cancel"), closeDialog, "btn-ghost-dark")]);
  check();
}

/** The line under a job scan's result: its stage and what is pending. */
export function jobLine(scan) {
  const pending = scan.pending ? t("{pieces} pcs, {weight} g pending", { pieces: scan.pending.pieces, weight: scan.pending.weight }) : "";
  return [scan.stage ? scan.stage.name : "", pending].filter(Boolean).join(" · ");
}

/** Why a job scan was refused beyond its reason: the stage the job is at. */
export function jobExpected(scan) {
  return scan.reason === "wrong_stage" && scan.stage ? t("This job is at stage {stage}", { stage: scan.stage.name }) : "";
}

