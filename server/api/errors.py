"""One JSON error shape, {code, message, detail}, for every failure of the API."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError, TransitionError
from ..errors import FloorlineError
from ..metrics import HTTP_ERRORS


def error_response(status: int, code: str, message: str, detail: object = None
                   ) -> tuple[Response, int]:
    HTTP_ERRORS.labels(code).inc()
    return jsonify(code=code, message=message, detail=detail or {}), status


def validation_detail(err: ValidationError) -> dict[str, object]:
    return {"errors": [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                       for e in err.errors(include_url=False, include_input=False)]}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(FloorlineError)
    def floorline_error(err: FloorlineError) -> tuple[Response, int]:
        return error_response(err.status, err.code, err.message, err.detail)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError) -> tuple[Response, int]:
        status = 409 if isinstance(err, TransitionError) else 400
        return error_response(status, err.code, err.message, err.detail)

    @app.errorhandler(ValidationError)
    def invalid(err: ValidationError) -> tuple[Response, int]:
        return error_response(400, "invalid_input", "the request body is not valid",
                              validation_detail(err))

    @app.errorhandler(IntegrityError)
    def integrity(err: IntegrityError) -> tuple[Response, int]:
        return error_response(409, "conflict", "the change clashes with existing data")

    @app.errorhandler(StaleDataError)
    def stale(err: StaleDataError) -> tuple[Response, int]:
        return error_response(409, "concurrent_change", "someone changed this at the same "
                              "time; reload and try again")

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response | tuple[Response, int]:
        if not _wants_json():
            return err.get_response()
        code = (err.name or "error").lower().replace(" ", "_")
        if err.code == 413:
            code = "payload_too_large"
        return error_response(err.code or 500, code, err.description or err.name or "")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
