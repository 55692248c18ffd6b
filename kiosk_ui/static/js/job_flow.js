// A job's flow picture: issued on the left, one band to each bucket on the right, as an SVG
// whose band widths are proportional to the amounts; every band is labelled with its amount.
// Built with createElementNS and text nodes only (no markup from data), sized to its box.
import { share, percent } from "./jobs_common.js";
import { t } from "./common.js";

const NS = "http://www.w3.org/2000/svg";
export const BUCKETS = ["received", "rejected", "scrapped", "waste", "pending"];
export const BUCKET_WORDS = () => ({ issued: t("Issued"), received: t("Received"), rejected: t("Rejected"),
  scrapped: t("Scrapped"), waste: t("Waste"), pending: t("Pending") });

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function band(x1, top1, bottom1, x2, top2, bottom2) {
  const mid = (x1 + x2) / 2;
  return `M${x1},${top1} C${mid},${top1} ${mid},${top2} ${x2},${top2} L${x2},${bottom2} `
    + `C${mid},${bottom2} ${mid},${bottom1} ${x1},${bottom1} Z`;
}

function label(x, y, anchor, title, value, bucket) {
  const text = svg("text", { x, y, "text-anchor": anchor, class: "flow-label", "data-label": bucket });
  text.append(svg("tspan", { x, dy: "-0.2em", class: "flow-name" }, title),
    svg("tspan", { x, dy: "1.25em", class: "flow-value" }, value));
  return text;
}

/** Draw buckets ({issued, received, ..., pending} as exact decimal texts) into box.
 *  show(text) writes an amount with its unit. */
export function drawFlow(box, buckets, show) {
  const words = BUCKET_WORDS();
  const width = Math.max(240, Math.floor(box.clientWidth || 600));
  const wide = width >= 600;
  const leftW = wide ? 130 : 0;
  const rightW = wide ? 210 : 140;
  const top = wide ? 8 : 44;
  const node = 14;
  const bandH = wide ? 220 : 160;
  const slot = 38;
  const gap = 8;
  const x1 = leftW + node;
  const x2 = width - rightW;
  const issued = buckets.issued;
  const heights = BUCKETS.map((b) => share(buckets[b], issued) * bandH);
  const slots = heights.map((h) => Math.max(h, slot));
  const rightH = slots.reduce((a, b) => a + b, 0) + gap * (BUCKETS.length - 1);
  const height = top + rightH + 8;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-labelledby": "flow-title", class: "flow-svg" });
  const summary = BUCKETS.map((b) => `${words[b]} ${show(buckets[b])}`).join(", ");
  root.append(svg("title", { id: "flow-title" }, `${words.issued} ${show(issued)}: ${summary}`));
  const leftTop = top + (rightH - bandH) / 2;
  const issuedGroup = svg("g", { "data-bucket": "issued", "data-amount": issued });
  issuedGroup.append(svg("rect", { x: leftW, y: leftTop, width: node, height: bandH, rx: 3, class: "flow-node b-issued" }));
  issuedGroup.append(wide
    ? label(leftW - 10, leftTop + bandH / 2, "end", words.issued, show(issued), "issued")
    : label(0, 16, "start", words.issued, show(issued), "issued"));
  root.append(issuedGroup);
  let from = leftTop;
  let y = top;
  BUCKETS.forEach((bucket, i) => {
    const h = heights[i];
    const g = svg("g", { "data-bucket": bucket, "data-amount": buckets[bucket] });
    const nodeTop = y + (slots[i] - Math.max(h, 2)) / 2;
    if (h > 0) {
      g.append(svg("path", { d: band(x1, from, from + h, x2, nodeTop, nodeTop + h), class: `flow-band b-${bucket}` }));
    }
    g.append(svg("rect", { x: x2, y: nodeTop, width: node, height: Math.max(h, 2), rx: 2, class: `flow-node b-${bucket}` }));
    const pct = wide && Number(issued) > 0 ? ` · ${percent(String(Number(buckets[bucket]) / Number(issued)))}` : "";
    g.append(label(x2 + node + 8, y + slots[i] / 2, "start", words[bucket], `${show(buckets[bucket])}${pct}`, bucket));
    g.append(svg("title", {}, `${words[bucket]}: ${show(buckets[bucket])}`));
    root.append(g);
    from += h;
    y += slots[i] + gap;
  });
  box.replaceChildren(root);
}
