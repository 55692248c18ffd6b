// Efficiency per stage or per staff member on the production list (GET /jobs/stats): the five
// buckets in grams, yield and loss rates, on time against the staff deadline.
import { $, api, el, fill, t, toast } from "./common.js";
import { grams, percent } from "./jobs_common.js";

let by = "stage";

function onTime(row) {
  const judged = row.on_time + row.late;
  return judged ? `${percent(row.on_time_share)} (${row.on_time}/${judged})` : "—";
}

function rowOf(row) {
  const w = row.weight;
  const name = by === "staff" && row.key === "" ? t("Nobody assigned") : (row.name || row.key);
  return el("tr", { dataset: { key: row.key } },
    el("th", { scope: "row" }, name), el("td", { class: "num" }, String(row.jobs)),
    ...["issued", "received", "rejected", "scrapped", "waste", "pending"].map((b) => el("td", { class: "num mono" }, grams(w[b]))),
    ...[row.yield, row.rejection_rate, row.scrap_rate, row.waste_rate].map((r) => el("td", { class: "num" }, percent(r))),
    el("td", { class: "num" }, onTime(row)));
}

async function load() {
  const params = new URLSearchParams({ by });
  if ($("#eff-from").value) params.set("from", $("#eff-from").value);
  if ($("#eff-to").value) params.set("to", $("#eff-to").value);
  $("#eff-key").textContent = by === "staff" ? t("Staff") : t("Stage");
  for (const seg of document.querySelectorAll("#efficiency .seg")) seg.setAttribute("aria-pressed", String(seg.dataset.by === by));
  try {
    const stats = await api("GET", `/jobs/stats?${params}`);
    fill($("#efficiency-rows"), stats.rows.length ? stats.rows.map(rowOf)
      : el("tr", {}, el("td", { colspan: 13, class: "muted" }, t("No jobs issued in this range"))));
  } catch (err) { toast(t(err.message), "bad"); }
}

for (const seg of document.querySelectorAll("#efficiency .seg")) {
  seg.addEventListener("click", () => { by = seg.dataset.by; load(); });
}
$("#efficiency-range").addEventListener("change", load);
load();
