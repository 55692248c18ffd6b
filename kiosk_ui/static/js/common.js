// Shared helpers: DOM building (text only, never HTML), the JSON API with CSRF, live rooms.
import { io } from "../vendor/socket.io.esm.js";

/** Build an element: el("div", {class: "x", onclick: fn}, "text", childNode, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace all children of node. */
export function fill(node, ...children) {
  node.replaceChildren();
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** A link to a batch's history page; every batch code on every page is one. */
export function batchLink(code, attrs = {}) {
  return el("a", { href: `/batches/${encodeURIComponent(code)}`, class: "batch-link mono", ...attrs }, code);
}

let catalogue = null;
/** Translate an English message by the page's catalogue; {name} placeholders take vars. */
export function t(message, vars = {}) {
  if (catalogue === null) {
    const node = document.getElementById("i18n-catalogue");
    try { catalogue = node ? JSON.parse(node.textContent) : {}; } catch { catalogue = {}; }
  }
  const text = catalogue[message] || message;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `request failed (${status})`);
    this.status = status;
    this.code = body && body.code;
    this.detail = body && body.detail;
  }
}

/** Call the JSON API; state-changing calls carry the session's CSRF token. */
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = document.body.dataset.csrf || "";
  const res = await fetch(`/api/v1${path}`, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  if (data && data.csrf_token) document.body.dataset.csrf = data.csrf_token;
  return data;
}

const RANK = { viewer: 0, operator: 1, supervisor: 2, planner: 3, admin: 4 };
/** Whether the logged-in user holds role (or a higher one). */
export function can(role) {
  const mine = document.body.dataset.role;
  return Boolean(mine) && RANK[mine] >= RANK[role];
}

/** Connect to /live, join rooms on every (re)connect and hand each snapshot to onSnapshot. */
export function connectLive({ rooms, onSnapshot, on = {}, onStatus = () => {}, rejoinEvery = 0 }) {
  const socket = io("/live", {
    transports: ["websocket", "polling"], reconnectionDelay: 300, reconnectionDelayMax: 2000,
    timeout: 5000,
  });
  const join = () => rooms().forEach((room) => {
    socket.timeout(5000).emit("join", { room }, (err, snap) => {
      if (!err && snap && !snap.error) onSnapshot(room, snap);
    });
  });
  socket.on("connect", () => { onStatus(true); join(); });
  socket.on("disconnect", () => onStatus(false));
  socket.on("connect_error", () => onStatus(false));
  for (const [event, handler] of Object.entries(on)) socket.on(event, handler);
  if (rejoinEvery) setInterval(() => { if (socket.connected) join(); }, rejoinEvery);
  return { socket, join };
}

/** Show a short message at the bottom of the screen. */
export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.className = `toast toast-${kind}`;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

export function timeOf(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function duration(seconds) {
  const s = Math.round(seconds || 0);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function words(state) {
  return String(state || "").replaceAll("_", " ");
}

/** Keep a clock element ticking. */
export function startClock(node) {
  const tick = () => { node.textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); };
  tick();
  setInterval(tick, 10_000);
}
