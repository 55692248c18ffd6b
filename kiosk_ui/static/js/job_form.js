// The job stepper, for a new job and for editing one: context, physical specs, issue details,
// done. Each step is checked by the API (/jobs/check?step=…, or /jobs/<n>/check when editing)
// before Next moves on; the API's refusals show beside the field they name. Steps are only
// hidden, never rebuilt, so Back keeps what was entered.
import { $, api, el, fill, t } from "./common.js";

const mode = document.body.dataset.mode;
const number = document.body.dataset.job;
const STEPS = ["context", "specs", "details", "done"];
const FORMS = { context: $("#form-context"), specs: $("#form-specs"), details: $("#form-details") };
// Which step asks for each body field (a refusal naming it sends the planner back there).
const STEP_OF = {
  order: "context", order_line: "context", stage: "context", issues: "context",
  shape: "specs", size: "specs", pieces: "specs", weight: "specs", unit: "specs",
  policy: "specs", items: "specs", issued_on: "details", deadline: "details",
  assignee: "details", notes: "details", reason: "details", version: "details", confirm: "details",
};
const UNITS = ["g", "kg", "mg", "ct", "oz t"];

const state = {
  step: "context",
  orders: [],
  products: new Map(), // sku -> name
  lots: new Map(), // lot -> {lot, item, name, unit, on_hand, location, bin, in_job}
  picks: new Map(), // lot -> {on, how: "full"|"part", quantity, pieces}
  items: [], // the per-item table: {item, name, pieces, weight, unit}
  sent: [], // lot numbers in the order the last body listed them (issues[n])
  version: null,
  received: false,
  failedStep: null,
};

const enc = encodeURIComponent;

function known(err) {
  const d = (err && err.detail) || {};
  switch (err && err.code) {
    case "insufficient_stock": return t("Not enough on hand: {on_hand}.", { on_hand: d.on_hand || "0" });
    case "balance": return t("This would leave {bucket} {over} {unit} over what is issued.", { bucket: bucketWord(d.bucket), over: d.over, unit: d.unit });
    case "reason_required": return t("Give a reason for this change.");
    case "stale_version": return t("Someone changed this job meanwhile. Reload the page and edit again.");
    case "unknown_stage": return t("There is no such stage.");
    case "stage_archived": return t("This stage is archived.");
    case "lot_consumed": return t("This lot is used up.");
    case "lot_quarantined": return t("This lot is quarantined.");
    case "duplicate_lot": return t("This lot is listed twice.");
    case "invalid_deadline": return t("The deadline is before the issue date.");
    case "unknown_assignee": return t("No active user {name}.", { name: d.assignee || "" });
    case "job_cancelled": return t("This job is cancelled.");
    case "forbidden": return t("You are not allowed to make this change.");
    case "invalid_input": return t("Check this value: it is not one the job accepts.");
    default: return null;
  }
}

function bucketWord(bucket) {
  return { received: t("received"), rejected: t("rejected"), scrapped: t("scrapped"), waste: t("waste") }[bucket] || bucket || "";
}

const messageOf = (err) => known(err) || (err && err.message) || t("Something went wrong.");

/** "issues.0.quantity" (a validation error's path) as the service names it: issues[0].quantity. */
const fieldName = (path) => String(path || "").replace(/\.(\d+)(?=\.|$)/g, "[$1]");
const stepOfField = (field) => STEP_OF[String(field).split(/[.[]/)[0]] || null;

/** The refusal as a list of {field, message}; the message is the page's own when it knows the code. */
function errorsOf(err) {
  const d = (err && err.detail) || {};
  if (Array.isArray(d.errors) && d.errors.length) {
    return d.errors.map((e) => ({ field: fieldName(e.field), message: known(err) || e.message }));
  }
  return [{ field: d.field ? fieldName(d.field) : "", message: messageOf(err) }];
}

function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, .form-error")) { node.hidden = true; node.textContent = ""; }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** The slot beside a field: its own, else its row's (issues[1]), else its list's (issues). */
function slotFor(form, field) {
  let name = field;
  while (name) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (slot) return slot;
    const cut = Math.max(name.lastIndexOf("."), name.lastIndexOf("["));
    name = cut > 0 ? name.slice(0, cut) : "";
  }
  return null;
}

