"""Build an agent's parts (decoder, sources, outbox, link) from its configuration."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from station.agent import Agent, source_statuses
from station.config import SourceConfig, StationConfig
from station.decoding import Decoder, Suppressor, make_decoder
from station.errors import ConfigError
from station.feedback import CommandFeedback
from station.link import Link
from station.outbox import Outbox
from station.protocol import RESEND_DEAD_LETTERS
from station.sources.protocol import Source
from station.transports import HttpTransport, SocketIOTransport


def build_source(config: SourceConfig, decoder: Decoder,
                 live_decoder: Callable[[], Decoder] | None = None) -> Source:
    """Build one real source; a camera gets its own live_decoder() (a budgeted cascade)."""
    opts = config.options
    try:
        if config.kind == "camera":
            from station.sources.camera import CameraSource, OpenCVCapture

            grabber = OpenCVCapture(str(opts.get("device", "0")), width=int(opts.get("width", 0)),
                                    height=int(opts.get("height", 0)))
            return CameraSource(config.name, grabber, live_decoder() if live_decoder else decoder)
        if config.kind == "hid":
            from station.sources.hid import EvdevKeyboard, HidSource

            opener = functools.partial(EvdevKeyboard, str(opts["device"]))
            return HidSource(config.name, opener, terminator=str(opts.get("terminator", "enter")),
                             symbology=str(opts.get("symbology", "Unknown")))
        if config.kind == "serial":
            from station.sources.serial import PySerialPort, SerialSource

            port = functools.partial(PySerialPort, str(opts["port"]), int(opts.get("baud", 9600)))
            return SerialSource(config.name, port, terminator=str(opts.get("terminator", "any")),
                                encoding=str(opts.get("encoding", "utf-8")),
                                symbology=str(opts.get("symbology", "Unknown")))
        if config.kind == "images":
            from station.sources.images import ImagesSource

            return ImagesSource(config.name, list(opts["paths"]), decoder,
                                interval=float(opts.get("interval", 0.0)))
        if config.kind == "stdin":
            from station.sources.stdin import StdinSource

            return StdinSource(config.name, symbology=str(opts.get("symbology", "Unknown")))
    except KeyError as err:
        raise ConfigError(f"source {config.name!r} lacks option {err}") from err
    raise ConfigError(f"unknown source kind {config.kind!r}")


def build_feedback(config: StationConfig) -> CommandFeedback:
    """Build the station's local signals (commands, bell) from configuration."""
    return CommandFeedback(on_accepted=config.feedback.on_accepted,
                           on_rejected=config.feedback.on_rejected,
                           on_refused=config.feedback.on_refused, bell=config.feedback.bell)


def build_link(config: StationConfig, outbox: Outbox, sources: Sequence[Source],
               feedback: CommandFeedback | None = None) -> Link:
    """Build the link with its websocket transport and optional HTTP fallback."""
    if not config.token:
        raise ConfigError(
            "no station token: set [server] token, --token or FLOORLINE_STATION_TOKEN"
        )
    websocket = SocketIOTransport(config.server_url, config.token,
                                  transports=list(config.transports),
                                  connect_timeout=config.link.call_timeout)
    http = HttpTransport(config.server_url, config.token) if config.http_fallback else None
    link = Link(websocket, outbox, http=http, settings=config.link,
                feedback=feedback or build_feedback(config),
                source_status=lambda: source_statuses(sources))
    websocket.on_command(RESEND_DEAD_LETTERS, link.resend_dead_letters)
    return link


def build_agent(config: StationConfig) -> Agent:
    """Build a ready-to-run agent from configuration."""
    if not config.sources:
        raise ConfigError("no sources configured: add [[sources]] or --source")
    # Still images get the whole cascade; each camera its own, within the frame budget.
    decoder = make_decoder(config.decoder, config.formats)
    live = functools.partial(make_decoder, config.decoder, config.formats,
                             budget_ms=config.frame_budget_ms)
    sources = [build_source(source, decoder, live) for source in config.sources]
    outbox = Outbox(config.outbox_path, max_rows=config.outbox_max_rows,
                    alarm_depth=config.outbox_alarm_depth)
    feedback = build_feedback(config)
    link = build_link(config, outbox, sources, feedback)
    return Agent(sources, outbox, link, suppressor=Suppressor(config.suppression_seconds),
                 operator=config.operator, feedback=feedback)
