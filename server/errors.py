"""Server errors, each with a stable code, an HTTP status and a JSON shape.

FloorlineError                  {code, message, detail}
 ├── BadRequest         400     malformed or invalid input
 ├── Unauthorized       401     no or bad credentials
 ├── Forbidden          403     credentials lack the role, or a station token for another station
 ├── NotFound           404     no such item, station, run, batch...
 ├── Conflict           409     duplicate key or a state that forbids the change
 ├── Unprocessable      422     schema-valid, against a rule across fields (a run's size)
 ├── PayloadTooLarge    413     body over the limit
 └── TooManyRequests    429     a station or client over its rate
Domain errors (server.domain.errors) are translated to BadRequest/Conflict at the boundary.
"""

from __future__ import annotations

from typing import Any


class FloorlineError(Exception):
    status = 500
    code = "internal_error"
    # A refusal that is itself a record (a counted failed login) keeps its transaction's writes.
    keeps_writes = False

    def __init__(self, message: str, *, code: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class BadRequest(FloorlineError):
    status = 400
    code = "bad_request"


class Unauthorized(FloorlineError):
    status = 401
    code = "unauthorized"


class Forbidden(FloorlineError):
    status = 403
    code = "forbidden"


class NotFound(FloorlineError):
    status = 404
    code = "not_found"


class Conflict(FloorlineError):
    status = 409
    code = "conflict"


class Unprocessable(FloorlineError):
    """Well-formed and schema-valid, but against a rule no schema can state (a run's size)."""

    status = 422


class PayloadTooLarge(FloorlineError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(FloorlineError):
    status = 429
    code = "rate_limited"
