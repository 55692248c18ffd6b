// The kiosk's dialogs: typed code, badge login, quantities, split, merge, hold, correct, pick.
// Each dialog's buttons live in a footer that never scrolls away; its body scrolls instead.
import { $, api, el, fill, t, toast, words } from "./common.js";
import { keypad } from "./keypad.js";

let kiosk = null; // { station, current(), setCurrent(batch), queue(), typed(code) }

/** Give the dialogs what they need of the kiosk page. */
export function useKiosk(state) { kiosk = state; }

const dlg = () => $("#dlg");

export function openDialog(title, body, actions = []) {
  $("#dlg-title").textContent = title;
  fill($("#dlg-body"), body);
  fill($("#dlg-foot"), actions);
  $("#dlg-foot").hidden = actions.length === 0;
  if (!dlg().open) dlg().showModal();
  $("#dlg-body").scrollTop = 0;
}

export function closeDialog() { if (dlg().open) dlg().close(); }

export function errorLine() { return el("p", { class: "form-error", role: "alert", hidden: true, id: "dlg-error" }); }

export function showError(err) {
  const line = $("#dlg-error");
  const text = t(err.message);
  if (line) { line.hidden = false; line.textContent = text; line.scrollIntoView({ block: "nearest" }); } else toast(text, "bad");
}

export function bigButton(label, onclick, cls = "btn-primary") {
  return el("button", { type: "button", class: `btn btn-xl ${cls}`, onclick }, label);
}

/** A text field fed by the on-screen keypad (a hardware keyboard or scanner works too). */
function keyField(id, label, { value = "", mode = "code" } = {}) {
  const input = el("input", { id, value, autocomplete: "off", class: "kinput mono", inputmode: mode === "code" ? "text" : "decimal", "aria-label": label });
  return { input, pad: keypad(input, mode) };
}

const codeStart = () => `B-${new Date().getFullYear()}-`;
const onEnter = (input, fn) => input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); fn(); } });

export function openCodeEntry() {
  const { input, pad } = keyField("code-input", t("Code"), { value: codeStart() });
  const submit = async () => {
    const code = input.value.trim();
    if (!code) return;
    // A job's code opens its receipt form in this same dialog: close only the code entry.
    try { await kiosk.typed(code); if ($("#code-input")) closeDialog(); } catch (err) { showError(err); }
  };
  onEnter(input, submit);
  openDialog(t("Type a code"), [el("p", { class: "muted" }, t("For a damaged label: type the code printed under the QR code.")),
    input, pad, errorLine()], [bigButton(t("Record scan"), submit)]);
  input.focus();
}

export function openLogin() {
  const badge = el("input", { id: "badge", class: "kinput mono", autocomplete: "off", placeholder: t("Scan your badge"), "aria-label": t("Badge") });
  const pin = el("input", { id: "pin", class: "kinput mono", type: "password", inputmode: "numeric", autocomplete: "off", placeholder: t("PIN"), "aria-label": t("PIN") });
  const submit = async () => {
    try {
      await api("POST", "/auth/badge", { badge: badge.value.trim(), pin: pin.value || null });
      location.reload();
    } catch (err) { showError(err); pin.value = ""; }
  };
  badge.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); pin.focus(); } });
  onEnter(pin, submit);
  openDialog(t("Operator login"), [el("p", { class: "muted" }, t("Scan your badge at the station scanner (or type it), then enter your PIN.")),
    el("div", { class: "login-grid" }, el("div", {}, badge, pin), keypad(pin, "pin")), errorLine()],
  [bigButton(t("Log in"), submit)]);
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
  return bad === undefined ? null : new Error(t("{unit} are counted in whole numbers, not {value}", { unit, value: bad || t("empty") }));
}

