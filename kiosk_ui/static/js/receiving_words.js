// Words for receiving: inspection results and lot statuses, shared by the receiving pages.
import { t } from "./common.js";

export function inspectionWord(result) {
  return { pass: t("Pass"), fail: t("Fail"), conditional: t("Conditional") }[result] || result;
}

export function lotStatusWord(status) {
  return {
    available: t("available"), quarantined: t("quarantined"), consumed: t("consumed"),
    shipped: t("shipped"), archived: t("archived"),
  }[status] || status;
}
