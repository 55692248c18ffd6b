// Items: list with their current routing, add a new item (its routing is set on its page).
import { $, api, el, fill, t } from "./common.js";
import { showError, values } from "./setup_form.js";

const KINDS = JSON.parse($("#kind-names").textContent);

async function load() {
  const items = await api("GET", "/items");
  fill($("#item-rows"), items.map((item) => el("tr", { dataset: { sku: item.sku } },
    el("td", {}, el("a", { class: "mono", href: `/setup/items/${encodeURIComponent(item.sku)}` }, item.sku)),
    el("td", {}, item.name),
    el("td", {}, KINDS[item.kind] || item.kind),
    el("td", {}, item.unit),
    el("td", { class: "mono small" }, item.routing.map((s) => s.operation).join(" → ") || "—"),
    el("td", {}, el("span", { class: `badge ${item.archived ? "badge-cancelled" : "badge-completed"}` },
      item.archived ? t("Archived") : t("Active"))))));
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const item = await api("POST", "/items", values(form));
    location.href = `/setup/items/${encodeURIComponent(item.sku)}`;
  } catch (err) { showError(form, err); }
}

$("#item-form").addEventListener("submit", create);
load();
