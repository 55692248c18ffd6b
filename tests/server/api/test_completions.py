"""Completing batches over REST: serials or a finished lot, the final inspection, refusals
that write nothing, replays, and the genealogy edges a completion writes (jobs:
test_job_completions.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from server.models import GenealogyEdge, GenealogyNode
from tests.support.completions import complete, done_batch
from tests.support.receiving import receiving_plant
from tests.support.trace_floor import build_trace_floor, client_api


@pytest.fixture
def floor(app, plant_):
    receiving_plant(app)
    return plant_


def get(client, plant_, path):
    r = client.get(f"/api/v1{path}", headers=plant_.auth("viewer"))
    assert r.status_code == 200, r.json
    return r.json


def produced(app, parent):
    """Return (child kind, code, quantity) of every produce edge out of the batch's node."""
    rt = app.extensions["floorline"]
    with rt.sessions() as s:
        rows = s.execute(select(GenealogyNode.kind, GenealogyNode.code, GenealogyEdge.quantity)
                         .join(GenealogyEdge, GenealogyEdge.child_id == GenealogyNode.id)
                         .where(GenealogyEdge.parent_id == select(GenealogyNode.id).where(
                             GenealogyNode.code == parent).scalar_subquery(),
                             GenealogyEdge.relation == "produce"))
        return sorted((k, c, str(q.normalize())) for k, c, q in rows)


def test_completing_a_done_batch_makes_one_serial_per_good_piece(app, client, floor):
    code = done_batch(client, floor)
    r = complete(client, floor, code, quantity_completed=5, quantity_defective=1, bin="B2",
                 notes="two scratches polished", completed_at="2026-03-07T10:00:00Z")
    assert r.status_code == 201, r.json
    c = r.json["completion"]
    assert (c["batch"], c["item"], c["quantity_completed"], c["quantity_defective"],
            c["unit"], c["inspector"], c["result"], c["output"]) == \
        (code, "FRAME", "5", "1", "pcs", "Quinn", "pass", "serials")
    assert c["completed_at"].startswith("2026-03-07T10:00:00") and c["run"].startswith("PR-")
    codes = [s["code"] for s in r.json["serials"]]
    assert codes == [f"FRAME-2026-0307-000{n}" for n in range(1, 5)]
    assert {(s["status"], s["location"], s["bin"]) for s in r.json["serials"]} == \
        {("in_stock", "RACK-A", "B2")}
    assert r.json["lot"] is None
    detail = get(client, floor, f"/serials/{codes[0]}")
    assert (detail["item"], detail["item_name"], detail["status"], detail["batch"]) == \
        ("FRAME", "Frame", "in_stock", code)
    assert detail["shipment"] is None and detail["completion"]["id"] == c["id"]
    assert [(q["stage"], q["result"], q["defects"]) for q in detail["quality_checks"]] == \
        [("final", "pass", 1)]
    assert produced(app, code) == [("serial", c, "1") for c in codes]


def test_a_lot_output_produces_stock_and_a_failed_inspection_quarantines_it(app, client,
                                                                            floor):
    code = done_batch(client, floor, quantity="8.5", item="ROD", unit="kg")
    r = complete(client, floor, code, quantity_completed="8.5", quantity_defective="0.5",
                 output="lot", result="fail", location="RACK-B", bin="7")
    assert r.status_code == 201, r.json
    lot = r.json["lot"]
    assert (lot["item"], lot["quantity"], lot["unit"], lot["location"], lot["bin"],
            lot["status"]) == ("ROD", "8", "kg", "RACK-B", "7", "quarantined")
    stock = get(client, floor, f"/lots/{lot['number']}")
    assert stock["on_hand"] == "8" and stock["status"] == "quarantined"
    assert r.json["serials"] == []
    assert produced(app, code) == [("lot", lot["number"], "8")]


def test_a_failed_final_inspection_quarantines_the_serials(client, floor):
    code = done_batch(client, floor)
    r = complete(client, floor, code, quantity_completed=2, result="fail")
    assert {s["status"] for s in r.json["serials"]} == {"quarantined"}
    assert get(client, floor, "/serials?status=quarantined")["total"] == 2


