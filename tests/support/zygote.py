"""Start test servers by forking a process that has already imported the server.

`python -m server.serve` spends seconds of CPU importing Flask, SQLAlchemy, Socket.IO and
gevent before it listens, and a test run starts a few hundred servers on two cores. The
zygote (one per pytest worker, started on first use) imports them once, gevent-patched as
`server.serve` is, and forks a child per server. The child takes the caller's environment,
log file and arguments and runs `server.serve.main`: the same code serves, the app is made in
the child (settings are read there), and the child is a real process a test can SIGKILL.

Protocol: one JSON line per Unix-socket connection, answered with one JSON line:
  {"start": {"argv": [...], "env": {...}, "log": path}}  -> {"pid": n}
  {"status": pid}                                         -> {"returncode": n | null}
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Entry points run in the child; everything else under server/ is imported beforehand.
_NOT_PRELOADED = ("server.wsgi", "server.demo", "server.simulation")


def serve_forever(path: str) -> None:
    """Run the zygote: preload, then fork a server per request until the parent goes."""
    import server.serve  # noqa: F401 - patches gevent before anything else, as the entry does

    _preload()
    parent = os.getppid()
    statuses: dict[int, int] = {}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(1.0)
    print("ready", flush=True)
    while os.getppid() == parent:  # the pytest worker is gone: so are we
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            request = json.loads(conn.makefile("r").readline())
            if "start" in request:
                answer: dict[str, Any] = {"pid": _fork(listener, conn, request["start"])}
            else:
                answer = {"returncode": _status(statuses, int(request["status"]))}
            conn.sendall(json.dumps(answer).encode() + b"\n")


def _preload() -> None:
    import importlib
    import pkgutil

    import server

    for module in pkgutil.walk_packages(server.__path__, "server."):
        if not module.name.startswith(_NOT_PRELOADED) and ".migrations." not in module.name:
            importlib.import_module(module.name)


def _fork(listener: socket.socket, conn: socket.socket, spec: dict[str, Any]) -> int:
    pid = os.fork()
    if pid:
        return pid
    # The child: become what `python -m server.serve ARGS` would have been.
    code = 1
    try:
        listener.close()
        conn.close()
        fd = os.open(spec["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        os.environ.clear()
        os.environ.update(spec["env"])
        sys.argv = ["server.serve", *spec["argv"]]
        from server.serve import main

        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # a crash is read from the child's log
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _status(statuses: dict[int, int], pid: int) -> int | None:
    if pid not in statuses:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if not done:
            return None
        statuses[pid] = os.waitstatus_to_exitcode(status)
    return statuses[pid]


class Zygote:
    """The client: start the zygote on first use, ask it for servers."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._path = ""

    def spawn(self, argv: list[str], env: dict[str, str], log: Path) -> ForkedProcess:
        """Fork a server with these arguments, environment and log file."""
        answer = self._ask({"start": {"argv": argv, "env": env, "log": str(log)}})
        return ForkedProcess(int(answer["pid"]), self)

    def returncode(self, pid: int) -> int | None:
        return self._ask({"status": pid})["returncode"]  # type: ignore[no-any-return]

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        self._ensure()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(self._path)
            sock.sendall(json.dumps(request).encode() + b"\n")
            return json.loads(sock.makefile("r").readline())  # type: ignore[no-any-return]

    def _ensure(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._path = os.path.join(tempfile.mkdtemp(prefix="zygote-"), "sock")
        from tests.station.harness import station_env

        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"from tests.support.zygote import serve_forever; "
                                   f"serve_forever({self._path!r})"],
            stdout=subprocess.PIPE, env=station_env())
        assert self._proc.stdout is not None
        if self._proc.stdout.readline().strip() != b"ready":
            raise RuntimeError("the test server zygote did not start")
        atexit.register(self._proc.kill)


class ForkedProcess:
    """A forked server, with the part of `subprocess.Popen` the tests use."""

    def __init__(self, pid: int, zygote: Zygote) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote
        self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._reap()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"server pid {self.pid}", timeout or 0)
            self._reap()
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._pidfd, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _reap(self) -> None:
        # The pidfd reads ready once the child has exited; the zygote, its parent, reaps it.
        for _ in range(100):
            code = self._zygote.returncode(self.pid)
            if code is not None:
                self.returncode = code
                os.close(self._pidfd)
                return
            time.sleep(0.01)
        raise RuntimeError(f"server pid {self.pid} exited but was not reaped")


ZYGOTE = Zygote()
