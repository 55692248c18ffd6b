"""Declare an API endpoint once: route, role, body, query, response and its OpenAPI entry."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from ..errors import BadRequest, NotFound
from ..services.actors import Actor
from .auth import current_actor
from .schemas import MAX_INT

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# What a view returns when it declares nothing: some JSON object.
ANY_OBJECT: Any = dict[str, Any]
LIST: Any = list[dict[str, Any]]  # what list views return


@dataclass(frozen=True)
class Spec:
    rule: str
    method: str
    role: str | None
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    tag: str
    response: Any = ANY_OBJECT  # a pydantic model, a TypedDict or a list of them
    media: tuple[str, ...] = ()  # files the view returns instead of JSON


SPECS: list[Spec] = []


def endpoint(rule: str, method: str = "GET", *, role: str | None = "viewer",
             body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
             status: int = 200, tag: str = "", response: Any = ANY_OBJECT,
             media: tuple[str, ...] = ()) -> Callable[[Callable[..., Any]], Any]:
    """Register view(db, actor, **params[, body=..., query=...]) in one transaction."""

    def wrap(view: Callable[..., Any]) -> Any:
        SPECS.append(Spec(rule, method, role, (view.__doc__ or "").strip(), body, query,
                          status, tag or rule.split("/")[1], response, media))

        @functools.wraps(view)
        def handle(**params: Any) -> Response | tuple[Response, int]:
            _check_path(params)
            runtime = current_app.extensions["floorline"]
            with runtime.transaction() as db:
                # Who first: an anonymous caller learns nothing of the body's rules.
                actor = current_actor(db) if role else None
                if actor is not None and role:
                    actor.require(role)
                if body is not None:
                    _json_body()  # a clear invalid_json first, then the strict JSON rules
                    params["body"] = body.model_validate_json(request.get_data())
                if query is not None:
                    params["query"] = query.model_validate(request.args.to_dict())
                result = view(db, actor, **params)
            if isinstance(result, Response):
                return result  # files (labels) pass through as they are
            return jsonify(result), status

        bp.add_url_rule(rule, endpoint=f"{view.__name__}", view_func=handle, methods=[method])
        return view

    return wrap


def _check_path(params: dict[str, Any]) -> None:
    # No row has an id or position beyond 64 bits; asking the database would overflow.
    if any(isinstance(v, int) and not -MAX_INT <= v <= MAX_INT for v in params.values()):
        raise NotFound("no such item", code="not_found")
    # No code holds a control character, and PostgreSQL cannot even compare text with a NUL.
    if any(isinstance(v, str) and any(c < " " or c == "\x7f" for c in v)
           for v in params.values()):
        raise NotFound("no such item: codes have no control characters", code="not_found")


def _json_body() -> Any:
    if not request.is_json:
        raise BadRequest("send a JSON body with Content-Type: application/json",
                         code="invalid_json")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("the body is not valid JSON", code="invalid_json")
    return data


View = Callable[[Session, Actor], Any]
