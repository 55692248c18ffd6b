"""Pages of the floor monitor's area: a batch's history (run page and dashboard: views)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import history
from .views import _page, _runtime, _to_login, _user, bp


@bp.get("/batches/<code>")
def batch(code: str) -> Response | str:
    """Show a batch's history; an unknown code is the not-found page (FloorlineError)."""
    user = _user()
    if user is None:
        return _to_login()
    with _runtime().sessions() as db:
        data = history.batch_history(db, code)
    return _page("batch.html", user=user, h=data, b=data["batch"])
