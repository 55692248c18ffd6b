"""Declare an API endpoint once: route, role, body and query models, and its OpenAPI entry."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from ..errors import BadRequest
from ..services.actors import Actor
from .auth import current_actor

bp = Blueprint("api", __name__, url_prefix="/api/v1")


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


SPECS: list[Spec] = []


def endpoint(rule: str, method: str = "GET", *, role: str | None = "viewer",
             body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
             status: int = 200, tag: str = "") -> Callable[[Callable[..., Any]], Any]:
    """Register view(db, actor, **params[, body=..., query=...]) in one transaction."""

    def wrap(view: Callable[..., Any]) -> Any:
        SPECS.append(Spec(rule, method, role, (view.__doc__ or "").strip(), body, query,
                          status, tag or rule.split("/")[1]))

        @functools.wraps(view)
        def handle(**params: Any) -> Response | tuple[Response, int]:
            if body is not None:
                params["body"] = body.model_validate(_json_body())
            if query is not None:
                params["query"] = query.model_validate(request.args.to_dict())
            runtime = current_app.extensions["floorline"]
            with runtime.transaction() as db:
                actor = current_actor(db) if role else None
                if actor is not None and role:
                    actor.require(role)
                result = view(db, actor, **params)
            if isinstance(result, Response):
                return result  # files (labels) pass through as they are
            return jsonify(result), status

        bp.add_url_rule(rule, endpoint=f"{view.__name__}", view_func=handle, methods=[method])
        return view

    return wrap


def _json_body() -> Any:
    if not request.is_json:
        raise BadRequest("send a JSON body with Content-Type: application/json",
                         code="invalid_json")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("the body is not valid JSON", code="invalid_json")
    return data


View = Callable[[Session, Actor], Any]
