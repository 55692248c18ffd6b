"""One JSON error shape, {code, message, detail}, for every failure of the API."""

from __future__ import annotations

import math
from collections.abc import Iterable

from flask import Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from labels.errors import LabelError, PrinterConfigError, PrinterError

from ..dberrors import RETRY_AFTER_SECONDS, is_transient
from ..domain.audit_chain import ChainRecordError
from ..domain.errors import DomainError, StockError, TransitionError
from ..domain.jobs import JobBalanceError
from ..errors import FloorlineError
from ..metrics import HTTP_ERRORS
from .schemas import BAD_AMOUNT, FLOAT_AMOUNT


def error_response(status: int, code: str, message: str, detail: object = None
                   ) -> tuple[Response, int]:
    HTTP_ERRORS.labels(code).inc()
    response = jsonify(code=code, message=message, detail=detail or {})
    retry = detail.get("retry_after") if isinstance(detail, dict) else None
    if status in (429, 503) and isinstance(retry, int | float):
        response.headers["Retry-After"] = str(max(1, math.ceil(retry)))
    return response, status


def validation_detail(err: ValidationError) -> dict[str, object]:
    return {"errors": [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                       for e in err.errors(include_url=False, include_input=False)]}


def register_error_handlers(app: Flask) -> None:
    @app.after_request
    def options_allow(response: Response) -> Response:
        # Flask's automatic OPTIONS answer lists every rule's methods; say the same as a 405.
        if request.method == "OPTIONS" and "Allow" in response.headers:
            valid = [m.strip() for m in response.headers["Allow"].split(",")]
            response.headers["Allow"] = ", ".join(_allowed(valid))
        return response

    @app.errorhandler(FloorlineError)
    def floorline_error(err: FloorlineError) -> tuple[Response, int]:
        return error_response(err.status, err.code, err.message, err.detail)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError) -> tuple[Response, int]:
        # A state or stock that forbids the change conflicts; bad input is a 400.
        status = 409 if isinstance(err, TransitionError | StockError | ChainRecordError) \
            else 400
        if isinstance(err, JobBalanceError):
            status = 422  # well-formed, but more than the job has pending
        return error_response(status, err.code, err.message, err.detail)

    @app.errorhandler(PrinterError)
    def printer_error(err: PrinterError) -> tuple[Response, int]:
        # The job stays in the spool: say so, with its id, so it can be retried.
        if isinstance(err, PrinterConfigError):
            return error_response(400, "printer_config", str(err))
        return error_response(502, "printer_unavailable", str(err),
                              {"job_id": getattr(err, "job_id", None), "kept": True})

    @app.errorhandler(LabelError)
    def label_error(err: LabelError) -> tuple[Response, int]:
        code = {"LayoutError": "unknown_layout", "CapacityError": "label_too_small",
                "UnsupportedTextError": "unsupported_text"}.get(type(err).__name__,
                                                                "label_error")
        return error_response(400, code, str(err))

    @app.errorhandler(ValidationError)
    def invalid(err: ValidationError) -> tuple[Response, int]:
        if any(e["type"] == FLOAT_AMOUNT for e in err.errors()):
            return error_response(422, "float_amount", "amounts are decimal strings or "
                                  "integers, never floats", validation_detail(err))
        if any(e["type"] == BAD_AMOUNT for e in err.errors()):
            return error_response(400, "invalid_quantity", "an amount is out of range or not "
                                  "a decimal", validation_detail(err))
        return error_response(400, "invalid_input", "the request body is not valid",
                              validation_detail(err))

    @app.errorhandler(IntegrityError)
    def integrity(err: IntegrityError) -> tuple[Response, int]:
        return error_response(409, "conflict", "the change clashes with existing data")

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(err: DBAPIError | PoolTimeout) -> ResponseReturnValue:
        if not is_transient(err):
            raise err  # a real fault: the generic 500 path
        response, status = error_response(503, "database_unavailable", "the database is busy "
                                          "or unreachable; try again shortly",
                                          {"retry_after": RETRY_AFTER_SECONDS})
        response.headers["Retry-After"] = str(max(1, round(RETRY_AFTER_SECONDS)))
        return response, status

    @app.errorhandler(StaleDataError)
    def stale(err: StaleDataError) -> tuple[Response, int]:
        return error_response(409, "concurrent_change", "someone changed this at the same "
                              "time; reload and try again")

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> ResponseReturnValue:
        if not _wants_json():
            return err.get_response()
        code = (err.name or "error").lower().replace(" ", "_")
        if err.code == 413:
            code = "payload_too_large"
        response, status = error_response(err.code or 500, code,
                                          err.description or err.name or "")
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            response.headers["Allow"] = ", ".join(_allowed(err.valid_methods))
        return response, status


def _allowed(valid: Iterable[str]) -> list[str]:
    """Methods of the resource at this path: a fixed route (/runs/from-order) is that
    resource, though a templated one (/runs/<number>) would also take its path."""
    fixed = {m for rule in current_app.url_map.iter_rules()
             if not rule.arguments and rule.rule == request.path for m in rule.methods or ()}
    return sorted(fixed or set(valid))


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
