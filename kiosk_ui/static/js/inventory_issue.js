// Issue material: choose an available lot and issue it (or part of it) to a run or batch.
import { $, api, el, fill, t } from "./common.js";
import { issueForm, lotLink } from "./inventory_common.js";

const form = $("#issue-form");

async function loadLots() {
  const lots = await api("GET", "/lots?status=available");
  fill(form.elements.namedItem("lot"), lots.map((lot) => el("option", { value: lot.number },
    `${lot.number} · ${lot.item} · ${lot.on_hand} ${lot.unit} · ${lot.location} ${lot.bin}`.trim())));
}

issueForm(form, (after, target) => {
  $("#issued").prepend(el("li", {}, lotLink(after.number), " → ", el("span", { class: "mono" }, target.code),
    " · ", t("{qty} {unit} left", { qty: after.on_hand, unit: after.unit })));
  loadLots();
});
loadLots();
