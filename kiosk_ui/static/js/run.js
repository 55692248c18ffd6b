// One run: KPIs, batches (live) with their corrections, the batch flow graph, a step timeline.
import cytoscape from "../vendor/cytoscape.esm.js";
import { $, api, batchLink, can, connectLive, el, fill, newestOnly, t, toast, words } from "./common.js";

const NUMBER = document.body.dataset.run;
const batches = new Map(); // code -> summary (newest version kept)
const picked = new Set(); // batches ticked to merge
let run = null;
let graph = null;
let flowTimer = null;

const STATE_COLOURS = {
  waiting: "#64748b", in_process: "#2563eb", on_hold: "#d97706", done: "#16a34a",
  scrapped: "#dc2626", split: "#7c3aed", merged: "#7c3aed", cancelled: "#991b1b",
};
const OPEN = ["waiting", "in_process", "on_hold"];
const OP_COLOURS = ["#2563eb", "#0891b2", "#7c3aed", "#db2777", "#ea580c", "#16a34a", "#4f46e5"];

function drawKpis() {
  if (!run) return;
  const p = run.progress;
  $("#run-status").textContent = words(run.status);
  $("#run-status").className = `badge badge-${run.status}`;
  const kv = (label, value) => el("div", {}, el("span", {}, label), el("b", {}, value));
  fill($("#run-kpis"), kv("Completion", `${p.completion}%`), kv("Batches", String(p.batches)),
    kv("Open", String(p.open)), kv("Done", String(p.done)),
    kv("Work in progress", Object.entries(p.per_step).map(([op, n]) => `${op} ${n}`).join(" · ") || "—"),
    kv("Order", run.sales_order || "—"), kv("Responsible", run.responsible || "—"),
    kv("Due", run.due_date || "—"),
    kv("Started", run.started_at ? new Date(run.started_at).toLocaleString() : "—"),
    kv(t("Completed at"), run.completed_at ? new Date(run.completed_at).toLocaleString() : "—"),
    projectionKv(kv));
  $("#btn-cancel-run").hidden = !can("planner") || !["pending", "in_progress"].includes(run.status);
  $("#issue-material").hidden = !can("planner");
}

// The projected finish from the recent pace (server-side, domain/pace.py); late is flagged in words.
function projectionKv(kv) {
  const pr = run.projection;
  if (!pr) return null;
  const text = pr.finish ? new Date(pr.finish).toLocaleString() : t("No pace yet");
  const node = kv(t("Projected finish"), pr.late ? `${text} · ${t("Late")}` : text);
  node.id = "run-projection";
  if (pr.late) node.classList.add("late");
  return node;
}

function batchRow(b) {
  const actions = [];
  if (can("operator") && ["waiting", "in_process"].includes(b.state)) {
    actions.push(el("button", { class: "btn btn-ghost", onclick: () => hold(b.code) }, t("Hold")));
  }
  if (can("supervisor") && b.state === "on_hold") {
    actions.push(el("button", { class: "btn btn-ghost", onclick: () => release(b.code) }, t("Release")));
  }
  if (can("operator") && ["waiting", "in_process"].includes(b.state)) {
    actions.push(el("button", { class: "btn btn-ghost", onclick: () => split(b.code) }, t("Split")));
  }
  if (can("operator") && OPEN.includes(b.state)) {
    actions.push(el("button", { class: "btn btn-ghost", onclick: () => scrap(b.code) }, t("Scrap")));
  }
  if (can("operator") && !["split", "merged", "cancelled"].includes(b.state)) {
    actions.push(el("button", { class: "btn btn-ghost", onclick: () => undo(b.code) }, t("Undo")));
  }
  if (can("operator") && b.state === "done") { // into serials or a lot (helper "complete")
    actions.push(el("a", { class: "btn btn-ghost complete-link", href: `/batches/${encodeURIComponent(b.code)}/complete` }, t("Complete & inspect")));
  }
  actions.push(el("button", { class: "btn btn-ghost", onclick: () => showHistory(b.code) }, t("History")));
  // Batches waiting at a step can be merged: tick two or more, then "Merge selected".
  const pick = can("operator") && b.state === "waiting"
    ? el("input", { type: "checkbox", class: "merge-pick", checked: picked.has(b.code), "aria-label": t("Select {code} to merge", { code: b.code }),
      onchange: (e) => { if (e.target.checked) picked.add(b.code); else picked.delete(b.code); drawMerge(); } })
    : null;
  return el("tr", { dataset: { batch: b.code } }, el("td", {}, pick),
    el("td", { class: "mono" }, batchLink(b.code)), el("td", {}, b.item),
    el("td", {}, `${b.quantity} ${b.unit}`),
    el("td", {}, b.step ? `${b.step} (${b.step_index + 1}/${b.steps})` : "—"),
    el("td", {}, el("span", { class: `badge badge-${b.state}` }, words(b.state))),
    el("td", { class: "hold-reason" }, b.hold_reason || ""),
    el("td", {}, actions));
}

