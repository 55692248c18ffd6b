// Production stages: list in order, add, rename, move up/down, archive/restore, and choose the
// stations serving each. The API refuses a station that serves another stage; shown as is.
import { $, api, el, fill, t } from "./common.js";
import { clearErrors, messageOf, showBoxError, showError, values } from "./setup_form.js";

let stages = [];
let stations = [];
let editing = null;

async function load() {
  [stages, stations] = await Promise.all([api("GET", "/stages"), api("GET", "/stations")]);
  const last = stages.length - 1;
  fill($("#stage-rows"), stages.length ? stages.map((s, i) => row(s, i, last))
    : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("No stages yet.")))]);
}

function row(s, i, last) {
  return el("tr", { dataset: { code: s.code } },
    el("td", { class: "stage-pos" }, String(i + 1)),
    el("td", { class: "mono" }, s.code),
    el("td", { class: "stage-name" }, s.name),
    el("td", { class: "stage-served" }, s.stations.join(", ") || "—"),
    el("td", {}, el("span", { class: `badge ${s.archived ? "badge-cancelled" : "badge-completed"}` },
      s.archived ? t("Archived") : t("Active"))),
    el("td", { class: "actions" },
      el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Move {stage} up", { stage: s.code }), disabled: i === 0, onclick: () => move(i, -1) }, "↑"),
      el("button", { type: "button", class: "btn btn-ghost", "aria-label": t("Move {stage} down", { stage: s.code }), disabled: i === last, onclick: () => move(i, 1) }, "↓"),
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => openEdit(s) }, t("Edit")),
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => setArchived(s, !s.archived) },
        s.archived ? t("Restore") : t("Archive"))));
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await api("POST", "/stages", values(form));
    form.reset();
    clearErrors(form);
    await load();
  } catch (err) { showError(form, err); }
}

// Who serves which stage, so a box can say which other stage a station is already at.
function servingOf() {
  const of = {};
  for (const s of stages) for (const name of s.stations) of[name] = s.code;
  return of;
}

function openEdit(s) {
  editing = s.code;
  const form = $("#stage-edit-form");
  clearErrors(form);
  $("#stage-edit-code").textContent = s.code;
  form.elements.name.value = s.name;
  const of = servingOf();
  fill($("#stage-station-boxes"), stations.length ? stations.map((st) => el("label", { class: "check stage-station" },
    el("input", { type: "checkbox", value: st.name, checked: of[st.name] === s.code }),
    " ", el("span", { class: "mono" }, st.name),
    of[st.name] && of[st.name] !== s.code
      ? el("span", { class: "muted small" }, " ", t("(serves {stage})", { stage: of[st.name] })) : null))
    : [el("p", { class: "muted" }, t("No stations yet."))]);
  $("#stage-edit").hidden = false;
  form.elements.name.focus();
}

async function saveEdit(event) {
  event.preventDefault();
  const form = event.target;
  const chosen = [...form.querySelectorAll(".stage-station input:checked")].map((box) => box.value);
  try {
    await api("PATCH", `/stages/${encodeURIComponent(editing)}`, { name: values(form).name, stations: chosen });
    $("#stage-edit").hidden = true;
    await load();
  } catch (err) {
    // stations[i] names one box: the refusal belongs to the stations fieldset.
    if (err.code === "station_has_stage" || err.code === "unknown_station") {
      clearErrors(form);
      const slot = form.querySelector('[data-error-for="stations"]');
      slot.textContent = err.code === "station_has_stage"
        ? t("Station {station} already serves stage {stage}. Remove it there first: a station serves at most one stage.",
          { station: err.detail.station, stage: err.detail.stage })
        : messageOf(err);
      slot.hidden = false;
    } else showError(form, err);
  }
}

// Number the stages 1..n in the new order, writing only those whose position changes.
async function move(i, by) {
  $("#stage-list-error").hidden = true;
  const order = [...stages];
  [order[i], order[i + by]] = [order[i + by], order[i]];
  try {
    for (const [n, s] of order.entries()) {
      if (s.position !== n + 1) await api("PATCH", `/stages/${encodeURIComponent(s.code)}`, { position: n + 1 });
    }
    await load();
  } catch (err) { showBoxError($("#stage-list-error"), err); }
}

async function setArchived(s, archived) {
  $("#stage-list-error").hidden = true;
  try {
    await api("PATCH", `/stages/${encodeURIComponent(s.code)}`, { archived });
    await load();
  } catch (err) { showBoxError($("#stage-list-error"), err); }
}

$("#stage-form").addEventListener("submit", create);
$("#stage-edit-form").addEventListener("submit", saveEdit);
$("#stage-edit-cancel").addEventListener("click", () => { $("#stage-edit").hidden = true; });
load().catch((err) => showBoxError($("#stage-list-error"), err));
