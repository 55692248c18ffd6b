// The operator kiosk: live scan results at one station, badge login and batch actions.
import { $, api, can, connectLive, el, fill, startClock, timeOf, toast, words } from "./common.js";
import { keypad } from "./keypad.js";
import { beep } from "./sound.js";

const body = document.body;
const STATION = body.dataset.station;
const loggedIn = Boolean(body.dataset.user);
let current = null; // the batch the action buttons work on: a batch summary or scan ack

// ---- live results -------------------------------------------------------------------------
function setConnected(ok) {
  $("#offline").hidden = ok;
  const conn = $("#conn");
  conn.textContent = ok ? "Online" : "Offline";
  conn.className = `conn ${ok ? "conn-ok" : "conn-down"}`;
}

function showResult(scan) {
  const kind = scan.outcome === "accepted" ? "accepted" : scan.outcome === "duplicate" ? "duplicate" : "rejected";
  $("#result").className = `result result-${kind} flash`;
  void $("#result").offsetWidth; // restart the flash animation
  $("#result-title").textContent = { accepted: "✓ Accepted", duplicate: "Already scanned", rejected: "✕ Rejected" }[kind];
  $("#result-time").textContent = timeOf(scan.at);
  $("#result-batch").textContent = scan.batch || scan.code || "—";
  $("#result-line").textContent = scan.item
    ? [scan.item, `${scan.quantity} ${scan.unit}`, scan.run].filter(Boolean).join(" · ") : "";
  const steps = $("#result-steps");
  fill(steps);
  if (kind === "accepted") {
    const done = scan.transition === "start" ? `${scan.step} started` : `${scan.step} done`;
    steps.append(el("span", { class: "chip chip-done" }, done),
      el("span", { class: "arrow", "aria-hidden": "true" }, "→"),
      el("span", { class: "chip chip-next" }, scan.next_step ? `Next: ${scan.next_step}` : "Batch complete"));
  }
  const reason = $("#result-reason");
  reason.hidden = kind === "accepted";
  reason.textContent = kind === "accepted" ? "" : (scan.message || words(scan.reason));
  const expected = $("#result-expected");
  expected.hidden = !scan.expected_step;
  expected.textContent = scan.expected_step ? `This batch expects: ${scan.expected_step}` : "";
  beep(kind);
}

function recentItem(scan) {
  const kind = scan.outcome === "accepted" ? "ok" : scan.outcome === "duplicate" ? "dup" : "bad";
  return el("li", { class: `recent recent-${kind}` },
    el("span", { class: "recent-dot", "aria-hidden": "true" }),
    el("span", { class: "recent-code mono" }, scan.batch || scan.code || "—"),
    el("span", { class: "recent-what" }, scan.outcome === "accepted" ? `${scan.step} ${scan.transition === "start" ? "started" : "done"}` : (scan.message || words(scan.reason))),
    el("span", { class: "recent-time" }, timeOf(scan.at)));
}

function onScan(scan) {
  if (scan.station !== STATION) return;
  showResult(scan);
  const list = $("#recent");
  list.prepend(recentItem(scan));
  while (list.children.length > 10) list.lastElementChild.remove();
  if (scan.batch) setCurrent({ code: scan.batch, state: scan.state, step: scan.step, ack: scan });
}

// A badge read by the station's scanner is a login there, never a scan: say who, in green.
function onOperator(login) {
  if (login.station !== STATION) return;
  const who = login.display_name || login.username;
  const name = $("#operator-name");
  if (name && !loggedIn) name.textContent = who;
  toast(`${who} is signed in at this station; scans here are recorded as theirs.`, "ok");
}

function onSnapshot(room, snap) {
  fill($("#recent"), (snap.recent_scans || []).map(recentItem));
  const st = snap.station;
  if (st && !st.enabled) toast("This station is disabled; scans are refused.", "bad");
  if (st) onHealth(st);
}

