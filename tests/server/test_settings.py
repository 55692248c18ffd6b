"""Settings and the files the server writes: a long enough secret, private files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from server import settings as settings_module
from server.db import make_engine
from server.settings import Settings, SettingsError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("key", ["x", "test-secret", "a" * 31])
def test_a_short_secret_key_is_refused(tmp_path, key):
    with pytest.raises(SettingsError, match="at least 32"):
        Settings(instance_path=str(tmp_path), secret_key=key).resolved()


def test_a_long_secret_key_is_taken(tmp_path):
    assert Settings(instance_path=str(tmp_path), secret_key="k" * 32).resolved().secret_key


def test_the_generated_secret_key_file_is_never_readable_by_others(tmp_path, monkeypatch):
    # Created 0600 by os.open itself: no chmod afterwards is needed (or trusted).
    monkeypatch.setattr(Path, "chmod", lambda self, m: None)
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)
    old = os.umask(0o022)
    try:
        key = Settings(instance_path=str(tmp_path)).resolved().secret_key
    finally:
        os.umask(old)
    assert len(key) >= 32 and mode(tmp_path / "secret_key") == 0o600
    # The key is kept: a second start reads the same one.
    assert Settings(instance_path=str(tmp_path)).resolved().secret_key == key


def test_write_private_makes_an_existing_file_private_too(tmp_path):
    path = tmp_path / "demo.json"
    path.write_text("old")
    path.chmod(0o644)
    settings_module.write_private(path, "new")
    assert path.read_text() == "new" and mode(path) == 0o600


def test_a_new_sqlite_database_file_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'floorline.sqlite'}")
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")
        engine.dispose()
    finally:
        os.umask(old)
    assert mode(tmp_path / "db" / "floorline.sqlite") == 0o600


def test_the_demo_tokens_file_is_private(tmp_path, monkeypatch):
    from server.demo import reset_and_seed
    monkeypatch.setenv("FLOORLINE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FLOORLINE_CONFIG", "/nonexistent")
    monkeypatch.delenv("FLOORLINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("FLOORLINE_SECRET_KEY", raising=False)
    reset_and_seed()
    assert mode(tmp_path / "instance" / "demo.json") == 0o600
    assert mode(tmp_path / "instance" / "floorline.sqlite") == 0o600
