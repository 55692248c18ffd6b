"""The audit trail page: entries by entity and key, and the chain's verification.

It only renders; the entries and the verdict come from the JSON API (GET /api/v1/audit,
GET /api/v1/audit/verify).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from .views import bp, role_page

# Quality and compliance read the trail (the API's role for GET /audit); verifying is admin's.
AUDIT_ROLE = "supervisor"


@bp.get("/audit")
def audit_trail() -> Response | str | tuple[str, int]:
    """List audit entries with their hashes, filter them, and verify the chain."""
    return role_page("audit.html", AUDIT_ROLE)