// The agent's own troubles (its outbox, scans held for their time) are the operator's too:
// a read it cannot store is lost unless scanned again.
function onHealth(st) {
  if (st.name !== STATION) return;
  const alerts = st.alerts || [];
  const banner = $("#station-health");
  banner.hidden = alerts.length === 0;
  const storing = alerts.some((a) => a.code === "outbox_unwritable" || a.code === "outbox_unhealthy");
  $("#station-health-title").textContent = storing ? "Scans are not being stored." : "Station needs attention.";
  $("#station-health-text").textContent = alerts.map((a) => a.message).join(" · ");
  const dead = st.health?.dead_letters?.recent || [];
  fill($("#station-dead"), dead.slice(0, 5).map((d) =>
    el("li", { class: "mono" }, `${d.code} · scanned ${timeOf(d.scanned_at)} · ${d.message || words(d.reason)}`)));
}

// ---- current batch and action buttons -------------------------------------------------------
function setCurrent(batch) {
  current = batch;
  $("#current-batch").textContent = batch ? batch.code : "none";
  refreshButtons();
}

function refreshButtons() {
  for (const btn of document.querySelectorAll("#actions [data-needs]")) {
    const allowed = can(btn.dataset.needs);
    btn.disabled = !allowed || (btn.hasAttribute("data-batch") && !current);
    if (!loggedIn) btn.disabled = true;
  }
  $("#btn-code").disabled = !loggedIn;
  $("#btn-release").hidden = !(current && current.state === "on_hold" && can("supervisor"));
  $("#btn-hold").hidden = Boolean(current && current.state === "on_hold");
  $("#login-hint").hidden = loggedIn;
  if (loggedIn && !can("operator")) { // viewers see results only
    for (const btn of document.querySelectorAll("#actions button")) btn.hidden = true;
  }
}

// ---- dialogs --------------------------------------------------------------------------------
const dlg = $("#dlg");

function openDialog(title, ...content) {
  $("#dlg-title").textContent = title;
  fill($("#dlg-body"), ...content);
  if (!dlg.open) dlg.showModal();
}

function closeDialog() { if (dlg.open) dlg.close(); }

function errorLine() { return el("p", { class: "form-error", role: "alert", hidden: true, id: "dlg-error" }); }
function showError(err) {
  const line = $("#dlg-error");
  if (line) { line.hidden = false; line.textContent = err.message; } else toast(err.message, "bad");
}

function bigButton(label, onclick, cls = "btn-primary") {
  return el("button", { type: "button", class: `btn btn-xl ${cls}`, onclick }, label);
}

/** A text field fed by the on-screen keypad (a hardware keyboard or scanner works too). */
function keyField(id, label, { value = "", mode = "code" } = {}) {
  const input = el("input", { id, value, autocomplete: "off", class: "kinput mono", inputmode: mode === "code" ? "text" : "decimal", "aria-label": label });
  return { input, pad: keypad(input, mode) };
}

function openCodeEntry() {
  const year = new Date().getFullYear();
  const { input, pad } = keyField("code-input", "Code", { value: `B-${year}-` });
  const submit = async () => {
    const code = input.value.trim();
    if (!code) return;
    try {
      await api("POST", `/stations/${encodeURIComponent(STATION)}/scans`, {
        event_id: crypto.randomUUID(), code, symbology: "manual",
        scanned_at: new Date().toISOString(), source: "kiosk",
      });
      closeDialog();
    } catch (err) { showError(err); }
  };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); submit(); } });
  openDialog("Type a code", el("p", { class: "muted" }, "For a damaged label: type the code printed under the QR code."),
    input, pad, errorLine(), el("div", { class: "dlg-actions" }, bigButton("Record scan", submit)));
  input.focus();
}

