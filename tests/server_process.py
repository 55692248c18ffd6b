"""A real Floorline server in a subprocess (gevent, as deployed), seeded with the demo plant."""

from __future__ import annotations

import copy
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from server.db import make_engine
from server.migrate import upgrade
from server.runtime import Runtime
from server.seed import DemoPlant, seed
from server.settings import Settings
from tests.station.harness import free_port, station_env
from tests.support.zygote import ZYGOTE, ForkedProcess

SECRET_KEY = "test-secret-key-for-signing-sessions"  # long enough to be accepted


@dataclass
class FloorlineServer:
    """Start, SIGKILL and restart a server on one database; `plant` holds tokens and runs.

    Servers are forked from a process that has imported the server already (`forked`):
    the same code, without seconds of imports per start."""

    instance: Path
    database_url: str
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    plant: DemoPlant | None = None
    proc: subprocess.Popen[bytes] | ForkedProcess | None = None
    forked: bool = True  # from the zygote (tests/support/zygote.py), or a new interpreter

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.instance / f"server-{self.port}.log"

    @classmethod
    def on_copy(cls, seeded_template: tuple[Path, DemoPlant], database: Path,
                instance: Path, env: dict[str, str] | None = None) -> FloorlineServer:
        """A server on a copy of a seeded database (the demo plant) at database."""
        seeded, plant = seeded_template
        shutil.copy(seeded, database)
        srv = cls(instance, f"sqlite:///{database}", env=env or {}, plant=copy.deepcopy(plant))
        srv.instance.mkdir(parents=True, exist_ok=True)
        return srv

    def seed(self) -> DemoPlant:
        """Migrate and seed the demo plant (call once, before start)."""
        engine = make_engine(self.database_url)
        upgrade(engine)
        engine.dispose()
        runtime = Runtime.start(Settings(instance_path=str(self.instance),
                                         database_url=self.database_url).resolved())
        with runtime.transaction() as session:
            self.plant = seed(session)
        runtime.engine.dispose()
        return self.plant

    def start(self, timeout: float = 90.0) -> None:
        env = {**station_env(), "FLOORLINE_INSTANCE_PATH": str(self.instance),
               "FLOORLINE_DATABASE_URL": self.database_url, "FLOORLINE_SECRET_KEY": SECRET_KEY,
               "FLOORLINE_CONFIG": "/nonexistent", **self.env}
        argv = ["--host", "127.0.0.1", "--port", str(self.port)]
        if self.forked:
            self.proc = ZYGOTE.spawn(argv, env, self.log_path)
        else:
            with self.log_path.open("ab") as log:
                self.proc = subprocess.Popen([sys.executable, "-m", "server.serve", *argv],
                                             stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not become healthy in time")

    def kill(self) -> None:
        """SIGKILL the server, as a crash or power cut would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(self, method: str, path: str, role_token: str | None = None, **kw: object
            ) -> requests.Response:
        token = role_token or (self.plant.admin_token if self.plant else "")
        return requests.request(method, f"{self.url}/api/v1{path}",
                                headers={"Authorization": f"Bearer {token}"},
                                timeout=10, **kw)  # type: ignore[arg-type]


