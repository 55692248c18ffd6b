"""A job's label scanned at a station opens its receipt form where the station serves the
job's stage, and is refused in words elsewhere; it never moves a batch, and applies once."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.domain.jobs import OutputType
from server.models import Batch, JobReceipt, ScanEvent, Station
from server.services import jobs, runs, stages
from server.services.actors import SYSTEM
from server.services.job_receipts import ReceiptSpec, Row, receive
from server.services.jobs import IssueLine, JobSpec
from server.services.scans import record_scan
from tests.support.lines import cut_weld_line
from tests.support.stock import lot_of, store


@pytest.fixture
def floor(runtime):
    """FAB served by cut-1, POL by weld-1, cut-2 serving no stage; a job at FAB of a 5 kg lot
    (10 pieces)."""
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s, cut_stations=("cut-1", "cut-2"))
        stages.create_stage(s, SYSTEM, code="FAB", name="Fabrication", stations=["cut-1"])
        stages.create_stage(s, SYSTEM, code="POL", name="Polishing", stations=["weld-1"])
        lot = lot_of(s, 5).number
        job = jobs.create(s, SYSTEM, JobSpec(stage="FAB", issues=[IssueLine(lot=lot, pieces=10)]))
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, job["number"]


def scan(runtime, station_id, code, event_id=None):
    body = {"event_id": event_id or str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    return record_scan(runtime.engine, station_id, body, runtime.settings).ack


def count(runtime, model):
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_job_scanned_at_its_stages_station_opens_its_receipt_form(runtime, floor):
    ids, number = floor
    ack = scan(runtime, ids["cut-1"], number)
    assert (ack["outcome"], ack["transition"], ack["job"]) == ("accepted", "job_opened", number)
    assert ack["stage"] == {"code": "FAB", "name": "Fabrication"}
    assert ack["pending"] == {"pieces": 10, "weight": "5000", "unit": "g"}
    assert ack["products"] == "STEEL" and "reason" not in ack
    assert count(runtime, JobReceipt) == 0  # the scan opens the form; it receives nothing


def test_a_job_scanned_at_another_stages_station_is_refused_as_wrong_stage(runtime, floor):
    ids, number = floor
    ack = scan(runtime, ids["weld-1"], number)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "wrong_stage")
    assert ack["message"] == "This job is at another stage"
    assert ack["stage"]["code"] == "FAB" and ack["station_stage"]["code"] == "POL"


def test_a_job_scanned_at_a_station_serving_no_stage_is_refused(runtime, floor):
    ids, number = floor
    ack = scan(runtime, ids["cut-2"], number)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "no_stage_here")
    assert ack["message"] == "This station serves no production stage"


def test_a_completed_job_scanned_at_its_stage_is_refused_as_closed(runtime, floor):
    ids, number = floor
    with runtime.transaction() as s:
        done = receive(s, SYSTEM, number, ReceiptSpec(location="LINE", rows=[
            Row(output_type=OutputType.MATERIALS, item="STEEL", weight=Decimal(5),
                unit="kg", pieces=10)]))
        assert done["job"]["status"] == "completed"
    ack = scan(runtime, ids["cut-1"], number)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "job_closed")
    assert ack["message"] == "This job is completed or cancelled"


def test_an_unknown_job_is_an_unknown_code(runtime, floor):
    ids, _ = floor
    ack = scan(runtime, ids["cut-1"], "J-1999-00001")
    assert (ack["outcome"], ack["reason"], ack["job"]) == ("rejected", "unknown_code",
                                                           "J-1999-00001")


def test_a_resent_job_scan_answers_its_first_result_and_is_stored_once(runtime, floor):
    ids, number = floor
    event = str(uuid.uuid4())
    first = scan(runtime, ids["cut-1"], number, event)
    events = count(runtime, ScanEvent)
    assert scan(runtime, ids["cut-1"], number, event) == first
    assert count(runtime, ScanEvent) == events == 1


def test_a_job_scan_never_moves_the_batch_last_scanned_there(runtime, floor):
    ids, number = floor
    with runtime.transaction() as s:
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(2), "pcs", 1)])
    code = run["batches"][0]["code"]
    assert scan(runtime, ids["cut-1"], code)["outcome"] == "accepted"
    with runtime.sessions() as s:
        before = s.execute(select(Batch.state, Batch.step_index, Batch.version)
                           .where(Batch.code == code)).one()
    assert scan(runtime, ids["cut-1"], number)["transition"] == "job_opened"
    with runtime.sessions() as s:
        assert s.execute(select(Batch.state, Batch.step_index, Batch.version)
                         .where(Batch.code == code)).one() == before


def test_a_job_label_typed_in_lower_case_is_read_as_the_job(runtime, floor):
    ids, number = floor
    assert scan(runtime, ids["cut-1"], number.lower())["job"] == number