function showErrors(step, err) {
  const form = FORMS[step];
  clearErrors(form);
  let placed = false;
  for (const { field, message } of errorsOf(err)) {
    const slot = field && slotFor(form, field);
    if (!slot) continue;
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    slot.hidden = false;
    form.querySelector(`[name="${CSS.escape(field)}"], [data-field="${CSS.escape(field)}"]`)?.setAttribute("aria-invalid", "true");
    placed = true;
  }
  if (!placed) {
    const box = form.querySelector(".form-error");
    box.textContent = messageOf(err);
    box.hidden = false;
  }
  (form.querySelector("[aria-invalid]") || form.querySelector(".field-error:not([hidden]), .form-error:not([hidden])"))?.focus?.();
}

function localError(step, field, message) {
  showErrors(step, { code: "local", message, detail: { field } });
}

// ---- moving between steps ----

function go(step, focus = true) {
  state.step = step;
  for (const section of document.querySelectorAll("section.step")) section.hidden = section.dataset.step !== step;
  const at = STEPS.indexOf(step);
  for (const li of document.querySelectorAll("#stepper li")) {
    const i = STEPS.indexOf(li.dataset.step);
    li.classList.toggle("done", i < at);
    if (i === at) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
  }
  const heading = document.querySelector(`#step-${step} h2`);
  heading.tabIndex = -1;
  if (focus) heading.focus();
}

// ---- the body the API gets ----

function formValues(form) {
  const out = {};
  for (const input of form.querySelectorAll("[name]")) {
    if (input.type === "radio") { if (input.checked) out[input.name] = input.value; }
    else out[input.name] = input.type === "checkbox" ? input.checked : input.value.trim();
  }
  return out;
}

/** A whole number as a number; anything else as typed, for the API to name. */
const whole = (text) => (text === "" ? null : /^\d+$/.test(text) ? Number(text) : text);

function issues() {
  const out = [];
  state.sent = [];
  for (const row of document.querySelectorAll("#lot-rows tr[data-lot]")) {
    const pick = state.picks.get(row.dataset.lot);
    if (!pick || !pick.on) continue;
    const n = out.length;
    row.querySelector("[data-error-slot]").dataset.errorFor = `issues[${n}]`;
    row.querySelector("input[data-part=quantity]").dataset.field = `issues[${n}].quantity`;
    row.querySelector("input[data-part=pieces]").dataset.field = `issues[${n}].pieces`;
    const line = { lot: row.dataset.lot };
    if (pick.how === "part") line.quantity = pick.quantity;
    if (pick.pieces !== "") line.pieces = whole(pick.pieces);
    out.push(line);
    state.sent.push(row.dataset.lot);
  }
  return out;
}

function draft() {
  const c = formValues(FORMS.context);
  const s = formValues(FORMS.specs);
  const d = formValues(FORMS.details);
  const body = {
    order: c.order || null, order_line: c.order ? whole(c.order_line) : null, stage: c.stage,
    issues: issues(), shape: s.shape, size: s.size, pieces: whole(s.pieces),
    weight: s.weight || null, unit: s.weight ? s.unit : null, policy: s.policy,
    items: s.policy === "custom" ? customItems() : [],
    issued_on: d.issued_on || null, deadline: d.deadline || null, assignee: d.assignee || null,
    notes: d.notes,
  };
  if (mode === "edit") Object.assign(body, { version: state.version, reason: d.reason || "" });
  return body;
}

function customItems() {
  return state.items.map((item) => {
    const row = document.querySelector(`#item-rows tr[data-item="${CSS.escape(item.item)}"]`);
    const input = (part) => row && row.querySelector(`[data-part=${part}]`);
    const pieces = input("pieces") ? input("pieces").value.trim() : String(item.pieces ?? "");
    const weight = input("weight") ? input("weight").value.trim() : String(item.weight ?? "");
    const line = { item: item.item, pieces: whole(pieces) };
    if (weight) Object.assign(line, { weight, unit: input("unit") ? input("unit").value : item.unit || "g" });
    return line;
  });
}

