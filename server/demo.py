"""`floorline demo`: a fresh SQLite plant, seeded, served, with simulated stations scanning."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import click

from . import settings as settings_module
from .migrate import upgrade
from .runtime import Runtime
from .seed import seed
from .seed_job_backlog import seed_backlog
from .seed_jobs import seed_jobs
from .seed_trace import seed_trace


def reset_and_seed() -> tuple[settings_module.Settings, dict[str, object]]:
    """Start the demo database afresh and seed the demo plant."""
    settings = settings_module.load()
    runtime = Runtime.start(settings)
    if runtime.engine.dialect.name == "sqlite":
        runtime.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.sqlite_path}{suffix}").unlink(missing_ok=True)
        runtime = Runtime.start(settings)
    upgrade(runtime.engine)
    with runtime.transaction() as session:
        plant = seed(session)
        # Only the demo gets jobs: tests seed the plant alone and make the jobs they need.
        jobs = seed_jobs(session)
        seed_backlog(session, jobs)
        trace = seed_trace(session, acme_order=plant.order, materials=plant.lots,
                           settings=settings)
    runtime.engine.dispose()
    info = {**plant.__dict__, "jobs": jobs.jobs, "shipments": trace.shipments}
    # Every demo token is in this file: only its owner may read it.
    settings_module.write_private(Path(settings.instance_path) / "demo.json",
                                  json.dumps(info, indent=2))
    return settings, info


def run_demo(*, host: str, port: int, simulate: bool, step_seconds: float = 12.0) -> None:
    """Reset and seed the demo plant, serve it, and work it with simulated stations."""
    settings, plant = reset_and_seed()
    base = f"http://{host}:{port}"
    click.echo(f"\nFloorline demo: {base}/dashboard   (log in at {base}/login as admin / "
               f"floorline or planner / floorline)\nAPI token for admin: "
               f"{plant['admin_token']}\nStation tokens, badges and runs: "
               f"{Path(settings.instance_path) / 'demo.json'} (logins: README, 'Demo')\n")
    env = {**os.environ, "FLOORLINE_LIVE_PUBLIC": os.environ.get("FLOORLINE_LIVE_PUBLIC", "1")}
    server = subprocess.Popen([sys.executable, "-m", "server.serve", "--host", host,  # noqa: S603
                               "--port", str(port)], env=env)
    stop = threading.Event()
    # A demo started in the background ignores SIGINT: let SIGTERM stop it as cleanly.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if simulate:
            from .simulation import Pace, simulate_forever
            threading.Thread(target=simulate_forever,
                             args=(base, plant, stop, Pace(step_seconds=step_seconds)),
                             daemon=True).start()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=10)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
