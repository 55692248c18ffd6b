// One sales order: its lines, the status moves it allows, and a run made from it.
import { $, api, el, fill, t } from "./common.js";
import { statusWord, submitting } from "./setup_forms.js";

const number = document.body.dataset.order;
const path = `/orders/${encodeURIComponent(number)}`;
// What to call each move on its button.
const MOVE = {
  estimate: () => t("Back to Estimate"), confirmed: () => t("Confirm"),
  in_production: () => t("Start production"), shipped: () => t("Mark shipped"),
  cancelled: () => t("Cancel order"),
};
const RUNNABLE = ["estimate", "confirmed", "in_production"];

function fact(label, value) {
  return el("div", {}, el("span", {}, label), el("b", {}, value));
}

function runLink(runNumber) {
  return el("a", { class: "mono", href: `/runs/${encodeURIComponent(runNumber)}` }, runNumber);
}

function show(o) {
  fill($("#order-status"), el("span", { class: `badge badge-${o.status}` }, statusWord(o.status)));
  fill($("#order-facts"),
    fact(t("Customer"), o.customer_name ? `${o.customer} — ${o.customer_name}` : o.customer),
    fact(t("Due"), o.due_date || "—"),
    fact(t("Created"), new Date(o.created_at).toLocaleString()),
    o.notes ? fact(t("Notes"), o.notes) : null);
  fill($("#line-rows"), o.lines.map((ln) => el("tr", {},
    el("td", {}, ln.line_no), el("td", { class: "mono" }, ln.item), el("td", {}, `${ln.quantity} ${ln.unit}`))));
  $("#status-text").textContent = o.next_statuses.length
    ? t("This order is {status}. It can move to:", { status: statusWord(o.status) })
    : t("This order is {status}; it moves no further.", { status: statusWord(o.status) });
  fill($("#status-actions"), o.next_statuses.map((s) => el("button", {
    type: "button", class: s === "cancelled" ? "btn btn-warn" : "btn btn-primary",
    dataset: { status: s }, onclick: (event) => move(event.target, s),
  }, (MOVE[s] || (() => statusWord(s)))())));
  fill($("#run-links"), o.runs.length ? o.runs.map((r) => el("li", {}, runLink(r)))
    : el("li", { class: "muted" }, t("No run made from it yet.")));
  $("#run-form").hidden = !RUNNABLE.includes(o.status);
  $("#additional-label").hidden = $("#reason-label").hidden = !o.runs.length;
}

async function move(button, status) {
  const o = await submitting(button, $("#status-error"), () =>
    api("POST", `${path}/status`, { status, reason: $("#status-reason").value }));
  if (o) { $("#status-reason").value = ""; show(o); }
}

async function createRun(event) {
  event.preventDefault();
  const form = event.target;
  const run = await submitting($("#btn-run"), $("#run-error"), () => api("POST", "/runs/from-order", {
    order: number, batches_per_line: Number(form.elements.namedItem("batches_per_line").value),
    allow_additional: form.elements.namedItem("allow_additional").checked,
    reason: form.elements.namedItem("reason").value.trim(),
  }));
  if (!run) return;
  const link = $("#run-made-link");
  link.href = `/runs/${encodeURIComponent(run.number)}`;
  link.textContent = run.number;
  $("#run-made").hidden = false;
  show(await api("GET", path));
}

$("#run-form").addEventListener("submit", createRun);
api("GET", path).then(show).catch((err) => {
  $("#status-error").hidden = false;
  $("#status-error").textContent = err.message;
});
