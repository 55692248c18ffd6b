// The station's work queue: batches at its operation, most urgent first; a tap picks one.
import { batchLink, el, fill, t } from "./common.js";

const STATES = { ready: "Ready", in_process: "In process", on_hold: "On hold" };

function dueText(due) {
  if (!due) return t("No due date");
  return t("Due {date}", { date: new Date(`${due}T00:00:00`).toLocaleDateString([], { day: "numeric", month: "short" }) });
}

function row(entry, selected, onPick) {
  const pick = el("button", {
    type: "button", class: "qpick", "aria-pressed": selected ? "true" : "false",
    "aria-label": t("Choose {code}", { code: entry.code }), onclick: () => onPick(entry),
  },
  el("b", { class: "qqty" }, `${entry.quantity} ${entry.unit}`),
  el("span", { class: "qwhat" }, entry.item_name),
  el("span", { class: "qmeta" }, entry.run, " · ", dueText(entry.due_date)),
  el("span", { class: `qstate qstate-${entry.queue_state}` }, t(STATES[entry.queue_state] || entry.queue_state)));
  return el("li", { class: `qrow${selected ? " qrow-on" : ""}`, dataset: { code: entry.code, state: entry.queue_state } },
    batchLink(entry.code, { class: "batch-link mono qcode" }), pick);
}

/** Draw entries into list (an <ol>); count shows how many wait. */
export function drawQueue(list, count, entries, selectedCode, onPick) {
  count.textContent = String(entries.length);
  if (!entries.length) {
    fill(list, el("li", { class: "qempty" }, t("Nothing waiting at this station.")));
    return;
  }
  fill(list, entries.map((e) => row(e, e.code === selectedCode, onPick)));
}
