"""Recall over REST: a supplier batch received twice, through a split, a merge and a job,
to serials and lots shipped to two customers or still in stock; holds and their release."""

from __future__ import annotations

import pytest

from tests.support.recall_floor import recall_floor


@pytest.fixture
def floor(app, client, plant_):
    return recall_floor(app, client, plant_)


def get(client, plant_, code, role="viewer"):
    return client.get(f"/api/v1/recall/{code}", headers=plant_.auth(role))


def by_code(body):
    return {a["code"]: a for a in body["affected"]}


def test_a_supplier_batch_received_twice_is_one_recall_with_shares_of_both_lots(
        client, plant_, floor):
    r = get(client, plant_, "HEAT-4711")
    assert r.status_code == 200, r.json
    body = r.json
    assert body["origin"]["kind"] == "supplier_batch"
    assert body["origin"]["lots"] == sorted([floor["a1"], floor["a2"]])
    assert (body["origin"]["item"], body["origin"]["supplier"]) == ("ROD", "STEELCO")
    assert body["total"] == {"quantity": "140", "unit": "kg"}
    found = by_code(body)
    s1, s2, s3 = floor["serials"]
    assert set(found) == {s1, s2, s3, floor["f"], floor["a1"], floor["a2"], floor["merged"]}
    assert [(found[s]["share"], found[s]["amount"]) for s in (s1, s2, s3)] == [("1/140", "1")] * 3
    assert (found[floor["merged"]]["share"], found[floor["merged"]]["amount"]) == ("9/140", "9")
    assert (found[floor["f"]]["share"], found[floor["f"]]["amount"]) == ("1/7", "20")
    assert found[floor["merged"]]["kind"] == "batch"
    assert found[floor["merged"]]["status"] == "waiting"
    assert found[floor["merged"]]["step"] == "CUT"


def test_shipped_things_name_customer_order_and_date_and_lots_show_both_halves(
        client, plant_, floor):
    found = by_code(get(client, plant_, "HEAT-4711").json)
    s1, s2, s3 = floor["serials"]
    assert found[s1]["shipped"] == {"shipment": "SH-2026-00001", "customer": "ACME",
                                    "customer_name": "Acme Ltd", "order": "SO-R-1",
                                    "shipped_at": "2026-12-02T09:00:00+00:00",
                                    "quantity": "1", "unit": "pcs"}
    assert found[s1]["in_stock"] is None and found[s2]["shipped"]["customer"] == "BETA"
    assert found[s3]["shipped"] is None
    assert found[s3]["in_stock"] == {"location": "RACK-B", "bin": "S1", "quantity": "1",
                                     "unit": "pcs"}
    lot_f = found[floor["f"]]
    assert lot_f["shipped"]["quantity"] == "8" and lot_f["in_stock"]["quantity"] == "10"
    assert found[floor["a1"]]["in_stock"] == {"location": "RACK-A", "bin": "", "quantity": "88",
                                              "unit": "kg"}


def test_the_list_is_shipped_first_by_customer_then_in_stock_by_location_then_in_process(
        client, plant_, floor):
    body = get(client, plant_, "HEAT-4711").json
    order = [(a["shipped"] or {}).get("customer") or (a["in_stock"] or {}).get("location")
             or a["kind"] for a in body["affected"]]
    assert order == ["ACME", "ACME", "BETA", "RACK-A", "RACK-A", "RACK-B", "batch"]
    assert body["summary"] == {"affected": 7, "shipped": 3, "in_stock": 4, "in_process": 1,
                               "customers": ["ACME", "BETA"]}


def test_a_supplier_batch_may_be_named_as_kind_and_code_too(client, plant_, floor):
    body = get(client, plant_, "supplier_batch:HEAT-4711").json
    assert body["origin"]["kind"] == "supplier_batch" and body["summary"]["affected"] == 7
    assert get(client, plant_, "supplier_batch:HEAT-NONE").status_code == 404


def test_the_other_supplier_batch_reaches_the_serials_but_not_the_job(client, plant_, floor):
    body = get(client, plant_, "HEAT-0815").json
    assert body["origin"]["kind"] == "supplier_batch" and body["origin"]["lots"] == [floor["c"]]
    assert body["total"] == {"quantity": "50", "unit": "kg"}
    found = by_code(body)
    assert floor["f"] not in found and floor["a1"] not in found
    assert {found[s]["share"] for s in floor["serials"]} == {"1/50"}
    assert found[floor["c"]]["in_stock"]["quantity"] == "38"


def test_a_serial_recalled_by_its_code_is_its_own_answer(client, plant_, floor):
    s1 = floor["serials"][0]
    body = get(client, plant_, s1).json
    assert body["origin"] == {"kind": "serial", "code": s1, "item": "FRAME",
                              "item_name": "Frame"}
    # It went to a customer: the answer is the serial itself, with where it went.
    [only] = body["affected"]
    assert (only["code"], only["share"], only["shipped"]["customer"]) == (s1, "1", "ACME")
    assert body["summary"]["customers"] == ["ACME"]


