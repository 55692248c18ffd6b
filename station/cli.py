"""Run the floorline-station command: run (default), decode FILE..., simulate."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from station import __version__
from station.config import load_config, parse_source_spec
from station.decoding import BACKENDS, decode_file, make_decoder
from station.errors import ConfigError, DecodeError, StationError

log = logging.getLogger("station")


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Add the flags every subcommand shares."""
    parser.add_argument("-c", "--config", help="station TOML file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")


def _add_run(parser: argparse.ArgumentParser) -> None:
    """Add the run subcommand's flags (they override the TOML file)."""
    parser.add_argument("--server", help="server base URL, e.g. http://floorline:5000")
    parser.add_argument("--token", help="station token (or FLOORLINE_STATION_TOKEN)")
    parser.add_argument("--source", action="append", default=None, metavar="SPEC",
                        help="camera:0 | camera:rtsp://... | hid:/dev/input/eventN | "
                             "serial:/dev/ttyUSB0@9600 | stdin | images:PATH (repeatable)")
    parser.add_argument("--suppression", type=float, help="seconds a repeated code is ignored")
    parser.add_argument("--outbox", help="outbox SQLite path")
    parser.add_argument("--decoder", choices=BACKENDS, help="decoder backend")
    parser.add_argument("--formats", help="comma-separated formats, e.g. QRCode,DataMatrix")
    parser.add_argument("--exit-when-drained", action="store_true",
                        help="stop once every source has ended and the outbox is empty")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = argparse.ArgumentParser(prog="floorline-station",
                                     description="Floorline station agent")
    parser.add_argument("--version", action="version", version=__version__)
    _add_common(parser)
    _add_run(parser)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="read codes and deliver them (default)")
    _add_common(run)
    _add_run(run)
    decode = sub.add_parser("decode", help="print every code in image files as JSON lines")
    _add_common(decode)
    decode.add_argument("files", nargs="+")
    decode.add_argument("--decoder", choices=BACKENDS)
    decode.add_argument("--formats")
    simulate = sub.add_parser("simulate", help="drive virtual stations against a server")
    _add_common(simulate)
    simulate.add_argument("--server", required=True)
    tokens = simulate.add_mutually_exclusive_group(required=True)
    tokens.add_argument("--tokens-file", help="one station token per line, in routing order")
    tokens.add_argument("--token", action="append", help="station token (repeat, routing order)")
    tokens.add_argument("--plan", help="JSON plan: [{token, codes, name?}, ...]")
    simulate.add_argument("--codes-file", help="one batch code per line")
    simulate.add_argument("--rate", type=float, default=1.0, help="scans per second per station")
    simulate.add_argument("--scans-per-step", type=int, default=1,
                          help="scans of each code at each station (2 for toggle mode)")
    simulate.add_argument("--workdir", help="folder for the virtual stations' outboxes")
    simulate.add_argument("--timeout", type=float, help="give up after this many seconds")
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Turn run flags into configuration overrides (None means not given)."""
    return {
        "server_url": args.server, "token": args.token, "suppression_seconds": args.suppression,
        "outbox_path": Path(args.outbox) if args.outbox else None, "decoder": args.decoder,
        "formats": tuple(args.formats.split(",")) if args.formats else None,
        "sources": tuple(map(parse_source_spec, args.source)) if args.source else None,
    }


def cmd_run(args: argparse.Namespace) -> int:
    """Run the agent until SIGINT/SIGTERM (or until drained)."""
    from station.assembly import build_agent

    agent = build_agent(load_config(args.config, _overrides(args)))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    health = agent.outbox.health()
    try:
        waiting = str(agent.outbox.depth())
    except StationError:
        waiting = "an unknown number of"  # a corrupt outbox: the link sends what it can read
    log.info("station agent %s: %d sources, %s scans waiting in the outbox (%s)", __version__,
             len(agent.sources), waiting,
             "healthy" if health["healthy"] else f"UNHEALTHY: {health['error']}")
    agent.run(stop, until_drained=args.exit_when_drained)
    agent.outbox.close()
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    """Print one JSON line per code found (with the pass that read it); exit 1 if any file
    cannot be read. Still images always get the whole cascade: no frame budget."""
    config = load_config(args.config)
    formats = tuple(args.formats.split(",")) if args.formats else config.formats
    decoder = make_decoder(args.decoder or config.decoder, formats)
    status = 0
    for name in args.files:
        try:
            symbols = decode_file(name, decoder)
        except DecodeError as err:
            print(f"floorline-station: {err}", file=sys.stderr)
            status = 1
            continue
        for symbol in symbols:
            print(json.dumps({"file": name, "text": symbol.text, "symbology": symbol.symbology,
                              "pass": symbol.found_by}))
    return status


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run virtual stations and print a JSON summary; exit 1 if not every scan was acked."""
    from station.simulator import load_plan, plan_from_routing, run_simulation

    if args.plan:
        plan = load_plan(args.plan)
    else:
        if not args.codes_file:
            raise ConfigError("simulate needs --codes-file (or --plan)")
        tokens = args.token or _lines(args.tokens_file)
        plan = plan_from_routing(tokens, _lines(args.codes_file), args.scans_per_step)
    result = run_simulation(args.server, plan, rate=args.rate, workdir=args.workdir,
                            timeout=args.timeout)
    print(json.dumps(result.summary()))
    return 0 if result.complete else 1


def _lines(path: str) -> list[str]:
    """Return the non-empty, non-comment lines of a text file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err}") from err
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen subcommand."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    commands = {"decode": cmd_decode, "simulate": cmd_simulate}
    try:
        return commands.get(args.command or "run", cmd_run)(args)
    except StationError as err:
        log.error("%s", err)
        return 2


if __name__ == "__main__":
    sys.exit(main())
