"""Load the station's settings from TOML, the environment and command-line flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from station.errors import ConfigError
from station.link import LinkSettings

SOURCE_KINDS = ("camera", "hid", "serial", "stdin", "images")
TOKEN_ENV = "FLOORLINE_STATION_TOKEN"  # noqa: S105 - a variable name, not a secret


@dataclass(frozen=True)
class SourceConfig:
    """One scan source: its kind, its name in scans and heartbeats, kind-specific options."""

    kind: str
    name: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedbackConfig:
    """Local signals on an ack: commands to run and the terminal bell."""

    on_accepted: str = ""
    on_rejected: str = ""
    on_refused: str = ""
    bell: bool = False


@dataclass(frozen=True)
class StationConfig:
    """Every setting of one station agent process."""

    server_url: str = "http://127.0.0.1:5000"
    token: str = ""
    transports: tuple[str, ...] = ("websocket",)
    http_fallback: bool = True
    operator: str | None = None
    outbox_path: Path = Path("instance/station-outbox.sqlite")
    outbox_max_rows: int = 100_000
    outbox_alarm_depth: int = 1_000
    decoder: str = "cascade"
    formats: tuple[str, ...] = ("QRCode",)
    # Milliseconds a live camera frame may spend in the cascade's fallbacks (the fast pass
    # always runs): 30 keeps a 720p stream at 25-30 fps on a 2-core box (bench/decode.py).
    frame_budget_ms: float = 30.0
    suppression_seconds: float = 2.0
    link: LinkSettings = field(default_factory=LinkSettings)
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    sources: tuple[SourceConfig, ...] = ()


def parse_source_spec(spec: str) -> SourceConfig:
    """Parse a --source flag: camera:0, camera:rtsp://..., hid:/dev/input/event3,
    serial:/dev/ttyUSB0@9600, stdin, images:path."""
    kind, _, target = spec.partition(":")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind in {spec!r}; use one of {SOURCE_KINDS}")
    if kind == "camera":
        options: dict[str, Any] = {"device": target or "0"}
    elif kind == "hid":
        options = {"device": target}
    elif kind == "serial":
        port, _, baud = target.partition("@")
        options = {"port": port, "baud": int(baud or 9600)}
    elif kind == "images":
        options = {"paths": [target]}
    else:
        options = {}
    return SourceConfig(kind, f"{kind}:{target}" if target else kind, options)


def _source_from_table(table: dict[str, Any]) -> SourceConfig:
    """Build a source from a [[sources]] table."""
    options = dict(table)
    kind = str(options.pop("kind", ""))
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"[[sources]] kind must be one of {SOURCE_KINDS}, not {kind!r}")
    target = options.get("device") or options.get("port") or ""
    name = str(options.pop("name", f"{kind}:{target}" if target else kind))
    return SourceConfig(kind, name, options)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Return a TOML table, or an empty one."""
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _dataclass_from(cls: type[Any], table: dict[str, Any], section: str) -> Any:
    """Build a settings dataclass from a table, rejecting unknown keys."""
    known = {f.name for f in fields(cls)}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"unknown keys in [{section}]: {sorted(unknown)}")
    return cls(**table)


def _budget(value: Any) -> float:
    """Return a frame budget in ms, refusing a negative, infinite or non-numeric one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"[decoding] frame_budget_ms must be a number, not {value!r}")
    if not 0 <= value < float("inf"):
        raise ConfigError(f"[decoding] frame_budget_ms must be 0 or more, not {value}")
    return float(value)


def config_from_toml(data: dict[str, Any]) -> StationConfig:
    """Build settings from a parsed TOML document."""
    server, outbox = _section(data, "server"), _section(data, "outbox")
    decoding, station = _section(data, "decoding"), _section(data, "station")
    defaults = StationConfig()
    try:
        return StationConfig(
            server_url=str(server.get("url", defaults.server_url)),
            token=str(server.get("token", "")),
            transports=tuple(server.get("transports", defaults.transports)),
            http_fallback=bool(server.get("http_fallback", True)),
            operator=station.get("operator") or None,
            outbox_path=Path(outbox.get("path", defaults.outbox_path)),
            outbox_max_rows=int(outbox.get("max_rows", defaults.outbox_max_rows)),
            outbox_alarm_depth=int(outbox.get("alarm_depth", defaults.outbox_alarm_depth)),
            decoder=str(decoding.get("backend", defaults.decoder)),
            formats=tuple(decoding.get("formats", defaults.formats)),
            suppression_seconds=float(decoding.get("suppression_seconds", 2.0)),
            frame_budget_ms=_budget(decoding.get("frame_budget_ms", defaults.frame_budget_ms)),
            link=_dataclass_from(LinkSettings, _section(data, "link"), "link"),
            feedback=_dataclass_from(FeedbackConfig, _section(data, "feedback"), "feedback"),
            sources=tuple(_source_from_table(t) for t in data.get("sources", [])),
        )
    except (TypeError, ValueError) as err:
        raise ConfigError(f"invalid configuration value: {err}") from err


def load_config(path: str | Path | None, overrides: dict[str, Any] | None = None) -> StationConfig:
    """Read a TOML file (if given), then the token from the environment, then overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"cannot read configuration {path}: {err}") from err
    config = config_from_toml(data)
    if os.environ.get(TOKEN_ENV):
        config = replace(config, token=os.environ[TOKEN_ENV])
    set_overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    return replace(config, **set_overrides)
