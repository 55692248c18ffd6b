"""Supervisor reports: output per shift and station, cycle times, yields, WIP ageing.

Each report returns plain rows (amounts as decimal text) with its column keys in order, so
the API, the CSV file and the page show the same numbers. Step executions count when
finished and not undone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ..domain.quantities import amount_text
from ..domain.reports import parse_shifts, percentile, rate, seconds, shift_of
from ..models import Batch, Item, Operation, RoutingStep, Station, StepExecution
from ..settings import Settings

ZERO = Decimal(0)


# "from" is a Python keyword: the functional form.
Report = TypedDict("Report", {"report": str, "from": str, "to": str, "timezone": str,
                              "columns": list[str], "rows": list[dict[str, Any]]})


@dataclass(frozen=True)
class Window:
    """Report days first..last (inclusive) in the plant's time zone."""

    first: date
    last: date
    zone: ZoneInfo

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.zone).astimezone(UTC)

    @property
    def start(self) -> datetime:
        return self.at(self.first)

    @property
    def end(self) -> datetime:
        return self.at(self.last + timedelta(days=1))


def window(settings: Settings, first: date | None, last: date | None, *,
           now: datetime) -> Window:
    """Return the report window; by default the last 7 days, today included."""
    zone = ZoneInfo(settings.plant_timezone)
    today = now.astimezone(zone).date()
    last = last or (today if first is None else first + timedelta(days=6))
    return Window(first or last - timedelta(days=6), last, zone)


def _finished(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    """Where a step execution finished in [start, end) and was not undone."""
    return (StepExecution.finished_at.is_not(None), StepExecution.undone_at.is_(None),
            StepExecution.finished_at >= start, StepExecution.finished_at < end)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else amount_text(value)


@dataclass
class _Tally:
    steps: int = 0
    batches: set[int] = field(default_factory=set)
    good: Decimal = ZERO

    def add(self, batch_id: int, good: Decimal) -> None:
        self.steps += 1
        self.batches.add(batch_id)
        self.good += good


def output_by_shift(session: Session, settings: Settings, win: Window) -> Report:
    """Good quantity, steps and batches completed per shift day, shift and station."""
    shifts = parse_shifts(settings.shifts)
    # A night shift of the last day runs into the next one; one of the first day's early
    # hours belongs to the day before: fetch a day either side, keep rows by shift day.
    stmt = (select(StepExecution.finished_at, StepExecution.batch_id,
                   StepExecution.quantity_good, Station.name, Operation.code, Batch.unit)
            .join(Station, StepExecution.station_id == Station.id)
            .join(Operation, Station.operation_id == Operation.id)
            .join(Batch, StepExecution.batch_id == Batch.id)
            .where(*_finished(win.at(win.first - timedelta(days=1)),
                              win.at(win.last + timedelta(days=2)))))
    tallies: dict[tuple[str, int, str, str, str, str], _Tally] = defaultdict(_Tally)
    order = {s.name: i for i, s in enumerate(shifts)}  # shifts in their settings' order
    for finished, batch_id, good, station, operation, unit in session.execute(stmt):
        assert finished is not None  # the query's rule
        day, shift = shift_of(finished.astimezone(win.zone), shifts)
        if win.first <= day <= win.last:
            key = (day.isoformat(), order.get(shift, len(order)), shift, station, operation,
                   unit)
            tallies[key].add(batch_id, good or ZERO)
    rows = [{"day": k[0], "shift": k[2], "station": k[3], "operation": k[4], "unit": k[5],
             "steps": t.steps, "batches": len(t.batches), "good": _text(t.good)}
            for k, t in sorted(tallies.items())]
    return report_of("output", win, ["day", "shift", "station", "operation", "unit",
                                        "steps", "batches", "good"], rows)


def cycle_times(session: Session, win: Window) -> Report:
    """Median and p90 of step durations per operation, in seconds (linear percentiles).

    A step finished by the scan that started it (a "complete" station) has no duration: it
    is counted as untimed, not as zero.
    """
    stmt = (select(StepExecution.started_at, StepExecution.finished_at, Operation.code,
                   Operation.name)
            .join(RoutingStep, StepExecution.step_id == RoutingStep.id)
            .join(Operation, RoutingStep.operation_id == Operation.id)
            .where(*_finished(win.start, win.end)))
    durations: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    untimed: dict[tuple[str, str], int] = defaultdict(int)
    for started, finished, code, name in session.execute(stmt):
        assert finished is not None  # the query's rule
        if finished > started:
            durations[(code, name)].append(seconds(finished - started))
        else:
            untimed[(code, name)] += 1
    rows = []
    for key in sorted(set(durations) | set(untimed)):
        values = durations.get(key, [])
        rows.append({"operation": key[0], "name": key[1], "count": len(values),
                     "median_s": _text(percentile(values, Decimal("0.5"))) if values else None,
                     "p90_s": _text(percentile(values, Decimal("0.9"))) if values else None,
                     "untimed": untimed.get(key, 0)})
    return report_of("cycle-time", win, ["operation", "name", "count", "median_s", "p90_s",
                                            "untimed"], rows)


def yields(session: Session, win: Window) -> Report:
    """Quantities in, good, rejected, scrapped and waste per item and operation, with rates."""
    stmt = (select(Item.sku, Operation.code, Batch.unit, StepExecution.quantity_in,
                   StepExecution.quantity_good, StepExecution.quantity_rejected,
                   StepExecution.quantity_scrapped, StepExecution.quantity_waste)
            .join(Batch, StepExecution.batch_id == Batch.id)
            .join(Item, Batch.item_id == Item.id)
            .join(RoutingStep, StepExecution.step_id == RoutingStep.id)
            .join(Operation, RoutingStep.operation_id == Operation.id)
            .where(*_finished(win.start, win.end)))
    sums: dict[tuple[str, str, str], list[Decimal]] = {}
    for sku, op, unit, *amounts in session.execute(stmt):
        total = sums.setdefault((sku, op, unit), [ZERO] * 5)
        sums[(sku, op, unit)] = [t + (a or ZERO) for t, a in zip(total, amounts, strict=True)]
    rows = []
    for (sku, op, unit), (qin, good, rejected, scrapped, waste) in sorted(sums.items()):
        rows.append({"item": sku, "operation": op, "unit": unit, "in": _text(qin),
                     "good": _text(good), "rejected": _text(rejected),
                     "scrapped": _text(scrapped), "waste": _text(waste),
                     "yield": _text(rate(good, qin)), "reject_rate": _text(rate(rejected, qin)),
                     "scrap_rate": _text(rate(scrapped, qin)),
                     "waste_rate": _text(rate(waste, qin))})
    return report_of("yield", win, ["item", "operation", "unit", "in", "good", "rejected",
                                       "scrapped", "waste", "yield", "reject_rate",
                                       "scrap_rate", "waste_rate"], rows)


def report_of(name: str, win: Window, columns: list[str], rows: list[dict[str, Any]]
              ) -> Report:
    """Return rows in the shape every report shares."""
    return {"report": name, "from": win.first.isoformat(), "to": win.last.isoformat(),
            "timezone": win.zone.key, "columns": columns, "rows": rows}
