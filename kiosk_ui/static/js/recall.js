// The recall screen: sort the affected table, quarantine what is in stock and release a
// hold (each asking for a reason), and show times in the reader's zone.
import { $, api, t, toast } from "./common.js";

function localTimes() {
  for (const node of document.querySelectorAll("time[datetime]")) {
    const stamp = node.getAttribute("datetime");
    const at = new Date(stamp);
    if (!Number.isNaN(at.getTime())) {
      node.title = stamp;
      node.textContent = at.toLocaleString([], { dateStyle: "short", timeStyle: "short", hourCycle: "h23" });
    }
  }
}

/** Sort the table's rows by a column when its header is clicked; again for descending. */
function sortable(table) {
  const heads = [...table.querySelectorAll("th[data-sort]")];
  heads.forEach((th, column) => {
    th.tabIndex = 0;
    const sort = () => {
      const down = th.getAttribute("aria-sort") === "ascending";
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      const number = th.dataset.sort === "number";
      const key = (row) => {
        const value = row.children[column].dataset.value || "";
        return number ? (value === "" ? -1 : Number(value)) : value;
      };
      const rows = [...table.tBodies[0].rows].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const order = number ? x - y : String(x).localeCompare(String(y));
        return down ? -order : order;
      });
      table.tBodies[0].append(...rows);
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
  table.dataset.ready = "1";
}

function askReason(title, label, action) {
  const dlg = $("#recall-dialog");
  $("#recall-dialog-title").textContent = title;
  $("#recall-ok").textContent = label;
  $("#recall-reason").value = "";
  $("#recall-dialog-error").hidden = true;
  $("#recall-form").onsubmit = async (event) => {
    event.preventDefault();
    try {
      await action($("#recall-reason").value.trim());
      dlg.close();
    } catch (err) {
      $("#recall-dialog-error").hidden = false;
      $("#recall-dialog-error").textContent = err.message;
    }
  };
  dlg.showModal();
  $("#recall-reason").focus();
}

function main() {
  localTimes();
  const table = $("#recall-affected");
  if (table) sortable(table);
  $("#recall-back").addEventListener("click", () => $("#recall-dialog").close());
  const origin = $("#recall-origin");
  const hold = $("#recall-hold");
  if (hold && origin) {
    hold.addEventListener("click", () => askReason(
      t("Quarantine everything in stock"), t("Quarantine"), async (reason) => {
        const made = await api("POST", `/recall/${encodeURIComponent(origin.dataset.code)}/hold`, { reason });
        toast(t("Hold {number}: {count} held", { number: made.number, count: made.items.length }), "ok");
        window.location.reload();
      }));
  }
  for (const button of document.querySelectorAll("button.release")) {
    button.addEventListener("click", () => askReason(
      t("Release hold {number}", { number: button.dataset.number }), t("Release"), async (reason) => {
        const done = await api("POST", `/recall-holds/${encodeURIComponent(button.dataset.number)}/release`, { reason });
        toast(t("Released: {restored} restored, {skipped} changed since", {
          restored: done.restored.length, skipped: done.skipped.length }), "ok");
        window.location.reload();
      }));
  }
}

main();
