"""The OpenAPI document names each model once: a second model of the same name is an error."""

import pytest
from pydantic import BaseModel

import server.api  # noqa: F401 - registers every endpoint the document lists
from server.api.openapi import _add, document


def test_every_component_of_the_document_is_one_model():
    schemas = document()["components"]["schemas"]
    assert "JobReceiptIn" in schemas and "ReceiptIn" in schemas
    assert "lines" in schemas["ReceiptIn"]["properties"]  # the supplier receipt's own body
    assert "rows" in schemas["JobReceiptIn"]["properties"]


def test_two_different_models_of_one_name_are_refused():
    def model(field: str) -> type[BaseModel]:
        return type("ReceiptIn", (BaseModel,), {"__annotations__": {field: int}})
    schemas: dict = {}
    _add(schemas, model("lines"))
    _add(schemas, model("lines"))  # the same model again is fine
    with pytest.raises(ValueError, match="both named ReceiptIn"):
        _add(schemas, model("rows"))
