// Setup forms: read fields, and show the API's refusal next to the field it names, or in
// the form. The API is the authority on what is valid; the browser only relays its answer.
import { t } from "./common.js";

// Words for the refusals a setup page can meet; anything else shows the API's own message.
function known(code) {
  switch (code) {
    case "duplicate_operation": return t("An operation with this code already exists.");
    case "duplicate_sku": return t("An item with this SKU already exists.");
    case "duplicate_machine": return t("A machine with this code already exists.");
    case "operation_in_use": return t("This operation is in a current routing or at a station; it cannot be archived.");
    case "archived_operation": return t("An archived operation cannot be added to a routing.");
    case "archived_item": return t("This item is archived.");
    case "unit_in_use": return t("The unit of an item with batches cannot change.");
    case "unknown_station": return t("There is no such station.");
    case "invalid_cost": return t("The standard cost cannot be negative.");
    case "invalid_quantity": return t("Enter an amount of 0 or more, as digits with an optional point.");
    case "forbidden": return t("You are not allowed to make this change.");
    default: return null;
  }
}

/** The text to show for an API error. */
export function messageOf(err) {
  return known(err && err.code) || (err && err.message) || t("Something went wrong.");
}

/** Hide every error a form shows. */
export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, .form-error")) { node.hidden = true; node.textContent = ""; }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Show err: each field's validation message beside it, anything else in the form. */
export function showError(form, err) {
  clearErrors(form);
  let placed = false;
  const fields = (err && err.detail && err.detail.errors) || [];
  for (const { field, message } of fields) {
    const name = String(field || "").split(".")[0];
    const slot = name && form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) continue;
    slot.textContent = known(err.code) || message;
    slot.hidden = false;
    form.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute("aria-invalid", "true");
    placed = true;
  }
  if (!placed) {
    const box = form.querySelector(".form-error");
    if (box) { box.textContent = messageOf(err); box.hidden = false; }
  }
}

/** Show err in a standalone error box (list actions that have no form). */
export function showBoxError(box, err) {
  box.textContent = messageOf(err);
  box.hidden = false;
}

/** The form's named fields as an object: trimmed text, checkboxes as booleans. */
export function values(form) {
  const out = {};
  for (const input of form.querySelectorAll("[name]")) {
    out[input.name] = input.type === "checkbox" ? input.checked : input.value.trim();
  }
  return out;
}

/** Show the elements a role may use (data-needs) and the notes for those who may not. */
export function gate(can) {
  for (const node of document.querySelectorAll("[data-needs]")) node.hidden = !can(node.dataset.needs);
  for (const node of document.querySelectorAll("[data-unless]")) node.hidden = can(node.dataset.unless);
}
