"""Start, kill and restart a scan server process for link and chaos tests.

The server command is a parameter: a list of arguments where ``{port}`` and ``{db}`` are
replaced, so ``tests/chaos/`` can pass the real Floorline server's command instead of the
reference server's.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE_SERVER = Path(__file__).with_name("reference_server.py")


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def station_env() -> dict[str, str]:
    """Return an environment where subprocesses import this checkout's packages."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def reference_server_command(tokens: list[str], *knobs: str) -> list[str]:
    """Return the reference server's command template (knobs: e.g. "--defer-first", "3")."""
    cmd = [sys.executable, str(REFERENCE_SERVER), "--port", "{port}", "--db", "{db}"]
    for token in tokens:
        cmd += ["--token", token]
    return [*cmd, *knobs]


class ServerProcess:
    """A scan server run as a subprocess that a test may SIGKILL and restart."""

    def __init__(self, command: list[str], db: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.db = db
        self.command = [a.format(port=self.port, db=db) for a in command]
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = db.with_suffix(".log")

    @property
    def url(self) -> str:
        """Return the server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until it accepts connections."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                         env=station_env())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL the server, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None
