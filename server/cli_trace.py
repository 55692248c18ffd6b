"""`floorline trace back|forward CODE`: the trace as an indented tree, or the API's JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import click


def tree_lines(answer: dict[str, Any]) -> list[str]:
    """Return the trace as lines: each node under the node it was reached from, once."""
    forward = answer["direction"] == "forward"
    nodes = {(n["kind"], n["code"]): n for n in answer["nodes"]}
    below: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in answer["edges"]:
        here = (e["parent_kind"], e["parent"]) if forward else (e["child_kind"], e["child"])
        below[here].append(e)
    start = (answer["start"]["kind"], answer["start"]["code"])
    total = answer["total"]
    lines = [f"{start[0]} {start[1]}  {answer['direction']}"
             + (f", {total['quantity']} {total['unit']}" if total else "")]
    shown = {start}
    # Depth-first with an explicit stack: a chain of any depth prints without recursion.
    stack = [(e, 1) for e in reversed(below[start])]
    while stack:
        edge, depth = stack.pop()
        far = (edge["child_kind"], edge["child"]) if forward else (edge["parent_kind"],
                                                                   edge["parent"])
        arrow = "->" if forward else "<-"
        line = (f"{'  ' * depth}{edge['relation']} {edge['quantity']} {edge['unit']} {arrow} "
                f"{far[0]} {far[1]}")
        if far in shown:
            lines.append(f"{line}  (see above)")
            continue
        shown.add(far)
        lines.append(f"{line}{_supplier(nodes[far])}  {_share(nodes[far])}")
        stack.extend((e, depth + 1) for e in reversed(below[far]))
    return lines


def _supplier(node: dict[str, Any]) -> str:
    """Name a lot's supplier batch, which is what a recall notice quotes."""
    if not node.get("supplier_batch"):
        return ""
    supplier = f" from {node['supplier']}" if node.get("supplier") else ""
    return f" (supplier batch {node['supplier_batch']}{supplier})"


def _share(node: dict[str, Any]) -> str:
    if node["share"] is None:
        return "share unknown (units do not convert)"
    amount = f" = {node['amount']} {node['unit']}" if node["amount"] is not None else ""
    return f"share {node['share']}{amount}"


@click.command("trace")
@click.argument("direction", type=click.Choice(["back", "forward"]))
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON body instead.")
def trace_command(direction: str, code: str, as_json: bool) -> None:
    """Trace CODE (or kind:code) back to its sources or forward to where it went."""
    from .cli import runtime
    from .services import trace

    with runtime().sessions() as s:
        answer = trace.trace(s, code, direction)
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    for line in tree_lines(answer):
        click.echo(line)
