// One station: health, enable/disable (supervisor), rotate its token (admin), resend dead letters.
import { $, api, ago, can, el, fill, t, toast } from "./common.js";
import { enabledBadge, healthCell, hideByRole, modeWords, submitting } from "./setup_forms.js";
import { showToken } from "./setup_token.js";

const name = document.body.dataset.station;
const path = `/stations/${encodeURIComponent(name)}`;
let station = null;

function fact(label, value) {
  return el("div", {}, el("span", {}, label), el("b", {}, value));
}

function deadCount(s) {
  return ((s.health || {}).dead_letters || {}).count || 0;
}

function show(s) {
  station = s;
  fill($("#station-enabled"), enabledBadge(s));
  fill($("#station-health"), healthCell(s));
  fill($("#station-facts"),
    fact(t("Operation"), `${s.operation} — ${s.operation_name}`),
    fact(t("Scan mode"), modeWords(s.scan_mode)),
    fact(t("Last seen"), s.last_seen_at ? ago(s.last_seen_at) : t("never")),
    fact(t("Outbox"), s.outbox_depth ?? "?"),
    fact(t("Machines"), s.machines.join(", ") || "—"),
    s.description ? fact(t("Description"), s.description) : null);
  $("#enabled-text").textContent = s.enabled
    ? t("Scans are accepted here. Disabling refuses them with \"station disabled\".")
    : t("Scans are refused here with \"station disabled\" until it is enabled.");
  $("#btn-enable").textContent = s.enabled ? t("Disable station") : t("Enable station");
  $("#btn-enable").className = s.enabled ? "btn btn-warn" : "btn btn-primary";
  const dead = deadCount(s);
  $("#dead-text").textContent = dead
    ? t("The agent holds {n} scans the server refused for their time.", { n: dead })
    : t("The agent reports no dead letters.");
  for (const alert of s.alerts || []) $("#dead-text").append(el("br"), alert.message || "");
}

async function load() {
  try { show(await api("GET", path)); } catch (err) { toast(err.message, "bad"); }
}

async function toggleEnabled() {
  const body = { enabled: !station.enabled, reason: $("#enable-reason").value };
  const s = await submitting($("#btn-enable"), $("#enable-error"), () => api("PATCH", path, body));
  if (s) { $("#enable-reason").value = ""; show(s); }
}

async function resend() {
  const order = await submitting($("#btn-resend"), $("#dead-error"), () => api("POST", `${path}/dead-letters/resend`));
  if (!order) return;
  $("#dead-done").textContent = order.online
    ? t("Asked the agent to resend its dead letters.")
    : t("The station is offline; the agent is asked when it next connects.");
}

async function rotate() {
  const made = await submitting($("#btn-rotate-now"), $("#rotate-error"), () => api("POST", `${path}/token`));
  if (!made) return;
  $("#rotate-confirm").hidden = true;
  showToken(made.station, made.token);
  load();
}

// The stage this station serves: the stages API says which stations serve each stage. Moving
// the station takes it off its old stage first (a station serves at most one stage).
let stages = [];
function stageOf() {
  return stages.find((s) => s.stations.includes(name)) || null;
}

async function loadStages() {
  try { stages = await api("GET", "/stages"); } catch (err) { toast(err.message, "bad"); return; }
  const now = stageOf();
  $("#stage-text").textContent = now
    ? t("This station serves the stage {stage}: jobs of that stage are received here.", { stage: `${now.code} — ${now.name}` })
    : t("This station serves no production stage.");
  fill($("#station-stage"), el("option", { value: "" }, t("No stage")),
    stages.filter((s) => !s.archived || s === now).map((s) => el("option", { value: s.code }, `${s.code} — ${s.name}`)));
  $("#station-stage").value = now ? now.code : "";
}

async function saveStage() {
  const now = stageOf();
  const chosen = $("#station-stage").value;
  if ((now ? now.code : "") === chosen) return;
  const target = stages.find((s) => s.code === chosen);
  const done = await submitting($("#btn-stage"), $("#stage-error"), async () => {
    if (now) await api("PATCH", `/stages/${encodeURIComponent(now.code)}`, { stations: now.stations.filter((n) => n !== name) });
    if (target) await api("PATCH", `/stages/${encodeURIComponent(target.code)}`, { stations: [...target.stations, name] });
    return true;
  });
  await loadStages();
  if (done) toast(t("Stage saved."), "good");
}

hideByRole(can);
$("#btn-stage").addEventListener("click", saveStage);
loadStages();
for (const node of [$("#btn-enable"), $("#btn-resend")]) node.hidden = !can("supervisor");
$("#btn-enable").addEventListener("click", toggleEnabled);
$("#btn-resend").addEventListener("click", resend);
$("#btn-rotate").addEventListener("click", () => { $("#rotate-confirm").hidden = false; });
$("#btn-rotate-cancel").addEventListener("click", () => { $("#rotate-confirm").hidden = true; });
$("#btn-rotate-now").addEventListener("click", rotate);
load();
setInterval(load, 15_000);
