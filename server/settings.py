"""One frozen settings object per process, from config/server.toml plus the environment."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "FLOORLINE_"
MIN_SECRET_KEY_LENGTH = 32


class SettingsError(ValueError):
    """A setting has a value the server cannot run with."""


@dataclass(frozen=True)
class Settings:
    """Server settings; every key is documented in config/server.example.toml."""

    instance_path: str = "instance"
    database_url: str = ""
    secret_key: str = ""
    message_queue: str = ""
    message_queue_channel: str = "floorline"
    max_body_bytes: int = 1024 * 1024
    db_lock_wait_seconds: float = 5.0
    scan_repeat_window: float = 3.0
    undo_window_seconds: float = 120.0
    scan_rate_per_second: float = 50.0
    scan_clock_skew_hours: float = 24.0
    scan_max_age_hours: float = 336.0
    heartbeat_timeout: float = 30.0
    operator_idle_minutes: float = 30.0
    live_coalesce_ms: int = 250
    public_url: str = ""
    live_public: bool = False
    printers_file: str = ""
    auto_print: str = ""
    label_layout: str = "a4-3x8"
    single_label_layout: str = "thermal-50x25"
    stall_min_seconds: float = 600.0
    stall_factor: float = 3.0
    kiosk_result_seconds: float = 8.0
    kiosk_pairing_minutes: float = 10.0
    lot_scan_minutes: float = 15.0  # a lot scanned this soon after a batch goes into that batch
    session_cookie_secure: bool = False
    login_max_failures: int = 5
    login_source_max_failures: int = 20
    login_window_seconds: float = 900.0
    login_lockout_seconds: float = 300.0
    plant_timezone: str = "UTC"
    shifts: str = "early=06:00-14:00, late=14:00-22:00, night=22:00-06:00"
    # Where EPCIS exports root their identifiers (GS1 Digital Link or private URIs).
    epc_base: str = "https://id.floorline.example"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sqlite_path(self) -> Path:
        return Path(self.instance_path) / "floorline.sqlite"

    def resolved(self) -> Settings:
        """Fill derived defaults: the SQLite file URL and a per-instance secret key."""
        url = self.database_url or f"sqlite:///{self.sqlite_path.resolve()}"
        key = self.secret_key or _instance_secret(Path(self.instance_path))
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError(f"secret_key must be at least {MIN_SECRET_KEY_LENGTH} "
                                f"characters (it signs sessions); leave it empty to generate one")
        _check_reports(self.plant_timezone, self.shifts)
        return replace(self, database_url=url, secret_key=key)


def _check_reports(timezone: str, shifts: str) -> None:
    # Refused at start, not on a supervisor's first report.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from .domain.errors import ReportError
    from .domain.reports import parse_shifts

    try:
        ZoneInfo(timezone)
        parse_shifts(shifts)
    except (ZoneInfoNotFoundError, ValueError) as err:
        # ReportError is a ValueError; so is a malformed zone name.
        message = err.message if isinstance(err, ReportError) else f"unknown time zone {timezone!r}"
        raise SettingsError(message) from err


def _instance_secret(instance: Path) -> str:
    # Persisted so sessions survive restarts without asking every demo user for a key.
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    write_private(path, secrets.token_urlsafe(48), keep_existing=True)
    return path.read_text().strip()


def write_private(path: Path, text: str, *, keep_existing: bool = False) -> None:
    """Write a file only its owner can read, created with mode 0600 (never briefly wider)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if keep_existing else os.O_TRUNC)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return  # another process made it first; keep theirs
    os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_TRUNC
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def _coerce(value: str, like: object) -> object:
    if isinstance(like, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def load(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Load settings: defaults < TOML file < FLOORLINE_* environment < keyword overrides."""
    path = path or os.environ.get("FLOORLINE_CONFIG") or "config/server.toml"
    values: dict[str, Any] = {}
    if Path(path).is_file():
        with open(path, "rb") as fh:
            values.update(tomllib.load(fh).get("server", {}))
    defaults = Settings()
    known = {f.name for f in fields(Settings)} - {"extra"}
    for name in known:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env is not None:
            values[name] = _coerce(env, getattr(defaults, name))
    values.update(overrides)
    extra = {k: v for k, v in values.items() if k not in known}
    base = {k: v for k, v in values.items() if k in known}
    return Settings(**base, extra=extra).resolved()
