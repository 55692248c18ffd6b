"""OpenAPI document, health and metrics."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    validate(doc)
    assert "post" in doc["paths"]["/api/v1/runs"]
    assert "/api/v1/batches/{code}/split" in doc["paths"]
    assert doc["paths"]["/api/v1/runs"]["post"]["requestBody"]


def test_healthz_reports_the_database(client, app):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["database"] == app.extensions["floorline"].engine.dialect.name


def test_metrics_are_prometheus_text(client):
    r = client.get("/metrics")
    assert r.status_code == 200 and b"floorline_scans_total" in r.data
