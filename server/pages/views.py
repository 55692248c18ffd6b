"""Page views: each reads the browser session, calls one service and renders a template."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..api.auth import check_csrf, client_source, csrf_token, log_in, log_out, paired_station
from ..errors import FloorlineError
from ..services import kiosk, pairing, users
from ..services.actors import RANK
from ..services.runs import run_by_number

bp = Blueprint("pages", __name__)


def _runtime() -> Any:
    return current_app.extensions["floorline"]


def _user() -> dict[str, Any] | None:
    with _runtime().sessions() as db:
        return kiosk.browser_user(db, cookie.get("user_id"))


def _paired() -> str | None:
    with _runtime().sessions() as db:
        return paired_station(db)


def _page(template: str, **context: Any) -> str:
    return render_template(template, csrf=csrf_token(), **context)


def refusal(role: str) -> Response | tuple[str, int] | None:
    """Return the login redirect or a 403 page for a user below role; None lets them in."""
    user = _user()
    if user is None:
        return _to_login()
    if RANK.get(user["role"], -1) < RANK[role]:
        return _page("error.html", title=gettext("Not allowed"), user=user,
                     message=gettext("This page needs the %(role)s role.", role=role)), 403
    return None


def role_page(template: str, role: str, **context: Any) -> Response | str | tuple[str, int]:
    """Render a page for a user holding at least role; others log in or are refused."""
    return refusal(role) or _page(template, user=_user(), **context)


def record_page(template: str, role: str, find: Callable[[Any], object],
                **context: Any) -> Response | str | tuple[str, int]:
    """Render a page about one record; find(session) raises NotFound for an unknown one,
    which makes the answer a 404 page instead of an empty page that fails in the browser."""
    page = role_page(template, role, **context)
    if isinstance(page, str):
        with _runtime().sessions() as db:
            find(db)
    return page


def _login_error(err: FloorlineError) -> str:
    """Say why a login failed in the page's language (the API's message stays English)."""
    if err.code == "bad_credentials":
        return str(gettext("wrong username or password"))
    if err.code == "login_locked":
        return str(gettext("Too many failed logins; try again in %(seconds)s s.",
                           seconds=err.detail.get("retry_after", 60)))
    return err.message


def _to_login() -> Response:
    return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """Return target if it is a path on this site, else the runs page."""
    parts = urlsplit(target or "")
    ok = target and not parts.scheme and not parts.netloc and target.startswith("/") \
        and not target.startswith("//") and "\\" not in target
    return target if ok else url_for("pages.runs")  # type: ignore[return-value]


@bp.get("/")
def index() -> Response:
    return redirect(url_for("pages.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """Show the password login form, or log in from it (a hidden CSRF field guards it)."""
    target = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _page("login.html", next=target, error=None, user=_user())
    try:
        check_csrf()
        with _runtime().transaction() as db:
            user = users.authenticate_password(db, request.form.get("username", ""),
                                               request.form.get("password", ""),
                                               settings=_runtime().settings,
                                               source=client_source())
            log_in(db, user)
    except FloorlineError as err:
        return _page("login.html", next=target, error=_login_error(err), user=None), err.status
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    """Log the browser out (a kiosk stays paired)."""
    check_csrf()
    with _runtime().transaction() as db:
        log_out(db)
    return redirect(url_for("pages.login"))


@bp.get("/dashboard")
def dashboard() -> Response | str:
    """Show the floor monitor; it needs public live screens, a login or a paired kiosk."""
    if not (_runtime().settings.live_public or _user() or _paired()):
        return _to_login()
    return _page("dashboard.html", user=_user())


@bp.get("/runs")
def runs() -> Response | str:
    """Show the planner's run list."""
    user = _user()
    return _page("runs.html", user=user) if user else _to_login()


@bp.get("/runs/<number>")
def run(number: str) -> Response | str:
    """Show one run: batches, flow graph and timeline; an unknown run is the not-found page."""
    user = _user()
    if user is None:
        return _to_login()
    with _runtime().sessions() as db:
        run_by_number(db, number)
    return _page("run.html", user=user, number=number)


@bp.get("/kiosk/<station>")
def kiosk_page(station: str) -> str | tuple[str, int]:
    """Show the kiosk to a paired or logged-in browser, else the pairing form."""
    with _runtime().sessions() as db:
        info = kiosk.kiosk_station(db, station)
        paired = paired_station(db) == info["name"]
    user = _user()
    if not paired and user is None:
        return _page("pair.html", station=info["name"], error=None, user=None)
    return _page("kiosk.html", station=info, user=user, paired=paired,
                 result_seconds=_runtime().settings.kiosk_result_seconds)


@bp.post("/kiosk/<station>/pair")
def pair(station: str) -> Response | tuple[str, int]:
    """Pair this browser with a station by a one-time code or its token, then open the kiosk.

    POST only, with the CSRF token: pairing changes the session, and a token in a URL
    would end up in histories and proxy logs.
    """
    check_csrf()
    code = pairing.code_from(request.form.get("code", ""))
    try:
        if code:  # a one-time code (typed, or the QR's URL from a scanner): used up here
            with _runtime().transaction() as db:
                name, stamp = pairing.pair_by_code(db, station, code)
        else:
            with _runtime().sessions() as db:
                name, stamp = kiosk.pair_station(db, station, request.form.get("token", ""))
    except FloorlineError as err:
        return _page("pair.html", station=station, error=err.message, user=None), err.status
    with _runtime().transaction() as db:
        log_out(db)  # whoever was logged in on this browser is no longer
    cookie["kiosk_station"], cookie["kiosk_token"] = name, stamp
    return redirect(url_for("pages.kiosk_page", station=name))


def error_page(err: FloorlineError) -> tuple[str, int]:
    """Show a page's error (an unknown station or run) as a page, not as JSON."""
    title = gettext("Not found") if err.status == 404 else gettext("Refused")
    return _page("error.html", title=title, message=err.message, user=None), err.status