// Rows are rebuilt only when their batch changed: a live update redrawing every row would
// swallow a click that is landing on a row's link or button at that moment.
const drawnRows = new Map();

function drawBatches() {
  for (const code of picked) if (batches.get(code)?.state !== "waiting") picked.delete(code);
  const rows = [...batches.values()].map((b) => {
    const key = JSON.stringify([b, picked.has(b.code)]);
    const drawn = drawnRows.get(b.code);
    if (drawn?.key === key) return drawn.tr;
    const tr = batchRow(b);
    drawnRows.set(b.code, { key, tr });
    return tr;
  });
  const body = $("#batch-rows");
  const same = rows.length === body.children.length && rows.every((tr, i) => body.children[i] === tr);
  if (!same) fill(body, rows);
  drawMerge();
}

function drawMerge() {
  $("#btn-merge").hidden = !can("operator");
  $("#btn-merge").disabled = picked.size < 2;
}

// ---- split and merge (as at a kiosk; the API checks item, unit and step) ------------------------
// "6, 4" splits by quantities; one whole number splits into that many equal parts.
function split(code) {
  const dlg = $("#split-dialog");
  $("#split-title").textContent = t("Split {code}", { code });
  $("#split-input").value = "";
  $("#split-error").hidden = true;
  $("#split-form").onsubmit = async (event) => {
    event.preventDefault();
    const given = $("#split-input").value.split(/[,;\s]+/).filter(Boolean);
    const body = given.length === 1 && /^\d+$/.test(given[0]) ? { parts: Number(given[0]) } : { quantities: given };
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(code)}/split`, body);
      for (const b of [result.parent, ...result.children]) keep(b);
      toast(t("{code} split into {n} batches.", { code, n: result.children.length }), "ok");
      dlg.close();
    } catch (err) { $("#split-error").hidden = false; $("#split-error").textContent = err.message; }
  };
  dlg.showModal();
  $("#split-input").focus();
}

async function mergePicked() {
  try {
    const result = await api("POST", "/batches/merge", { batches: [...picked] });
    picked.clear();
    for (const b of [result.batch, ...result.inputs]) keep(b);
    toast(t("Merged into {code}.", { code: result.batch.code }), "ok");
  } catch (err) { toast(err.message, "bad"); }
}

async function hold(code) {
  const reason = window.prompt(`Why put ${code} on hold?`);
  if (!reason) return;
  try { keep(await api("POST", `/batches/${encodeURIComponent(code)}/hold`, { reason })); } catch (err) { toast(err.message, "bad"); }
}

async function release(code) {
  try { keep(await api("POST", `/batches/${encodeURIComponent(code)}/release`, { reason: "" })); } catch (err) { toast(err.message, "bad"); }
}

// ---- corrections: a reason for each, asked in a dialog (never window.prompt) -------------------
function askReason(title, label, action) {
  const dlg = $("#reason-dialog");
  $("#reason-title").textContent = title;
  $("#reason-ok").textContent = label;
  $("#reason-input").value = "";
  $("#reason-error").hidden = true;
  $("#reason-form").onsubmit = async (event) => {
    event.preventDefault();
    try {
      await action($("#reason-input").value.trim());
      dlg.close();
    } catch (err) { $("#reason-error").hidden = false; $("#reason-error").textContent = err.message; }
  };
  dlg.showModal();
  $("#reason-input").focus();
}

function scrap(code) {
  askReason(t("Scrap {code}", { code }), t("Scrap batch"), async (reason) => {
    keep(await api("POST", `/batches/${encodeURIComponent(code)}/scrap`, { reason }));
    refreshHistory(code);
  });
}

function undo(code) {
  askReason(t("Undo the last change of {code}", { code }), t("Undo"), async (reason) => {
    const result = await api("POST", `/batches/${encodeURIComponent(code)}/undo`, { reason });
    keep(result.batch);
    toast(t("{code}: {action} undone.", { code, action: words(result.undone.action) }), "ok");
    refreshHistory(code);
  });
}

function cancelRun() {
  askReason(t("Cancel run {number}", { number: NUMBER }), t("Cancel run"), async (reason) => {
    const detail = await api("POST", `/runs/${encodeURIComponent(NUMBER)}/cancel`, { reason });
    run = detail;
    for (const b of detail.batches) batches.set(b.code, b);
    drawKpis();
    drawBatches();
    scheduleFlow();
  });
}

let historyOf = null;

function refreshHistory(code) { if (historyOf === code) showHistory(code); }

async function showHistory(code) {
  let batch;
  try { batch = await api("GET", `/batches/${encodeURIComponent(code)}`); } catch (err) { toast(err.message, "bad"); return; }
  historyOf = code;
  const scans = batch.scans.filter((s) => s.outcome === "accepted").map((s) => ({
    at: s.received_at, what: `${words(s.transition)} scan at ${s.station || "—"}${s.undone ? " (undone)" : ""}`,
    who: s.operator || "", why: "", undone: s.undone }));
  const changes = batch.audit.map((a) => ({
    at: a.at, who: a.actor, why: a.reason, undone: false,
    what: a.action === "batch.undo" ? t("Undo of {change}", { change: words(a.changes.transition) }) : words(a.action.replace("batch.", "").replace("step.", "")) }));
  const rows = [...scans, ...changes].sort((x, y) => x.at.localeCompare(y.at));
  $("#history").hidden = false;
  $("#history-title").textContent = t("History of {code}", { code });
  fill($("#history-rows"), rows.map((r) => el("tr", { class: r.undone ? "undone" : "" },
    el("td", {}, new Date(r.at).toLocaleString()), el("td", {}, r.what), el("td", {}, r.who), el("td", {}, r.why))));
}

function keep(batch) {
  const shown = batches.get(batch.code);
  if (shown && shown.version > batch.version) return;
  batches.set(batch.code, batch);
  drawBatches();
  scheduleFlow();
}

// ---- flow graph and timeline (from GET /runs/<number>/flow) ----------------------------------
function scheduleFlow() {
  clearTimeout(flowTimer);
  flowTimer = setTimeout(loadFlow, 400);
}

// Scans can schedule a reload while one is on its way: only the newest answer is drawn.
const fetchFlow = newestOnly(() => api("GET", `/runs/${encodeURIComponent(NUMBER)}/flow`));

async function loadFlow() {
  let flow;
  try { flow = await fetchFlow(); } catch (err) { toast(err.message, "bad"); return; }
  drawGraph(flow);
  drawTimeline(flow.timeline);
}

const LABEL = "data(label)"; // Cytoscape: draw each element's own label

function drawGraph(flow) {
  const elements = [
    ...flow.nodes.map((n) => ({ data: { id: n.code, label: `${n.code}\n${n.quantity} ${n.unit} · ${n.step || words(n.state)}`, colour: STATE_COLOURS[n.state] || "#64748b" } })),
    ...flow.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.parent, target: e.child, label: `${e.relation} ${e.quantity}` } })),
  ];
  const style = [
    { selector: "node", style: { shape: "round-rectangle", width: 150, height: 46, "background-color": "data(colour)", label: LABEL, color: "#fff", "font-size": 11, "font-weight": 700, "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "font-family": "ui-monospace, monospace" } },
    { selector: "edge", style: { width: 2, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle", "curve-style": "bezier", label: LABEL, "font-size": 10, color: "#475569", "text-background-color": "#fff", "text-background-opacity": 1, "text-background-padding": 2 } },
  ];
  const layout = { name: "breadthfirst", directed: true, spacingFactor: 1.05, padding: 20, avoidOverlap: true };
  if (graph) graph.destroy();
  graph = cytoscape({ container: $("#flow"), elements, style, layout, wheelSensitivity: 0.3, maxZoom: 1.4, minZoom: 0.2 });
  $("#flow").dataset.drawn = String(flow.nodes.length); // tests and screenshots wait for it
  graph.on("tap", "node", (evt) => {
    const row = document.querySelector(`tr[data-batch="${CSS.escape(evt.target.id())}"]`);
    if (row) row.scrollIntoView({ behavior: "smooth", block: "center" });
  });
  fill($("#flow-legend"), Object.entries(STATE_COLOURS).filter(([s]) => s !== "merged").map(([s, c]) => {
    const dot = el("i", {});
    dot.style.background = c;
    return el("span", {}, dot, s === "split" ? t("split / merged") : words(s));
  }));
}

function drawTimeline(rows) {
  const box = $("#timeline");
  if (!rows.length) { fill(box, el("p", { class: "muted" }, t("No steps done yet."))); return; }
  const ms = (iso) => new Date(iso).getTime();
  const start = Math.min(...rows.map((r) => ms(r.started_at)));
  const end = Math.max(...rows.map((r) => ms(r.finished_at || new Date().toISOString())), start + 1000);
  const ops = [...new Set(rows.map((r) => r.operation))];
  const byBatch = new Map();
  for (const r of rows) byBatch.set(r.batch, [...(byBatch.get(r.batch) || []), r]);
  const lines = [];
  for (const [code, execs] of byBatch) {
    const track = el("div", { class: "tl-track" });
    for (const r of execs) {
      const from = ms(r.started_at);
      const to = ms(r.finished_at || new Date().toISOString());
      const seg = el("div", { class: "tl-seg", title: t("{operation} at {station}: good {good}, rejected {rejected}, scrapped {scrapped}, waste {waste}", { operation: r.operation, station: r.station || "—", good: r.good ?? "—", rejected: r.rejected, scrapped: r.scrapped, waste: r.waste }) }, r.operation);
      const width = Math.max(((to - from) / (end - start)) * 100, 3);
      seg.style.left = `${Math.min(((from - start) / (end - start)) * 100, 100 - width)}%`;
      seg.style.width = `${width}%`;
      seg.style.background = OP_COLOURS[ops.indexOf(r.operation) % OP_COLOURS.length];
      track.append(seg);
    }
    lines.push(el("div", { class: "tl-label" }, batchLink(code)), track);
  }
  const fmt = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  fill(box, lines, el("div", { class: "tl-axis" }, el("span", {}, fmt(start)), el("span", {}, fmt((start + end) / 2)), el("span", {}, fmt(end))));
}

function onSnapshot(room, snap) {
  run = snap.run;
  batches.clear();
  for (const b of run.batches) batches.set(b.code, b);
  drawKpis();
  drawBatches();
  loadFlow();
}

function onProgress(summary) {
  if (run && summary.version < run.version) return;
  run = { ...run, ...summary };
  drawKpis();
  scheduleFlow();
}

$("#btn-cancel-run").addEventListener("click", cancelRun);
$("#reason-back").addEventListener("click", () => $("#reason-dialog").close());
$("#split-back").addEventListener("click", () => $("#split-dialog").close());
$("#btn-merge").addEventListener("click", mergePicked);

connectLive({
  rooms: () => [`run:${NUMBER}`], onSnapshot, rejoinEvery: 30_000,
  onStatus: (ok) => { $("#offline").hidden = ok; },
  on: { batch_updated: keep, run_progress: onProgress },
});
