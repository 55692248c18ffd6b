"""Quality checks: the results an inspection can record, and what each one does to stock."""

from __future__ import annotations

from enum import StrEnum


class InspectionResult(StrEnum):
    PASS = "pass"  # noqa: S105 (a result, not a password)
    FAIL = "fail"
    CONDITIONAL = "conditional"  # accepted with a note (a deviation the customer allows)


# A failed incoming inspection quarantines what it inspected; the others leave it as it is.
QUARANTINES = frozenset({InspectionResult.FAIL})


class CheckStage(StrEnum):
    """Where in the chain a quality check was made (the quality trail's sections)."""

    RECEIPT = "receipt"  # incoming inspection of a supplier lot
    STEP = "step"  # at a routing step flagged as a quality check
    FINAL = "final"  # the inspection that completes a run's batch or a job's output


class CheckSubject(StrEnum):
    """What a quality check inspected."""

    LOT = "lot"
    BATCH = "batch"
    STEP = "step"
    JOB = "job"
    SERIAL = "serial"
