// The operator kiosk: live scan results and work queue at one station, badge login, actions.
import { $, api, can, connectLive, el, fill, startClock, t, timeOf, toast, words } from "./common.js";
import * as dialogs from "./kiosk-dialogs.js";
import { Outbox, unreachable } from "./kiosk-outbox.js";
import { jobExpected, jobLine, openJobReceipt } from "./kiosk-job.js";
import { initPacking, packedText, packs, refreshPacking } from "./kiosk-pack.js";
import { asksForCheck, openQualityCheck, serialLine } from "./kiosk-quality.js";
import { drawQueue } from "./kiosk-queue.js";
import { beep } from "./sound.js";

const body = document.body;
const STATION = body.dataset.station;
const RESULT_MS = Math.max(1, Number.parseFloat(body.dataset.resultSeconds) || 8) * 1000;
const loggedIn = Boolean(body.dataset.user);
const PACKING = Boolean(body.dataset.packing); // serial and lot scans here go onto a shipment
let current = null; // the batch the action buttons work on: a batch summary, queue entry or ack
let queue = [];
let resetTimer = null;

// ---- connection and the typed-code outbox -------------------------------------------------
function setConnected(ok) {
  $("#offline").hidden = ok;
  const conn = $("#conn");
  conn.textContent = ok ? t("Online") : t("Offline");
  conn.className = `conn ${ok ? "conn-ok" : "conn-down"}`;
  if (ok) outbox.flush();
}

function showPending(n) {
  const banner = $("#pending");
  banner.hidden = n === 0;
  banner.textContent = n === 1 ? t("1 scan waiting to send") : t("{n} scans waiting to send", { n });
}

const postScan = (scan) => api("POST", `/stations/${encodeURIComponent(STATION)}/scans`, scan);
const outbox = new Outbox(STATION, postScan, showPending);

/** Record a typed code: its event id is made now, so a resend later is the same scan. */
async function typed(code) {
  const scan = { event_id: crypto.randomUUID(), code, symbology: "manual", scanned_at: new Date().toISOString(), source: "kiosk" };
  if (outbox.size > 0) { outbox.keep(scan); outbox.flush(); return; } // keep the order typed
  try {
    const ack = await postScan(scan);
    if (opensJob(ack)) openJob(ack); // also when the live result is slow or the socket down
  } catch (err) {
    if (!unreachable(err)) throw err;
    outbox.keep(scan);
    toast(t("The server is not reachable; the scan is kept and sent when the link is back."), "warn");
  }
}

// A job's label at a station serving its stage opens its receipt form (services/job_scans.py).
const opensJob = (scan) => Boolean(scan) && scan.outcome === "accepted" && scan.transition === "job_opened";
const openJob = (scan) => openJobReceipt(scan, { loggedIn: loggedIn && can("operator") });

// ---- the result card ------------------------------------------------------------------------
function showCard(kind, title, { at, batch, line = "", reason = "", expected = "" }) {
  const card = $("#result");
  card.className = `result result-${kind} flash`;
  void card.offsetWidth; // restart the flash animation
  $("#result-title").textContent = title;
  $("#result-time").textContent = at ? timeOf(at) : "";
  $("#result-batch").textContent = batch;
  $("#result-line").textContent = line;
  $("#result-reason").hidden = !reason;
  $("#result-reason").textContent = reason;
  $("#result-expected").hidden = !expected;
  $("#result-expected").textContent = expected;
  fill($("#result-steps"));
  clearTimeout(resetTimer);
  resetTimer = setTimeout(showReady, RESULT_MS);
}

function showReady() {
  showCard("idle", t("Ready"), { batch: t("Scan a batch label"), line: t("Results of every scan at {station} show here.", { station: STATION }) });
  clearTimeout(resetTimer);
  $("#result").classList.remove("flash");
}

