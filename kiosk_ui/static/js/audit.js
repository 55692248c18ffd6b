// The audit trail: entries newest first (filter by entity and key), and "Verify chain".
import { $, api, can, dateTimeOf, el, fill, t } from "./common.js";

const PER_PAGE = 50;
const PROBLEMS = {
  "content changed": () => t("its content was changed after it was written"),
  "link broken": () => t("it no longer follows the entry before it (that one was rewritten)"),
  "entry missing": () => t("entries before it are missing"),
  "out of order": () => t("it is out of its place in the chain"),
};
let page = 1;

function filters() {
  const form = $("#audit-filter");
  return { entity_type: form.entity_type.value.trim(), key: form.key.value.trim() };
}

function row(e) {
  const changes = JSON.stringify(e.changes);
  return el("tr", { dataset: { seq: e.seq } },
    el("td", { class: "num mono" }, e.seq), el("td", { class: "mono" }, dateTimeOf(e.at)),
    el("td", {}, e.actor), el("td", { class: "mono" }, e.action), el("td", {}, e.entity_type),
    el("td", { class: "mono" }, e.entity_key), el("td", {}, e.reason || "—"),
    el("td", { class: "changes mono" }, changes === "{}" ? "—" : changes),
    el("td", { class: "hash mono", title: e.hash || "" }, (e.hash || "").slice(0, 12)));
}

async function load() {
  const query = new URLSearchParams({ ...filters(), page, per_page: PER_PAGE });
  const error = $("#audit-error");
  try {
    const answer = await api("GET", `/audit?${query}`);
    error.hidden = true;
    fill($("#audit-rows"), answer.entries.length ? answer.entries.map(row)
      : el("tr", {}, el("td", { colspan: 9, class: "muted" }, t("No entries"))));
    fill($("#page-info"), t("Page {page} of {pages} · {total} entries", answer));
    $("#page-prev").disabled = page <= 1;
    $("#page-next").disabled = page >= answer.pages;
  } catch (err) {
    fill(error, err.message);
    error.hidden = false;
  }
}

function detail(broken) {
  const pairs = [[t("Entry"), `${broken.id} (${t("no.")} ${broken.seq})`],
    [t("Time"), dateTimeOf(broken.at)], [t("Who"), broken.actor], [t("Action"), broken.action],
    [t("Entity"), `${broken.entity_type} ${broken.entity_key}`], [t("Detail"), broken.detail]];
  return pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]);
}

async function verify() {
  const button = $("#verify");
  button.disabled = true;
  const box = $("#verdict");
  try {
    const v = await api("GET", "/audit/verify");
    box.className = `card verdict ${v.ok ? "ok" : "bad"}`;
    fill($("#verdict-title"), v.ok ? t("Audit chain OK") : t("Audit chain broken"));
    const why = v.broken ? (PROBLEMS[v.broken.problem] || (() => v.broken.problem))() : "";
    const waiting = v.pending ? " " + t("{pending} more are waiting to be sealed.", v) : "";
    fill($("#verdict-text"), v.ok ? t("{count} entries verified; the last hash is {head}.", v) + waiting
      : t("The first broken entry is {id}: {why}. The {count} entries before it verify.",
        { id: v.broken.id, why, count: v.count }));
    const entry = $("#verdict-entry");
    entry.hidden = !v.broken;
    fill(entry, v.broken ? detail(v.broken) : []);
  } catch (err) {
    box.className = "card verdict bad";
    fill($("#verdict-title"), t("Audit chain broken"));
    fill($("#verdict-text"), err.message);
  } finally {
    box.hidden = false;
    button.disabled = false;
  }
}

$("#audit-filter").addEventListener("submit", (event) => { event.preventDefault(); page = 1; load(); });
$("#page-prev").addEventListener("click", () => { page -= 1; load(); });
$("#page-next").addEventListener("click", () => { page += 1; load(); });
const params = new URLSearchParams(location.search);
$("#audit-filter").entity_type.value = params.get("entity_type") || "";
$("#audit-filter").key.value = params.get("key") || "";
if (can("admin")) $("#verify").addEventListener("click", verify);
else { $("#verify").hidden = true; $("#verify-needs-admin").hidden = false; }
load();
