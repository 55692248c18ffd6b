"""Receiving pages: supplier receipts (list and new, by scanning GS1 labels) and one receipt.

As the setup pages, they only render; every change goes through the JSON API.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import receiving
from .setup_plant import _setup_page
from .views import _runtime, bp

# Receiving is the planner's work (the API's role for receipts and suppliers).
RECEIVING_ROLE = "planner"


@bp.get("/receiving")
def receiving_list() -> Response | str:
    """List supplier receipts and receive a new shipment by scanning its labels."""
    return _setup_page("receiving.html", RECEIVING_ROLE)


@bp.get("/receiving/<number>")
def receiving_receipt(number: str) -> Response | str:
    """Show one receipt: its lines and lots, label printing and the incoming inspection."""
    page = _setup_page("receipt.html", RECEIVING_ROLE, number=number)
    if isinstance(page, str):
        with _runtime().sessions() as db:
            receiving.receipt_by_number(db, number)  # an unknown receipt is a 404 page
    return page


@bp.get("/setup/suppliers")
def setup_suppliers() -> Response | str:
    """List, add, edit and deactivate suppliers."""
    return _setup_page("setup_suppliers.html", RECEIVING_ROLE)