function showResult(scan) {
  const kind = scan.outcome === "accepted" ? "accepted" : scan.outcome === "duplicate" ? "duplicate" : "rejected";
  const title = { accepted: t("✓ Accepted"), duplicate: t("Already scanned"), rejected: t("✕ Rejected") }[kind];
  showCard(kind, title, {
    at: scan.at, batch: scan.job || scan.serial || scan.lot || scan.batch || scan.scanned || scan.shipment || scan.code || "—",
    line: scan.job ? jobLine(scan) : scan.serial ? serialLine(scan) : scan.item ? [scan.item, `${scan.quantity} ${scan.unit}`, scan.run].filter(Boolean).join(" · ") : "",
    reason: kind === "accepted" ? "" : t(scan.message || words(scan.reason)),
    expected: scan.expected_step ? t("This batch expects: {step}", { step: scan.expected_step }) : jobExpected(scan),
  });
  if (packs(scan)) {
    $("#result-steps").append(el("span", { class: "chip chip-done" }, packedText(scan)));
  } else if (opensJob(scan)) {
    $("#result-steps").append(el("span", { class: "chip chip-done" }, t("Receipt form for {job}", { job: scan.job })));
  } else if (kind === "accepted" && scan.transition === "issued") {
    // A lot's label: the lot was issued to the batch in process here (services/lot_scans.py).
    $("#result-steps").append(el("span", { class: "chip chip-done" }, issuedText(scan)));
  } else if (kind === "accepted") {
    const done = scan.transition === "start" ? t("{step} started", { step: scan.step }) : t("{step} done", { step: scan.step });
    $("#result-steps").append(el("span", { class: "chip chip-done" }, done),
      el("span", { class: "arrow", "aria-hidden": "true" }, "→"),
      el("span", { class: "chip chip-next" }, scan.next_step ? t("Next: {step}", { step: scan.next_step }) : t("Batch complete")));
  }
  beep(kind);
}

function issuedText(scan) {
  return t("Lot {lot}: {quantity} {unit} issued to {batch}", { lot: scan.lot, quantity: scan.quantity, unit: scan.unit, batch: scan.batch });
}

function recentItem(scan) {
  const kind = scan.outcome === "accepted" ? "ok" : scan.outcome === "duplicate" ? "dup" : "bad";
  const what = packs(scan) ? packedText(scan) : opensJob(scan) ? t("Receipt form for {job}", { job: scan.job })
    : scan.outcome === "accepted" && scan.transition === "issued" ? issuedText(scan)
    : scan.outcome === "accepted"
    ? (scan.transition === "start" ? t("{step} started", { step: scan.step }) : t("{step} done", { step: scan.step }))
    : t(scan.message || words(scan.reason));
  return el("li", { class: `recent recent-${kind}` },
    el("span", { class: "recent-dot", "aria-hidden": "true" }),
    el("span", { class: "recent-code mono" }, scan.job || scan.serial || scan.lot || scan.batch || scan.scanned || scan.shipment || scan.code || "—"),
    el("span", { class: "recent-what" }, what),
    el("span", { class: "recent-time" }, timeOf(scan.at)));
}

function onScan(scan) {
  if (scan.station !== STATION) return;
  showResult(scan);
  const list = $("#recent");
  list.prepend(recentItem(scan));
  while (list.children.length > 10) list.lastElementChild.remove();
  if (opensJob(scan)) openJob(scan);
  if (PACKING && packs(scan)) refreshPacking();
  if (asksForCheck(scan, loggedIn && can("operator"))) openQualityCheck(scan);
  if (scan.batch && scan.transition !== "issued") setCurrent({ code: scan.batch, state: scan.state, step: scan.step, item: scan.item, unit: scan.unit, ack: scan });
}

// A badge read by the station's scanner is a login there, never a scan: a welcome, no buzz.
function onOperator(login) {
  if (login.station !== STATION) return;
  const who = login.display_name || login.username;
  const name = $("#operator-name");
  if (name && !loggedIn) name.textContent = who;
  showCard("welcome", t("Welcome"), { at: new Date().toISOString(), batch: who, line: t("{who} is signed in at this station; scans here are recorded as theirs.", { who }) });
  if (!loggedIn) loginFromScanner();
}

// The station's scanner stands for the kiosk's badge reader: a badge-only operator read there
// logs this kiosk in too; one with a PIN still types it at the kiosk.
async function loginFromScanner() {
  try {
    await api("POST", "/auth/badge/station");
    location.reload();
  } catch (err) {
    if (err.code === "pin_required") toast(t("Log in at the kiosk with your badge and PIN"), "info");
  }
}

function onSnapshot(room, snap) {
  fill($("#recent"), (snap.recent_scans || []).map(recentItem));
  const st = snap.station;
  if (st && !st.enabled) toast(t("This station is disabled; scans are refused."), "bad");
  if (st) onHealth(st);
  if (snap.queue && !PACKING) setQueue(snap.queue);
}

