"""Kiosk pairing by QR (an admin's page shows a one-time code; the kiosk confirms it with a
tap), and the kiosk's service worker."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from flask import abort, current_app, request, send_from_directory
from flask import session as cookie
from markupsafe import Markup
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.wrappers import Response

from ..services import kiosk, pairing, users
from .views import _page, _runtime, _to_login, _user, bp


def qr_svg(text: str) -> Markup:
    """Return text as an inline SVG QR code (paths only: no script, no inline style)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg: str = image.to_string(encoding="unicode")
    return Markup(svg)  # noqa: S704 - made here from the code and this site's URL


def pairing_url(station: str, code: str) -> str:
    """Return the URL a kiosk opens to pair: on public_url when set, else this request's host."""
    base = _runtime().settings.public_url.rstrip("/") or request.host_url.rstrip("/")
    return f"{base}/kiosk/{quote(station, safe='')}/pair?code={quote(code)}"


@bp.get("/setup/stations/<name>/pair")
def pairing_code(name: str) -> Response | str:
    """Make a one-time pairing code for a station and show it once, as a QR code and text."""
    user = _user()
    if user is None:
        return _to_login()
    settings = _runtime().settings
    with _runtime().transaction() as db:
        who = users.session_user(db, cookie.get("sid"), cookie.get("user_id"))
        if who is None:
            return _to_login()
        station = kiosk.kiosk_station(db, name)
        # Not an admin: Forbidden, shown by the blueprint's error page.
        code, expires = pairing.create_code(db, users.actor_for_user(who), name,
                                            minutes=settings.kiosk_pairing_minutes)
    url = pairing_url(station["name"], code)
    return _page("pair_qr.html", user=user, station=station, code=code, url=url,
                 qr=qr_svg(url), minutes=round(settings.kiosk_pairing_minutes),
                 expires=expires.isoformat())


@bp.get("/kiosk/<station>/pair")
def confirm_pairing(station: str) -> str:
    """Ask the kiosk to confirm pairing with the code in the URL (a GET never pairs)."""
    code = request.args.get("code", "").strip()
    if not code:  # a station token never travels in a URL: only POST takes one
        raise MethodNotAllowed(valid_methods=["POST"])
    if len(code) > 64:
        abort(400)
    with _runtime().sessions() as db:
        info = kiosk.kiosk_station(db, station)
    return _page("pair.html", station=info["name"], error=None, user=None, code=code)


@bp.get("/kiosk/sw.js")
def kiosk_service_worker() -> Response:
    """Serve the kiosk's service worker from /kiosk/, so it may control the kiosk pages."""
    folder = Path(current_app.static_folder or "") / "js"
    response = send_from_directory(folder, "kiosk-sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Service-Worker-Allowed"] = "/kiosk/"
    return response
