// Words for completion results, serial statuses and inspection results (pages of "complete").
import { t } from "./common.js";

export function serialStatusWord(status) {
  return { in_stock: t("in stock"), quarantined: t("quarantined"), shipped: t("shipped"),
    scrapped: t("scrapped"), archived: t("archived") }[status] || status;
}

export function resultWord(result) {
  return { pass: t("pass"), fail: t("fail"), conditional: t("conditional") }[result] || result;
}

export function stageWord(stage) {
  return { receipt: t("receipt inspection"), step: t("step check"), final: t("final inspection") }[stage] || stage;
}
