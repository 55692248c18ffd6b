// A report page: ask the JSON API for the range, fill the table(s) and draw the chart.
// Chart.js is loaded as a classic script (its ES build has bare imports): window.Chart.
import { $, api, batchLink, el, fill, t, words } from "./common.js";

const NAME = document.body.dataset.report;
const COLORS = ["#0b5fff", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#64748b"];
const ERRORS = {
  invalid_date: () => t("A date is not valid; pick it again."),
  invalid_range: () => t("Pick a start on or before the end, at most 366 days apart."),
  forbidden: () => t("Reports need the supervisor role."),
  unauthorized: () => t("Your session has ended; log in again."),
};
let chart = null;

function seconds(value) {
  const s = Number(value);
  if (s < 60) return t("{n} s", { n: s.toFixed(1) });
  if (s < 3600) return t("{m} min {s} s", { m: Math.floor(s / 60), s: Math.round(s % 60) });
  return t("{h} h {m} min", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

const KINDS = {
  rate: (v) => `${(Number(v) * 100).toFixed(2)} %`,
  seconds,
  age: seconds,
  batch: (v) => batchLink(v),
  state: (v) => el("span", { class: `badge badge-${v}` }, t(words(v))),
  kind: (v) => ({ hold: t("Hold"), scrap: t("Scrap"), quantities: t("Quantities recorded") }[v] || v),
};

/** Fill a table's body: one cell per header cell, by its data-key and data-kind. */
function fillTable(table, rows) {
  const heads = [...table.querySelectorAll("thead th")];
  fill(table.querySelector("tbody"), rows.map((row) => el("tr", {}, heads.map((th) => {
    const value = row[th.dataset.key];
    const show = KINDS[th.dataset.kind];
    const text = value === null || value === undefined || value === "" ? "—" : show ? show(value) : value;
    return el("td", { class: th.className || null }, text);
  }))));
}

function unique(values) { return [...new Set(values)]; }

function datasets(groups, valueOf, rows, labels, labelOf) {
  return groups.map((group, i) => ({
    label: group, backgroundColor: COLORS[i % COLORS.length],
    data: labels.map((label) => rows.filter((r) => labelOf(r) === label && valueOf(r, group) !== null)
      .reduce((sum, r) => sum + valueOf(r, group), 0)),
  }));
}

// What each report draws: chart type, labels and datasets from its rows.
const CHARTS = {
  output(rows) {
    const labelOf = (r) => `${r.day} ${r.shift}`;
    const labels = unique(rows.map(labelOf));
    const stations = unique(rows.map((r) => r.station));
    return { labels, stacked: true, y: t("Batches completed"),
      datasets: datasets(stations, (r, s) => (r.station === s ? r.batches : null), rows, labels, labelOf) };
  },
  "cycle-time"(rows) {
    const timed = rows.filter((r) => r.count > 0);
    return { labels: timed.map((r) => r.operation), y: t("Seconds"), datasets: [
      { label: t("Median"), backgroundColor: COLORS[0], data: timed.map((r) => Number(r.median_s)) },
      { label: t("p90"), backgroundColor: COLORS[2], data: timed.map((r) => Number(r.p90_s)) }] };
  },
  yield(rows) {
    const rated = rows.filter((r) => r.yield !== null);
    const pct = (key) => rated.map((r) => Number(r[key]) * 100);
    return { labels: rated.map((r) => `${r.item} · ${r.operation}`), y: t("Share of quantity in (%)"), datasets: [
      { label: t("Yield"), backgroundColor: COLORS[1], data: pct("yield") },
      { label: t("Rejected"), backgroundColor: COLORS[2], data: pct("reject_rate") },
      { label: t("Scrapped"), backgroundColor: COLORS[3], data: pct("scrap_rate") }] };
  },
  "wip-ageing"(rows) {
    const buckets = [["under_1h", t("Under 1 h")], ["1h_to_4h", t("1–4 h")], ["4h_to_24h", t("4–24 h")], ["over_24h", t("Over 24 h")]];
    return { labels: rows.map((r) => r.operation), stacked: true, y: t("Batches"),
      datasets: buckets.map(([key, label], i) => ({ label, backgroundColor: COLORS[[1, 0, 2, 3][i]], data: rows.map((r) => r[key]) })) };
  },
};

function draw(rows) {
  const spec = CHARTS[NAME](rows);
  if (chart) chart.destroy();
  chart = new window.Chart($("#chart"), {
    type: "bar",
    data: { labels: spec.labels, datasets: spec.datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { stacked: Boolean(spec.stacked) },
        y: { stacked: Boolean(spec.stacked), beginAtZero: true, title: { display: true, text: spec.y } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
}

function range() {
  const params = new URLSearchParams();
  for (const key of ["from", "to"]) {
    const input = $(`#${key}`);
    if (input && input.value) params.set(key, input.value);
  }
  return params;
}

function showError(err) {
  const box = $("#report-error");
  box.textContent = (ERRORS[err.code] || (() => t("The report could not be loaded.")))();
  box.hidden = false;
}

async function load(params) {
  $("#report-error").hidden = true;
  const query = params.toString() ? `?${params}` : "";
  try {
    const data = await api("GET", `/reports/${NAME}${query}`);
    if ($("#from")) { $("#from").value = data.from; $("#to").value = data.to; }
    const shown = NAME === "wip-ageing" ? "" : `?from=${data.from}&to=${data.to}`;
    $("#csv").href = `/reports/${NAME}.csv${shown}`;
    fillTable($("#report-table"), data.rows);
    $("#report-empty").hidden = data.rows.length > 0;
    draw(data.rows);
    if (data.oldest) fillTable($("#oldest-table"), data.oldest);
    if (NAME === "yield") {
      const reasons = await api("GET", `/reports/reasons${shown}`);
      fillTable($("#reasons-table"), reasons.rows);
      $("#reasons-csv").href = `/reports/reasons.csv${shown}`;
    }
  } catch (err) { showError(err); }
}

$("#range").addEventListener("submit", (event) => {
  event.preventDefault();
  const params = range();
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  load(params);
});

load(new URLSearchParams([...new URLSearchParams(location.search)].filter(([k]) => k === "from" || k === "to")));
