"""`floorline recall CODE`: what a suspect code reached, shipped (by customer) or in stock
(by location) or in process, with shares; --json, --csv and --xlsx write the exports."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import click


def _share(a: dict[str, Any]) -> str:
    if a["share"] is None:
        return "share unknown"
    return f"share {a['share']} = {a['amount']} {a['unit']}"


def _origin(report: dict[str, Any]) -> str:
    o = report["origin"]
    name = "supplier batch" if o["kind"] == "supplier_batch" else o["kind"]
    item = f" ({o['item']} {o.get('item_name', '')}".rstrip() + (
        f", {o['supplier']})" if o.get("supplier") else ")") if o.get("item") else ""
    total = report["total"]
    size = f": {total['quantity']} {total['unit']}" if total else ""
    lots = f", lots {', '.join(o['lots'])}" if o.get("lots") else ""
    return f"Recall of {name} {o['code']}{item}{size}{lots}"


def _rows(rows: list[list[str]], indent: str) -> list[str]:
    """Return rows as aligned columns."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return the recall as lines: shipped by customer and shipment, in stock by location,
    then in process, each thing with its share of the suspect material."""
    lines, s = [_origin(report)], report["summary"]
    if not report["affected"]:
        lines.append("Nothing made from it: no serial, lot or batch contains it.")
        lines += [f"  in stock at {h['location']} {h['bin']}".rstrip()
                  + f": {h['quantity']} {h['unit']}" for h in report["origin"].get("in_stock", [])]
        return lines
    customers = ", ".join(s["customers"])
    lines.append(f"{s['affected']} affected: {s['shipped']} shipped"
                 + (f" to {customers}" if customers else "")
                 + f", {s['in_stock']} in stock, {s['in_process']} in process")
    shipped: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
    for a in report["affected"]:
        for sh in a["shipments"]:
            head = (f"{sh['customer']} {sh['customer_name']}", f"{sh['shipment']}"
                    + (f"  order {sh['order']}" if sh["order"] else "")
                    + f"  shipped {(sh['shipped_at'] or '')[:10]}")
            shipped[head].append([a["kind"], a["code"], a["item"],
                                  f"{sh['quantity']} {sh['unit']}", _share(a)])
    if shipped:
        lines.append("Shipped")
        customer = None
        for (who, shipment), rows in shipped.items():
            if who != customer:
                lines.append(f"  {who}")
                customer = who
            lines.append(f"    {shipment}")
            lines += _rows(rows, "      ")
    here = sorted((a for a in report["affected"] if a["in_stock"]),
                  key=lambda a: (a["in_stock"]["location"], a["in_stock"]["bin"], a["code"]))
    if here:
        lines.append("In stock")
        lines += _rows([[a["in_stock"]["location"], a["in_stock"]["bin"] or "-", a["kind"],
                         a["code"], a["item"], a["status"],
                         f"{a['in_stock']['quantity']} {a['in_stock']['unit']}", _share(a)]
                        for a in here], "  ")
    wip = [a for a in report["affected"] if a["kind"] == "batch"]
    if wip:
        lines.append("In process")
        lines += _rows([["batch", a["code"], a["item"], a["status"],
                         f"at {a['step'] or '-'}", f"run {a['run']}", _share(a)] for a in wip],
                       "  ")
    return lines


@click.command("recall")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON body instead.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the customer contact CSV to this file.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the spreadsheet of the chain's events to this file.")
def recall_command(code: str, as_json: bool, csv_path: Path | None,
                   xlsx_path: Path | None) -> None:
    """List what a suspect code (supplier batch, lot, batch, serial) reached."""
    from .api.csvfile import csv_text
    from .cli import runtime
    from .services import recall, recall_exports

    with runtime().sessions() as s:
        report = recall.recall(s, code)
        if csv_path is not None:
            csv_path.write_text(csv_text(recall_exports.CONTACT_COLUMNS,
                                         recall_exports.contact_rows(report)), encoding="utf-8")
        if xlsx_path is not None:
            xlsx_path.write_bytes(recall_exports.events_workbook(s, code))
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        for line in report_lines(report):
            click.echo(line)
    for path in (csv_path, xlsx_path):
        if path is not None:
            click.echo(f"wrote {path}", err=True)
