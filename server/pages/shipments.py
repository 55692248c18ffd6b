"""Shipment pages: the list, a new shipment, and one shipment (pick, lines, ship, cancel).

They only render; every change goes through the JSON API.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import shipments
from .views import bp, record_page, role_page

# Anyone logged in may look; the API decides who may change what (planner opens and ships).
SHIPMENTS_ROLE = "viewer"


@bp.get("/shipments")
def shipments_list() -> Response | str | tuple[str, int]:
    """List customer shipments by status and customer."""
    return role_page("shipments.html", SHIPMENTS_ROLE)


@bp.get("/shipments/new")
def shipment_new() -> Response | str | tuple[str, int]:
    """Open a shipment: customer, sales order, delivery date."""
    return role_page("shipment_new.html", "planner")


@bp.get("/shipments/<number>")
def shipment_page(number: str) -> Response | str | tuple[str, int]:
    """Show one shipment: pick serials and lot quantities, its lines, ship or cancel."""
    return record_page("shipment.html", SHIPMENTS_ROLE,
                       lambda db: shipments.shipment_by_number(db, number), number=number)
