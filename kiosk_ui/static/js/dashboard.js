// The floor monitor: active runs, WIP per step, stations, stalled batches and a scan ticker.
import { $, ago, api, can, connectLive, duration, el, fill, startClock, timeOf, toast, words } from "./common.js";

const runs = new Map(); // number -> run summary (newest version kept)
let stations = new Map();
let scans = [];
let stalled = [];
const TICKER = 14;

function setConnected(ok) {
  $("#offline").hidden = ok;
  const conn = $("#conn");
  conn.textContent = ok ? "Live" : "Offline";
  conn.className = `conn ${ok ? "conn-ok" : "conn-down"}`;
}

function onSnapshot(room, snap) {
  runs.clear();
  for (const r of snap.runs || []) runs.set(r.number, r);
  stations = new Map((snap.stations || []).map((s) => [s.name, s]));
  scans = (snap.recent_scans || []).slice(0, TICKER);
  stalled = snap.stalled || [];
  drawAll();
}

function onProgress(run) {
  const shown = runs.get(run.number);
  if (shown && shown.version > run.version) return; // older than what we show
  if (run.status === "completed" || run.status === "cancelled") runs.delete(run.number);
  else runs.set(run.number, run);
  drawRuns();
}

function onScan(scan) {
  scans.unshift(scan);
  scans = scans.slice(0, TICKER);
  drawTicker();
}

function onHealth(station) {
  stations.set(station.name, station);
  drawStations();
}

function drawAll() { drawRuns(); drawStations(); drawStalled(); drawTicker(); }

function runCard(run) {
  const p = run.progress || {};
  const pct = Math.round((p.completion || 0) * 10) / 10;
  const steps = Object.entries(p.per_step || {});
  return el("article", { class: `run-card status-${run.status}`, dataset: { run: run.number } },
    el("div", { class: "run-head" },
      el("span", { class: "run-number mono" }, run.number),
      el("span", { class: `badge badge-${run.status}` }, words(run.status)),
      el("span", { class: "run-pct", "data-pct": pct }, `${pct}%`)),
    el("div", { class: "bar", role: "progressbar", "aria-valuenow": pct, "aria-valuemin": 0, "aria-valuemax": 100 },
      el("div", { class: "bar-fill", style: null })),
    el("div", { class: "run-meta" },
      el("span", {}, `${p.done ?? 0} of ${p.batches ?? 0} batches done`),
      (p.items || []).length ? el("span", { class: "mono" }, p.items.join(" · ")) : null,
      run.sales_order ? el("span", {}, `Order ${run.sales_order}`) : null,
      run.notes ? el("span", { class: "muted" }, run.notes) : null),
    el("div", { class: "wip" }, steps.length ? steps.map(([op, n]) =>
      el("span", { class: "wip-step" }, el("span", { class: "wip-op" }, op), el("span", { class: "wip-n" }, String(n))))
      : el("span", { class: "muted" }, "No work in progress")));
}

function drawRuns() {
  const list = [...runs.values()].sort((a, b) => a.number.localeCompare(b.number));
  const box = $("#runs");
  fill(box, list.length ? list.map(runCard) : el("p", { class: "empty" }, "No active runs."));
  // Widths through CSSOM (allowed by the CSP, unlike style attributes).
  for (const card of box.querySelectorAll(".run-card")) {
    const pct = runs.get(card.dataset.run)?.progress?.completion || 0;
    card.querySelector(".bar-fill").style.width = `${Math.min(100, pct)}%`;
  }
  const open = list.reduce((n, r) => n + (r.progress?.open || 0), 0);
  fill($("#totals"), el("span", {}, el("b", {}, String(list.length)), " active runs"),
    el("span", {}, el("b", {}, String(open)), " open batches"),
    el("span", {}, el("b", {}, String(stalled.length)), " stalled"));
}

