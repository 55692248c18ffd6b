"""Editing a job in place (PUT /jobs/<number>) and cancelling one, on each backend: the
ledger and the graph follow the re-issue both ways, a received job's guarded changes need a
reason, un-issuing what came back and stale versions are refused, and a refusal writes
nothing."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from server.models import AuditRecord, GenealogyEdge, GenealogyNode
from tests.server.api.test_new_user_jobs import call, jewellery


def job_body(**over):
    """A PUT body as the stepper sends it: the whole job plus version and reason."""
    body = {"stage": "FAB", "issues": [], "shape": "", "size": "", "policy": "match_issued"}
    body.update(over)
    return body


def new_job(client, plant_, lot, quantity="10", pieces=None):
    line = {"lot": lot, "quantity": quantity} | ({"pieces": pieces} if pieces else {})
    return call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [line], "shape": "round",
        "size": "7", "issued_on": "2026-12-01"})


def put(client, plant_, number, body, role="planner"):
    return client.put(f"/api/v1/jobs/{number}", json=body, headers=plant_.auth(role))


def on_hand(client, plant_, lot):
    got = call(client, plant_, "GET", f"/lots/{lot}", role="viewer")
    return Decimal(got["on_hand"]), got["status"]


def issue_edges(app, lot, number):
    """Return the quantities on the lot -issue-> job edges, oldest first."""
    with app.extensions["floorline"].sessions() as s:
        ids = {n.code: n.id for n in s.scalars(select(GenealogyNode).where(
            GenealogyNode.code.in_([lot, number])))}
        if len(ids) < 2:
            return []
        return [Decimal(e.quantity) for e in s.scalars(
            select(GenealogyEdge).where(GenealogyEdge.parent_id == ids[lot],
                                        GenealogyEdge.child_id == ids[number])
            .order_by(GenealogyEdge.id))]


def receive(client, plant_, number, grams):
    call(client, plant_, "POST", f"/jobs/{number}/receipts", {
        "location": "STORES", "rows": [{"output_type": "finished", "item": "RING",
                                        "pieces": 1, "weight": grams, "unit": "g"}]},
         role="operator")


def test_an_edit_saves_to_the_job_with_its_change_record(client, plant_, app):
    gold1, _ = jewellery(client, plant_)
    job = new_job(client, plant_, gold1)
    assert job["version"] == 1 and job["changes"] == []
    edited = call(client, plant_, "PUT", f"/jobs/{job['number']}", job_body(
        issues=[{"lot": gold1, "quantity": "10"}], shape="oval", size="8", notes="polish",
        deadline="2099-01-31", assignee="operator", version=1))
    assert edited["number"] == job["number"]
    assert (edited["shape"], edited["size"], edited["notes"]) == ("oval", "8", "polish")
    assert edited["deadline"] == "2099-01-31"
    assert edited["assignee"]["username"] == "operator"
    assert edited["issued_on"] == "2026-12-01"  # kept: the edit did not send one
    assert edited["version"] == 2
    [change] = edited["changes"]
    assert change["before"]["shape"] == "round" and change["after"]["shape"] == "oval"
    assert change["before"]["assignee"] is None and change["after"]["assignee"] == "operator"
    assert call(client, plant_, "GET", f"/jobs/{job['number']}", role="viewer")["version"] == 2
    with app.extensions["floorline"].sessions() as s:
        entry = s.scalars(select(AuditRecord).where(AuditRecord.action == "job.edit")).one()
        assert entry.entity_key == job["number"]
        assert entry.changes["before"]["shape"] == "round"
        assert entry.changes["after"]["shape"] == "oval"


def test_re_issue_more_less_and_another_lot_moves_the_ledger_and_the_graph(client, plant_, app):
    gold1, gold2 = jewellery(client, plant_)
    number = new_job(client, plant_, gold1)["number"]
    assert on_hand(client, plant_, gold1)[0] == Decimal(20)

    more = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold1, "quantity": "25"}], version=1))
    assert more["balance"]["weight"]["issued"] == "25"
    assert on_hand(client, plant_, gold1)[0] == Decimal(5)
    assert sum(issue_edges(app, gold1, number)) == Decimal(25)

    less = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold1, "quantity": "4"}], version=2))
    assert less["balance"]["weight"]["issued"] == "4"
    assert less["issues"][0]["quantity"] == "4"
    assert on_hand(client, plant_, gold1)[0] == Decimal(26)
    assert sum(issue_edges(app, gold1, number)) == Decimal(4)

    swapped = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold2}], version=3))  # the whole of gold2 instead of gold1
    assert [i["lot"] for i in swapped["issues"]] == [gold2]
    assert swapped["balance"]["weight"]["issued"] == "20"
    assert on_hand(client, plant_, gold1) == (Decimal(30), "available")
    assert on_hand(client, plant_, gold2) == (Decimal(0), "consumed")
    assert sum(issue_edges(app, gold1, number)) == 0  # the edges stay, emptied: never deleted
    assert sum(issue_edges(app, gold2, number)) == Decimal(20)

    back = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold2, "quantity": "5"}], version=4))
    assert back["balance"]["weight"]["pending"] == "5"
    assert on_hand(client, plant_, gold2) == (Decimal(15), "available")  # consumed no more
    assert len(back["changes"]) == 4


def test_un_issuing_below_what_came_back_is_refused_writing_nothing(
        client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    number = new_job(client, plant_, gold1, "20", pieces=5)["number"]
    receive(client, plant_, number, "12")
    before = row_counts()
    r = put(client, plant_, number, job_body(issues=[{"lot": gold1, "quantity": "10",
                                                     "pieces": 5}],
                                             version=1, reason="counted again"))
    assert r.status_code == 422, r.json
    assert r.json["code"] == "balance"
    assert (r.json["detail"]["bucket"], r.json["detail"]["over"]) == ("received", "2")
    assert row_counts() == before
    assert on_hand(client, plant_, gold1)[0] == Decimal(10)
    # Down to exactly what came back is allowed, and completes the job.
    done = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold1, "quantity": "12", "pieces": 1}], version=1,
        reason="counted again"))
    assert done["status"] == "completed" and done["balance"]["weight"]["pending"] == "0"
    assert on_hand(client, plant_, gold1)[0] == Decimal(18)


def test_a_received_job_needs_a_reason_to_change_stage_quantities_or_assignee(
        client, plant_, row_counts):
    gold1, gold2 = jewellery(client, plant_)
    call(client, plant_, "POST", "/stages", {"code": "POL", "name": "Polishing"})
    number = new_job(client, plant_, gold1, "20", pieces=5)["number"]
    receive(client, plant_, number, "5")
    same = [{"lot": gold1, "quantity": "20", "pieces": 5}]
    before = row_counts()
    for change in ({"stage": "POL"}, {"assignee": "operator"},
                   {"issues": [{"lot": gold1, "quantity": "22", "pieces": 5}]},
                   {"issues": [*same, {"lot": gold2, "quantity": "1"}]},
                   {"pieces": 3}, {"issues": [{"lot": gold1, "quantity": "20", "pieces": 6}]}):
        body = job_body(issues=same, shape="round", size="7", version=1, reason="  ")
        body.update(change)
        r = put(client, plant_, number, body)
        assert r.status_code == 422, (change, r.json)
        assert (r.json["code"], r.json["detail"]["field"]) == ("reason_required", "reason")
        assert row_counts() == before, change
    # Notes are not guarded; a guarded change with a reason is saved with it.
    notes = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=same, shape="round", size="7", notes="rush", version=1))
    assert notes["notes"] == "rush"
    moved = call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=same, shape="round", size="7", stage="POL", version=2,
        reason="goes to polishing"))
    assert moved["stage"]["code"] == "POL"
    assert moved["changes"][-1]["reason"] == "goes to polishing"
    assert moved["changes"][-1]["before"]["stage"] == "FAB"


def test_a_stale_version_is_refused_naming_it(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    number = new_job(client, plant_, gold1)["number"]
    call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold1, "quantity": "10"}], notes="first", version=1))
    before = row_counts()
    r = put(client, plant_, number, job_body(issues=[{"lot": gold1, "quantity": "12"}],
                                             notes="second", version=1))
    assert r.status_code == 409, r.json
    assert r.json["code"] == "stale_version"
    assert r.json["detail"]["field"] == "version" and r.json["detail"]["version"] == 2
    assert row_counts() == before
    assert on_hand(client, plant_, gold1)[0] == Decimal(20)


def test_an_edit_names_a_bad_field_and_writes_nothing(client, plant_, row_counts):
    gold1, gold2 = jewellery(client, plant_)
    number = new_job(client, plant_, gold1)["number"]
    before = row_counts()
    r = put(client, plant_, number, job_body(issues=[{"lot": gold1, "quantity": "10"},
                                                     {"lot": gold2, "quantity": "99"}],
                                             version=1))
    assert r.status_code == 409 and r.json["code"] == "insufficient_stock", r.json
    assert r.json["detail"]["field"] == "issues[1].quantity"
    r = put(client, plant_, number, job_body(issues=[{"lot": gold1}], version=1,
                                             stage="NOPE"))
    assert r.status_code == 422 and r.json["detail"]["field"] == "stage"
    r = put(client, plant_, "J-2026-99999", job_body(issues=[{"lot": gold1}], version=1))
    assert r.status_code == 404
    assert put(client, plant_, number, job_body(issues=[{"lot": gold1}], version=1),
               role="operator").status_code == 403
    assert row_counts() == before


def test_cancel_gives_the_stock_back_and_empties_the_edges(client, plant_, app):
    gold1, gold2 = jewellery(client, plant_)
    job = call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "quantity": "10"}, {"lot": gold2}]})
    number = job["number"]
    assert on_hand(client, plant_, gold2) == (Decimal(0), "consumed")
    r = client.post(f"/api/v1/jobs/{number}/cancel", json={"reason": " "},
                    headers=plant_.auth("planner"))
    assert r.status_code == 422 and r.json["detail"]["field"] == "reason"
    done = call(client, plant_, "POST", f"/jobs/{number}/cancel", {"reason": "order dropped"})
    assert done["status"] == "cancelled"
    assert done["changes"][-1]["reason"] == "order dropped"
    assert done["changes"][-1]["after"]["status"] == "cancelled"
    assert on_hand(client, plant_, gold1) == (Decimal(30), "available")
    assert on_hand(client, plant_, gold2) == (Decimal(20), "available")
    # The edges stay in the graph (a chain record is never deleted), holding nothing.
    assert issue_edges(app, gold1, number) == [0] and issue_edges(app, gold2, number) == [0]
    again = client.post(f"/api/v1/jobs/{number}/cancel", json={"reason": "twice"},
                        headers=plant_.auth("planner"))
    assert again.status_code == 409
    edit = put(client, plant_, number, job_body(issues=[{"lot": gold1}], version=2))
    assert edit.status_code == 409 and edit.json["code"] == "job_cancelled"


def test_cancel_is_refused_once_anything_was_received(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    number = new_job(client, plant_, gold1, pieces=5)["number"]
    receive(client, plant_, number, "1")
    before = row_counts()
    r = client.post(f"/api/v1/jobs/{number}/cancel", json={"reason": "changed our mind"},
                    headers=plant_.auth("planner"))
    assert r.status_code == 409, r.json
    assert row_counts() == before
    assert call(client, plant_, "GET", f"/jobs/{number}", role="viewer")["status"] == \
        "in_progress"


def test_a_step_is_checked_without_the_fields_of_later_steps(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    draft = {"stage": "FAB", "issues": [{"lot": gold1, "quantity": "5"}],
             "issued_on": "2026-12-10", "deadline": "2026-12-01"}
    before = row_counts()
    assert call(client, plant_, "POST", "/jobs/check?step=context", draft)["ok"] is True
    r = client.post("/api/v1/jobs/check?step=details", json=draft,
                    headers=plant_.auth("planner"))
    assert r.status_code == 400 and r.json["detail"]["field"] == "deadline", r.json
    r = client.post("/api/v1/jobs/check?step=context",
                    json={**draft, "issues": [{"lot": gold1, "quantity": "31"}]},
                    headers=plant_.auth("planner"))
    assert r.json["detail"]["field"] == "issues[0].quantity", r.json
    assert row_counts() == before


def test_an_edit_is_checked_step_by_step_writing_nothing(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    call(client, plant_, "POST", "/stages", {"code": "POL", "name": "Polishing"})
    number = new_job(client, plant_, gold1, "20", pieces=5)["number"]
    receive(client, plant_, number, "5")
    body = job_body(issues=[{"lot": gold1, "quantity": "25", "pieces": 5}], stage="POL",
                    version=1)
    before = row_counts()
    checked = call(client, plant_, "POST", f"/jobs/{number}/check?step=context", body)
    assert checked["summary"]["balance"]["weight"]["issued"] == "25"
    r = client.post(f"/api/v1/jobs/{number}/check?step=details", json=body,
                    headers=plant_.auth("planner"))
    assert r.status_code == 422 and r.json["detail"]["field"] == "reason", r.json
    assert call(client, plant_, "POST", f"/jobs/{number}/check?step=details",
                {**body, "reason": "more gold"})["ok"] is True
    assert row_counts() == before
    assert on_hand(client, plant_, gold1)[0] == Decimal(10)
    staff = call(client, plant_, "GET", "/jobs/staff")
    assert "operator" in {s["username"] for s in staff}


def test_trace_back_follows_the_re_issued_quantities(client, plant_):
    """Issued more (a second edge) and the other lot less: shares follow what the job holds."""
    gold1, gold2 = jewellery(client, plant_)
    number = call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "quantity": "10", "pieces": 2},
                                   {"lot": gold2, "quantity": "10", "pieces": 2}]})["number"]
    call(client, plant_, "PUT", f"/jobs/{number}", job_body(
        issues=[{"lot": gold1, "quantity": "15", "pieces": 2},
                {"lot": gold2, "quantity": "5", "pieces": 2}], version=1))
    out = call(client, plant_, "POST", f"/jobs/{number}/receipts", {
        "location": "STORES", "rows": [{"output_type": "finished", "item": "RING",
                                        "pieces": 4, "weight": "20", "unit": "g"}]},
               role="operator")
    ring = next(r["lot"] for r in out["receipt"]["rows"] if r["bucket"] == "received")
    back = call(client, plant_, "GET", f"/trace/{ring}?direction=back", role="viewer")
    shares = {n["code"]: n["share"] for n in back["nodes"]}
    assert (Fraction(shares[gold1]), Fraction(shares[gold2])) == (Fraction(3, 4),
                                                                  Fraction(1, 4))
