"""The baseline for bench/ingest.py: a bare Flask-SocketIO scan handler (one insert, one emit).

Same async stack as Floorline (gevent, one process, SQLite in WAL mode), none of its work.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import sqlite3  # noqa: E402
import threading  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent")
    local = threading.local()

    def db() -> sqlite3.Connection:
        if not hasattr(local, "conn"):
            local.conn = sqlite3.connect(args.db, isolation_level=None)
            local.conn.execute("PRAGMA journal_mode=WAL")
            local.conn.execute("PRAGMA synchronous=NORMAL")
            local.conn.execute("CREATE TABLE IF NOT EXISTS scans (event_id TEXT PRIMARY KEY, "
                               "code TEXT, received_at TEXT DEFAULT CURRENT_TIMESTAMP)")
        return local.conn

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @sio.on("scan", namespace="/station")
    def scan(data: dict) -> dict:
        db().execute("INSERT OR IGNORE INTO scans (event_id, code) VALUES (?, ?)",
                     (data["event_id"], data["code"]))
        ack = {"event_id": data["event_id"], "outcome": "accepted"}
        sio.emit("scan_recorded", ack, namespace="/live", to="plant")
        return ack

    @sio.on("join", namespace="/live")
    def join(data: dict) -> dict:
        join_room(data["room"])
        return {"room": data["room"]}

    sio.run(app, host="127.0.0.1", port=args.port, log_output=False)


if __name__ == "__main__":
    main()
