// The production list: views as tabs, stage filter, search, summary, stage x status chart, pages.
// The filter lives in the URL (?view=&stage=&q=&page=&per_page=), so reload and back keep it.
// Chart.js is loaded as a classic script (its ES build has bare imports): window.Chart.
import { $, api, can, el, fill, newestOnly, t, toast } from "./common.js";
import { emptyRow, hideByRole } from "./setup_forms.js";
import { grams, jobBadge, jobLink, jobStatusWord, kindWord, percent } from "./jobs_common.js";

const VIEWS = ["all", "ongoing", "completed", "unscheduled", "scheduled"];
const STATUSES = ["open", "in_progress", "completed", "cancelled"];
const COLORS = { open: "#94a3b8", in_progress: "#0b5fff", completed: "#16a34a", cancelled: "#dc2626" };
const filter = $("#job-filter");
let chart = null;

function readState() {
  const query = new URLSearchParams(location.search);
  const view = VIEWS.includes(query.get("view")) ? query.get("view") : "all";
  const page = Math.max(1, Number.parseInt(query.get("page"), 10) || 1);
  const asked = Number.parseInt(query.get("per_page"), 10);
  const perPage = asked >= 1 && asked <= 500 ? String(asked) : "50";  // the API's bounds
  return { view, stage: query.get("stage") || "", q: (query.get("q") || "").slice(0, 100), page, perPage };
}

let state = readState();

/** The filter as query parameters (defaults left out, so the URL stays short). */
function filterParams({ paging = false } = {}) {
  const params = new URLSearchParams();
  if (state.view !== "all") params.set("view", state.view);
  if (state.stage) params.set("stage", state.stage);
  if (state.q.trim()) params.set("q", state.q.trim());
  if (paging && state.page > 1) params.set("page", String(state.page));
  if (paging && state.perPage !== "50") params.set("per_page", state.perPage);
  return params;
}

function remember() {
  const query = filterParams({ paging: true }).toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  const csv = filterParams().toString();
  $("#jobs-csv").href = `/api/v1/jobs.csv${csv ? `?${csv}` : ""}`;
  for (const tab of document.querySelectorAll("#job-tabs [data-view]")) {
    const params = filterParams();
    if (tab.dataset.view === "all") params.delete("view"); else params.set("view", tab.dataset.view);
    tab.href = `?${params}`;
    tab.setAttribute("aria-current", tab.dataset.view === state.view ? "page" : "false");
  }
}

function staff(job) {
  return job.staff ? job.staff.name || job.staff.username : "—";
}

function row(job) {
  return el("tr", { dataset: { job: job.number, status: job.status } },
    el("td", {}, jobLink(job.number)),
    el("td", {}, job.stage.name),
    el("td", {}, el("span", { class: "mono" }, job.product || "—"), job.product_name ? el("div", { class: "muted small" }, job.product_name) : null),
    el("td", {}, staff(job)),
    el("td", {}, jobBadge(job.status)),
    el("td", {}, job.issued_type ? job.issued_type.split(", ").map(kindWord).join(", ") : "—"),
    el("td", {}, job.shape || "—"),
    el("td", {}, job.size || "—"),
    el("td", { class: "num" }, grams(job.issued_weight)));
}

function filtered() {
  return Boolean(state.view !== "all" || state.stage || state.q.trim());
}

function showPage(data) {
  fill($("#job-rows"), data.jobs.length ? data.jobs.map(row)
    : emptyRow(9, data.total || filtered() ? t("No jobs match") : t("No jobs yet")));
  fill($("#page-info"), t("Page {page} of {pages}", { page: data.page, pages: data.pages }));
  $("#page-prev").disabled = data.page <= 1;
  $("#page-next").disabled = data.page >= data.pages;
  $("#pager").dataset.total = String(data.total);
}

