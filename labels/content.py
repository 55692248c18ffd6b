"""What a label says: the input record and its human-readable lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LabelData:
    """One batch label as the server hands it over; quantity is a string, never a float."""

    code: str
    item_sku: str
    item_name: str
    quantity: str
    unit: str
    run_number: str
    first_step: str | None = None
    due_date: str | None = None
    payload_text: str | None = None  # what the QR carries; None means the plain code
    # Lines that replace run/step/due for a unit that is not a batch (a lot: place, expiry).
    lines: tuple[str, ...] | None = None

    @property
    def qr_text(self) -> str:
        """Return the text the QR encodes."""
        return self.payload_text if self.payload_text is not None else self.code


def body_lines(label: LabelData) -> list[str]:
    """Return the lines printed under the batch code, in order."""
    lines = [
        f"{label.item_sku} {label.item_name}".strip(),
        f"Qty {label.quantity} {label.unit}".rstrip(),
    ]
    if label.lines is not None:
        return lines + list(label.lines)
    lines.append(f"Run {label.run_number}")
    if label.first_step:
        lines.append(f"Step {label.first_step}")
    if label.due_date:
        lines.append(f"Due {label.due_date}")
    return lines


def all_text(label: LabelData) -> str:
    """Return every human-readable string on the label, for font coverage checks."""
    return label.code + "".join(body_lines(label))


def fit_line(text: str, width: float, measure: Callable[[str], float]) -> str:
    """Return ``text`` cut with an ellipsis so that ``measure`` of it is at most ``width``."""
    if measure(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with its ellipsis
        mid = (low + high + 1) // 2
        if measure(text[:mid].rstrip() + "…") <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"
