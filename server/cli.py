"""The `floorline` command: database, users, tokens, stations, serving and the demo."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from . import settings as settings_module
from .cli_audit import audit_command
from .cli_recall import recall_command
from .cli_reports import report
from .cli_trace import trace_command
from .runtime import Runtime
from .services import plant, users
from .services.actors import SYSTEM


def runtime() -> Runtime:
    return Runtime.start(settings_module.load())


class Group(click.Group):
    """Show domain, API and label errors as one clear line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from labels.errors import LabelError

        from .domain.errors import DomainError
        from .errors import FloorlineError
        try:
            return super().invoke(ctx)
        except FloorlineError as err:
            raise click.ClickException(f"{err.message} ({err.code})") from err
        except (DomainError, LabelError) as err:
            raise click.ClickException(str(err)) from err


@click.group(cls=Group)
@click.option("--config", envvar="FLOORLINE_CONFIG", default=None,
              help="Path of the server TOML (default config/server.toml).")
def main(config: str | None) -> None:
    """Floorline production tracking server."""
    if config:
        os.environ["FLOORLINE_CONFIG"] = config


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    from .migrate import upgrade
    rt = runtime()
    upgrade(rt.engine, revision)
    click.echo(f"database at {revision}: {rt.engine.url.render_as_string(hide_password=True)}")


@main.group()
def user() -> None:
    """Users."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["viewer", "operator", "supervisor", "planner",
                                           "admin"]), required=True)
@click.option("--password", default=None, help="Prompted for when omitted.")
@click.option("--badge", default=None, help="Badge code for kiosk login.")
@click.option("--pin", default=None)
@click.option("--no-password", is_flag=True, help="Badge-only user.")
def user_add(username: str, role: str, password: str | None, badge: str | None,
             pin: str | None, no_password: bool) -> None:
    """Create a user."""
    if password is None and not no_password:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    with runtime().transaction() as s:
        created = users.create_user(s, SYSTEM, username=username, role=role, password=password,
                                    badge_code=badge, pin=pin)
    click.echo(json.dumps(created))


@user.command("deactivate")
@click.argument("username")
@click.option("--reason", default="", help="Kept in the audit trail.")
def user_deactivate(username: str, reason: str) -> None:
    """Deactivate a user: their sessions end and their tokens are revoked."""
    with runtime().transaction() as s:
        click.echo(json.dumps(users.set_active(s, SYSTEM, username, False, reason)))


@user.command("activate")
@click.argument("username")
@click.option("--reason", default="")
def user_activate(username: str, reason: str) -> None:
    """Let a deactivated user log in again (their old tokens stay revoked)."""
    with runtime().transaction() as s:
        click.echo(json.dumps(users.set_active(s, SYSTEM, username, True, reason)))


class Duration(click.ParamType[timedelta]):
    """A duration such as 90s, 30m, 12h or 90d."""

    name = "duration"
    UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> timedelta:
        text = str(value).strip().lower()
        number, unit = text[:-1], text[-1:]
        if unit not in self.UNITS or not number.isdigit() or int(number) == 0:
            self.fail(f"{value!r} is not a duration like 90s, 30m, 12h or 90d", param, ctx)
        return timedelta(seconds=int(number) * self.UNITS[unit])


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli")
@click.option("--expires-in", type=Duration(), default=None,
              help="Stop working after this long (90s, 30m, 12h, 90d); default never.")
def token_create(username: str, name: str, expires_in: timedelta | None) -> None:
    """Issue a bearer token for a user and print it (shown only once)."""
    with runtime().transaction() as s:
        click.echo(users.create_token(s, SYSTEM, username, name, expires_in=expires_in))


@token.command("list")
@click.option("--user", "username", default=None, help="Only this user's tokens.")
def token_list(username: str | None) -> None:
    """List tokens (id, user, name, created, expires, revoked), never their secrets."""
    with runtime().sessions() as s:
        rows = users.list_tokens(s, SYSTEM, username)
    for row in rows:
        click.echo(f"{row['id']}\t{row['username']}\t{row['name']}\t{row['created_at']}\t"
                   f"expires {row['expires_at'] or 'never'}\t"
                   f"{'revoked ' + row['revoked_at'] if row['revoked_at'] else 'active'}")


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke a token by its id (from `floorline token list`); it stops working at once."""
    with runtime().transaction() as s:
        click.echo(json.dumps(users.revoke_token(s, SYSTEM, token_id)))


@main.group()
def station() -> None:
    """Stations."""


@station.command("add")
@click.argument("name")
@click.option("--operation", required=True, help="Operation code the station serves.")
@click.option("--mode", type=click.Choice(["toggle", "complete"]), default="complete")
def station_add(name: str, operation: str, mode: str) -> None:
    """Register a station and print its token."""
    with runtime().transaction() as s:
        _, tok = plant.create_station(s, SYSTEM, name=name, operation=operation, scan_mode=mode)
    click.echo(tok)


@station.command("rotate-token")
@click.argument("name")
def station_rotate(name: str) -> None:
    """Replace a station's token and print the new one."""
    with runtime().transaction() as s:
        click.echo(plant.rotate_station_token(s, SYSTEM, name))


@main.command()
@click.argument("run")
@click.option("--format", "fmt", type=click.Choice(["pdf", "png", "svg", "zpl"]),
              default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="File to write (PNG and SVG come as a zip).")
@click.option("--layout", default=None, help="Label layout (default from settings).")
@click.option("--dpi", type=int, default=None, help="ZPL printer resolution (203 or 300).")
@click.option("--print", "printer", default=None, help="Also send to this configured printer.")
def labels(run: str, fmt: str, output: str, layout: str | None, dpi: int | None,
           printer: str | None) -> None:
    """Write the labels of a run's batches to a file (and optionally print them)."""
    from labels import render_labels

    from .printing import LabelPrinting
    from .services import labelling

    rt = runtime()
    with rt.sessions() as s:
        items = labelling.run_labels(s, run, rt.settings)
    with click.progressbar(length=len(items), label=f"{run}: {len(items)} labels",
                           file=sys.stderr) as bar:
        data = render_labels(items, fmt, layout or rt.settings.label_layout,  # type: ignore[arg-type]
                             lambda done, total: bar.update(done - bar.pos), dpi=dpi)
    Path(output).write_bytes(data)
    click.echo(f"wrote {len(items)} labels to {output}")
    if printer:
        job = LabelPrinting(rt.settings).print_now(printer, items, run)
        click.echo(f"printed as job {job.id} on {printer}")


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host: str, port: int) -> None:
    """Run the server (gevent; use gunicorn with deploy/gunicorn.conf.py in production)."""
    # gevent must patch the process before anything else is imported, so start afresh.
    os.execv(sys.executable, [sys.executable, "-m", "server.serve", "--host", host,  # noqa: S606
                              "--port", str(port)])


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-simulate", is_flag=True, help="Do not start simulated stations.")
@click.option("--step-seconds", default=12.0, show_default=True,
              type=click.FloatRange(min=0.01),
              help="Mean time a simulated station works on one batch.")
def demo(host: str, port: int, no_simulate: bool, step_seconds: float) -> None:
    """Migrate, seed a demo plant and serve it (with simulated stations working it)."""
    from .demo import run_demo
    run_demo(host=host, port=port, simulate=not no_simulate, step_seconds=step_seconds)


main.add_command(trace_command)
main.add_command(report)
main.add_command(recall_command)
main.add_command(audit_command)


def entry() -> None:  # pragma: no cover - console wrapper
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
