// The office's receive page: rows of output for one job, what would be pending after them
// (asked of the server as they are typed), and one save with its own event id.
import { $, api, el, fill, t, toast } from "./common.js";
import {
  balanceText, bucketWord, clearFieldErrors, fillBalance, hasAmounts, jobStatusText, newEventId, placeErrors, receiptRow, renumber, rowsBody,
} from "./job_receipt_form.js";
import { clearError, showError } from "./setup_forms.js";

const NUMBER = document.body.dataset.job;
const path = `/jobs/${encodeURIComponent(NUMBER)}`;
let job = null;
let items = [];
// One id per receipt being typed: a double click or a resend after a lost answer is this
// same receipt, and the server applies it once.
const eventId = newEventId();
let timer = null;
let asked = 0;

function receiptBody() {
  const form = $("#receive-form");
  const v = (name) => form.elements.namedItem(name).value.trim();
  return { received_on: v("received_on") || null, quality: v("quality"), location: v("location"), bin: v("bin"),
    event_id: eventId, rows: rowsBody($("#rows")) };
}

function addRow() {
  const rows = $("#rows");
  const product = job && job.items.length ? job.items[0].item : "";
  rows.append(receiptRow(rows.children.length, items, { product, onRemove: removeRow }));
  soon();
}

function removeRow(row) {
  if ($("#rows").children.length === 1) return; // a receipt has at least one row
  row.remove();
  renumber($("#rows"));
  soon();
}

function soon() {
  clearTimeout(timer);
  timer = setTimeout(check, 350);
}

function markBucket(bucket) {
  for (const tr of document.querySelectorAll("#balance-rows tr")) tr.classList.toggle("jr-over", tr.dataset.bucket === bucket);
}

/** Ask the server what this receipt would leave pending; only the newest answer shows. */
async function check() {
  const mine = ++asked;
  const state = $("#check-state");
  const { event_id: _, ...body } = receiptBody();
  if (!hasAmounts(body.rows)) {
    fillBalance($("#balance-rows"), job.balance, null);
    markBucket(null);
    state.className = "muted";
    state.textContent = "";
    return;
  }
  try {
    const answer = await api("POST", `${path}/receipts/check`, body);
    if (mine !== asked) return;
    fillBalance($("#balance-rows"), job.balance, answer.balance);
    state.className = "muted";
    state.textContent = answer.status === "completed" ? t("This receipt completes the job: nothing stays pending.")
      : t("Checked by the server; nothing is saved yet.");
  } catch (err) {
    if (mine !== asked) return;
    fillBalance($("#balance-rows"), job.balance, null);
    state.className = "jr-refused";
    state.textContent = err.code === "balance" ? balanceText(err) : t(err.message);
    markBucket(err.code === "balance" ? err.detail.bucket : null);
  }
}

async function save(event) {
  event.preventDefault();
  const button = $("#save-receipt");
  const box = $("#receive-error");
  clearError(box);
  clearFieldErrors($("#receive-form"));
  button.disabled = true;
  try {
    const answer = await api("POST", `${path}/receipts`, receiptBody());
    showSaved(answer);
  } catch (err) {
    const placed = placeErrors($("#receive-form"), err);
    if (err.code === "balance") {
      markBucket(err.detail.bucket);
      fill(box, el("span", { class: "error-message" }, balanceText(err)));
      box.hidden = false;
    } else if (!placed || err.code === "no_scrap_item") showError(box, err);
    button.disabled = false;
  }
}

function showSaved(answer) {
  job = answer.job;
  $("#receive-card").hidden = true;
  $("#saved").hidden = false;
  $("#saved-title").textContent = t("Receipt {seq} saved: {status}", { seq: answer.receipt.seq, status: jobStatusText(job.status) });
  fillBalance($("#balance-rows"), job.balance, null);
  $("#check-state").textContent = t("Pending now: {pieces} pcs, {weight} g", { pieces: job.balance.pieces.pending, weight: job.balance.weight.pending });
  fill($("#saved-rows"), answer.receipt.rows.map((r) => el("tr", { dataset: { bucket: r.bucket } },
    el("td", {}, bucketWord(r.bucket)), el("td", { class: "mono" }, r.item || "—"),
    el("td", { class: "num mono" }, r.pieces), el("td", { class: "num mono" }, `${r.weight} ${r.unit}`),
    el("td", {}, r.lot ? el("a", { class: "mono", href: `/inventory/lots/${encodeURIComponent(r.lot)}` }, r.lot) : t("recorded as loss")),
    el("td", {}, r.lot ? el("a", { class: "btn btn-ghost", href: `/api/v1/lots/${encodeURIComponent(r.lot)}/label.pdf`, target: "_blank", rel: "noopener" }, t("Print label")) : ""))));
  $("#back-to-job").focus();
}

async function start() {
  let locations;
  [job, items, locations] = await Promise.all([api("GET", path), api("GET", "/items"), api("GET", "/locations").catch(() => [])]);
  $("#job-facts").textContent = [job.number, `${job.stage.code} ${job.stage.name}`, jobStatusText(job.status),
    job.items.map((i) => i.item).join(", ")].filter(Boolean).join(" · ");
  fill($("#location"), locations.length ? locations.map((l) => el("option", { value: l.code }, `${l.code} — ${l.name || l.code}`))
    : el("option", { value: "" }, t("Add a location first")));
  $("#received-on").value = new Date().toISOString().slice(0, 10);
  fillBalance($("#balance-rows"), job.balance, null);
  if (job.status === "completed" || job.status === "cancelled") {
    $("#receive-card").hidden = true;
    $("#check-state").textContent = t("This job is {status}: there is nothing to receive.", { status: jobStatusText(job.status) });
    return;
  }
  addRow();
}

$("#receive-form").addEventListener("input", soon);
$("#receive-form").addEventListener("change", soon);
$("#receive-form").addEventListener("submit", save);
$("#add-row").addEventListener("click", addRow);
start().catch((err) => toast(t(err.message), "bad"));
