"""Serve the station scan protocol minimally, recording every event durably.

A stand-in for the Floorline server in the station tests (the chaos harness takes the
server command as a parameter so the real server can replace this one)::

    python reference_server.py --port 5055 --db events.sqlite --token T1 --token T2

Codes starting with ``BAD`` are rejected (reason ``unknown_code``); everything else is
accepted. A repeated event_id is answered with the first result and recorded as a
repeat, so a test can check each id was applied exactly once.

Test knobs: ``--defer-first N`` answers the first N scans ``deferred`` (as a rate limit
does); ``--clock-skew S`` runs the server's clock S seconds ahead; ``--max-skew S``
rejects a scan timed more than S seconds off that clock (reason ``clock_skew``), as the
real server does; ``POST /test/command/<event>`` sends a command to every station.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import socketio
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SCHEMA = """
CREATE TABLE IF NOT EXISTS applied (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE, token TEXT,
    code TEXT, body TEXT, ack TEXT);
CREATE TABLE IF NOT EXISTS received (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT, token TEXT, via TEXT);
CREATE TABLE IF NOT EXISTS heartbeats (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
CREATE TABLE IF NOT EXISTS connects (seq INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT);
"""


@dataclass
class Knobs:
    """How this server misbehaves on purpose, for a test."""

    defer_first: int = 0
    clock_skew: float = 0.0
    max_skew: float | None = None
    deferred: int = 0


class Store:
    """Apply each event id once, durably, and answer repeats with the first ack."""

    def __init__(self, path: str, knobs: Knobs | None = None) -> None:
        self.knobs = knobs or Knobs()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def apply(self, token: str, body: dict[str, Any], via: str) -> dict[str, Any]:
        """Return the ack for a scan, applying it only the first time."""
        event_id = str(body.get("event_id"))
        with self.lock:
            self.db.execute("INSERT INTO received (event_id, token, via) VALUES (?, ?, ?)",
                            (event_id, token, via))
            row = self.db.execute("SELECT ack FROM applied WHERE event_id = ?",
                                  (event_id,)).fetchone()
            if row is not None:
                return dict(json.loads(row[0]))
            if self.knobs.deferred < self.knobs.defer_first:
                self.knobs.deferred += 1  # not applied: the station must resend it
                return {"event_id": event_id, "outcome": "deferred", "reason": "rate_limited",
                        "retry_after": 0.2}
            code = str(body.get("code", ""))
            ack: dict[str, Any] = {"event_id": event_id, "outcome": "accepted",
                                   "batch": code, "step": "next", "transition": "advanced"}
            if code.startswith("BAD"):
                ack = {"event_id": event_id, "outcome": "rejected", "reason": "unknown_code"}
            elif self._skewed(body.get("scanned_at")):
                ack = {"event_id": event_id, "outcome": "rejected", "reason": "clock_skew",
                       "message": "scanned_at is too far from the server's clock"}
            self.db.execute(
                "INSERT INTO applied (event_id, token, code, body, ack) VALUES (?, ?, ?, ?, ?)",
                (event_id, token, code, json.dumps(body), json.dumps(ack)))
            return ack

    def _skewed(self, scanned_at: object) -> bool:
        """Tell whether a scan's time is further off this server's clock than allowed."""
        if self.knobs.max_skew is None or not isinstance(scanned_at, str):
            return False
        moment = datetime.fromisoformat(scanned_at.replace("Z", "+00:00"))
        return abs((moment - server_now(self.knobs)).total_seconds()) > self.knobs.max_skew

    def connected(self, token: str) -> None:
        """Record one accepted connection."""
        with self.lock:
            self.db.execute("INSERT INTO connects (token) VALUES (?)", (token,))

    def heartbeat(self, body: dict[str, Any]) -> None:
        """Record a heartbeat body."""
        with self.lock:
            self.db.execute("INSERT INTO heartbeats (body) VALUES (?)", (json.dumps(body),))


def server_now(knobs: Knobs) -> datetime:
    """Return this server's clock (skewed on purpose when asked)."""
    return datetime.now(UTC) + timedelta(seconds=knobs.clock_skew)


def bearer(header: str | None) -> str:
    """Return the token of an Authorization: Bearer header, or ''."""
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return ""


def build_app(store: Store, tokens: set[str]) -> Any:
    """Return the WSGI app: Socket.IO on /socket.io, HTTP scans and /healthz beside it."""
    sio = socketio.Server(async_mode="threading")

    @sio.on("connect", namespace="/station")
    def connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        token = (auth or {}).get("token") or bearer(environ.get("HTTP_AUTHORIZATION"))
        if token not in tokens:
            raise socketio.exceptions.ConnectionRefusedError("not_authorized: unknown token")
        sio.save_session(sid, {"token": token}, namespace="/station")
        store.connected(token)

    @sio.on("scan", namespace="/station")
    def scan(sid: str, body: dict[str, Any]) -> dict[str, Any]:
        token = sio.get_session(sid, namespace="/station")["token"]
        return store.apply(token, body, "websocket")

    @sio.on("heartbeat", namespace="/station")
    def heartbeat(sid: str, body: dict[str, Any]) -> dict[str, Any]:
        store.heartbeat(body)
        return {"server_time": server_now(store.knobs).isoformat()}

    @Request.application  # type: ignore[arg-type]
    def http(request: Request) -> Response:
        if request.path == "/healthz":
            return Response("ok")
        if request.path.startswith("/test/command/") and request.method == "POST":
            sio.emit(request.path.rsplit("/", 1)[1], {"requested_by": "test"},
                     namespace="/station")
            return Response("sent")
        if request.path == "/api/v1/scans" and request.method == "POST":
            token = bearer(request.headers.get("Authorization"))
            if token not in tokens:
                return Response(json.dumps({"code": "unauthorized", "message": "bad token"}),
                                status=401, mimetype="application/json")
            ack = store.apply(token, request.get_json(force=True), "http")
            status = 429 if ack["outcome"] == "deferred" else 200
            return Response(json.dumps(ack), status=status, mimetype="application/json")
        return Response("not found", status=404)

    return socketio.WSGIApp(sio, http)


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--token", action="append", default=[])
    parser.add_argument("--defer-first", type=int, default=0)
    parser.add_argument("--clock-skew", type=float, default=0.0)
    parser.add_argument("--max-skew", type=float, default=None)
    args = parser.parse_args()
    knobs = Knobs(args.defer_first, args.clock_skew, args.max_skew)
    server = make_server(args.host, args.port,
                         build_app(Store(args.db, knobs), set(args.token)), threaded=True)
    print(f"serving on {args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