function openLogin() {
  const badge = el("input", { id: "badge", class: "kinput mono", autocomplete: "off", placeholder: "Scan your badge", "aria-label": "Badge" });
  const pin = el("input", { id: "pin", class: "kinput mono", type: "password", inputmode: "numeric", autocomplete: "off", placeholder: "PIN", "aria-label": "PIN" });
  const submit = async () => {
    try {
      await api("POST", "/auth/badge", { badge: badge.value.trim(), pin: pin.value || null });
      location.reload();
    } catch (err) { showError(err); pin.value = ""; }
  };
  badge.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); pin.focus(); } });
  pin.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); submit(); } });
  openDialog("Operator login", el("p", { class: "muted" }, "Scan your badge at the station scanner (or type it), then enter your PIN."),
    el("div", { class: "login-grid" }, el("div", {}, badge, pin), keypad(pin, "pin")),
    errorLine(), el("div", { class: "dlg-actions" }, bigButton("Log in", submit)));
  badge.focus();
}

// Counting units (pcs, dozen) take whole numbers only; the server refuses anything else too.
const WHOLE = /^\d+$/;

function amountInput(id, value, counted) {
  return counted
    ? el("input", { id, class: "kinput kinput-num mono", type: "number", inputmode: "numeric", step: 1, min: 0, autocomplete: "off", value })
    : el("input", { id, class: "kinput kinput-num mono", inputmode: "decimal", autocomplete: "off", value });
}

function notWhole(values, unit) {
  const bad = values.find((v) => !WHOLE.test(v));
  return bad === undefined ? null : new Error(`${unit} are counted in whole numbers, not ${bad || "empty"}`);
}

