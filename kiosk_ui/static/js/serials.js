// The serials list: search by code, item or SKU, filter by status, page on.
import { $, api, dateTimeOf, el, fill, newestOnly, t, toast } from "./common.js";
import { serialStatusWord } from "./completion_words.js";
import { emptyRow } from "./setup_forms.js";

let page = 1;

function row(s) {
  return el("tr", { dataset: { serial: s.code } },
    el("td", {}, el("a", { class: "mono serial-link", href: `/serials/${encodeURIComponent(s.code)}` }, s.code)),
    el("td", {}, `${s.item} — ${s.item_name}`),
    el("td", {}, el("span", { class: `badge badge-serial-${s.status}` }, serialStatusWord(s.status))),
    el("td", {}, s.location ? (s.bin ? `${s.location} / ${s.bin}` : s.location) : "—"),
    el("td", {}, dateTimeOf(s.completed_at)));
}

const load = newestOnly((query) => api("GET", `/serials?${query}`));

async function show(more = false) {
  page = more ? page + 1 : 1;
  const query = new URLSearchParams({ q: $("#serial-q").value.trim(), status: $("#serial-status").value, page: String(page) });
  const answer = await load(query.toString());
  if (!answer) return; // a newer search answered first
  const rows = answer.serials.map(row);
  if (more) $("#serial-rows").append(...rows);
  else fill($("#serial-rows"), rows.length ? rows : emptyRow(5, t("No serials found")));
  $("#serial-total").textContent = t("{count} serials", { count: answer.total });
  $("#serial-more").hidden = answer.page * answer.page_size >= answer.total;
}

const again = () => show().catch((err) => toast(err.message, "bad"));
$("#serial-q").addEventListener("input", again);
$("#serial-status").addEventListener("change", again);
$("#serial-filters").addEventListener("submit", (e) => { e.preventDefault(); again(); });
$("#serial-more").addEventListener("click", () => show(true).catch((err) => toast(err.message, "bad")));
again();