def test_a_lot_named_by_kind_and_code_is_recalled_alone(client, plant_, floor):
    body = get(client, plant_, f"lot:{floor['a2']}").json
    assert body["origin"]["kind"] == "lot" and body["origin"]["supplier_batch"] == "HEAT-4711"
    assert set(by_code(body)) == {floor["a2"], floor["f"]}
    assert by_code(body)[floor["f"]]["share"] == "1/2"  # 20 of the lot's 40 kg


def test_a_code_with_no_descendants_answers_an_empty_list(app, client, plant_, floor):
    body = {"supplier": "STEELCO", "invoice_number": "INV-9", "lines": [
        {"item": "ROD", "quantity": "5", "unit": "kg", "location": "RACK-A",
         "supplier_lot": "HEAT-9999"}]}
    assert client.post("/api/v1/receipts", json=body,
                       headers=plant_.auth("planner")).status_code == 201
    r = get(client, plant_, "HEAT-9999")
    assert r.status_code == 200, r.json
    assert r.json["affected"] == [] and r.json["summary"]["affected"] == 0
    assert r.json["origin"]["in_stock"] == [{"location": "RACK-A", "bin": "", "quantity": "5",
                                             "unit": "kg"}]


@pytest.mark.parametrize("code", ["NOPE-1", "'; DROP TABLE lots;--", "x" * 300, "lot:NOPE",
                                  "%E2%80%AE"])
def test_an_unknown_code_is_404_unknown_code(client, plant_, floor, code):
    r = get(client, plant_, code)
    assert r.status_code == 404 and r.json["code"] in ("unknown_code", "not_found")


def test_anonymous_callers_are_refused(client, floor):
    assert client.get("/api/v1/recall/HEAT-4711").status_code == 401


# -- holds ---------------------------------------------------------------------------------


def hold(client, plant_, code, reason="customer complaint 17", role="supervisor"):
    return client.post(f"/api/v1/recall/{code}/hold", json={"reason": reason},
                       headers=plant_.auth(role))


def release(client, plant_, number, reason="supplier cleared the heat", role="supervisor"):
    return client.post(f"/api/v1/recall-holds/{number}/release", json={"reason": reason},
                       headers=plant_.auth(role))


def statuses(client, plant_, floor):
    found = by_code(get(client, plant_, "HEAT-4711").json)
    return {code: found[code]["status"] for code in found}


def test_a_hold_quarantines_what_is_in_stock_and_stops_the_batch_in_process(
        client, plant_, floor, audit_count):
    before = audit_count()
    r = hold(client, plant_, "HEAT-4711")
    assert r.status_code == 201, r.json
    s1, s2, s3 = floor["serials"]
    assert r.json["number"].startswith("RH-2026-")
    assert r.json["origin"] == "supplier_batch:HEAT-4711"
    assert (r.json["reason"], r.json["held_by"]) == ("customer complaint 17", "supervisor")
    assert sorted((i["kind"], i["code"], i["previous_status"], i["status"])
                  for i in r.json["items"]) == sorted([
        ("lot", floor["a1"], "available", "quarantined"),
        ("lot", floor["a2"], "available", "quarantined"),
        ("lot", floor["f"], "available", "quarantined"),
        ("serial", s3, "in_stock", "quarantined"),
        ("batch", floor["merged"], "waiting", "on_hold")])
    now = statuses(client, plant_, floor)
    assert (now[s1], now[s2]) == ("shipped", "shipped")  # what left is not touched
    assert audit_count() - before == 6  # each item and the hold itself
    listed = get(client, plant_, "HEAT-4711").json["holds"]
    assert listed == [{"number": r.json["number"], "held_at": r.json["held_at"],
                       "released_at": None}]
    scan = client.get(f"/api/v1/batches/{floor['merged']}", headers=plant_.auth("viewer"))
    assert scan.json["state"] == "on_hold"