async function openQuantities() {
  let batch;
  try { batch = await api("GET", `/batches/${encodeURIComponent(current.code)}`); } catch (err) { toast(err.message, "bad"); return; }
  const finished = batch.executions.filter((e) => e.finished_at && !e.undone_at);
  const exec = finished[finished.length - 1];
  if (!exec) { toast(`${batch.code} has no finished step yet.`, "bad"); return; }
  const fields = {};
  const row = (name, label) => {
    fields[name] = amountInput(`qty-${name}`, exec[name] ?? (name === "good" ? exec.in : "0"), batch.counted);
    return el("label", { class: `qty-row qty-${name}` }, el("span", {}, label), fields[name]);
  };
  const rows = [row("good", "Good"), row("rejected", "Rejected"), row("scrapped", "Scrapped"), row("waste", "Waste")];
  let active = fields.rejected;
  let goodTouched = false;
  const sumLine = el("p", { class: "qty-sum", id: "qty-sum" });
  const recompute = () => {
    const n = (v) => Number.parseFloat(v || "0") || 0;
    if (!goodTouched) {
      const good = n(exec.in) - n(fields.rejected.value) - n(fields.scrapped.value) - n(fields.waste.value);
      fields.good.value = String(Math.round(good * 1e6) / 1e6);
    }
    const total = ["good", "rejected", "scrapped", "waste"].reduce((s, k) => s + n(fields[k].value), 0);
    const ok = Math.abs(total - n(exec.in)) < 1e-9;
    sumLine.textContent = `Total ${Math.round(total * 1e6) / 1e6} of ${exec.in} ${batch.unit} in`;
    sumLine.className = `qty-sum ${ok ? "ok" : "bad"}`;
  };
  for (const [name, input] of Object.entries(fields)) {
    input.addEventListener("focus", () => { active = input; });
    input.addEventListener("input", () => { if (name === "good") goodTouched = true; recompute(); });
  }
  const pad = keypad({ get value() { return active.value; }, set value(v) { active.value = v; active.dispatchEvent(new Event("input")); } }, batch.counted ? "count" : "number");
  recompute();
  const save = async () => {
    const data = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value.trim() || "0"]));
    const whole = batch.counted && notWhole(Object.values(data), batch.unit);
    if (whole) { showError(whole); return; }
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(batch.code)}/steps/${exec.position}/quantities`, data);
      closeDialog();
      const gone = result.batch.state === "scrapped" ? ` ${batch.code} has nothing good left and is scrapped.` : "";
      toast(`Saved ${exec.operation} quantities for ${batch.code}.${gone}`, gone ? "warn" : "ok");
      if (gone) setCurrent(result.batch);
    } catch (err) { showError(err); }
  };
  openDialog(`Quantities · ${batch.code} · ${exec.operation}`,
    el("p", { class: "muted" }, `${exec.in} ${batch.unit} came in. Good is what goes on to the next step.`),
    el("div", { class: "qty-grid" }, el("div", { class: "qty-rows" }, rows, sumLine), pad),
    errorLine(), el("div", { class: "dlg-actions" }, bigButton("Save quantities", save)));
  fields.rejected.focus();
}

function labelLinks(children) {
  return el("ul", { class: "child-list" }, children.map((c) => el("li", {},
    el("span", { class: "mono" }, c.code), el("span", {}, `${c.quantity} ${c.unit}`),
    el("a", { class: "btn btn-ghost-dark", href: `/api/v1/batches/${encodeURIComponent(c.code)}/label.pdf`, target: "_blank", rel: "noopener" }, "Print label"))));
}

function openSplit() {
  const code = current.code;
  let parts = 2;
  const partButtons = [2, 3, 4, 5, 6].map((n) => el("button", { type: "button", class: `btn btn-xl seg ${n === 2 ? "seg-on" : ""}`, dataset: { parts: n }, onclick: (e) => {
    parts = n;
    for (const b of e.currentTarget.parentNode.children) b.classList.toggle("seg-on", b === e.currentTarget);
    custom.value = "";
  } }, String(n)));
  const custom = el("input", { id: "split-quantities", class: "kinput mono", placeholder: "or quantities, e.g. 6, 4", autocomplete: "off" });
  const submit = async () => {
    const text = custom.value.trim();
    const bodyJson = text ? { quantities: text.split(/[,\s]+/).filter(Boolean) } : { parts };
    const whole = text && current.counted && notWhole(bodyJson.quantities, current.unit);
    if (whole) { showError(whole); return; }
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(code)}/split`, bodyJson);
      setCurrent(null);
      openDialog(`Split ${code}`, el("p", { class: "ok-line" }, `${code} split into ${result.children.length} batches. Print their labels:`),
        labelLinks(result.children));
    } catch (err) { showError(err); }
  };
  openDialog(`Split ${code}`, el("p", { class: "muted" }, "Into how many equal batches?"),
    el("div", { class: "seg-row" }, partButtons), custom, errorLine(),
    el("div", { class: "dlg-actions" }, bigButton("Split batch", submit)));
}

function openMerge() {
  const codes = new Set(current ? [current.code] : []);
  const list = el("ul", { class: "merge-list", id: "merge-list" });
  const draw = () => fill(list, [...codes].map((c) => el("li", {}, el("span", { class: "mono" }, c),
    el("button", { type: "button", class: "btn btn-ghost-dark", onclick: () => { codes.delete(c); draw(); } }, "Remove"))));
  const { input, pad } = keyField("merge-code", "Batch code", { value: `B-${new Date().getFullYear()}-` });
  const add = () => { const c = input.value.trim(); if (c) { codes.add(c); input.value = `B-${new Date().getFullYear()}-`; draw(); } };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } });
  const submit = async () => {
    try {
      const result = await api("POST", "/batches/merge", { batches: [...codes] });
      setCurrent({ code: result.batch.code, state: result.batch.state });
      openDialog("Merged", el("p", { class: "ok-line" }, `Merged into ${result.batch.code}. Print its label:`), labelLinks([result.batch]));
    } catch (err) { showError(err); }
  };
  draw();
  openDialog("Merge batches", el("p", { class: "muted" }, "Batches of one item, waiting at the same step."),
    list, el("div", { class: "merge-add" }, input, bigButton("Add", add, "btn-ghost-dark")), pad, errorLine(),
    el("div", { class: "dlg-actions" }, bigButton("Merge batches", submit)));
}

