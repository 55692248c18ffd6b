"""Setup pages for the catalogue: the setup index, operations, items with routings, machines.

Each page is a shell; its module loads and writes through the JSON API, so a form is held to
exactly the API's validation and shows the API's own refusal.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..domain.quantities import UNITS
from ..models import ITEM_KINDS, TRACKING
from .views import bp, role_page

ROLE = "planner"  # the catalogue is the planners' (admins rank above them)


@bp.get("/setup")
def setup_index() -> Response | str | tuple[str, int]:
    """Show the setup sections as cards."""
    return role_page("setup/index.html", ROLE)


@bp.get("/setup/operations")
def setup_operations() -> Response | str | tuple[str, int]:
    """List, add, edit and archive operations."""
    return role_page("setup/operations.html", ROLE)


@bp.get("/setup/items")
def setup_items() -> Response | str | tuple[str, int]:
    """List and add items."""
    return role_page("setup/items.html", ROLE, kinds=ITEM_KINDS, tracking=TRACKING,
                       units=sorted(UNITS))


@bp.get("/setup/items/<sku>")
def setup_item(sku: str) -> Response | str | tuple[str, int]:
    """Edit one item, its routing and see its routing versions."""
    return role_page("setup/item.html", ROLE, sku=sku, kinds=ITEM_KINDS, tracking=TRACKING,
                       units=sorted(UNITS))


@bp.get("/setup/machines")
def setup_machines() -> Response | str | tuple[str, int]:
    """List, add, edit, enable and disable machines."""
    return role_page("setup/machines.html", ROLE)
