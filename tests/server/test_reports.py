"""Reports on seeded step executions with known answers, on each backend."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.errors import Unprocessable
from server.models import AuditRecord, Batch, RoutingStep, Station, StepExecution
from server.services import batches, catalog, plant, runs
from server.services.actors import SYSTEM
from server.services.report_index import make_report
from server.settings import Settings, SettingsError

D = Decimal
DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)


# batch index, operation, station, started, finished, in, good, rejected, scrapped, undone
EXECUTIONS = [
    (0, "CUT", "cut-1", at(2, 6), at(2, 6, 10), 10, 10, 0, 0, False),
    (1, "CUT", "cut-1", at(2, 6, 10), at(2, 6, 30), 10, 8, 1, 1, False),
    (2, "CUT", "cut-1", at(2, 13, 50), at(2, 13, 59, 59), 10, 10, 0, 0, False),  # early
    (3, "CUT", "cut-1", at(2, 13, 55), at(2, 14), 10, 10, 0, 0, False),  # late
    (0, "CUT", "cut-1", at(2, 7), at(2, 9), 10, 10, 0, 0, True),  # undone: never counts
    (0, "WELD", "weld-1", at(2, 22, 30), at(3, 3), 10, 10, 0, 0, False),  # night of the 2nd
    (1, "WELD", "weld-1", at(1, 23), at(2, 5), 10, 10, 0, 0, False),  # night of the 1st
    (2, "WELD", "weld-1", at(2, 15), at(2, 15), 10, 10, 0, 0, False),  # one scan: untimed
]


@pytest.fixture
def floor(runtime):
    """Two operations, a run of four FRAME batches and their step executions above."""
    with runtime.transaction() as s:
        for code in ("CUT", "WELD"):
            catalog.create_operation(s, SYSTEM, code=code, name=code.title())
        catalog.create_item(s, SYSTEM, sku="FRAME", name="Frame", kind="finished", unit="pcs",
                            routing=["CUT", "WELD"])
        plant.create_station(s, SYSTEM, name="cut-1", operation="CUT")
        plant.create_station(s, SYSTEM, name="weld-1", operation="WELD")
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("FRAME", D(10), "pcs", 4)])
        codes = [b["code"] for b in run["batches"]]
        ids = {b.code: b.id for b in s.scalars(select(Batch))}
        stations = {st.name: st.id for st in s.scalars(select(Station))}
        steps = {st.operation.code: (st.id, st.position) for st in s.scalars(select(RoutingStep))}
        for i, op, station, started, finished, qin, good, rej, scrap, undone in EXECUTIONS:
            step_id, position = steps[op]
            s.add(StepExecution(batch_id=ids[codes[i]], step_id=step_id, position=position,
                                station_id=stations[station], started_at=started,
                                finished_at=finished, quantity_in=D(qin), quantity_good=D(good),
                                quantity_rejected=D(rej), quantity_scrapped=D(scrap),
                                undone_at=finished if undone else None))
    return codes


def report(runtime, name, first=DAY, last=DAY, now=NOW):
    with runtime.sessions() as s:
        return make_report(s, runtime.settings, name, first, last, now=now)


def test_output_counts_each_shift_by_the_day_it_started_with_exact_boundaries(runtime, floor):
    rows = report(runtime, "output")["rows"]
    assert [(r["day"], r["shift"], r["station"], r["steps"], r["batches"], r["good"])
            for r in rows] == [
        ("2026-03-02", "early", "cut-1", 3, 3, "28"),
        ("2026-03-02", "late", "cut-1", 1, 1, "10"),
        ("2026-03-02", "late", "weld-1", 1, 1, "10"),
        ("2026-03-02", "night", "weld-1", 1, 1, "10"),
    ]


def test_output_follows_the_plant_time_zone(runtime, floor):
    # Berlin is UTC+1 in March: 13:59:59 UTC is 14:59:59 there, the late shift, and the
    # weld finished at 05:00 UTC ends at 06:00, in the early shift of the 2nd.
    runtime.settings = replace(runtime.settings, plant_timezone="Europe/Berlin")
    rows = report(runtime, "output")["rows"]
    assert [(r["shift"], r["station"], r["steps"]) for r in rows] == [
        ("early", "cut-1", 2), ("early", "weld-1", 1), ("late", "cut-1", 2),
        ("late", "weld-1", 1), ("night", "weld-1", 1)]


def test_cycle_time_takes_linear_percentiles_and_counts_single_scans_as_untimed(runtime, floor):
    rows = report(runtime, "cycle-time")["rows"]
    assert rows == [
        # 300, 599, 600, 1200 s: median 599.5, p90 = 600 + 0.7 x 600
        {"operation": "CUT", "name": "Cut", "count": 4, "median_s": "599.5", "p90_s": "1020",
         "untimed": 0},
        # the night weld finished on the 3rd: outside the day; the one-scan weld is untimed
        {"operation": "WELD", "name": "Weld", "count": 1, "median_s": "21600",
         "p90_s": "21600", "untimed": 1},
    ]


def test_yield_sums_quantities_and_gives_exact_rates(runtime, floor):
    rows = report(runtime, "yield")["rows"]
    assert rows == [
        {"item": "FRAME", "operation": "CUT", "unit": "pcs", "in": "40", "good": "38",
         "rejected": "1", "scrapped": "1", "waste": "0", "yield": "0.95",
         "reject_rate": "0.025", "scrap_rate": "0.025", "waste_rate": "0"},
        {"item": "FRAME", "operation": "WELD", "unit": "pcs", "in": "20", "good": "20",
         "rejected": "0", "scrapped": "0", "waste": "0", "yield": "1", "reject_rate": "0",
         "scrap_rate": "0", "waste_rate": "0"},
    ]


def test_reasons_count_holds_and_scraps_per_item_and_operation_leaving_out_undone(runtime,
                                                                                   floor):
    with runtime.transaction() as s:
        batches.hold_batch(s, SYSTEM, floor[0], "misaligned")
        batches.hold_batch(s, SYSTEM, floor[3], "misaligned ")
        batches.scrap_batch(s, SYSTEM, floor[2], "crack")
        scrap = batches.scrap_batch(s, SYSTEM, floor[1], "=HYPERLINK(\"x\")")
        s.flush()
        last = s.scalars(select(AuditRecord).where(AuditRecord.entity_key == scrap["code"],
                                                   AuditRecord.action == "batch.scrap")).one()
        s.add(AuditRecord(actor="sam", action="batch.undo", entity_type="batch",
                          entity_key=scrap["code"], changes={"undoes": f"audit:{last.id}"}))
    today = datetime.now(UTC).date()
    rows = report(runtime, "reasons", today, today, datetime.now(UTC))["rows"]
    assert rows == [
        {"item": "FRAME", "operation": "CUT", "kind": "hold", "reason": "misaligned",
         "count": 2},
        {"item": "FRAME", "operation": "CUT", "kind": "scrap", "reason": "crack", "count": 1},
    ]


def test_wip_ageing_buckets_batches_by_their_last_move(runtime, floor):
    now = at(2, 12)
    # index: state, step, last scan, created
    place = {0: ("waiting", 0, None, now - timedelta(minutes=30)),
             1: ("in_process", 1, now - timedelta(hours=3), now - timedelta(days=9)),
             2: ("waiting", 0, now - timedelta(hours=4), now - timedelta(days=9)),
             3: ("waiting", 0, None, now - timedelta(days=2))}
    with runtime.transaction() as s:
        for i, code in enumerate(floor):
            batch = s.scalars(select(Batch).where(Batch.code == code)).one()
            batch.state, batch.step_index, batch.last_scan_at, batch.created_at = place[i]
        extra = runs.create_run(s, SYSTEM, [runs.BatchSpec("FRAME", D(1), "pcs", 1)])
        done = s.scalars(select(Batch).where(Batch.code == extra["batches"][0]["code"])).one()
        done.state, done.step_index = "done", None
    result = report(runtime, "wip-ageing", now=now)
    assert result["rows"] == [
        {"operation": "CUT", "under_1h": 1, "1h_to_4h": 0, "4h_to_24h": 1, "over_24h": 1,
         "total": 3},
        {"operation": "WELD", "under_1h": 0, "1h_to_4h": 1, "4h_to_24h": 0, "over_24h": 0,
         "total": 1},
    ]
    assert [(b["batch"], b["operation"], b["age_s"]) for b in result["oldest"]] == [
        (floor[3], "CUT", 2 * 86400), (floor[2], "CUT", 4 * 3600),
        (floor[1], "WELD", 3 * 3600), (floor[0], "CUT", 1800)]


def test_the_default_range_is_the_last_seven_plant_days(runtime, floor):
    result = report(runtime, "output", None, None)
    assert (result["from"], result["to"]) == ("2026-02-26", "2026-03-04")
    assert len(result["rows"]) == 5  # the night shift of the 1st is in range now


@pytest.mark.parametrize(("first", "last"), [(date(2026, 3, 5), date(2026, 3, 4)),
                                             (date(2025, 1, 1), date(2026, 3, 1)),
                                             (date(1, 1, 1), None)])
def test_a_backwards_too_long_or_far_range_is_refused(runtime, first, last):
    with pytest.raises(Unprocessable):
        report(runtime, "output", first, last)


@pytest.mark.parametrize(("setting", "message"), [
    ({"plant_timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
    ({"shifts": "early=06:00-14:00, late=12:00-20:00"}, "shifts early and late overlap"),
])
def test_a_bad_time_zone_or_shift_setting_stops_the_server_at_start(tmp_path, setting,
                                                                    message):
    with pytest.raises(SettingsError, match=message):
        Settings(instance_path=str(tmp_path), secret_key="k" * 40, **setting).resolved()
