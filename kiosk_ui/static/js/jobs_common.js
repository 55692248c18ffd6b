// Shared by the job pages: status words and badges, links, amounts and rates in words.
import { el, pageLang, t } from "./common.js";

/** Words for a job's status. */
export function jobStatusWord(status) {
  return {
    open: t("open"), in_progress: t("in progress"), completed: t("completed"), cancelled: t("cancelled"),
  }[status] || status;
}

export function jobBadge(status) {
  return el("span", { class: `badge job-${status}` }, jobStatusWord(status));
}

export function jobLink(number, attrs = {}) {
  return el("a", { href: `/jobs/${encodeURIComponent(number)}`, class: "job-link mono", ...attrs }, number);
}

/** Words for the kinds of issued items (raw_material, semi_finished, ...). */
export function kindWord(kind) {
  return {
    raw_material: t("raw material"), semi_finished: t("semi-finished"), finished: t("finished goods"),
    supply: t("supply"), scrap: t("scrap"),
  }[kind] || kind;
}

const SEPARATORS = () => {
  const parts = new Intl.NumberFormat(pageLang()).formatToParts(12345.6);
  return { group: (parts.find((p) => p.type === "group") || { value: "," }).value,
    decimal: (parts.find((p) => p.type === "decimal") || { value: "." }).value };
};

/** An exact decimal text ("1234.5") in the page's language ("1.234,5"), without floats. */
export function amount(text) {
  if (text === null || text === undefined || text === "") return "—";
  const { group, decimal } = SEPARATORS();
  const [whole, fraction] = String(text).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${digits}${fraction ? decimal + fraction : ""}`;
}

export function grams(text) {
  return `${amount(text)} g`;
}

/** A rate (0.8200) as a percentage in the page's language ("82 %"); "—" when undefined. */
export function percent(rate) {
  if (rate === null || rate === undefined) return "—";
  const value = Number(rate) * 100;
  return `${new Intl.NumberFormat(pageLang(), { maximumFractionDigits: 1 }).format(value)} %`;
}

/** Share of part in whole (two exact decimal texts) for drawing only: a number 0..1. */
export function share(part, whole) {
  const w = Number(whole);
  return w > 0 ? Math.max(0, Math.min(1, Number(part) / w)) : 0;
}
