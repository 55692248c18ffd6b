// The station token panel: shows a new token once, with a copy button and the warning.
import { $, t, toast } from "./common.js";

export function showToken(station, token) {
  $("#token-station").textContent = station;
  $("#token-value").textContent = token;
  $("#token-once").hidden = false;
  $("#token-once").scrollIntoView({ block: "nearest" });
}

async function copy() {
  const token = $("#token-value").textContent;
  try {
    await navigator.clipboard.writeText(token);
    toast(t("Token copied"), "ok");
  } catch {
    // No clipboard access (an insecure origin, or denied): select it for Ctrl+C instead.
    getSelection().selectAllChildren($("#token-value"));
    toast(t("Press Ctrl+C to copy the selected token"), "warn");
  }
}

$("#token-copy").addEventListener("click", copy);
$("#token-hide").addEventListener("click", () => {
  $("#token-value").textContent = "";
  $("#token-once").hidden = true;
});
