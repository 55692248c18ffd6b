"""Setup pages for the plant: stations, customers, sales orders and users.

The pages only read who is logged in and render; every change goes through the JSON API,
so a form is refused by exactly the API's rules.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..errors import Forbidden
from ..services import plant, sales
from ..services.actors import RANK
from .views import _page, _runtime, _to_login, _user, bp

# Who may open each page: the least role that can change something on it (as the API says).
STATIONS_ROLE, SALES_ROLE, USERS_ROLE = "supervisor", "planner", "admin"


def _setup_page(template: str, role: str, **context: object) -> Response | str:
    """Render a setup page for a user holding role, send others to log in or refuse them."""
    user = _user()
    if user is None:
        return _to_login()
    if RANK.get(user["role"], -1) < RANK[role]:
        raise Forbidden(f"this page needs the {role} role", code="forbidden", required=role)
    return _page(template, user=user, **context)


@bp.get("/setup/stations")
def setup_stations() -> Response | str:
    """List stations with their health; create one (admin)."""
    return _setup_page("setup_stations.html", STATIONS_ROLE)


@bp.get("/setup/stations/<name>")
def setup_station(name: str) -> Response | str:
    """Show one station: enable/disable, rotate its token, pair a kiosk, resend dead letters."""
    page = _setup_page("setup_station.html", STATIONS_ROLE, name=name)
    if isinstance(page, str):
        with _runtime().sessions() as db:
            plant.station_by_name(db, name)  # an unknown station is a 404 page
    return page


@bp.get("/setup/customers")
def setup_customers() -> Response | str:
    """List, add and rename customers."""
    return _setup_page("setup_customers.html", SALES_ROLE)


@bp.get("/setup/orders")
def setup_orders() -> Response | str:
    """List sales orders by status and create one with its lines."""
    return _setup_page("setup_orders.html", SALES_ROLE)


@bp.get("/setup/orders/<number>")
def setup_order(number: str) -> Response | str:
    """Show one order: lines, status moves, and a run made from it."""
    page = _setup_page("setup_order.html", SALES_ROLE, number=number)
    if isinstance(page, str):
        with _runtime().sessions() as db:
            sales.order_by_number(db, number)
    return page


@bp.get("/setup/users")
def setup_users() -> Response | str:
    """List, create and edit users; (de)activate them and revoke their tokens."""
    return _setup_page("setup_users.html", USERS_ROLE)