function openHold() {
  const code = current.code;
  const reason = el("input", { id: "hold-reason", class: "kinput", placeholder: "Reason", autocomplete: "off", maxlength: 500 });
  const quick = ["Quality issue", "Missing material", "Machine down", "Waiting for inspection"].map((r) =>
    el("button", { type: "button", class: "btn btn-xl btn-ghost-dark", onclick: () => { reason.value = r; } }, r));
  const submit = async () => {
    try {
      const batch = await api("POST", `/batches/${encodeURIComponent(code)}/hold`, { reason: reason.value });
      setCurrent(batch);
      closeDialog();
      toast(`${code} is on hold: ${batch.hold_reason}`, "warn");
    } catch (err) { showError(err); }
  };
  openDialog(`Hold ${code}`, el("div", { class: "seg-row wrap" }, quick), reason, errorLine(),
    el("div", { class: "dlg-actions" }, bigButton("Put on hold", submit, "btn-warn")));
  reason.focus();
}

function openCorrect() {
  const code = current.code;
  const reason = el("input", { id: "correct-reason", class: "kinput", placeholder: "Reason", autocomplete: "off", maxlength: 500 });
  const act = (path, said) => async () => {
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(code)}/${path}`, { reason: reason.value });
      setCurrent(result.batch || result);
      closeDialog();
      toast(said(result), "warn");
    } catch (err) { showError(err); }
  };
  openDialog(`Correct ${code}`,
    el("p", { class: "muted" }, "Undo this batch's last scan or change (your own within a few minutes; a supervisor any time), or scrap the whole batch."),
    reason, errorLine(),
    el("div", { class: "dlg-actions" },
      bigButton("Undo last change", act("undo", (r) => `${code}: ${words(r.undone.action)} undone.`), "btn-ghost-dark"),
      bigButton("Scrap whole batch", act("scrap", () => `${code} is scrapped.`), "btn-warn")));
  reason.focus();
}

async function release() {
  try {
    const batch = await api("POST", `/batches/${encodeURIComponent(current.code)}/release`, { reason: "" });
    setCurrent(batch);
    toast(`${batch.code} released.`, "ok");
  } catch (err) { toast(err.message, "bad"); }
}

function openPickBatch() {
  const { input, pad } = keyField("pick-code", "Batch code", { value: `B-${new Date().getFullYear()}-` });
  const submit = async () => {
    try {
      const batch = await api("GET", `/batches/${encodeURIComponent(input.value.trim())}`);
      setCurrent(batch);
      closeDialog();
      const held = batch.state === "on_hold" ? ` · on hold: ${batch.hold_reason}` : "";
      toast(`${batch.code}: ${batch.item_name}, ${batch.quantity} ${batch.unit}, ${words(batch.state)}${held}`);
    } catch (err) { showError(err); }
  };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); submit(); } });
  openDialog("Choose a batch", input, pad, errorLine(), el("div", { class: "dlg-actions" }, bigButton("Choose", submit)));
}

async function logout() {
  try { await api("POST", "/auth/badge/logout"); } finally { location.reload(); }
}

// ---- wiring ---------------------------------------------------------------------------------
const on = (id, fn) => { const b = $(id); if (b) b.addEventListener("click", fn); };
on("#btn-login", openLogin);
on("#btn-logout", logout);
on("#btn-code", openCodeEntry);
on("#btn-batch", openPickBatch);
on("#btn-qty", openQuantities);
on("#btn-split", openSplit);
on("#btn-merge", openMerge);
on("#btn-hold", openHold);
on("#btn-release", release);
on("#btn-correct", openCorrect);
startClock($("#clock"));
refreshButtons();
connectLive({
  rooms: () => [`station:${STATION}`],
  onSnapshot, onStatus: setConnected, on: { scan_recorded: onScan, station_health: onHealth, operator_logged_in: onOperator },
});