def test_completions_of_one_batch_add_up_to_its_good_quantity(client, floor, row_counts):
    code = done_batch(client, floor)
    assert complete(client, floor, code, quantity_completed=3).status_code == 201
    before = row_counts()
    r = complete(client, floor, code, quantity_completed=3)
    assert r.status_code == 422 and r.json["code"] == "more_than_came_in"
    assert r.json["detail"]["available"] == "2"
    assert row_counts() == before
    assert complete(client, floor, code, quantity_completed=2).status_code == 201
    again = complete(client, floor, code, quantity_completed=1)
    assert again.status_code == 422 and again.json["detail"]["available"] == "0"


def test_a_repeat_with_the_same_event_id_answers_the_first_completion(client, floor, row_counts):
    code = done_batch(client, floor)
    event = str(uuid.uuid4())
    first = complete(client, floor, code, quantity_completed=2, event_id=event)
    before = row_counts()
    second = complete(client, floor, code, quantity_completed=2, event_id=event)
    assert second.status_code == 201 and second.json == first.json
    assert row_counts() == before


BAD_COMPLETIONS = [
    ({"quantity_completed": 6}, 422, "more_than_came_in"),
    ({"quantity_completed": 0}, 400, None),
    ({"quantity_completed": 2, "quantity_defective": 3}, 400, "invalid_quantity"),
    ({"quantity_completed": "2.5"}, 422, "not_countable"),
    ({"quantity_completed": 2.5}, 422, "float_amount"),
    ({"result": "maybe"}, 400, None),
    ({"output": "boxes"}, 400, None),
    ({"location": "NOWHERE"}, 404, "unknown_location"),
    ({"location": "RACK-A'; DROP TABLE serials; --"}, 400, None),
    ({"notes": "x" * 2001}, 400, None),
    ({"event_id": "not-a-uuid"}, 400, None),
    ({"inspector": "bad\u202ename"}, 400, None),
]


def test_bad_completions_are_refused_and_write_nothing(client, floor, row_counts):
    batch = done_batch(client, floor)
    before = row_counts()
    for body, status, code in BAD_COMPLETIONS:
        r = complete(client, floor, batch, **body)
        assert r.status_code == status, (body, r.json)
        if code:
            assert r.json["code"] == code, body
        assert row_counts() == before, body


def test_a_batch_not_done_or_unknown_or_the_wrong_role_is_refused(client, floor, row_counts):
    run = client.post("/api/v1/runs", json={"lines": [{"item": "FRAME", "quantity": 5,
                                                       "unit": "pcs", "batches": 1}]},
                      headers=floor.auth("planner")).json
    waiting = run["batches"][0]["code"]
    done = done_batch(client, floor)
    before = row_counts()
    r = complete(client, floor, waiting)
    assert r.status_code == 409 and r.json["code"] == "batch_not_done"
    r = complete(client, floor, "B-2026-999999")
    assert r.status_code == 404 and r.json["code"] == "unknown_code"
    assert complete(client, floor, done, role="viewer").status_code == 403
    r = client.post(f"/api/v1/batches/{done}/complete", json={"quantity_completed": 1})
    assert r.status_code == 401
    assert row_counts() == before


def test_serials_take_the_item_serial_type_and_count_per_type_and_day(client, floor):
    auth = floor.auth("planner")
    r = client.put("/api/v1/items/FRAME/serial-type", json={"serial_type": "fr2"}, headers=auth)
    assert r.json == {"sku": "FRAME", "serial_type": "FR2", "serial_type_set": "FR2"}
    bad = client.put("/api/v1/items/FRAME/serial-type", json={"serial_type": "BADGE"},
                     headers=auth)
    assert bad.status_code == 400
    a, b = done_batch(client, floor), done_batch(client, floor)
    day = {"completed_at": "2026-05-01T08:00:00+00:00"}
    first = complete(client, floor, a, quantity_completed=2, **day).json["serials"]
    second = complete(client, floor, b, quantity_completed=2, **day).json["serials"]
    assert [s["code"] for s in first + second] == [f"FR2-2026-0501-000{n}" for n in (1, 2, 3, 4)]
    other = complete(client, floor, b, quantity_completed=1,
                     completed_at="2026-05-02T08:00:00Z").json["serials"]
    assert other[0]["code"] == "FR2-2026-0502-0001"
    item = client.patch("/api/v1/items/FRAME", json={"serial_type": ""}, headers=auth).json
    assert (item["serial_type"], item["serial_type_set"]) == ("FRAME", None)


