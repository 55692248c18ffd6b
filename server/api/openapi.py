"""The OpenAPI 3.1 document, built from the endpoint declarations and pydantic models."""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from .endpoint import SPECS, bp

ERROR = {"type": "object", "required": ["code", "message", "detail"],
         "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                        "detail": {"type": "object"}}}


def document() -> dict[str, Any]:
    """Build the OpenAPI document for every declared endpoint."""
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for spec in SPECS:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/api/v1" + spec.rule)
        op: dict[str, Any] = {
            "summary": spec.summary, "tags": [spec.tag],
            "operationId": f"{spec.method.lower()}_{spec.rule.strip('/').replace('/', '_')}",
            "parameters": [{"name": p, "in": "path", "required": True,
                            "schema": {"type": "string"}}
                           for p in re.findall(r"{(\w+)}", path)],
            "responses": {str(spec.status): {"description": "OK"},
                          "default": {"description": "Error", "content": _json("Error")}},
        }
        if spec.role:
            op["security"] = [{"bearer": []}, {"session": []}]
            op["description"] = f"Requires the {spec.role} role."
        if spec.body is not None:
            op["requestBody"] = {"required": True, "content": _json(_add(schemas, spec.body))}
        if spec.query is not None:
            props = spec.query.model_json_schema()["properties"]
            op["parameters"] += [{"name": k, "in": "query", "schema": v}
                                 for k, v in props.items()]
        paths.setdefault(path, {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Floorline API", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _add(schemas: dict[str, Any], model: type[BaseModel]) -> str:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return model.__name__


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document())
