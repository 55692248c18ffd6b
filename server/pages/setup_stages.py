"""Setup page for the production stages: their order, names, archive, serving stations.

A shell like the other setup pages: its module reads and writes through the stages API, so a
station already serving another stage is refused by the API and the page shows that refusal.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from .views import bp, role_page

ROLE = "planner"  # the stages API writes as a planner


@bp.get("/setup/stages")
def setup_stages() -> Response | str | tuple[str, int]:
    """List stages in order; add, rename, reorder, archive; choose their stations."""
    return role_page("setup/stages.html", ROLE)
