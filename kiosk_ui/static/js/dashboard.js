// The floor monitor, read from three metres: andon alerts, active runs with WIP, held work and a
// projected finish, stations, stalled batches and a scan ticker.
import { $, ago, api, batchLink, can, connectLive, el, fill, startClock, t, timeOf, toast } from "./common.js";

const runs = new Map(); // number -> run summary (newest version kept)
let stations = new Map();
let scans = [];
let stalled = [];
const TICKER = 10;
const ANDON_SHOWN = 4;

const REASONS = {
  unknown_code: () => t("Unknown code"), not_a_batch: () => t("This label is not a batch"),
  wrong_step: () => t("Wrong step"), already_done: () => t("Batch already done"),
  batch_closed: () => t("Batch was split, merged or scrapped"), on_hold: () => t("Batch is on hold"),
  duplicate_scan: () => t("Already scanned here"), station_disabled: () => t("Station disabled"),
  not_authorized: () => t("Not authorized"), invalid_payload: () => t("Unreadable scan"),
  rate_limited: () => t("Too many scans, slow down"), run_cancelled: () => t("Run was cancelled"),
  database_busy: () => t("Server busy, the scan will be sent again"), clock_skew: () => t("Station clock is wrong"),
};
const STATUS = { pending: () => t("pending"), in_progress: () => t("in progress") };
const STATION_STATE = {
  online: () => t("online"), offline: () => t("offline"), disabled: () => t("disabled"),
  unhealthy: () => t("cannot store scans"),
};


