// Users (admin): create, edit role/name/badge/PIN/password, (de)activate, revoke API tokens.
// Secrets are write-only: the list says only whether each is set.
import { $, api, el, fill, t, toast } from "./common.js";
import { clearError, emptyRow, field, submitting } from "./setup_forms.js";

let editing = null;

function roleWord(role) {
  return { viewer: t("Viewer"), operator: t("Operator"), supervisor: t("Supervisor"),
    planner: t("Planner"), admin: t("Admin") }[role] || role;
}

function flags(u) {
  return el("span", { class: "set-flags small" },
    u.has_password ? el("span", {}, t("password")) : null,
    u.has_badge ? el("span", {}, t("badge")) : null,
    u.has_pin ? el("span", {}, t("PIN")) : null);
}

function row(u) {
  const me = u.username === document.body.dataset.user;
  return el("tr", { dataset: { user: u.username } },
    el("td", { class: "mono" }, u.username),
    el("td", {}, u.display_name),
    el("td", {}, roleWord(u.role)),
    el("td", {}, el("span", { class: `badge badge-${u.active ? "active" : "inactive"}` }, u.active ? t("Active") : t("Deactivated"))),
    el("td", {}, flags(u)),
    el("td", { class: "row-actions" },
      el("button", { type: "button", class: "btn btn-ghost", onclick: () => openEdit(u) }, t("Edit")),
      me ? null : el("button", { type: "button", class: "btn btn-ghost btn-active", onclick: (e) => setActive(e.target, u) },
        u.active ? t("Deactivate") : t("Reactivate"))));
}

async function load() {
  try {
    const users = await api("GET", "/users");
    fill($("#user-rows"), users.map(row));
  } catch (err) { toast(err.message, "bad"); }
}

async function setActive(button, u) {
  const done = await submitting(button, $("#active-error"), () =>
    api("POST", `/users/${encodeURIComponent(u.username)}/active`, { active: !u.active }));
  if (done) load();
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const body = { username: field(form, "username"), role: field(form, "role"),
    display_name: field(form, "display_name") };
  for (const name of ["password", "badge_code", "pin"]) {
    const value = form.elements.namedItem(name).value;
    if (value) body[name] = name === "password" ? value : value.trim();
  }
  const made = await submitting(form.querySelector("[type=submit]"), $("#user-error"), () => api("POST", "/users", body));
  if (made) { form.reset(); $("#new-user").hidden = true; toast(t("User {name} created", { name: made.username }), "ok"); load(); }
}

function openEdit(u) {
  editing = u;
  const form = $("#edit-form");
  form.reset();
  clearError($("#edit-error"));
  $("#edit-username").textContent = u.username;
  form.elements.namedItem("display_name").value = u.display_name;
  form.elements.namedItem("role").value = u.role;
  $("#edit-user").hidden = false;
  $("#edit-user").scrollIntoView({ block: "nearest" });
  loadTokens();
}

async function save(event) {
  event.preventDefault();
  const form = event.target;
  const body = {};
  if (field(form, "display_name") !== editing.display_name) body.display_name = field(form, "display_name");
  if (field(form, "role") !== editing.role) body.role = field(form, "role");
  if (form.elements.namedItem("password").value) body.password = form.elements.namedItem("password").value;
  if (field(form, "badge_code")) body.badge_code = field(form, "badge_code");
  if (form.elements.namedItem("clear_badge").checked) body.badge_code = null;
  if (field(form, "pin")) body.pin = field(form, "pin");
  if (form.elements.namedItem("clear_pin").checked) body.pin = null;
  const saved = await submitting(form.querySelector("[type=submit]"), $("#edit-error"), () =>
    api("PATCH", `/users/${encodeURIComponent(editing.username)}`, body));
  if (!saved) return;
  toast(t("User {name} saved", { name: saved.username }), "ok");
  openEdit(saved);
  load();
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

function tokenRow(tok) {
  return el("tr", { dataset: { token: tok.id } },
    el("td", {}, tok.name), el("td", {}, when(tok.created_at)), el("td", {}, when(tok.last_used_at)),
    el("td", {}, when(tok.expires_at)),
    el("td", {}, tok.revoked_at ? t("Revoked") : t("Active")),
    el("td", {}, tok.revoked_at ? null : el("button", {
      type: "button", class: "btn btn-warn", onclick: (e) => revoke(e.target, tok),
    }, t("Revoke"))));
}

async function loadTokens() {
  try {
    const tokens = await api("GET", `/tokens?username=${encodeURIComponent(editing.username)}`);
    fill($("#token-rows"), tokens.length ? tokens.map(tokenRow) : emptyRow(6, t("No API tokens")));
  } catch (err) { toast(err.message, "bad"); }
}

async function revoke(button, tok) {
  const done = await submitting(button, $("#token-error"), () => api("POST", `/tokens/${tok.id}/revoke`));
  if (done) loadTokens();
}

$("#btn-new").addEventListener("click", () => { $("#new-user").hidden = false; });
$("#user-form").addEventListener("submit", create);
$("#edit-form").addEventListener("submit", save);
$("#edit-cancel").addEventListener("click", () => { $("#edit-user").hidden = true; editing = null; });
load();
