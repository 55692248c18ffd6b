"""The traceability pages: search a code and see where it came from and where it went, and
the recall screen of a suspect code (affected list, hold and release, exports)."""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from ..errors import FloorlineError
from ..services import recall, trace_view
from ..services.actors import RANK
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
    """Show a code's trace: the graph, nodes with depth, share and status, and edges."""
    user = _user()
    if user is None:
        return _to_login()
    direction = _direction(request.args.get("direction"))
    try:
        with _runtime().sessions() as db:
            result = trace_view.trace_view(db, code, direction)
    except FloorlineError as err:
        # The search box stays, with the reason and, for an ambiguous code, its choices.
        return _page("trace.html", user=user, code=code, direction=direction, result=None,
                     error=err), err.status
    return _page("trace.html", user=user, code=code, direction=direction, result=result,
                 error=None)


@bp.get("/recall")
def recall_search() -> Response | str:
    """Show the recall search box; a submitted code goes to its recall screen."""
    user = _user()
    if user is None:
        return _to_login()
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("pages.recall_page", code=code))
    return _page("recall.html", user=user, code="", report=None, error=None, can_hold=False)


@bp.get("/recall/<path:code>")
def recall_page(code: str) -> Response | str | tuple[str, int]:
    """Show a recall: the origin, counts, every affected thing, holds and the exports."""
    user = _user()
    if user is None:
        return _to_login()
    try:
        with _runtime().sessions() as db:
            report = recall.recall(db, code)
    except FloorlineError as err:
        return _page("recall.html", user=user, code=code, report=None, error=err,
                     can_hold=False), err.status
    can_hold = RANK.get(user["role"], -1) >= RANK["supervisor"]
    return _page("recall.html", user=user, code=code, report=report, error=None,
                 can_hold=can_hold)


def _direction(value: str | None) -> str:
    return value if value in trace_view.DIRECTIONS else "back"
