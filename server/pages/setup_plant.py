"""Setup pages for the plant: stations, customers, sales orders and users.

The pages only read who is logged in and render; every change goes through the JSON API,
so a form is refused by exactly the API's rules.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import plant, sales
from .views import bp, record_page, role_page

# Who may open each page: the least role that can change something on it (as the API says).
STATIONS_ROLE, SALES_ROLE, USERS_ROLE = "supervisor", "planner", "admin"



@bp.get("/setup/stations")
def setup_stations() -> Response | str | tuple[str, int]:
    """List stations with their health; create one (admin)."""
    return role_page("setup_stations.html", STATIONS_ROLE)


@bp.get("/setup/stations/<name>")
def setup_station(name: str) -> Response | str | tuple[str, int]:
    """Show one station: enable/disable, rotate its token, pair a kiosk, resend dead letters."""
    return record_page("setup_station.html", STATIONS_ROLE,
                       lambda db: plant.station_by_name(db, name), name=name)


@bp.get("/setup/customers")
def setup_customers() -> Response | str | tuple[str, int]:
    """List, add and rename customers."""
    return role_page("setup_customers.html", SALES_ROLE)


@bp.get("/setup/orders")
def setup_orders() -> Response | str | tuple[str, int]:
    """List sales orders by status and create one with its lines."""
    return role_page("setup_orders.html", SALES_ROLE)


@bp.get("/setup/orders/<number>")
def setup_order(number: str) -> Response | str | tuple[str, int]:
    """Show one order: lines, status moves, and a run made from it."""
    return record_page("setup_order.html", SALES_ROLE, lambda db: sales.order_by_number(db, number),
                       number=number)


@bp.get("/setup/users")
def setup_users() -> Response | str | tuple[str, int]:
    """List, create and edit users; (de)activate them and revoke their tokens."""
    return role_page("setup_users.html", USERS_ROLE)