// The agent's own troubles (its outbox, scans held for their time) are the operator's too:
// a read it cannot store is lost unless scanned again.
function onHealth(st) {
  if (st.name !== STATION) return;
  const alerts = st.alerts || [];
  $("#station-health").hidden = alerts.length === 0;
  const storing = alerts.some((a) => a.code === "outbox_unwritable" || a.code === "outbox_unhealthy");
  $("#station-health-title").textContent = storing ? t("Scans are not being stored.") : t("Station needs attention.");
  $("#station-health-text").textContent = alerts.map((a) => t(a.message)).join(" · ");
  const dead = st.health?.dead_letters?.recent || [];
  fill($("#station-dead"), dead.slice(0, 5).map((d) =>
    el("li", { class: "mono" }, `${d.code} · ${t("scanned {time}", { time: timeOf(d.scanned_at) })} · ${t(d.message || words(d.reason))}`)));
}

// ---- work queue, current batch and action buttons ---------------------------------------------
function setQueue(entries) {
  queue = entries;
  if (PACKING) return; // a packing station shows its shipment instead of a work queue
  drawQueue($("#queue"), $("#queue-count"), queue, current && current.code, pick);
}

function pick(entry) {
  setCurrent({ ...entry });
}

function setCurrent(batch) {
  current = batch;
  $("#current-batch").textContent = batch ? batch.code : t("none");
  for (const row of document.querySelectorAll("#queue .qrow")) {
    const on = Boolean(batch) && row.dataset.code === batch.code;
    row.classList.toggle("qrow-on", on);
    row.querySelector(".qpick").setAttribute("aria-pressed", on ? "true" : "false");
  }
  refreshButtons();
}

function refreshButtons() {
  for (const btn of document.querySelectorAll("#actions [data-needs]")) {
    btn.disabled = !loggedIn || !can(btn.dataset.needs) || (btn.hasAttribute("data-batch") && !current);
  }
  $("#btn-code").disabled = !loggedIn;
  $("#btn-release").hidden = !(current && current.state === "on_hold" && can("supervisor"));
  $("#btn-hold").hidden = Boolean(current && current.state === "on_hold");
  $("#login-hint").hidden = loggedIn;
  if (loggedIn && !can("operator")) { // viewers see results only
    for (const btn of document.querySelectorAll("#actions button")) btn.hidden = true;
  }
}

async function release() {
  try {
    const batch = await api("POST", `/batches/${encodeURIComponent(current.code)}/release`, { reason: "" });
    setCurrent(batch);
    toast(t("{code} released.", { code: batch.code }), "ok");
  } catch (err) { toast(t(err.message), "bad"); }
}

async function logout() {
  try { await api("POST", "/auth/badge/logout"); } finally { location.reload(); }
}

// ---- wiring ---------------------------------------------------------------------------------
dialogs.useKiosk({ station: STATION, current: () => current, setCurrent, queue: () => queue, typed });
const on = (id, fn) => { const b = $(id); if (b) b.addEventListener("click", fn); };
on("#btn-login", dialogs.openLogin);
on("#btn-logout", logout);
on("#btn-code", dialogs.openCodeEntry);
on("#btn-batch", dialogs.openPickBatch);
on("#btn-qty", dialogs.openQuantities);
on("#btn-split", dialogs.openSplit);
on("#btn-merge", dialogs.openMerge);
on("#btn-hold", dialogs.openHold);
on("#btn-release", release);
on("#btn-correct", dialogs.openCorrect);
startClock($("#clock"));
if (PACKING) initPacking(STATION);
refreshButtons();
showPending(outbox.size);
setInterval(() => { if (outbox.size > 0) outbox.flush(); }, 5000);
// Keep the kiosk page and its assets for a reload while the server is down.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk/" }).then(() => navigator.serviceWorker.ready).then((reg) => {
    const loaded = performance.getEntriesByType("resource").map((r) => r.name);
    reg.active.postMessage({ keep: [location.href, ...loaded] });
  }).catch(() => {});
}
connectLive({
  rooms: () => [`station:${STATION}`],
  onSnapshot, onStatus: setConnected,
  on: {
    scan_recorded: onScan, station_health: onHealth, operator_logged_in: onOperator,
    station_queue: (msg) => { if ((msg.stations || []).includes(STATION)) setQueue(msg.queue); },
  },
});
