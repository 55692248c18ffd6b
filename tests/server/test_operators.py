"""Who did the work: the station's logged-in operator, badge reads at its scanner, claims."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from server.models import ScanEvent, Station
from server.realtime.broadcast import Broadcaster
from server.services import batches as batch_service
from server.services import runs, users
from server.services.actors import SYSTEM
from server.services.scans import record_scan
from tests.support.lines import cut_weld_line

BADGE = "BADGE-7781"


@pytest.fixture
def line(runtime):
    """A CUT station and a toggle WELD station, Ana (badge) and Sam (supervisor badge + PIN)."""
    with runtime.transaction() as s:
        cut_weld_line(s)
        users.create_user(s, SYSTEM, username="ana", role="operator", display_name="Ana",
                          badge_code=BADGE)
        users.create_user(s, SYSTEM, username="sam", role="supervisor", display_name="Sam",
                          badge_code="BADGE-0002", pin="4321")
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    return ids, run["batches"][0]["code"]


def body(code: str, **extra: Any) -> dict[str, Any]:
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}


def scan(runtime, station_id: int, code: str, **extra: Any) -> dict[str, Any]:
    return record_scan(runtime.engine, station_id, body(code, **extra), runtime.settings).ack


def detail(runtime, code: str) -> dict[str, Any]:
    with runtime.sessions() as s:
        return batch_service.batch_detail(s, code)


def stored_codes(runtime) -> list[str]:
    with runtime.sessions() as s:
        return list(s.scalars(select(ScanEvent.raw_code)))


def test_a_badge_read_at_the_scanner_logs_its_operator_in_and_is_not_stored(runtime, line):
    ids, _ = line
    ack = scan(runtime, ids["weld-1"], BADGE)
    assert ack["outcome"] == "accepted"
    assert ack["login"] == {"username": "ana", "display_name": "Ana", "role": "operator"}
    assert BADGE not in repr(ack)
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0


def test_scans_after_a_badge_read_are_the_operators_including_who_finished_a_step(
        runtime, line):
    ids, code = line
    scan(runtime, ids["cut-1"], code)
    scan(runtime, ids["weld-1"], BADGE)
    assert scan(runtime, ids["weld-1"], code)["transition"] == "start"
    assert scan(runtime, ids["weld-1"], code)["transition"] == "finish"
    weld = detail(runtime, code)["executions"][1]
    assert (weld["operator"], weld["finished_by"]) == ("ana", "ana")
    cut = detail(runtime, code)["executions"][0]
    assert cut["operator"] is None  # nobody is logged in at cut-1


def test_a_station_claiming_an_operator_is_stored_as_a_claim_never_as_the_user(runtime, line):
    ids, code = line
    scan(runtime, ids["cut-1"], code, operator="admin")
    scans = detail(runtime, code)["scans"]
    assert [(s["operator"], s["operator_claimed"]) for s in scans] == [(None, "admin")]
    assert detail(runtime, code)["executions"][0]["operator"] is None


def test_a_claim_beside_the_logged_in_operator_is_kept_apart(runtime, line):
    ids, code = line
    scan(runtime, ids["cut-1"], BADGE)
    scan(runtime, ids["cut-1"], code, operator="admin")
    scans = detail(runtime, code)["scans"]
    assert [(s["operator"], s["operator_claimed"]) for s in scans] == [("ana", "admin")]


def test_an_idle_operator_is_logged_out_of_the_station(runtime, line):
    ids, code = line
    scan(runtime, ids["cut-1"], BADGE)
    idle = timedelta(minutes=runtime.settings.operator_idle_minutes + 1)
    with runtime.transaction() as s:
        s.execute(update(Station).where(Station.id == ids["cut-1"])
                  .values(operator_seen_at=datetime.now(UTC) - idle))
    scan(runtime, ids["cut-1"], code)
    assert detail(runtime, code)["executions"][0]["operator"] is None
    with runtime.sessions() as s:
        assert s.get(Station, ids["cut-1"]).operator_id is None


def test_a_supervisor_badge_at_the_scanner_grants_operator_rights_only(runtime, line):
    ids, _ = line
    ack = scan(runtime, ids["cut-1"], "BADGE-0002")
    assert ack["outcome"] == "accepted" and ack["login"]["role"] == "operator"


def test_an_unknown_badge_is_refused_and_neither_stored_nor_echoed(runtime, line):
    ids, _ = line
    ack = scan(runtime, ids["cut-1"], "BADGE-9999")
    assert ack["outcome"] == "rejected" and ack["reason"] == "not_authorized"
    assert "BADGE-9999" not in repr(ack)
    assert stored_codes(runtime) == []
    with runtime.sessions() as s:
        assert s.get(Station, ids["cut-1"]).operator_id is None


class FakeSio:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, Any]] = []

    def emit(self, event: str, data: Any, namespace: str, to: Any) -> None:
        self.sent.append((event, data, to))


def test_a_badge_read_is_never_broadcast_as_a_scan(runtime, line):
    ids, code = line
    sio = FakeSio()
    live = Broadcaster(sio, runtime)  # type: ignore[arg-type]
    for raw in (BADGE, "BADGE-9999"):
        live.scan(record_scan(runtime.engine, ids["cut-1"], body(raw), runtime.settings))
    live.scan(record_scan(runtime.engine, ids["cut-1"], body(code), runtime.settings))
    assert [e for e, _, _ in sio.sent] == ["operator_logged_in", "scan_recorded"]
    assert sio.sent[0][2] == "station:cut-1" and sio.sent[0][1]["username"] == "ana"
    assert "BADGE" not in repr(sio.sent)


def test_a_badge_refused_for_its_time_is_stored_without_its_code(runtime, line):
    ids, _ = line
    old = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    ack = scan(runtime, ids["cut-1"], BADGE, scanned_at=old)
    assert ack["outcome"] == "rejected"
    assert BADGE not in str(ack)
    assert all(BADGE not in code for code in stored_codes(runtime))
