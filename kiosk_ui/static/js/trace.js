// The trace page's tables are drawn on the server; this draws its graph (from the data the
// page embeds), lets a tap pick a node to trace from or open, and shows local times.
import cytoscape from "../vendor/cytoscape.esm.js";
import { $ } from "./common.js";

const KIND_COLOURS = {
  receipt: "#0f766e", lot: "#b45309", run: "#334155", batch: "#1d4ed8",
  job: "#7c3aed", serial: "#be185d", shipment: "#15803d",
};
// A status that stops the material (red ring), and one where it has moved on (faded).
const ALERT = new Set(["quarantined", "on_hold", "scrapped", "cancelled"]);
const CLOSED = new Set(["consumed", "shipped", "archived", "done", "split", "merged", "completed"]);
const LABEL = "data(label)"; // Cytoscape: draw each element's own label

function pageOf(kind, code, direction) {
  if (kind === "batch") return `/batches/${encodeURIComponent(code)}`;
  if (kind === "run") return `/runs/${encodeURIComponent(code)}`;
  if (kind === "lot") return `/inventory/lots/${encodeURIComponent(code)}`;
  return traceOf(kind, code, direction);
}

function traceOf(kind, code, direction) {
  return `/trace/${encodeURIComponent(`${kind}:${code}`)}?direction=${direction}`;
}

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function nodeLabel(n, words) {
  const kind = words.kinds[n.kind] || n.kind;
  const status = n.status ? ` · ${words.statuses[n.status] || n.status}` : "";
  const share = n.share === null ? "—" : n.share;
  const amount = n.amount === null ? "" : ` · ${n.amount} ${n.unit}`;
  return `${kind} ${n.code}\n${share}${amount}${status}`;
}

function elementsOf(trace, words) {
  const id = (kind, code) => `${kind}:${code}`;
  return [
    ...trace.nodes.map((n) => ({
      data: { id: id(n.kind, n.code), kind: n.kind, code: n.code, label: nodeLabel(n, words),
              colour: KIND_COLOURS[n.kind] || "#64748b" },
      classes: [ALERT.has(n.status) ? "alert" : "", CLOSED.has(n.status) ? "closed" : "",
                n.depth === 0 ? "start" : ""].filter(Boolean).join(" "),
    })),
    ...trace.edges.map((e, i) => ({ data: {
      id: `e${i}`, source: id(e.parent_kind, e.parent), target: id(e.child_kind, e.child),
      label: `${words.relations[e.relation] || e.relation} ${e.quantity} ${e.unit}`,
    } })),
  ];
}

const STYLE = [
  { selector: "node", style: { shape: "round-rectangle", width: 180, height: 52, "background-color": "data(colour)", label: LABEL, color: "#fff", "font-size": 11, "font-weight": 700, "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "font-family": "ui-monospace, monospace", "border-width": 2, "border-color": "#fff" } },
  { selector: "node.start", style: { "border-width": 4, "border-color": "#0f172a" } },
  { selector: "node.alert", style: { "border-width": 5, "border-color": "#dc2626", "border-style": "double" } },
  { selector: "node.closed", style: { opacity: 0.6 } },
  { selector: "node:selected", style: { "overlay-color": "#facc15", "overlay-opacity": 0.35 } },
  { selector: "edge", style: { width: 2, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle", "curve-style": "bezier", label: LABEL, "font-size": 10, color: "#475569", "text-background-color": "#fff", "text-background-opacity": 1, "text-background-padding": 2 } },
];

function select(node, direction) {
  const box = $("#trace-selected");
  const [name] = node.data("label").split("\n");
  $("#trace-selected-name").textContent = name;
  $("#trace-selected-trace").href = traceOf(node.data("kind"), node.data("code"), direction);
  $("#trace-selected-open").href = pageOf(node.data("kind"), node.data("code"), direction);
  box.hidden = false;
  box.dataset.code = node.data("code");
}

function draw(box, trace, words) {
  // Sources on top, what was made below: depth runs negative (back) to positive (forward).
  const depths = trace.nodes.map((n) => n.depth);
  const levels = Math.max(...depths) - Math.min(...depths) + 1;
  box.style.height = `${Math.min(2000, Math.max(320, levels * 140 + 40))}px`;
  const roots = trace.nodes.filter((n) => n.depth === Math.min(...depths))
    .map((n) => `${n.kind}:${n.code}`);
  const layout = { name: "breadthfirst", directed: true, roots, spacingFactor: 1.05, padding: 20, avoidOverlap: true };
  const graph = cytoscape({ container: box, elements: elementsOf(trace, words), style: STYLE, layout, wheelSensitivity: 0.3, maxZoom: 1.4, minZoom: 0.1 });
  const again = trace.direction === "both" ? "both" : trace.direction;
  graph.on("tap", "node", (evt) => select(evt.target, again));
  graph.on("dbltap", "node", (evt) => {
    window.location.assign(traceOf(evt.target.data("kind"), evt.target.data("code"), again));
  });
  box.dataset.drawn = String(trace.nodes.length);
  window.floorlineTraceGraph = graph; // for tests and the console: the drawn graph
}

function localTimes() {
  for (const node of document.querySelectorAll("time[datetime]")) {
    const stamp = node.getAttribute("datetime");
    const at = new Date(stamp);
    if (!Number.isNaN(at.getTime())) {
      node.title = stamp;
      node.textContent = at.toLocaleString([], { dateStyle: "short", timeStyle: "medium", hourCycle: "h23" });
    }
  }
}

function main() {
  localTimes();
  const box = $("#trace-graph");
  const trace = readJson("trace-data");
  if (!box || !trace) return;
  draw(box, trace, readJson("trace-words"));
}

main();
