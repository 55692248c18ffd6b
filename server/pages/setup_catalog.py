"""Setup pages for the catalogue: the setup index, operations, items with routings, machines.

Each page is a shell; its module loads and writes through the JSON API, so a form is held to
exactly the API's validation and shows the API's own refusal.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..domain.quantities import UNITS
from ..models import ITEM_KINDS, TRACKING
from ..services.actors import RANK
from .views import _page, _to_login, _user, bp


def _setup_page(template: str, **context: Any) -> Response | str | tuple[str, int]:
    """Render a setup page for a planner or admin; others are sent to log in or refused."""
    user = _user()
    if user is None:
        return _to_login()
    if RANK.get(user["role"], -1) < RANK["planner"]:
        return _page("error.html", title=_("Not allowed"), user=user,
                     message=_("Setup pages need the planner or admin role.")), 403
    return _page(template, user=user, **context)


@bp.get("/setup")
def setup_index() -> Response | str | tuple[str, int]:
    """Show the setup sections as cards."""
    return _setup_page("setup/index.html")


@bp.get("/setup/operations")
def setup_operations() -> Response | str | tuple[str, int]:
    """List, add, edit and archive operations."""
    return _setup_page("setup/operations.html")


@bp.get("/setup/items")
def setup_items() -> Response | str | tuple[str, int]:
    """List and add items."""
    return _setup_page("setup/items.html", kinds=ITEM_KINDS, tracking=TRACKING,
                       units=sorted(UNITS))


@bp.get("/setup/items/<sku>")
def setup_item(sku: str) -> Response | str | tuple[str, int]:
    """Edit one item, its routing and see its routing versions."""
    return _setup_page("setup/item.html", sku=sku, kinds=ITEM_KINDS, tracking=TRACKING,
                       units=sorted(UNITS))


@bp.get("/setup/machines")
def setup_machines() -> Response | str | tuple[str, int]:
    """List, add, edit, enable and disable machines."""
    return _setup_page("setup/machines.html")
