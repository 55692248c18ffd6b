// The trace page's tables are drawn on the server; this draws its graph and local times.
import cytoscape from "../vendor/cytoscape.esm.js";
import { $, api, t, toast } from "./common.js";

const KIND_COLOURS = {
  receipt: "#0f766e", lot: "#b45309", run: "#334155", batch: "#1d4ed8",
  job: "#7c3aed", serial: "#be185d", shipment: "#15803d",
};
const KINDS = {
  receipt: t("receipt"), lot: t("lot"), run: t("run"), batch: t("batch"),
  job: t("job"), serial: t("serial"), shipment: t("shipment"),
};
const RELATIONS = {
  receive: t("receive"), issue: t("issue"), produce: t("produce"), split: t("split"),
  merge: t("merge"), consume: t("consume"), ship: t("ship"),
};
const LABEL = "data(label)"; // Cytoscape: draw each element's own label

function pageOf(kind, code, direction) {
  if (kind === "batch") return `/batches/${encodeURIComponent(code)}`;
  if (kind === "run") return `/runs/${encodeURIComponent(code)}`;
  if (kind === "lot") return `/inventory/lots/${encodeURIComponent(code)}`;
  return `/trace/${encodeURIComponent(`${kind}:${code}`)}?direction=${direction}`;
}

function draw(box, trace) {
  const id = (kind, code) => `${kind}:${code}`;
  const elements = [
    ...trace.nodes.map((n) => ({ data: {
      id: id(n.kind, n.code), href: pageOf(n.kind, n.code, trace.direction),
      label: `${KINDS[n.kind] || n.kind} ${n.code}\n${n.share === null ? "—" : n.share}${n.amount === null ? "" : ` · ${n.amount} ${n.unit}`}`,
      colour: KIND_COLOURS[n.kind] || "#64748b",
    } })),
    ...trace.edges.map((e, i) => ({ data: {
      id: `e${i}`, source: id(e.parent_kind, e.parent), target: id(e.child_kind, e.child),
      label: `${RELATIONS[e.relation] || e.relation} ${e.quantity} ${e.unit}`,
    } })),
  ];
  const style = [
    { selector: "node", style: { shape: "round-rectangle", width: 170, height: 46, "background-color": "data(colour)", label: LABEL, color: "#fff", "font-size": 11, "font-weight": 700, "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "font-family": "ui-monospace, monospace" } },
    { selector: "edge", style: { width: 2, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle", "curve-style": "bezier", label: LABEL, "font-size": 10, color: "#475569", "text-background-color": "#fff", "text-background-opacity": 1, "text-background-padding": 2 } },
  ];
  const start = id(trace.start.kind, trace.start.code);
  // One row per depth at a readable zoom: a fixed box would shrink a deep trace to specks.
  const levels = Math.max(...trace.nodes.map((n) => n.depth)) + 1;
  box.style.height = `${Math.min(2000, Math.max(320, levels * 140 + 40))}px`;
  const layout = { name: "breadthfirst", directed: true, roots: trace.direction === "forward" ? [start] : undefined, spacingFactor: 1.05, padding: 20, avoidOverlap: true };
  const graph = cytoscape({ container: box, elements, style, layout, wheelSensitivity: 0.3, maxZoom: 1.4, minZoom: 0.1 });
  graph.on("tap", "node", (evt) => { window.location.assign(evt.target.data("href")); });
  box.dataset.drawn = String(trace.nodes.length);
}

async function main() {
  for (const node of document.querySelectorAll("time[datetime]")) {
    const stamp = node.getAttribute("datetime");
    const at = new Date(stamp);
    if (!Number.isNaN(at.getTime())) {
      node.title = stamp;
      node.textContent = at.toLocaleString([], { dateStyle: "short", timeStyle: "medium", hourCycle: "h23" });
    }
  }
  const box = $("#trace-graph");
  if (!box) return;
  const path = `/trace/${encodeURIComponent(box.dataset.code)}?direction=${box.dataset.direction}`;
  try { draw(box, await api("GET", path)); } catch (err) { toast(err.message, "bad"); }
}

main();
