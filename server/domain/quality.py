"""Quality checks: the results an inspection can record, and what each one does to stock."""

from __future__ import annotations

from enum import StrEnum


class InspectionResult(StrEnum):
    PASS = "pass"  # noqa: S105 (a result, not a password)
    FAIL = "fail"
    CONDITIONAL = "conditional"  # accepted with a note (a deviation the customer allows)


# A failed incoming inspection quarantines what it inspected; the others leave it as it is.
QUARANTINES = frozenset({InspectionResult.FAIL})
