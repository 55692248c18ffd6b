// Shared by the inventory pages: lot status words, lot links, location choices, the issue form.
import { $, api, el, fill, t, toast } from "./common.js";
import { field, submitting } from "./setup_forms.js";

/** Words for a lot's status. */
export function lotStatusWord(status) {
  return {
    available: t("Available"), quarantined: t("Quarantined"), consumed: t("Consumed"),
    shipped: t("Shipped"), archived: t("Archived"),
  }[status] || status;
}

export function lotBadge(status) {
  return el("span", { class: `badge lot-${status}` }, lotStatusWord(status));
}

/** A link to a lot's page (supplier numbers may hold a slash: each part is encoded). */
export function lotLink(number) {
  const path = number.split("/").map(encodeURIComponent).join("/");
  return el("a", { href: `/inventory/lots/${path}`, class: "lot-link mono" }, number);
}

export function lotPath(number) {
  return `/lots/${number.split("/").map(encodeURIComponent).join("/")}`;
}

/** Fill select elements with the plant's locations ("RAW · Main store"). */
export async function fillLocations(selects, { any = false } = {}) {
  const locations = await api("GET", "/locations");
  for (const select of selects) {
    const keep = select.querySelector("option[value='']");
    fill(select, any && keep ? keep : null, locations.map((loc) =>
      el("option", { value: loc.code }, `${loc.code} · ${loc.name} (${loc.warehouse})`)));
  }
  return locations;
}

/** The body of a quantity field: absent when empty (all on hand), with its unit if given. */
export function quantityBody(form) {
  const body = {};
  const qty = field(form, "quantity");
  if (qty) body.quantity = qty;
  const unit = form.elements.namedItem("unit") ? field(form, "unit") : "";
  if (unit) body.unit = unit;
  return body;
}

/** Wire the issue form: POST /lots/<lot>/issue, then call onIssued(lot after, target). */
export function issueForm(form, onIssued) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lot = field(form, "lot");
    const target = { kind: field(form, "kind"), code: field(form, "code") };
    const after = await submitting(form.querySelector("[type=submit]"), $("#issue-error"), () =>
      api("POST", `${lotPath(lot)}/issue`, { target, ...quantityBody(form) }));
    if (after) {
      toast(t("Issued from {lot} to {code}", { lot, code: target.code }), "ok");
      form.elements.namedItem("quantity").value = "";
      onIssued(after, target);
    }
  });
}