function check(step, body = draft()) {
  const path = mode === "edit" ? `/jobs/${enc(number)}/check?step=${step}` : `/jobs/check?step=${step}`;
  return api("POST", path, body);
}

// ---- step 1: context ----

async function loadChoices() {
  const [orders, stages, staff] = await Promise.all([
    api("GET", "/orders"), api("GET", "/stages"), api("GET", "/jobs/staff")]);
  state.orders = orders;
  const order = FORMS.context.elements.order;
  for (const o of orders) order.append(el("option", { value: o.number }, `${o.number} — ${o.customer_name}`));
  const stage = FORMS.context.elements.stage;
  for (const s of stages.filter((x) => !x.archived)) stage.append(el("option", { value: s.code }, `${s.name} (${s.code})`));
  const who = FORMS.details.elements.assignee;
  for (const u of staff) who.append(el("option", { value: u.username }, u.name ? `${u.name} (${u.username})` : u.username));
}

function fillLines() {
  const select = FORMS.context.elements.order_line;
  const order = state.orders.find((o) => o.number === FORMS.context.elements.order.value);
  fill(select, el("option", { value: "" }, t("— none —")),
    ...(order ? order.lines : []).map((ln) => el("option", { value: ln.line_no },
      t("Line {n}: {item}, {quantity} {unit}", { n: ln.line_no, item: ln.item, quantity: ln.quantity, unit: ln.unit }))));
}

async function findProducts() {
  const q = FORMS.context.elements.product_q.value.trim();
  const list = $("#found-items");
  if (!q) { fill(list); return; }
  const found = (await api("GET", `/items?q=${enc(q)}`)).filter((i) => !i.archived).slice(0, 20);
  fill(list, found.length ? found.map((item) => el("li", {},
    el("button", { type: "button", class: "btn btn-ghost", onclick: () => addProduct(item.sku, item.name) },
      t("Add {sku} — {name}", { sku: item.sku, name: item.name })))) : el("li", { class: "muted" }, t("No products match.")));
}

async function addProduct(sku, name) {
  state.products.set(sku, name);
  fill($("#found-items"));
  FORMS.context.elements.product_q.value = "";
  renderProducts();
  await loadSources();
}

function removeProduct(sku) {
  state.products.delete(sku);
  renderProducts();
  renderLots();
}

