// Shared by the plant setup pages: show the API's refusal in a form, read form fields.
import { el, fill, t } from "./common.js";

/** Show an API error (its message and any field errors) in a form's error box. */
export function showError(box, err) {
  const fields = (err.detail && err.detail.errors) || [];
  fill(box, el("span", { class: "error-message" }, err.message || t("The request failed")),
    fields.length ? el("ul", { class: "field-errors" },
      fields.map((f) => el("li", {}, f.field ? `${fieldName(f.field)}: ${f.message}` : f.message))) : null);
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** Name a refused field as a person reads it: "lines.0.quantity" is "line 1 · quantity". */
export function fieldName(path) {
  return path.split(".").map((part, i, all) => (/^\d+$/.test(part)
    ? t("line {n}", { n: Number(part) + 1 }) : (/^\d+$/.test(all[i + 1] || "") ? null : part)))
    .filter(Boolean).join(" · ");
}

/** Run an async action with its button disabled; show a refusal in box. */
export async function submitting(button, box, action) {
  clearError(box);
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (err) {
    showError(box, err);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** The trimmed value of a named field in form. */
export function field(form, name) {
  return form.elements.namedItem(name).value.trim();
}

/** Hide controls that need a role the user lacks (the API refuses them anyway). */
export function hideByRole(can) {
  for (const node of document.querySelectorAll("[data-needs]")) node.hidden = !can(node.dataset.needs);
}

/** Words for the order statuses, in the order they come. */
export function statusWord(status) {
  return {
    estimate: t("Estimate"), confirmed: t("Confirmed"), in_production: t("In production"),
    shipped: t("Shipped"), cancelled: t("Cancelled"),
  }[status] || status;
}

/** A table cell that says "nothing here" across cols columns. */
export function emptyRow(cols, text) {
  return el("tr", {}, el("td", { colspan: cols, class: "muted" }, text));
}

// Stations, in words and badges (the list and the station page).
export function healthCell(station) {
  return el("span", { class: `health health-${station.online ? "online" : "offline"}` },
    station.online ? t("Online") : t("Offline"));
}

export function enabledBadge(station) {
  return el("span", { class: `badge badge-${station.enabled ? "enabled" : "disabled"}` },
    station.enabled ? t("Enabled") : t("Disabled"));
}

export function modeWords(mode) {
  return mode === "toggle" ? t("Start and complete") : t("Complete");
}