export async function openQuantities() {
  let batch;
  try { batch = await api("GET", `/batches/${encodeURIComponent(kiosk.current().code)}`); } catch (err) { toast(t(err.message), "bad"); return; }
  const finished = batch.executions.filter((e) => e.finished_at && !e.undone_at);
  const exec = finished[finished.length - 1];
  if (!exec) { toast(t("{code} has no finished step yet.", { code: batch.code }), "bad"); return; }
  const fields = {};
  const row = (name, label) => {
    fields[name] = amountInput(`qty-${name}`, exec[name] ?? (name === "good" ? exec.in : "0"), batch.counted);
    return el("label", { class: `qty-row qty-${name}` }, el("span", {}, label), fields[name]);
  };
  const rows = [row("good", t("Good")), row("rejected", t("Rejected")), row("scrapped", t("Scrapped")), row("waste", t("Waste"))];
  let active = fields.rejected;
  let goodTouched = false;
  const sumLine = el("p", { class: "qty-sum", id: "qty-sum" });
  const n = (v) => Number.parseFloat(v || "0") || 0;
  const recompute = () => {
    if (!goodTouched) {
      const good = n(exec.in) - n(fields.rejected.value) - n(fields.scrapped.value) - n(fields.waste.value);
      fields.good.value = String(Math.round(good * 1e6) / 1e6);
    }
    const total = ["good", "rejected", "scrapped", "waste"].reduce((s, k) => s + n(fields[k].value), 0);
    sumLine.textContent = t("Total {total} of {in} {unit} in", { total: Math.round(total * 1e6) / 1e6, in: exec.in, unit: batch.unit });
    sumLine.className = `qty-sum ${Math.abs(total - n(exec.in)) < 1e-9 ? "ok" : "bad"}`;
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
      const gone = result.batch.state === "scrapped";
      const said = t("Saved {step} quantities for {code}.", { step: exec.operation, code: batch.code });
      toast(gone ? `${said} ${t("{code} has nothing good left and is scrapped.", { code: batch.code })}` : said, gone ? "warn" : "ok");
      if (gone) kiosk.setCurrent(result.batch);
    } catch (err) { showError(err); }
  };
  openDialog(`${t("Quantities")} · ${batch.code} · ${exec.operation}`,
    [el("p", { class: "muted" }, t("{in} {unit} came in. Good is what goes on to the next step.", { in: exec.in, unit: batch.unit })),
      el("div", { class: "qty-grid" }, el("div", { class: "qty-rows" }, rows, sumLine), pad), errorLine()],
    [bigButton(t("Save quantities"), save)]);
  fields.rejected.focus();
}

function labelLinks(children) {
  return el("ul", { class: "child-list" }, children.map((c) => el("li", {},
    el("span", { class: "mono" }, c.code), el("span", {}, `${c.quantity} ${c.unit}`),
    el("a", { class: "btn btn-ghost-dark", href: `/api/v1/batches/${encodeURIComponent(c.code)}/label.pdf`, target: "_blank", rel: "noopener" }, t("Print label")))));
}

export function doneButton() { return bigButton(t("Done"), closeDialog, "btn-ghost-dark"); }

