"""Inventory pages: lots with on hand, one lot with its ledger and actions, locations, issue.

As the setup pages, these only render; every change goes through the JSON API.
"""

from __future__ import annotations

from flask import request
from werkzeug.wrappers import Response

from ..services import stock
from .views import bp, record_page, role_page

VIEW_ROLE, CHANGE_ROLE = "viewer", "planner"


@bp.get("/inventory")
def inventory() -> Response | str | tuple[str, int]:
    """List lots with on hand, status, place and expiry; filter them; receive a lot."""
    return role_page("inventory.html", VIEW_ROLE)


@bp.get("/inventory/locations")
def inventory_locations() -> Response | str | tuple[str, int]:
    """List warehouses and their locations; add either (planner)."""
    return role_page("inventory_locations.html", VIEW_ROLE)


@bp.get("/inventory/issue")
def inventory_issue() -> Response | str | tuple[str, int]:
    """Issue material to a run or batch ("Issue material" on the run page comes here)."""
    kind = request.args.get("kind", "run")
    return role_page("inventory_issue.html", CHANGE_ROLE,
                       target_kind=kind if kind in ("run", "batch") else "run",
                       target_code=request.args.get("code", "")[:64])


@bp.get("/inventory/lots/<path:number>")
def inventory_lot(number: str) -> Response | str | tuple[str, int]:
    """Show one lot: on hand, place, ledger; issue, move, adjust, scrap, status, label."""
    return record_page("inventory_lot.html", VIEW_ROLE, lambda db: stock.lot_by_number(db, number),
                       number=number)
