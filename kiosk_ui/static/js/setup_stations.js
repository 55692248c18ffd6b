// Stations: the list with live health, and creating one (admin); its token is shown once.
import { $, api, ago, can, el, fill, t, toast } from "./common.js";
import { emptyRow, enabledBadge, field, healthCell, hideByRole, modeWords, submitting } from "./setup_forms.js";
import { showToken } from "./setup_token.js";

function row(s) {
  const href = `/setup/stations/${encodeURIComponent(s.name)}`;
  return el("tr", { dataset: { station: s.name } },
    el("td", {}, el("a", { class: "mono", href }, s.name)),
    el("td", {}, `${s.operation} — ${s.operation_name}`),
    el("td", {}, modeWords(s.scan_mode)),
    el("td", {}, enabledBadge(s)),
    el("td", { class: "health-cell" }, healthCell(s)),
    el("td", {}, s.last_seen_at ? ago(s.last_seen_at) : t("never")),
    el("td", {}, s.outbox_depth ?? "?"),
    el("td", {}, s.machines.join(", ")));
}

async function load() {
  try {
    const stations = await api("GET", "/stations");
    fill($("#station-rows"), stations.length ? stations.map(row) : emptyRow(8, t("No stations yet")));
  } catch (err) { toast(err.message, "bad"); }
}

// The operations load before the form shows: filled after, they would wipe a choice made meanwhile.
async function openNew() {
  const ops = await api("GET", "/operations");
  fill($("#operation"), ops.map((o) => el("option", { value: o.code }, `${o.code} — ${o.name}`)));
  $("#new-station").hidden = false;
  $("#station-form").elements.namedItem("name").focus();
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const made = await submitting(form.querySelector("[type=submit]"), $("#station-error"), () =>
    api("POST", "/stations", {
      name: field(form, "name"), operation: field(form, "operation"),
      scan_mode: field(form, "scan_mode"), description: field(form, "description"),
    }));
  if (!made) return;
  form.reset();
  $("#new-station").hidden = true;
  showToken(made.name, made.token);
  load();
}

hideByRole(can);
$("#btn-new").addEventListener("click", openNew);
$("#station-form").addEventListener("submit", create);
load();
setInterval(load, 15_000);  // health changes as agents come and go