def test_the_serial_list_filters_and_searches(client, floor):
    code = done_batch(client, floor)
    complete(client, floor, code, quantity_completed=3)
    assert get(client, floor, "/serials?item=FRAME")["total"] == 3
    assert get(client, floor, "/serials?q=0002")["serials"][0]["code"].endswith("-0002")
    assert get(client, floor, "/serials?status=shipped")["total"] == 0
    assert get(client, floor, "/serials?q=%25")["total"] == 0
    bad = client.get("/api/v1/serials?status=lost", headers=floor.auth("viewer"))
    assert bad.status_code == 400
    unknown = client.get("/api/v1/serials/FRAME-2026-0101-9999", headers=floor.auth("viewer"))
    assert unknown.status_code == 404 and unknown.json["code"] == "unknown_code"


def test_the_trace_floor_completes_split_and_merged_batches_into_serials(client, plant_):
    floor = build_trace_floor(client_api(client, plant_.tokens["admin"]))
    assert len(floor.serials["1a"]) == 3 and len(floor.serials["M"]) == 9
    assert len(set(floor.all_serials)) == 12
    assert all(code.startswith("BRK-") for code in floor.all_serials)
    serial = get(client, plant_, f"/serials/{floor.serials['M'][0]}")
    assert serial["batch"] == floor.batches["M"] and serial["run"] == floor.run
    back = get(client, plant_, f"/trace/{floor.serials['M'][0]}?direction=back")
    shares = {n["code"]: n["share"] for n in back["nodes"] if n["kind"] == "lot"}
    assert shares == {floor.lots["HEAT-A"]: "1/3", floor.lots["HEAT-B"]: "2/3"}
    only_a = get(client, plant_, f"/trace/{floor.serials['1a'][0]}?direction=back")
    assert {n["code"] for n in only_a["nodes"] if n["kind"] == "lot"} == {floor.lots["HEAT-A"]}


def test_labels_of_a_serial_and_a_completion_sheet(client, floor):
    code = done_batch(client, floor)
    answer = complete(client, floor, code, quantity_completed=2).json
    serial = answer["serials"][0]["code"]
    for fmt, start in (("png", b"PK"), ("pdf", b"%PDF"), ("zpl", b"^XA")):
        r = client.get(f"/api/v1/serials/{serial}/label.{fmt}", headers=floor.auth("viewer"))
        assert r.status_code == 200 and r.data.startswith(start), fmt
    sheet = client.get(f"/api/v1/completions/{answer['completion']['id']}/labels.pdf",
                       headers=floor.auth("viewer"))
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")
    missing = client.get("/api/v1/completions/999/labels.pdf", headers=floor.auth("viewer"))
    assert missing.status_code == 404


def test_a_serial_scanned_at_a_station_is_refused_naming_the_serial(client, floor):
    code = done_batch(client, floor)
    serial = complete(client, floor, code, quantity_completed=1).json["serials"][0]["code"]
    body = {"event_id": str(uuid.uuid4()), "code": serial, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    ack = client.post("/api/v1/scans", json=body, headers=floor.station("cut-1")).json
    assert (ack["outcome"], ack["reason"], ack["serial"], ack["item"], ack["serial_status"]) \
        == ("rejected", "not_a_batch", serial, "FRAME", "in_stock")
    again = client.post("/api/v1/scans", json=body, headers=floor.station("cut-1")).json
    assert again["serial"] == serial  # a resend answers the first ack, serial and all