function lasting(seconds) {
  const s = Math.round(seconds || 0);
  if (s < 3600) return t("{n} min", { n: Math.floor(s / 60) });
  return t("{h} h {m} min", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

function setConnected(ok) {
  $("#offline").hidden = ok;
  const conn = $("#conn");
  conn.textContent = ok ? t("Live") : t("Offline");
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
  drawHeld();
}

function onScan(scan) {
  scans.unshift(scan);
  scans = scans.slice(0, TICKER);
  drawTicker();
  // A batch scanned and moved on is no longer stalled; the next snapshot confirms it.
  if (scan.outcome === "accepted" && stalled.some((b) => b.code === scan.batch)) {
    stalled = stalled.filter((b) => b.code !== scan.batch);
    drawStalled();
  }
}

function onHealth(station) {
  stations.set(station.name, station);
  drawStations();
}

function drawAll() { drawRuns(); drawStations(); drawHeld(); drawStalled(); drawTicker(); }

// ---- andon: one bold tile per problem (colour + icon + words), gone once resolved ----------
// An agent that cannot store scans loses the next read: shown apart from merely offline.
const STORAGE_ALERTS = new Set(["outbox_unwritable", "outbox_unhealthy"]);

function stationState(s) {
  if (!s.enabled) return "disabled";
  if (!s.online) return "offline";
  return (s.alerts || []).some((a) => STORAGE_ALERTS.has(a.code)) ? "unhealthy" : "online";
}

function andonAlerts() {
  const alerts = [];
  for (const s of stations.values()) {
    const state = stationState(s);
    // Never seen: not set up yet, not a station that went away.
    if (state === "offline" && s.last_seen_at) {
      alerts.push({ kind: "offline", icon: "✖", title: t("Station offline"), what: s.name,
        detail: t("last seen {when}", { when: ago(s.last_seen_at) }), key: `station:${s.name}` });
    } else if (state === "unhealthy") {
      alerts.push({ kind: "offline", icon: "✖", title: t("Station cannot store scans"), what: s.name,
        detail: t("scans may be lost"), key: `station:${s.name}` });
    }
  }
  for (const b of stalled) {
    alerts.push({ kind: "stall", icon: "⚠", title: t("Batch stalled"), what: batchLink(b.code),
      detail: t("at {step} for {time}", { step: b.step || "—", time: lasting(b.idle_seconds) }), key: `batch:${b.code}` });
  }
  return alerts;
}

function drawAndon() {
  const alerts = andonAlerts();
  const box = $("#andon");
  box.hidden = !alerts.length;
  document.body.classList.toggle("has-andon", alerts.length > 0);
  const shown = alerts.slice(0, ANDON_SHOWN).map((a) => el("div", { class: `andon-tile andon-${a.kind}`, dataset: { key: a.key } },
    el("span", { class: "andon-icon", "aria-hidden": "true" }, a.icon),
    el("span", { class: "andon-text" }, el("b", { class: "andon-title" }, a.title), " ",
      el("span", { class: "andon-what mono" }, a.what), " ", el("span", { class: "andon-detail" }, a.detail))));
  const more = alerts.length - shown.length;
  fill(box, shown, more > 0 ? el("div", { class: "andon-more" }, t("+{n} more", { n: more })) : null);
}

// ---- runs ------------------------------------------------------------------------------------
function finishText(iso) {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return at.toLocaleString([], today ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
    : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

function projection(run) {
  const pr = run.projection;
  const due = run.due_date ? t("Due {date}", { date: run.due_date }) : t("No due date");
  let finish = t("No pace yet");
  if (pr && pr.finish) finish = t("Finish ≈ {time}", { time: finishText(pr.finish) });
  const late = Boolean(pr && pr.late);
  return el("div", { class: `run-eta ${late ? "late" : ""}` },
    el("span", { class: "eta-due" }, due),
    el("span", { class: "eta-finish" }, finish),
    late ? el("span", { class: "eta-late" }, el("span", { "aria-hidden": "true" }, "⚠ "), t("Late")) : null);
}

function runCard(run) {
  const p = run.progress || {};
  const pct = Math.round((p.completion || 0) * 10) / 10;
  const steps = Object.entries(p.per_step || {});
  return el("article", { class: `run-card status-${run.status}`, dataset: { run: run.number } },
    el("div", { class: "run-head" },
      el("span", { class: "run-number mono" }, run.number),
      el("span", { class: "run-pct", "data-pct": pct }, `${pct}%`)),
    el("div", { class: "bar", role: "progressbar", "aria-valuenow": pct, "aria-valuemin": 0, "aria-valuemax": 100 },
      el("div", { class: "bar-fill" })),
    el("div", { class: "run-meta" },
      el("span", { class: `badge badge-${run.status}` }, (STATUS[run.status] || (() => run.status))()),
      el("span", {}, t("{done} of {total} done", { done: p.done ?? 0, total: p.batches ?? 0 })),
      (p.items || []).length ? el("span", { class: "run-items mono" }, p.items.join(" · ")) : null),
    projection(run),
    el("div", { class: "wip" }, steps.length ? steps.map(([op, n]) =>
      el("span", { class: "wip-step" }, el("span", { class: "wip-op" }, op), el("span", { class: "wip-n" }, String(n))))
      : el("span", { class: "muted" }, t("No work in progress")),
    p.held ? el("span", { class: "wip-held" }, el("span", { "aria-hidden": "true" }, "‖ "), t("{n} held", { n: p.held })) : null));
}

function drawRuns() {
  const list = [...runs.values()].sort((a, b) => a.number.localeCompare(b.number));
  const box = $("#runs");
  fill(box, list.length ? list.map(runCard) : el("p", { class: "empty" }, t("No active runs.")));
  // Widths through CSSOM (allowed by the CSP, unlike style attributes).
  for (const card of box.querySelectorAll(".run-card")) {
    const pct = runs.get(card.dataset.run)?.progress?.completion || 0;
    card.querySelector(".bar-fill").style.width = `${Math.min(100, pct)}%`;
  }
  // Held batches are open but not moving: they are not work in progress.
  const wip = list.reduce((n, r) => n + (r.progress?.wip || 0), 0);
  const held = list.reduce((n, r) => n + (r.progress?.held || 0), 0);
  const stat = (id, n, label) => el("span", { class: "stat", id }, el("b", {}, String(n)), label);
  fill($("#totals"), stat("total-runs", list.length, t("runs")), stat("total-wip", wip, t("moving")),
    stat("total-held", held, t("held")), stat("total-stalled", stalled.length, t("stalled")));
}

function drawHeld() {
  const held = [...runs.values()].flatMap((r) => (r.progress?.held_batches || []).map((b) => ({ ...b, run: r.number })));
  fill($("#held"), held.length ? held.slice(0, 4).map((b) => el("li", { class: "held", dataset: { batch: b.code } },
    el("div", { class: "held-line" }, el("span", { class: "held-icon", "aria-hidden": "true" }, "‖"),
      el("span", { class: "held-code" }, batchLink(b.code)), el("span", { class: "held-step" }, b.step || "—")),
    el("div", { class: "held-reason" }, b.reason || t("no reason given"))))
    : el("li", { class: "empty" }, t("Nothing on hold.")));
}

// ---- stations --------------------------------------------------------------------------------
async function resendDeadLetters(name, button) {
  button.disabled = true;
  try {
    await api("POST", `/stations/${encodeURIComponent(name)}/dead-letters/resend`);
    toast(t("Asked {name} to resend its held scans", { name }), "ok");
  } catch (err) {
    toast(err.message || t("Resend failed"), "bad");
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
    }, t("Resend held scans")) : null);
}

function drawStations() {
  const now = Date.now();
  fill($("#stations"), [...stations.values()].map((s) => {
    const state = stationState(s);
    const depth = s.outbox_depth === null || s.outbox_depth === undefined ? t("outbox unknown")
      : t("outbox {n}", { n: s.outbox_depth });
    return el("div", { class: `station st-${state}`, dataset: { station: s.name } },
      el("div", { class: "st-top" }, el("span", { class: "st-dot", "aria-hidden": "true" }),
        el("span", { class: "st-name mono" }, s.name),
        el("span", { class: "st-state" }, STATION_STATE[state]())),
      el("div", { class: "st-meta" }, el("span", { class: "st-op" }, s.operation),
        el("span", {}, t("seen {when}", { when: ago(s.last_seen_at, now) }) + (s.health?.via === "http" ? " (HTTP)" : "")),
        el("span", { class: s.outbox_depth !== 0 ? "warn" : "" }, depth)),
      // Agent messages are the server's English (they carry counts); the state above is translated.
      (s.alerts || []).length ? el("ul", { class: "st-alerts" },
        s.alerts.map((a) => el("li", { class: `st-alert st-alert-${a.code}` }, a.message))) : null,
      deadLetters(s));
  }));
  drawAndon();
}

// ---- stalled batches and the ticker ---------------------------------------------------------
function drawStalled() {
  fill($("#stalled"), stalled.length ? stalled.slice(0, 4).map((b) => el("li", { class: "stalled" },
    el("span", { class: "stalled-code" }, batchLink(b.code)),
    el("span", {}, b.step || "—"),
    el("span", { class: "idle" }, lasting(b.idle_seconds))))
    : el("li", { class: "empty" }, t("Nothing stalled.")));
  drawRuns();
  drawAndon();
}

function scanWhat(s) {
  if (s.outcome === "accepted") return s.transition === "start" ? t("{step} started", { step: s.step }) : t("{step} done", { step: s.step });
  return REASONS[s.reason] ? REASONS[s.reason]() : (s.message || s.reason || "");
}

function drawTicker() {
  fill($("#ticker"), scans.map((s) => {
    const kind = s.outcome === "accepted" ? "ok" : s.outcome === "duplicate" ? "dup" : "bad";
    return el("li", { class: `tick tick-${kind}` },
      el("div", { class: "tick-line" },
        el("span", { class: "tick-code" }, s.batch ? batchLink(s.batch) : el("span", { class: "mono" }, s.code || "—")),
        el("span", { class: "tick-time" }, timeOf(s.at))),
      el("div", { class: "tick-line" }, el("span", { class: "tick-what" }, scanWhat(s)),
        el("span", { class: "tick-station mono" }, s.station || "")));
  }));
}

startClock($("#clock"));
setInterval(drawStations, 15_000); // keep "seen … ago" fresh
connectLive({
  rooms: () => ["plant"], onSnapshot, onStatus: setConnected, rejoinEvery: 30_000,
  on: { run_progress: onProgress, scan_recorded: onScan, station_health: onHealth },
});
