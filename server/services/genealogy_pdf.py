"""The genealogy report of a serial as a printable A4 PDF (reportlab platypus).

Text is set in the labels' TrueType font (DejaVu Sans where installed), so any name a
plant types prints; markup characters in it are escaped, never interpreted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from labels import fonts

SMALL = 7.5


def _styles() -> dict[str, ParagraphStyle]:
    font = fonts.ttf_name(fonts.default_font_path())
    return {"title": ParagraphStyle("title", fontName=font, fontSize=16, leading=20),
            "h2": ParagraphStyle("h2", fontName=font, fontSize=11, leading=14, spaceBefore=8,
                                 spaceAfter=4),
            "cell": ParagraphStyle("cell", fontName=font, fontSize=SMALL, leading=SMALL * 1.2)}


def _cells(rows: Sequence[Sequence[Any]], style: ParagraphStyle) -> list[list[Paragraph]]:
    return [[Paragraph(escape("" if v is None else str(v)), style) for v in row] for row in rows]


def _table(head: list[str], rows: list[list[Any]], style: ParagraphStyle,
           widths: list[float] | None = None) -> Table:
    table = Table(_cells([head, *rows], style), colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#94a3b8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _header(serial: dict[str, Any], style: ParagraphStyle) -> Table:
    pairs = [("Serial", serial["code"]), ("Item", f"{serial['item']} {serial['item_name']}"),
             ("Completed", serial["completed_at"]), ("Inspector", serial["inspector"]),
             ("Result", serial["result"]), ("Status", serial["status"]),
             ("Batch", serial["batch"] or serial["job"]), ("Run", serial["run"])]
    rows = [[a, b, c, d] for (a, b), (c, d) in zip(pairs[::2], pairs[1::2], strict=True)]
    table = Table(_cells(rows, style), colWidths=[25 * mm, 95 * mm, 25 * mm, 95 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f5f9")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f1f5f9"))]))
    return table


def genealogy_pdf(report: dict[str, Any]) -> bytes:
    """Render a genealogy report (report_genealogy.genealogy_report) as PDF bytes."""
    st = _styles()
    serial = report["serial"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                            title=f"Genealogy {serial['code']}", author="Floorline")
    story: list[Any] = [Paragraph(escape(f"Genealogy report — {serial['code']}"), st["title"]),
                        Spacer(1, 4 * mm), _header(serial, st["cell"])]
    story += [Paragraph("Materials", st["h2"]), _table(
        ["Lot", "Item", "Supplier", "Supplier batch", "Certificate", "Quantity", "Share"],
        [[m["lot"], f"{m['item']} {m['item_name']}", m["supplier"], m["supplier_batch"],
          m["certificate"], f"{m['quantity'] or '?'} {m['unit']}", m["share_decimal"]]
         for m in report["materials"]], st["cell"])]
    story += [Paragraph("Timeline of steps", st["h2"]), _table(
        ["Batch", "Operation", "Station", "Worker", "Start", "Finish", "Duration (s)",
         "In", "Good", "Scrapped", "Waste"],
        [[s["batch"], s["operation"], s["station"], s["operator"], s["started_at"],
          s["finished_at"], s["duration_s"], s["quantity_in"], s["good"], s["scrapped"],
          s["waste"]] for s in report["steps"]], st["cell"])]
    story += [Paragraph("Quality checks", st["h2"]), _table(
        ["Time", "Stage", "Subject", "Step", "Where", "Inspector", "Result", "Defects", "Notes"],
        [[c["at"], c["stage"], c["subject"], c["step"], c["where"], c["inspector"],
          c["result"], c["defects"], c["notes"]] for c in report["quality_checks"]],
        st["cell"])]
    doc.build(story)
    return out.getvalue()