function overviewTable(stages, statuses, counts) {
  const table = $("#overview-table");
  fill(table.querySelector("thead"), el("tr", {}, el("th", { scope: "col" }, t("Stage")),
    statuses.map((s) => el("th", { scope: "col", class: "num" }, jobStatusWord(s))),
    el("th", { scope: "col", class: "num" }, t("Total"))));
  fill(table.querySelector("tbody"), stages.length ? stages.map(([code, name]) => el("tr", { dataset: { stage: code } },
    el("th", { scope: "row" }, name),
    statuses.map((s) => el("td", { class: "num", dataset: { status: s } }, counts[code][s] || 0)),
    el("td", { class: "num", dataset: { status: "total" } }, statuses.reduce((n, s) => n + (counts[code][s] || 0), 0))))
    : emptyRow(statuses.length + 2, filtered() ? t("No jobs match") : t("No jobs yet")));
}

function drawOverview(overview) {
  const stages = [];
  const counts = {};
  for (const r of overview) {
    if (!counts[r.stage]) { counts[r.stage] = {}; stages.push([r.stage, r.name]); }
    counts[r.stage][r.status] = r.count;
  }
  const statuses = STATUSES.filter((s) => s !== "cancelled" || overview.some((r) => r.status === s));
  overviewTable(stages, statuses, counts);
  if (!window.Chart) return;
  $(".overview-chart").style.height = `${90 + 44 * Math.max(1, stages.length)}px`;  // a bar a stage
  const data = { labels: stages.map(([, name]) => name), datasets: statuses.map((s) => ({
    label: jobStatusWord(s), status: s, backgroundColor: COLORS[s],
    data: stages.map(([code]) => counts[code][s] || 0) })) };
  if (chart) { chart.data = data; chart.update(); return; }
  chart = new window.Chart($("#overview-chart"), {
    type: "bar", data,
    options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: "y",
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t("Jobs") } },
        y: { stacked: true } },
      plugins: { legend: { position: "bottom" } } },
  });
}

function showSummary(sum) {
  for (const tab of document.querySelectorAll("#job-tabs [data-view]")) {
    fill(tab.querySelector(".tab-count"), String(sum.counts[tab.dataset.view]));
  }
  fill($("#sum-jobs"), String(sum.jobs));
  fill($("#sum-issued"), grams(sum.issued_weight));
  fill($("#sum-pending"), grams(sum.pending_weight));
  fill($("#sum-loss"), percent(sum.loss_rate));
  drawOverview(sum.overview);
}

const fetchAll = newestOnly(() => Promise.all([
  api("GET", `/jobs?${filterParams()}&page=${state.page}&per_page=${state.perPage}`),
  api("GET", `/jobs/summary?${filterParams()}`)]));

async function load() {
  remember();
  try {
    const [page, sum] = await fetchAll();
    if (page.page > page.pages) { state.page = page.pages; load(); return; }  // an old link past the end
    showPage(page);
    showSummary(sum);
  } catch (err) { toast(err.message, "bad"); }
}

function change(patch) {
  state = { ...state, page: 1, ...patch };
  load();
}

async function fillStages() {
  const select = filter.elements.namedItem("stage");
  const stages = await api("GET", "/stages");
  fill(select, select.querySelector("option[value='']"),
    stages.map((s) => el("option", { value: s.code }, s.archived ? t("{name} (archived)", { name: s.name }) : s.name)));
  select.value = state.stage;
}

let timer = null;
filter.elements.namedItem("q").value = state.q;
filter.elements.namedItem("q").addEventListener("input", (event) => {
  clearTimeout(timer);
  timer = setTimeout(() => change({ q: event.target.value }), 300);
});
filter.elements.namedItem("stage").addEventListener("change", (event) => change({ stage: event.target.value }));
filter.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  change({ q: filter.elements.namedItem("q").value });
});
for (const tab of document.querySelectorAll("#job-tabs [data-view]")) {
  tab.addEventListener("click", (event) => { event.preventDefault(); change({ view: tab.dataset.view }); });
}
$("#page-prev").addEventListener("click", () => { state.page -= 1; load(); });
$("#page-next").addEventListener("click", () => { state.page += 1; load(); });
if (![...$("#per-page").options].some((o) => o.value === state.perPage)) {
  $("#per-page").append(el("option", { value: state.perPage }, state.perPage));  // a link's own size
}
$("#per-page").value = state.perPage;
$("#per-page").addEventListener("change", (event) => change({ perPage: event.target.value }));
window.addEventListener("popstate", () => { state = readState(); load(); });
hideByRole(can);
fillStages().catch((err) => toast(err.message, "bad"));
load();
