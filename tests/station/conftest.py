"""Shared fixtures for the station tests: servers, labels, outboxes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.station.harness import ServerProcess, reference_server_command

TOKEN = "station-token-1"


@pytest.fixture
def server_command() -> list[str]:
    """Return the scan server command template (the chaos suite overrides this)."""
    return reference_server_command([TOKEN, "station-token-2", "station-token-3"])


@pytest.fixture
def server(tmp_path: Path, server_command: list[str]) -> Iterator[ServerProcess]:
    """Run a scan server for one test."""
    proc = ServerProcess(server_command, tmp_path / "server.sqlite")
    proc.start()
    yield proc
    proc.kill()
