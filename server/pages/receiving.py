"""Receiving pages: supplier receipts (list and new, by scanning GS1 labels) and one receipt.

As the setup pages, they only render; every change goes through the JSON API.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import receiving
from .views import bp, record_page, role_page

# Receiving is the planner's work (the API's role for receipts and suppliers).
RECEIVING_ROLE = "planner"


@bp.get("/receiving")
def receiving_list() -> Response | str | tuple[str, int]:
    """List supplier receipts and receive a new shipment by scanning its labels."""
    return role_page("receiving.html", RECEIVING_ROLE)


@bp.get("/receiving/<number>")
def receiving_receipt(number: str) -> Response | str | tuple[str, int]:
    """Show one receipt: its lines and lots, label printing and the incoming inspection."""
    return record_page("receipt.html", RECEIVING_ROLE,
                       lambda db: receiving.receipt_by_number(db, number), number=number)


@bp.get("/setup/suppliers")
def setup_suppliers() -> Response | str | tuple[str, int]:
    """List, add, edit and deactivate suppliers."""
    return role_page("setup_suppliers.html", RECEIVING_ROLE)