def test_a_release_restores_every_status_and_names_what_changed_meanwhile(
        app, client, plant_, floor):
    held = hold(client, plant_, "HEAT-4711").json
    s3 = floor["serials"][2]
    with app.extensions["floorline"].transaction() as s:
        from server.models import Serial
        s.query(Serial).filter_by(code=s3).one().status = "scrapped"  # found broken meanwhile
    r = release(client, plant_, held["number"])
    assert r.status_code == 200, r.json
    assert r.json["released_at"] and r.json["release_reason"] == "supplier cleared the heat"
    assert r.json["skipped"] == [f"serial:{s3}"]
    assert sorted(r.json["restored"]) == sorted([f"lot:{floor['a1']}", f"lot:{floor['a2']}",
                                                 f"lot:{floor['f']}",
                                                 f"batch:{floor['merged']}"])
    now = statuses(client, plant_, floor)
    assert (now[floor["a1"]], now[floor["f"]], now[floor["merged"]], now[s3]) == (
        "available", "available", "waiting", "scrapped")
    detail = client.get(f"/api/v1/recall-holds/{held['number']}", headers=plant_.auth("viewer"))
    assert detail.status_code == 200 and detail.json["released_by"] == "supervisor"
    # Released, the origin may be held again.
    assert hold(client, plant_, "HEAT-4711").status_code == 201


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_a_hold_or_release_below_supervisor_is_403_and_writes_nothing(
        client, plant_, floor, row_counts, role):
    before = row_counts()
    r = hold(client, plant_, "HEAT-4711", role=role)
    assert r.status_code == 403 and r.json["code"] == "forbidden"
    assert row_counts() == before
    number = hold(client, plant_, "HEAT-4711").json["number"]
    before = row_counts()
    assert release(client, plant_, number, role=role).status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501},
                                  {"reason": "a\x00b"}, {"reason": 5},
                                  {"reason": "ok", "extra": 1}])
def test_a_hold_or_release_without_a_proper_reason_is_400_and_writes_nothing(
        client, plant_, floor, row_counts, body):
    before = row_counts()
    refused = 422 if body.get("reason") == "   " else 400  # blank: no schema says so
    r = client.post("/api/v1/recall/HEAT-4711/hold", json=body,
                    headers=plant_.auth("supervisor"))
    assert r.status_code == refused, r.json
    assert row_counts() == before
    number = hold(client, plant_, "HEAT-4711").json["number"]
    before = row_counts()
    r = client.post(f"/api/v1/recall-holds/{number}/release", json=body,
                    headers=plant_.auth("supervisor"))
    assert r.status_code == refused and row_counts() == before


def test_a_second_hold_of_the_same_origin_is_409_already_held_and_writes_nothing(
        client, plant_, floor, row_counts):
    first = hold(client, plant_, "HEAT-4711").json["number"]
    before = row_counts()
    r = hold(client, plant_, "HEAT-4711")
    assert r.status_code == 409 and r.json["code"] == "already_held"
    assert r.json["detail"]["hold"] == first and row_counts() == before


def test_a_hold_with_nothing_in_stock_is_409_nothing_to_hold_and_writes_nothing(
        client, plant_, floor, row_counts):
    before = row_counts()
    r = hold(client, plant_, floor["serials"][0])  # shipped: nothing of it is here
    assert r.status_code == 409 and r.json["code"] == "nothing_to_hold"
    assert row_counts() == before


def test_a_hold_of_an_unknown_code_is_404_and_writes_nothing(client, plant_, floor, row_counts):
    before = row_counts()
    r = hold(client, plant_, "NOPE-1")
    assert r.status_code == 404 and row_counts() == before


def test_a_release_twice_is_409_and_an_unknown_hold_404_each_writing_nothing(
        client, plant_, floor, row_counts):
    number = hold(client, plant_, "HEAT-4711").json["number"]
    assert release(client, plant_, number).status_code == 200
    before = row_counts()
    r = release(client, plant_, number)
    assert r.status_code == 409 and r.json["code"] == "already_released"
    assert row_counts() == before
    r = release(client, plant_, "RH-2026-99999")
    assert r.status_code == 404 and r.json["code"] == "unknown_hold" and row_counts() == before
    assert client.get("/api/v1/recall-holds/RH-2026-99999",
                      headers=plant_.auth("viewer")).status_code == 404


def test_the_recall_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/recall/{code}", "/api/v1/recall/{code}/hold",
                 "/api/v1/recall-holds/{number}/release", "/api/v1/recall/{code}/contacts.csv",
                 "/api/v1/recall/{code}/events.xlsx"):
        assert path in paths


def test_the_report_costs_the_same_few_queries_however_many_things_it_reaches(app, floor):
    """Set-based look-ups: a recall reaching 33 serials asks what one reaching 3 asks."""
    from sqlalchemy import event

    from server.services import recall
    from tests.support import chain_rows

    rt = app.extensions["floorline"]

    def statements() -> int:
        seen: list[str] = []
        listen = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement...)
        event.listen(rt.engine, "before_cursor_execute", listen)
        try:
            with rt.sessions() as s:
                recall.recall(s, "HEAT-4711")
        finally:
            event.remove(rt.engine, "before_cursor_execute", listen)
        return len(seen)

    few = statements()
    with rt.transaction() as s:
        chain_rows.complete_serials(s, floor["merged"], "FRAME",
                                    [f"FR-2026-1203-{i:04}" for i in range(1, 31)],
                                    location="RACK-A", each="0.6")
    assert statements() <= few  # (one fewer: the batch in process is done now)
    assert few <= 25