function renderProducts() {
  $("#no-products").hidden = state.products.size > 0;
  fill($("#chosen-items"), [...state.products].map(([sku, name]) => el("li", { class: "chip", "data-item": sku },
    el("span", {}, name ? `${sku} — ${name}` : sku),
    el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Remove {sku}", { sku }), onclick: () => removeProduct(sku) }, "×"))));
}

async function loadSources() {
  if (state.products.size) {
    const found = await api("GET", `/jobs/sources?items=${enc([...state.products.keys()].join(","))}`);
    for (const lot of found) {
      if (!state.products.get(lot.item)) state.products.set(lot.item, lot.name);
      const had = state.lots.get(lot.lot);
      state.lots.set(lot.lot, { ...lot, in_job: had ? had.in_job : null });
    }
  }
  renderProducts();
  renderLots();
}

function renderLots() {
  const rows = [...state.lots.values()].filter((lot) => state.products.has(lot.item));
  if (!rows.length) {
    fill($("#lot-rows"), el("tr", {}, el("td", { colspan: 8, class: "muted" },
      state.products.size ? t("No lots of these products are in stock.") : t("Add one or more products to see their lots."))));
    return;
  }
  fill($("#lot-rows"), rows.map(lotRow));
}

function lotRow(lot) {
  const pick = state.picks.get(lot.lot) || { on: false, how: "full", quantity: "", pieces: "" };
  state.picks.set(lot.lot, pick);
  const quantity = el("input", { "data-part": "quantity", inputmode: "decimal", autocomplete: "off", value: pick.quantity,
    "aria-label": t("Quantity of lot {lot}", { lot: lot.lot }), disabled: pick.how === "full" || !pick.on });
  const pieces = el("input", { "data-part": "pieces", inputmode: "numeric", autocomplete: "off", value: pick.pieces,
    "aria-label": t("Pieces of lot {lot}", { lot: lot.lot }), disabled: !pick.on });
  const how = el("select", { "data-part": "how", "aria-label": t("How much of lot {lot}", { lot: lot.lot }), disabled: !pick.on },
    el("option", { value: "full", selected: pick.how === "full" }, t("The full quantity")),
    el("option", { value: "part", selected: pick.how === "part" }, t("A specific quantity")));
  const on = el("input", { type: "checkbox", checked: pick.on, "aria-label": t("Issue lot {lot}", { lot: lot.lot }) });
  on.addEventListener("change", () => {
    pick.on = on.checked;
    how.disabled = pieces.disabled = !pick.on;
    quantity.disabled = !pick.on || pick.how === "full";
  });
  how.addEventListener("change", () => {
    pick.how = how.value;
    quantity.disabled = pick.how === "full";
    if (!quantity.disabled) quantity.focus();
  });
  quantity.addEventListener("input", () => { pick.quantity = quantity.value.trim(); });
  pieces.addEventListener("input", () => { pick.pieces = pieces.value.trim(); });
  const available = lot.on_hand === undefined || lot.on_hand === null ? "—" : `${lot.on_hand} ${lot.unit}`;
  // data-label names each cell where a phone shows the row as a card (job_form.css).
  return el("tr", { "data-lot": lot.lot },
    el("td", { "data-label": t("Issue") }, on),
    el("td", { class: "mono", "data-label": t("Lot") }, lot.lot),
    el("td", { "data-label": t("Product") }, lot.name ? `${lot.item} — ${lot.name}` : lot.item),
    el("td", { class: "num", "data-label": t("Available") }, available,
      lot.in_job ? el("div", { class: "muted" }, t("{quantity} {unit} in this job", { quantity: lot.in_job, unit: lot.unit })) : null),
    el("td", { "data-label": t("Where") }, [lot.location, lot.bin].filter(Boolean).join(" ") || "—"),
    el("td", { "data-label": t("How much") }, how),
    el("td", { "data-label": t("Quantity") }, quantity, el("span", { class: "field-error", "data-error-slot": "", hidden: true })),
    el("td", { "data-label": t("Pieces") }, pieces));
}

function contextProblem() {
  if (!FORMS.context.elements.stage.value) return ["stage", t("Choose a production stage.")];
  if (![...state.picks.entries()].some(([lot, p]) => p.on && state.products.has((state.lots.get(lot) || {}).item))) {
    return ["issues", t("Choose at least one lot to issue.")];
  }
  return null;
}

// ---- step 2: physical specs ----

// Cells a planner typed into survive a redraw: an answer arriving while they type (the table
// asked for when the step opened, then again when the policy changed) must not undo them.
function typedCells() {
  const typed = new Map();
  for (const input of document.querySelectorAll("#item-rows [data-typed]")) {
    typed.set(`${input.closest("tr").dataset.item}/${input.dataset.part}`, input.value);
  }
  return typed;
}

function renderItems(rows) {
  const typed = typedCells();
  drawItems(rows);
  for (const input of document.querySelectorAll("#item-rows [data-part]")) {
    const key = `${input.closest("tr").dataset.item}/${input.dataset.part}`;
    if (typed.has(key)) { input.value = typed.get(key); input.dataset.typed = "1"; }
  }
}

function drawItems(rows) {
  state.items = rows;
  const custom = formValues(FORMS.specs).policy === "custom";
  fill($("#item-rows"), rows.length ? rows.map((row, n) => {
    const cells = custom ? [
      el("td", { class: "num" }, el("input", { "data-part": "pieces", "data-field": `items[${n}].pieces`, inputmode: "numeric", value: row.pieces ?? "", "aria-label": t("Pieces of {item}", { item: row.item }) })),
      el("td", { class: "num" }, el("input", { "data-part": "weight", "data-field": `items[${n}].weight`, inputmode: "decimal", value: row.weight ?? "", "aria-label": t("Weight of {item}", { item: row.item }) })),
      el("td", {}, el("select", { "data-part": "unit", "aria-label": t("Unit of {item}", { item: row.item }) },
        UNITS.map((u) => el("option", { value: u, selected: (row.unit || "g") === u }, u)))),
    ] : [
      el("td", { class: "num" }, row.pieces ?? "—"),
      el("td", { class: "num" }, row.weight ?? "—"),
      el("td", {}, row.weight !== null && row.weight !== undefined ? row.unit : ""),
    ];
    return el("tr", { "data-item": row.item },
      el("td", {}, row.name ? `${row.item} — ${row.name}` : row.item,
        el("span", { class: "field-error", "data-error-for": `items[${n}]`, hidden: true })), ...cells);
  }) : el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("The table is prepared from the lots and the totals."))));
}

let prepared = 0;

async function prepareItems() {
  const mine = ++prepared;
  clearErrors(FORMS.specs);
  const body = draft();
  if (body.policy === "custom" && !state.items.length) Object.assign(body, { policy: "match_issued", items: [] });
  try {
    const res = await check("specs", body);
    if (mine === prepared) renderItems(res.items); // only the newest answer draws
    return res;
  } catch (err) {
    if (mine === prepared) showErrors("specs", err);
    return null;
  }
}

// ---- step 3: issue details ----

function renderSummary(summary) {
  const w = summary.balance.weight;
  const p = summary.balance.pieces;
  const c = formValues(FORMS.context);
  const s = formValues(FORMS.specs);
  const fact = (label, value) => el("div", {}, el("span", {}, label), el("b", {}, value));
  fill($("#summary"),
    el("div", { class: "kv" },
      fact(t("Stage"), summary.stage.name),
      fact(t("Sales order"), c.order ? (c.order_line ? `${c.order} / ${c.order_line}` : c.order) : "—"),
      fact(t("Issued weight"), `${w.issued} g`),
      fact(t("Issued pieces"), p.issued),
      fact(t("Shape"), s.shape || "—"),
      fact(t("Size"), s.size || "—")),
    el("ul", { class: "summary-lots" }, summary.issues.map((i) =>
      el("li", {}, el("span", { class: "mono" }, i.lot), " ", `${i.item}: ${i.quantity} ${i.unit}`,
        i.pieces !== null && i.pieces !== undefined ? t(", {n} pcs", { n: i.pieces }) : ""))));
}

// ---- steps' buttons ----

async function next(step) {
  const form = FORMS[step];
  clearErrors(form);
  if (step === "context") {
    const problem = contextProblem();
    if (problem) { localError("context", ...problem); return; }
  }
  if (step === "details") { await submit(); return; }
  try {
    const res = await check(step);
    if (step === "context") {
      go("specs");
      await prepareItems();
    } else {
      renderItems(res.items);
      renderSummary(res.summary);
      go("details");
    }
  } catch (err) {
    showErrors(step, err);
  }
}

async function submit() {
  const d = formValues(FORMS.details);
  if (mode === "edit" && state.received && !d.reason) {
    localError("details", "reason", t("This job has received output: give a reason for the change."));
    return;
  }
  if (!d.confirm) { localError("details", "confirm", t("Tick the confirmation first.")); return; }
  const body = draft();
  try {
    const job = mode === "edit"
      ? await api("PUT", `/jobs/${enc(number)}`, body)
      : await api("POST", "/jobs", body);
    state.failedStep = null;
    const ok = $("#done-ok");
    fill(ok, mode === "edit" ? t("Job {number} is saved.", { number: job.number }) : t("Job {number} is created.", { number: job.number }));
    ok.hidden = false;
    $("#done-error").hidden = true;
    $("#done-fix").hidden = true;
    $("#done-another").hidden = false;
    $("#done-close").href = `/jobs/${enc(job.number)}`;
    if (mode === "edit") state.version = job.version;
  } catch (err) {
    const [first] = errorsOf(err);
    state.failedStep = { step: stepOfField(first.field) || "details", err };
    const box = $("#done-error");
    box.textContent = first.message;
    box.hidden = false;
    $("#done-ok").hidden = true;
    $("#done-fix").hidden = false;
    $("#done-another").hidden = mode === "edit";
  }
  go("done");
}

function fixErrors() {
  const failed = state.failedStep;
  if (!failed) return;
  go(failed.step);
  showErrors(failed.step, failed.err);
}

// ---- edit mode: the job as it is, and cancelling it ----

async function loadJob() {
  const job = await api("GET", `/jobs/${enc(number)}`);
  state.version = job.version;
  state.received = job.receipts.length > 0;
  if (job.status === "cancelled") {
    const box = $("#load-error");
    box.textContent = t("This job is cancelled.");
    box.hidden = false;
    for (const form of Object.values(FORMS)) for (const node of form.elements) node.disabled = true;
    return;
  }
  const f = FORMS.context.elements;
  f.order.value = job.order || "";
  fillLines();
  f.order_line.value = job.order_line ?? "";
  f.stage.value = job.stage.code;
  for (const issue of job.issues) {
    state.products.set(issue.item, state.products.get(issue.item) || "");
    state.lots.set(issue.lot, { lot: issue.lot, item: issue.item, name: "", unit: issue.unit, on_hand: null, location: "", bin: "", in_job: issue.quantity });
    state.picks.set(issue.lot, { on: true, how: "part", quantity: issue.quantity, pieces: issue.pieces ?? "" });
  }
  const s = FORMS.specs.elements;
  s.shape.value = job.shape;
  s.size.value = job.size;
  s.pieces.value = job.requested.pieces ?? "";
  s.weight.value = job.requested.weight ?? "";
  s.unit.value = job.requested.unit || "g";
  for (const radio of FORMS.specs.querySelectorAll("[name=policy]")) radio.checked = radio.value === job.policy;
  renderItems(job.items);
  const d = FORMS.details.elements;
  d.issued_on.value = job.issued_on;
  d.deadline.value = job.deadline || "";
  d.assignee.value = job.assignee ? job.assignee.username : "";
  d.notes.value = job.notes;
  $("#received-warning").hidden = !state.received;
  if (state.received) d.reason.required = true;
  $("#cancel-job").hidden = !(job.status === "open" && !state.received);
  $("#done-close").href = `/jobs/${enc(number)}`;
  $("#done-another").hidden = true;
  renderProducts();
  await loadSources();
}

function wireCancel() {
  const dialog = $("#cancel-dialog");
  const form = $("#cancel-form");
  $("#cancel-job").addEventListener("click", () => {
    form.reset();
    $("#cancel-error").hidden = true;
    dialog.showModal();
  });
  $("#cancel-back").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    const box = $("#cancel-error");
    if (!reason) { box.textContent = t("Give a reason for cancelling."); box.hidden = false; return; }
    try {
      await api("POST", `/jobs/${enc(number)}/cancel`, { reason });
      window.location.assign(`/jobs/${enc(number)}`);
    } catch (err) {
      box.textContent = err.status === 409 ? t("Output was already received: this job can no longer be cancelled.") : messageOf(err);
      box.hidden = false;
    }
  });
}

