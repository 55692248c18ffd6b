"""The OpenAPI 3.1 document, built from the endpoint declarations and pydantic models."""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, TypeAdapter

from .endpoint import SPECS, Spec, bp
from .schemas import MAX_INT

ERROR = {"type": "object", "required": ["code", "message", "detail"],
         "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                        "detail": {"type": "object"}}}
# Werkzeug converters in a rule: <name>, <int:name>, <any(a,b):name>
CONVERTER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def document() -> dict[str, Any]:
    """Build the OpenAPI document for every declared endpoint."""
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for spec in SPECS:
        path = CONVERTER.sub(r"{\3}", "/api/v1" + spec.rule)
        op: dict[str, Any] = {
            "summary": spec.summary, "tags": [spec.tag],
            "operationId": _operation_id(spec),
            "parameters": [_path_parameter(*m) for m in CONVERTER.findall(spec.rule)],
            "responses": {str(spec.status): _success(schemas, spec),
                          "default": {"description": "Error", "content": _json("Error")}},
        }
        if spec.role:
            op["security"] = [{"bearer": []}, {"session": []}]
            op["description"] = f"Requires the {spec.role} role."
        if spec.body is not None:
            op["requestBody"] = {"required": True, "content": _json(_add(schemas, spec.body))}
        if spec.query is not None:
            query = spec.query.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(query.pop("$defs", {}))
            props = query["properties"]
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


def _operation_id(spec: Spec) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", CONVERTER.sub(r"\3", spec.rule)).strip("_")
    return f"{spec.method.lower()}_{words}"


def _path_parameter(converter: str, args: str, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "pattern": "^[^/]+$"}
    if converter == "int":
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
    elif converter == "any":
        schema = {"type": "string", "enum": [a.strip() for a in args.split(",")]}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _success(schemas: dict[str, Any], spec: Spec) -> dict[str, Any]:
    files = {m: {"schema": {"type": "string", "format": "binary"}}
             for m in spec.media if m != "application/json"}
    if spec.media and "application/json" not in spec.media:
        return {"description": "OK", "content": files}
    adapter: TypeAdapter[Any] = TypeAdapter(spec.response)
    schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    _merge(schemas, schema.pop("$defs", {}))
    if isinstance(spec.response, type) and issubclass(spec.response, BaseModel):
        _merge(schemas, {spec.response.__name__: schema})
        schema = {"$ref": f"#/components/schemas/{spec.response.__name__}"}
    # A view may answer JSON or, asked for one (?format=csv), a file: both are documented.
    return {"description": "OK", "content": {"application/json": {"schema": schema}, **files}}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _add(schemas: dict[str, Any], model: type[BaseModel]) -> str:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    _merge(schemas, schema.pop("$defs", {}))
    _merge(schemas, {model.__name__: schema})
    return model.__name__


def _merge(schemas: dict[str, Any], new: dict[str, Any]) -> None:
    """Add named schemas, refusing a name already given to a different one: two models of
    one name would otherwise share a component and one endpoint document the other's body."""
    for name, schema in new.items():
        if schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two different API models are both named {name}")


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document())
