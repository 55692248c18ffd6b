// Copy the third-party browser files the pages import into static/vendor/ (gitignored).
// Run after `npm ci`; the Makefile's `assets` target does both.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "static", "vendor");

// [source under node_modules, name in static/vendor]; ES modules, imported by our own modules,
// except Chart.js: its ES build imports a bare "@kurkle/color" a browser cannot resolve, so
// pages load its UMD file as a classic <script src> and use window.Chart.
const FILES = [
  ["socket.io-client/dist/socket.io.esm.min.js", "socket.io.esm.js"],
  ["cytoscape/dist/cytoscape.esm.min.mjs", "cytoscape.esm.js"],
  ["chart.js/dist/chart.umd.min.js", "chart.umd.js"],
];

mkdirSync(vendor, { recursive: true });
const versions = {};
for (const [src, dest] of FILES) {
  const pkg = src.split("/")[0];
  // Drop source-map comments: the maps are not shipped.
  const text = readFileSync(join(here, "node_modules", src), "utf8")
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
  writeFileSync(join(vendor, dest), text);
  versions[pkg] = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"))).version;
  const license = ["LICENSE", "LICENSE.md"].map((n) => join(here, "node_modules", pkg, n))
    .find((path) => existsSync(path));
  copyFileSync(license, join(vendor, `${pkg}.LICENSE.txt`));
}
writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log("vendor:", Object.entries(versions).map(([k, v]) => `${k}@${v}`).join(", "));
