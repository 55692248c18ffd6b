"""The traceability page: search a code, see what it came from or where it went."""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from ..errors import FloorlineError
from ..services import trace
from .views import _page, _runtime, _to_login, _user, bp


@bp.get("/trace")
def trace_search() -> Response | str:
    """Show the search box; a submitted code goes to its trace page."""
    user = _user()
    if user is None:
        return _to_login()
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("pages.trace_page", code=code,
                                direction=_direction(request.args.get("direction"))))
    return _page("trace.html", user=user, code="", direction="back", result=None, error=None)


@bp.get("/trace/<path:code>")  # supplier lot numbers may hold a slash
def trace_page(code: str) -> Response | str | tuple[str, int]:
    """Show a code's trace: nodes with depth and share, edges, and the graph."""
    user = _user()
    if user is None:
        return _to_login()
    direction = _direction(request.args.get("direction"))
    try:
        with _runtime().sessions() as db:
            result = trace.trace(db, code, direction)  # lots carry their supplier batch
    except FloorlineError as err:
        # The search box stays, with the reason and, for an ambiguous code, its choices.
        return _page("trace.html", user=user, code=code, direction=direction, result=None,
                     error=err), err.status
    return _page("trace.html", user=user, code=code, direction=direction, result=result,
                 error=None)


def _direction(value: str | None) -> str:
    return "forward" if value == "forward" else "back"
