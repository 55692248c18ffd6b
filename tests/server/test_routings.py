"""Routing versions: an edit makes a new version; batches on the floor keep the old one."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.domain.errors import GenealogyError
from server.errors import BadRequest, Conflict
from server.models import Batch, Station
from server.services import batches as batch_service
from server.services import catalog, plant, routings, runs
from server.services.actors import SYSTEM
from server.services.scans import record_scan


@pytest.fixture
def floor(runtime):
    """CUT, WELD and PAINT stations, an item routed CUT → WELD, a run of one batch on it."""
    with runtime.transaction() as s:
        for code in ("CUT", "WELD", "PAINT"):
            catalog.create_operation(s, SYSTEM, code=code, name=code.title())
            plant.create_station(s, SYSTEM, name=code.lower(), operation=code)
        catalog.create_item(s, SYSTEM, sku="F", name="F", kind="finished", unit="pcs",
                            routing=["CUT", "WELD"])
        old = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, old["batches"][0]["code"]


def scan(runtime, station_id, code):
    payload = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
               "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    return record_scan(runtime.engine, station_id, payload, runtime.settings).ack


def batch_state(runtime, code):
    with runtime.sessions() as s:
        b = s.scalars(select(Batch).where(Batch.code == code)).one()
        return b.state, b.step_index


def test_a_batch_made_before_a_routing_edit_finishes_on_its_old_steps(runtime, floor):
    ids, old = floor
    assert scan(runtime, ids["cut"], old)["outcome"] == "accepted"  # in flight at WELD
    with runtime.transaction() as s:
        saved = routings.save_routing(s, SYSTEM, "F", ["CUT", "PAINT", "WELD"], note="paint")
        new = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
    assert saved["routing_version"] == 2
    assert [v["active_batches"] for v in saved["versions"]] == [0, 1]
    fresh = new["batches"][0]["code"]
    # The old batch: WELD is its next and last step, whatever the item says now.
    assert scan(runtime, ids["paint"], old)["reason"] == "wrong_step"
    done = scan(runtime, ids["weld"], old)
    assert done["outcome"] == "accepted" and batch_state(runtime, old) == ("done", None)
    # The new run follows version 2: CUT, PAINT, WELD.
    for station in ("cut", "paint", "weld"):
        assert scan(runtime, ids[station], fresh)["outcome"] == "accepted", station
    assert batch_state(runtime, fresh) == ("done", None)
    with runtime.sessions() as s:
        assert batch_service.batch_detail(s, old)["routing"] == ["CUT", "WELD"]
        assert batch_service.batch_detail(s, fresh)["routing"] == ["CUT", "PAINT", "WELD"]
        assert runs.run_detail(s, runs.run_by_number(s, new["number"]))["routings"] == {
            "F": ["CUT", "PAINT", "WELD"]}


def test_split_children_keep_their_parents_routing_and_cannot_merge_across_versions(
        runtime, floor):
    _, old = floor
    with runtime.transaction() as s:
        parts = batch_service.split_batch(s, SYSTEM, old, parts=2)["children"]
        routings.save_routing(s, SYSTEM, "F", ["CUT"])
        new = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
    assert [p["routing_version"] for p in parts] == [1, 1]
    with pytest.raises(GenealogyError, match="routing versions"), runtime.transaction() as s:
        batch_service.merge_batches(s, SYSTEM, [parts[0]["code"], new["batches"][0]["code"]])


def test_saving_the_same_routing_makes_no_new_version(runtime, floor):
    with runtime.transaction() as s:
        assert routings.save_routing(s, SYSTEM, "F", ["CUT", "WELD"])["routing_version"] == 1


def test_an_operation_in_a_current_routing_cannot_be_archived_and_an_archived_one_not_used(
        runtime, floor):
    with pytest.raises(Conflict), runtime.transaction() as s:
        catalog.update_operation(s, SYSTEM, "WELD", archived=True)
    with runtime.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="OLD", name="Old")
        assert catalog.update_operation(s, SYSTEM, "OLD", archived=True)["archived"]
    with pytest.raises(BadRequest, match="archived"), runtime.transaction() as s:
        routings.save_routing(s, SYSTEM, "F", ["CUT", "OLD"])


def test_archived_items_and_disabled_machines_take_no_new_runs(runtime, floor):
    from server.services import machines

    with runtime.transaction() as s:
        plant.create_machine(s, SYSTEM, code="SAW", name="Saw", station="cut")
        assert machines.update_machine(s, SYSTEM, "SAW", enabled=False)["enabled"] is False
    with pytest.raises(Conflict, match="disabled"), runtime.transaction() as s:
        runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1, ["SAW"])])
    with runtime.transaction() as s:
        catalog.update_item(s, SYSTEM, "F", archived=True)
    with pytest.raises(Conflict, match="archived"), runtime.transaction() as s:
        runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
