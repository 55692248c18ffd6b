// A batch's history page is drawn on the server; this only shows its times in local time.
for (const node of document.querySelectorAll("time[datetime]")) {
  const stamp = node.getAttribute("datetime");
  const at = new Date(stamp);
  if (!Number.isNaN(at.getTime())) {
    node.textContent = at.toLocaleString([], { dateStyle: "short", timeStyle: "medium", hourCycle: "h23" });
    node.title = stamp;
  }
}
