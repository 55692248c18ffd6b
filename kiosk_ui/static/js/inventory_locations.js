// Locations: warehouses and their locations; planners add either.
import { $, api, can, el, fill, t, toast } from "./common.js";
import { emptyRow, field, hideByRole, submitting } from "./setup_forms.js";

async function load() {
  try {
    const [warehouses, locations] = await Promise.all([api("GET", "/warehouses"), api("GET", "/locations")]);
    fill($("#warehouse-rows"), warehouses.length ? warehouses.map((w) => el("tr", {},
      el("td", { class: "mono" }, w.code), el("td", {}, w.name), el("td", { class: "num" }, w.locations)))
      : emptyRow(3, t("No warehouses yet")));
    fill($("#location-rows"), locations.length ? locations.map((loc) => el("tr", { dataset: { location: loc.code } },
      el("td", { class: "mono" }, loc.code), el("td", {}, loc.name), el("td", { class: "mono" }, loc.warehouse)))
      : emptyRow(3, t("No locations yet")));
    fill($("#location-form").elements.namedItem("warehouse"),
      warehouses.map((w) => el("option", { value: w.code }, `${w.code} · ${w.name}`)));
  } catch (err) { toast(err.message, "bad"); }
}

function creating(formId, errorId, path, names, done) {
  $(formId).addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = Object.fromEntries(names.map((n) => [n, field(form, n)]));
    const made = await submitting(form.querySelector("[type=submit]"), $(errorId), () => api("POST", path, body));
    if (made) { form.reset(); toast(done, "ok"); load(); }
  });
}

creating("#warehouse-form", "#warehouse-error", "/warehouses", ["code", "name"], t("Warehouse added"));
creating("#location-form", "#location-error", "/locations", ["warehouse", "code", "name"], t("Location added"));
hideByRole(can);
load();