// An agent that cannot store scans loses the next read: shown apart from merely offline.
const STORAGE_ALERTS = new Set(["outbox_unwritable", "outbox_unhealthy"]);

function stationState(s) {
  if (!s.enabled) return "disabled";
  if (!s.online) return "offline";
  return (s.alerts || []).some((a) => STORAGE_ALERTS.has(a.code)) ? "unhealthy" : "online";
}

function depthText(s) {
  return s.outbox_depth === null || s.outbox_depth === undefined ? "outbox unknown" : `outbox ${s.outbox_depth}`;
}

async function resendDeadLetters(name, button) {
  button.disabled = true;
  try {
    await api("POST", `/stations/${encodeURIComponent(name)}/dead-letters/resend`);
    toast(`Asked ${name} to resend its held scans`, "ok");
  } catch (err) {
    toast(err.message || "Resend failed", "bad");
    button.disabled = false;
  }
}

function deadLetters(s) {
  const dead = s.health?.dead_letters;
  if (!dead || !dead.count) return null;
  return el("div", { class: "st-dead" },
    el("ul", { class: "st-dead-list" }, (dead.recent || []).slice(0, 3).map((d) =>
      el("li", { class: "mono" }, `${d.code} · ${timeOf(d.scanned_at)}`))),
    can("supervisor") ? el("button", {
      class: "btn btn-ghost-dark st-resend", type: "button",
      onclick: (e) => resendDeadLetters(s.name, e.currentTarget),
    }, "Resend held scans") : null);
}

function drawStations() {
  const now = Date.now();
  fill($("#stations"), [...stations.values()].map((s) => {
    const state = stationState(s);
    return el("div", { class: `station st-${state}`, dataset: { station: s.name } },
      el("div", { class: "st-top" }, el("span", { class: "st-dot", "aria-hidden": "true" }),
        el("span", { class: "st-name mono" }, s.name), el("span", { class: "st-op" }, s.operation)),
      el("div", { class: "st-state" }, state === "unhealthy" ? "cannot store scans" : state),
      el("div", { class: "st-meta" }, `seen ${ago(s.last_seen_at, now)}${s.health?.via === "http" ? " (HTTP)" : ""}`),
      el("div", { class: `st-meta ${s.outbox_depth !== 0 ? "warn" : ""}` }, depthText(s)),
      (s.alerts || []).length ? el("ul", { class: "st-alerts", role: "alert" },
        s.alerts.map((a) => el("li", { class: `st-alert st-alert-${a.code}` }, a.message))) : null,
      deadLetters(s));
  }));
}

function drawStalled() {
  fill($("#stalled"), stalled.length ? stalled.slice(0, 8).map((b) => el("li", { class: "stalled" },
    el("span", { class: "mono" }, b.code),
    el("span", {}, `${b.step || "—"} · ${b.item}`),
    el("span", { class: "idle" }, `idle ${duration(b.idle_seconds)}`)))
    : el("li", { class: "empty" }, "Nothing stalled."));
  drawRuns();
}

function drawTicker() {
  fill($("#ticker"), scans.map((s) => {
    const kind = s.outcome === "accepted" ? "ok" : s.outcome === "duplicate" ? "dup" : "bad";
    return el("li", { class: `tick tick-${kind}` },
      el("span", { class: "tick-time" }, timeOf(s.at)),
      el("span", { class: "tick-station mono" }, s.station || ""),
      el("span", { class: "tick-code mono" }, s.batch || s.code || "—"),
      el("span", { class: "tick-what" }, s.outcome === "accepted" ? `${s.step} ${s.transition === "start" ? "started" : "done"}` : (s.message || words(s.reason))));
  }));
}

startClock($("#clock"));
setInterval(drawStations, 15_000); // keep "seen … ago" fresh
connectLive({
  rooms: () => ["plant"], onSnapshot, onStatus: setConnected, rejoinEvery: 30_000,
  on: { run_progress: onProgress, scan_recorded: onScan, station_health: onHealth },
});
