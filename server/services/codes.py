"""What a scanned code names: a batch, another kind of unit, or nothing we know."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..domain import numbering


def parse(raw: str) -> tuple[str, str]:
    """Return (kind, code) for a scanned text: kind is batch, run, serial or unknown."""
    text = raw.strip()
    if "://" in text:
        path = urlsplit(text).path.rstrip("/")
        if path.startswith("/b/"):
            text = path[3:]
    if numbering.is_batch_code(text):
        return "batch", text
    if numbering.is_run_number(text):
        return "run", text
    if numbering.is_serial(text):
        return "serial", text
    return "unknown", text
