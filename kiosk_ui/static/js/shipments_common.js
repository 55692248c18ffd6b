// Shared by the shipment pages: status words and badges.
import { el, t } from "./common.js";

const STATUS = () => ({ open: t("open"), shipped: t("shipped"), cancelled: t("cancelled") });
const BADGE = { open: "badge-in_progress", shipped: "badge-done", cancelled: "badge-cancelled" };

/** A shipment status in the page's language. */
export function shipmentStatus(status) { return STATUS()[status] || status; }

/** A badge for a shipment status. */
export function statusBadge(status) {
  return el("span", { class: `badge ${BADGE[status] || ""}` }, shipmentStatus(status));
}

/** A link to a shipment's page. */
export function shipmentLink(number) {
  return el("a", { href: `/shipments/${encodeURIComponent(number)}`, class: "mono" }, number);
}
