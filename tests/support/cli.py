"""The `floorline` command run in-process against a database of the test's choosing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main

Cli = Callable[..., str]


def floorline_cli(monkeypatch: pytest.MonkeyPatch, instance: Path, database_url: str) -> Cli:
    """Point the command at database_url (no config file) and return run(*args, ok=True),
    which runs `floorline ARGS`, checks the exit status and returns the output."""
    monkeypatch.setenv("FLOORLINE_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("FLOORLINE_DATABASE_URL", database_url)
    monkeypatch.setenv("FLOORLINE_CONFIG", "/nonexistent")
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output.strip()
    return run
