"""`floorline demo`: a fresh SQLite plant, seeded, served, with simulated stations scanning."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import settings as settings_module
from .app import create_app
from .migrate import upgrade
from .runtime import Runtime
from .seed import seed


def run_demo(*, host: str, port: int, simulate: bool) -> None:
    """Reset the demo database, seed it and serve until interrupted."""
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
    runtime.engine.dispose()
    info = Path(settings.instance_path) / "demo.json"
    info.write_text(json.dumps(plant.__dict__, indent=2))
    base = f"http://{host}:{port}"
    click.echo(f"Floorline demo at {base}/dashboard  (planner page {base}/runs, login "
               f"admin / floorline)\nAPI token for admin: {plant.admin_token}\n"
               f"Station tokens and runs: {info}")
    app = create_app(settings)
    if simulate:
        from .simulation import start_simulation
        start_simulation(app, base, plant)
    from .cli import _run
    _run(app, host, port)
