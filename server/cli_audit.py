"""`floorline audit verify`: walk the hash chain and name the first broken entry."""

from __future__ import annotations

import json

import click


@click.group("audit")
def audit_command() -> None:
    """The audit trail."""


@audit_command.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON body instead.")
def verify_command(as_json: bool) -> None:
    """Check every audit entry's hash and link; exit 1 at the first broken one.

    Entries still waiting for their seal (written while another transaction held the chain
    lock, with no audited change since) are sealed first, so the walk covers them."""
    from .cli import runtime
    from .db import writer
    from .services import audit

    rt = runtime()
    audit.seal_pending(writer(rt.engine))
    with rt.sessions() as s:
        answer = audit.verify_chain(s)
    if as_json:
        click.echo(json.dumps(answer, indent=2))
    elif answer["ok"]:
        click.echo(f"{answer['message']} (head {answer['head']})")
    else:
        click.echo(answer["message"], err=True)
    if not answer["ok"]:
        raise SystemExit(1)