export function openSplit() {
  const current = kiosk.current();
  const code = current.code;
  let parts = 2;
  const custom = el("input", { id: "split-quantities", class: "kinput mono", placeholder: t("or quantities, e.g. 6, 4"), autocomplete: "off" });
  const partButtons = [2, 3, 4, 5, 6].map((k) => el("button", { type: "button", class: `btn btn-xl seg ${k === 2 ? "seg-on" : ""}`, dataset: { parts: k }, onclick: (e) => {
    parts = k;
    for (const b of e.currentTarget.parentNode.children) b.classList.toggle("seg-on", b === e.currentTarget);
    custom.value = "";
  } }, String(k)));
  const submit = async () => {
    const text = custom.value.trim();
    const bodyJson = text ? { quantities: text.split(/[,\s]+/).filter(Boolean) } : { parts };
    const whole = text && current.counted && notWhole(bodyJson.quantities, current.unit);
    if (whole) { showError(whole); return; }
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(code)}/split`, bodyJson);
      kiosk.setCurrent(null);
      openDialog(t("Split {code}", { code }), [el("p", { class: "ok-line" }, t("{code} split into {n} batches. Print their labels:", { code, n: result.children.length })),
        labelLinks(result.children)], [doneButton()]);
    } catch (err) { showError(err); }
  };
  openDialog(t("Split {code}", { code }), [el("p", { class: "muted" }, t("Into how many equal batches?")),
    el("div", { class: "seg-row" }, partButtons), custom, errorLine()], [bigButton(t("Split batch"), submit)]);
}

export function openMerge() {
  const current = kiosk.current();
  const codes = new Set(current ? [current.code] : []);
  const list = el("ul", { class: "merge-list", id: "merge-list" });
  // Batches waiting in this station's queue can be added with a tap, no typing.
  const waiting = el("div", { class: "seg-row wrap merge-waiting", id: "merge-waiting" });
  const draw = () => {
    fill(list, [...codes].map((c) => el("li", {}, el("span", { class: "mono" }, c),
      el("button", { type: "button", class: "btn btn-ghost-dark", onclick: () => { codes.delete(c); draw(); } }, t("Remove")))));
    const item = current ? current.item : null;
    fill(waiting, kiosk.queue().filter((q) => q.queue_state === "ready" && !codes.has(q.code) && (!item || q.item === item))
      .map((q) => el("button", { type: "button", class: "btn btn-xl btn-ghost-dark mono", dataset: { code: q.code }, onclick: () => { codes.add(q.code); draw(); } }, `+ ${q.code}`)));
  };
  const { input, pad } = keyField("merge-code", t("Batch code"), { value: codeStart() });
  const add = () => { const c = input.value.trim(); if (c) { codes.add(c); input.value = codeStart(); draw(); } };
  onEnter(input, add);
  const submit = async () => {
    try {
      const result = await api("POST", "/batches/merge", { batches: [...codes] });
      kiosk.setCurrent({ ...result.batch });
      openDialog(t("Merged"), [el("p", { class: "ok-line" }, t("Merged into {code}. Print its label:", { code: result.batch.code })),
        labelLinks([result.batch])], [doneButton()]);
    } catch (err) { showError(err); }
  };
  draw();
  openDialog(t("Merge batches"), [el("p", { class: "muted" }, t("Batches of one item, waiting at the same step.")),
    list, waiting, el("div", { class: "merge-add" }, input, bigButton(t("Add"), add, "btn-ghost-dark")), pad, errorLine()],
  [bigButton(t("Merge batches"), submit)]);
}

export function openHold() {
  const code = kiosk.current().code;
  const reason = el("input", { id: "hold-reason", class: "kinput", placeholder: t("Reason"), autocomplete: "off", maxlength: 500 });
  const quick = ["Quality issue", "Missing material", "Machine down", "Waiting for inspection"].map((r) =>
    el("button", { type: "button", class: "btn btn-xl btn-ghost-dark", onclick: () => { reason.value = t(r); } }, t(r)));
  const submit = async () => {
    try {
      const batch = await api("POST", `/batches/${encodeURIComponent(code)}/hold`, { reason: reason.value });
      kiosk.setCurrent(batch);
      closeDialog();
      toast(t("{code} is on hold: {reason}", { code, reason: batch.hold_reason }), "warn");
    } catch (err) { showError(err); }
  };
  openDialog(t("Hold {code}", { code }), [el("div", { class: "seg-row wrap" }, quick), reason, errorLine()],
    [bigButton(t("Put on hold"), submit, "btn-warn")]);
}

export function openCorrect() {
  const code = kiosk.current().code;
  const reason = el("input", { id: "correct-reason", class: "kinput", placeholder: t("Reason"), autocomplete: "off", maxlength: 500 });
  const act = (path, said) => async () => {
    try {
      const result = await api("POST", `/batches/${encodeURIComponent(code)}/${path}`, { reason: reason.value });
      kiosk.setCurrent(result.batch || result);
      closeDialog();
      toast(said(result), "warn");
    } catch (err) { showError(err); }
  };
  openDialog(t("Correct {code}", { code }),
    [el("p", { class: "muted" }, t("Undo this batch's last scan or change (your own within a few minutes; a supervisor any time), or scrap the whole batch.")),
      reason, errorLine()],
    [bigButton(t("Undo last change"), act("undo", (r) => t("{code}: {action} undone.", { code, action: t(words(r.undone.action)) })), "btn-ghost-dark"),
      bigButton(t("Scrap whole batch"), act("scrap", () => t("{code} is scrapped.", { code })), "btn-warn")]);
  reason.focus();
}

export function openPickBatch() {
  const { input, pad } = keyField("pick-code", t("Batch code"), { value: codeStart() });
  const submit = async () => {
    try {
      const batch = await api("GET", `/batches/${encodeURIComponent(input.value.trim())}`);
      kiosk.setCurrent(batch);
      closeDialog();
      const held = batch.state === "on_hold" ? ` · ${t("on hold: {reason}", { reason: batch.hold_reason })}` : "";
      toast(`${batch.code}: ${batch.item_name}, ${batch.quantity} ${batch.unit}, ${t(words(batch.state))}${held}`);
    } catch (err) { showError(err); }
  };
  onEnter(input, submit);
  openDialog(t("Choose a batch"), [input, pad, errorLine()], [bigButton(t("Choose"), submit)]);
}
