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
    super((body && body.message) || t("request failed ({status})", { status }));
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

/** Wrap a loader so only the newest call's answer is used: a list whose filter changes twice
 *  can get the first answer last, and must not show it. Older calls never settle. */
export function newestOnly(loader) {
  let asked = 0;
  return async (...args) => {
    const mine = ++asked;
    const out = await loader(...args);
    return mine === asked ? out : new Promise(() => {});
  };
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
  // Online only once a room has answered with its snapshot: connected but not yet in the
  // room, a screen would miss what happens meanwhile while saying it is live.
  const joinRoom = (room) => {
    socket.timeout(5000).emit("join", { room }, (err, snap) => {
      if (!err && snap && !snap.error) { onSnapshot(room, snap); onStatus(true); }
      else if (err && socket.connected) setTimeout(() => joinRoom(room), 1000);  // no answer yet: ask again
    });
  };
  const join = () => rooms().forEach(joinRoom);
  socket.on("connect", join);
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

/** The page's language (base.html sets <html lang>), for dates, times and numbers. */
export function pageLang() {
  return document.documentElement.lang || "en";
}

export function timeOf(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleTimeString(pageLang(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
}

export function dateTimeOf(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(pageLang(), { dateStyle: "short", timeStyle: "short", hourCycle: "h23" });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return t("never");
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return t("{n} s ago", { n: s });
  if (s < 3600) return t("{n} min ago", { n: Math.floor(s / 60) });
  if (s < 86400) return t("{n} h ago", { n: Math.floor(s / 3600) });
  return t("{n} d ago", { n: Math.floor(s / 86400) });
}

export function duration(seconds) {
  const s = Math.round(seconds || 0);
  if (s < 60) return t("{s} s", { s });
  if (s < 3600) return t("{m} min", { m: Math.floor(s / 60) });
  return t("{h} h {m} min", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export function words(state) {
  return String(state || "").replaceAll("_", " ");
}

// Every state word of runs, batches, orders, lots, jobs and stations, written out so the
// catalogue has them; an unknown state shows as its words.
const STATES = () => ({
  pending: t("pending"), in_progress: t("in progress"), completed: t("completed"),
  cancelled: t("cancelled"), waiting: t("waiting"), in_process: t("in process"),
  on_hold: t("on hold"), done: t("done"), scrapped: t("scrapped"), split: t("split"),
  merged: t("merged"), estimate: t("estimate"), confirmed: t("confirmed"),
  in_production: t("in production"), shipped: t("shipped"), available: t("available"),
  quarantined: t("quarantined"), consumed: t("consumed"), archived: t("archived"),
  online: t("online"), offline: t("offline"),
});

/** A state code (in_progress) in the page's language. */
export function stateText(state) {
  return STATES()[state] || t(words(state));
}

/** Keep a clock element ticking. */
export function startClock(node) {
  const tick = () => { node.textContent = new Date().toLocaleTimeString(pageLang(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); };
  tick();
  setInterval(tick, 10_000);
}
