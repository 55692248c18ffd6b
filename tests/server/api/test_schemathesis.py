"""Fuzz the REST API from its own OpenAPI document: no server errors, answers match the schema."""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

import server.api  # noqa: F401 - registers every endpoint the document lists
from server.api.openapi import document
from server.app import create_app
from tests.conftest import make_settings
from tests.server.api.conftest import seed_plant
from tests.support.deferred_operations import defer_operation_builds

load_all_checks()
defer_operation_builds()  # each operation's test is built by the worker that runs it
ALL_CHECKS = list(CHECKS.get_all())
schema = schemathesis.openapi.from_dict(document())
# 422: schema-valid but against a rule across fields that JSON Schema cannot state (the
# batches of all a run's lines together); every other refusal of valid data still fails.
schema.config.checks.positive_data_acceptance.expected_statuses.append("422")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, sqlite_template):
    """One app with a seeded plant for every operation, and the admin's bearer header."""
    tmp_path = tmp_path_factory.mktemp("fuzz")
    shutil.copy(sqlite_template, tmp_path / "floorline.sqlite")
    app = create_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'floorline.sqlite'}"))
    plant = seed_plant(app)
    yield app, plant.auth("admin")
    app.extensions["floorline"].engine.dispose()


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_call_as_its_document_says(case, fuzzed):
    app, headers = fuzzed
    case.operation.schema.app = app  # in-process WSGI, for the call and every check's replay
    case.call_and_validate(app=app, base_url="http://localhost", headers=headers,
                           checks=ALL_CHECKS)