// ---- wiring ----

for (const [step, form] of Object.entries(FORMS)) {
  form.addEventListener("submit", (event) => { event.preventDefault(); next(step); });
  form.querySelector("[data-back]")?.addEventListener("click", () => go(STEPS[STEPS.indexOf(step) - 1]));
}
FORMS.context.elements.order.addEventListener("change", fillLines);
$("#product-find").addEventListener("click", findProducts);
FORMS.context.elements.product_q.addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); findProducts(); }
});
for (const radio of FORMS.specs.querySelectorAll("[name=policy]")) radio.addEventListener("change", prepareItems);
$("#items-refresh").addEventListener("click", () => { // asked for afresh: typed cells go too
  for (const input of document.querySelectorAll("#item-rows [data-typed]")) delete input.dataset.typed;
  prepareItems();
});
$("#item-rows").addEventListener("input", (event) => { if (event.target.dataset.part) event.target.dataset.typed = "1"; });
$("#done-fix").addEventListener("click", fixErrors);
if (mode === "edit") wireCancel();

(async () => {
  try {
    await loadChoices();
    if (mode === "edit") await loadJob();
    else renderLots();
    renderItems(state.items);
    go("context", false);
    document.body.dataset.ready = "true";
  } catch (err) {
    const box = $("#load-error");
    box.textContent = messageOf(err);
    box.hidden = false;
  }
})();
