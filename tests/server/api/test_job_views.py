"""The jobs' read side over REST on SQLite and PostgreSQL: views, search, paging, summary,
stats, run history and CSV; bad and hostile queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from server.domain.jobs import JobStatus, JobView, in_view
from server.domain.quantities import Quantity
from server.models import Item, Job, SalesOrder, User
from server.models.jobs import Stage
from server.services import catalog, locations, sales, stock, users
from server.services.actors import SYSTEM
from tests.support.jobs import Spec, add_job, link_issue, link_produce

PAST = date.today() - timedelta(days=3)
LATER = date.today() + timedelta(days=30)


@pytest.fixture
def jobs(app, plant_):
    """Five jobs over two stages: every view has one, one is cancelled; FAB feeds ASM."""
    with app.extensions["floorline"].transaction() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="VAULT", name="Vault")
        catalog.create_item(s, SYSTEM, sku="AU-18K", name="Gold alloy 18K", kind="raw_material",
                            unit="g")
        catalog.create_item(s, SYSTEM, sku="RING-7", name="Signet ring", kind="finished",
                            unit="pcs")
        lot = stock.receive_lot(s, item_sku="AU-18K", quantity=Quantity.of(500, "g"),
                                location_code="VAULT", actor=SYSTEM)
        made = stock.receive_lot(s, item_sku="AU-18K", quantity=Quantity.of(7, "g"),
                                 location_code="VAULT", actor=SYSTEM)
        users.create_user(s, SYSTEM, username="ana", role="operator", display_name="Ana Gold")
        sales.create_customer(s, SYSTEM, code="ACME", name="Acme")
        order = sales.create_order(s, SYSTEM, customer="ACME",
                                   lines=[("RING-7", Decimal(5), "pcs")])["number"]
        fab, asm = Stage(code="FAB", name="Fabrication", position=2), \
            Stage(code="ASM", name="Assembly", position=3)
        s.add_all([fab, asm])
        s.flush()
        ana = s.scalars(select(User).where(User.username == "ana")).one().id
        order_id = s.scalars(select(SalesOrder).where(SalesOrder.number == order)).one().id
        ring = s.scalars(select(Item.id).where(Item.sku == "RING-7")).one()
        specs = [
            Spec("J-2026-00001", fab, "completed", issued="10", received="7", rejected="1",
                 scrapped="1.5", waste="0.5", deadline=PAST + timedelta(days=10)),
            Spec("J-2026-00002", fab, "open", issued="20", deadline=LATER, assignee_id=ana),
            Spec("J-2026-00003", asm, "in_progress", issued="7", received="4", deadline=PAST,
                 assignee_id=ana, order_id=order_id),
            Spec("J-2026-00004", asm, "open", issued="12.5"),
            Spec("J-2026-00005", fab, "cancelled", issued="3"),
        ]
        made_jobs = {sp.number: add_job(s, sp, lot, item_id=ring if sp.order_id else None)
                     for sp in specs}
        # FAB's job 1 made a lot that was issued into ASM's job 3: a chain of two stages.
        link_issue(s, lot, made_jobs["J-2026-00001"], "10")
        link_produce(s, made_jobs["J-2026-00001"], made, "7")
        link_issue(s, made, made_jobs["J-2026-00003"], "7")
        lot_number, made_number = lot.number, made.number
    return {"specs": specs, "order": order, "lot": lot_number, "made": made_number}


def get(client, plant_, path):
    r = client.get(f"/api/v1{path}", headers=plant_.auth("viewer"))
    assert r.status_code == 200, r.json
    return r.json


def numbers(client, plant_, query=""):
    return {j["number"] for j in get(client, plant_, f"/jobs?per_page=500&{query}")["jobs"]}


@pytest.mark.parametrize("view", list(JobView))
def test_each_view_lists_exactly_the_jobs_the_domain_puts_in_it(client, plant_, jobs, view):
    expected = {sp.number for sp in jobs["specs"]
                if in_view(view, JobStatus(sp.status), has_deadline=sp.deadline is not None,
                           has_assignee=sp.assignee_id is not None)}
    assert expected  # every view has a job in this plant
    assert numbers(client, plant_, f"view={view.value}") == expected


def test_views_partition_the_jobs(client, plant_, jobs):
    every = numbers(client, plant_, "view=all")
    ongoing, done = numbers(client, plant_, "view=ongoing"), numbers(client, plant_,
                                                                       "view=completed")
    unscheduled = numbers(client, plant_, "view=unscheduled")
    scheduled = numbers(client, plant_, "view=scheduled")
    assert ongoing | done == every and not ongoing & done
    assert unscheduled | scheduled == ongoing and not unscheduled & scheduled
    assert "J-2026-00005" not in every  # cancelled


@pytest.mark.parametrize(("q", "found"), [
    ("00004", {"J-2026-00004"}),  # job number
    ("ring-7", {"J-2026-00003"}),  # a job item's SKU, any case
    ("signet", {"J-2026-00003"}),  # a job item's name
    ("Gold alloy", {"J-2026-00001", "J-2026-00002", "J-2026-00003", "J-2026-00004"}),
    ("ana", {"J-2026-00002", "J-2026-00003"}),  # staff username
    ("Ana Gold", {"J-2026-00002", "J-2026-00003"}),  # staff display name
])
def test_search_finds_jobs_by_number_product_staff_and_order(client, plant_, jobs, q, found):
    assert numbers(client, plant_, f"q={q}") == found
    assert numbers(client, plant_, f"q={jobs['order']}") == {"J-2026-00003"}


def test_a_stage_filter_keeps_that_stage_only(client, plant_, jobs):
    rows = get(client, plant_, "/jobs?stage=ASM")["jobs"]
    assert {r["number"] for r in rows} == {"J-2026-00003", "J-2026-00004"}
    assert {r["stage"]["code"] for r in rows} == {"ASM"}


def test_rows_carry_the_list_columns(client, plant_, jobs):
    row = next(r for r in get(client, plant_, "/jobs")["jobs"] if r["number"] == "J-2026-00003")
    assert (row["product"], row["staff"], row["status"], row["issued_type"]) == \
        ("RING-7", {"username": "ana", "name": "Ana Gold"}, "in_progress", "raw_material")
    assert (row["issued_weight"], row["pending_weight"], row["unit"], row["order"]) == \
        ("7", "3", "g", jobs["order"])


def test_pages_are_stable_and_complete(client, plant_, jobs):
    first = get(client, plant_, "/jobs?per_page=3&page=1")
    second = get(client, plant_, "/jobs?per_page=3&page=2")
    beyond = get(client, plant_, "/jobs?per_page=3&page=3")
    paged = [j["number"] for j in first["jobs"] + second["jobs"]]
    assert paged == sorted(numbers(client, plant_), reverse=True)  # newest first, no repeats
    assert (first["total"], first["pages"], beyond["jobs"]) == (4, 2, [])


def test_the_summary_adds_up_the_list(client, plant_, jobs):
    for view in JobView:
        summary = get(client, plant_, f"/jobs/summary?view={view.value}")
        rows = get(client, plant_, f"/jobs?view={view.value}&per_page=500")["jobs"]
        assert summary["jobs"] == len(rows)
        assert {v: summary["counts"][v] for v in summary["counts"]} == \
            {v.value: get(client, plant_, f"/jobs?view={v.value}")["total"] for v in JobView}
        assert Decimal(summary["issued_weight"]) == sum(Decimal(r["issued_weight"])
                                                        for r in rows)
        assert Decimal(summary["pending_weight"]) == sum(Decimal(r["pending_weight"])
                                                         for r in rows)
        assert sum(o["count"] for o in summary["overview"]) == len(rows)


def test_the_loss_rate_is_scrap_and_waste_over_issued_weight(client, plant_, jobs):
    summary = get(client, plant_, "/jobs/summary?view=completed")
    assert (summary["issued_weight"], summary["scrapped_weight"], summary["waste_weight"]) == \
        ("10", "1.5", "0.5")
    assert summary["loss_rate"] == "0.2000"
    assert {(o["stage"], o["status"], o["count"]) for o in
            get(client, plant_, "/jobs/summary")["overview"]} == \
        {("FAB", "completed", 1), ("FAB", "open", 1), ("ASM", "in_progress", 1),
         ("ASM", "open", 1)}


def test_stats_per_stage_give_rates_and_on_time(client, plant_, jobs):
    rows = {r["key"]: r for r in get(client, plant_, "/jobs/stats?by=stage")["rows"]}
    fab = rows["FAB"]
    assert (fab["jobs"], fab["weight"]["issued"], fab["weight"]["received"]) == (2, "30", "7")
    assert (fab["yield"], fab["rejection_rate"], fab["scrap_rate"], fab["waste_rate"]) == \
        ("0.2333", "0.0333", "0.0500", "0.0167")
    # Job 1 completed (receipt on its issue day) before its deadline; job 3 is open past its.
    assert (fab["on_time"], fab["late"], fab["on_time_share"]) == (1, 0, "1.0000")
    assert (rows["ASM"]["on_time"], rows["ASM"]["late"]) == (0, 1)


def test_stats_per_staff_and_a_range_of_issue_days(client, plant_, jobs):
    rows = {r["key"]: r for r in get(client, plant_, "/jobs/stats?by=staff")["rows"]}
    assert (rows["ana"]["jobs"], rows[""]["jobs"]) == (2, 2)
    later = get(client, plant_, "/jobs/stats?from=2027-01-01")
    assert later["rows"] == [] and later["from"] == "2027-01-01"


def test_stats_over_a_range_count_only_the_jobs_issued_in_it(app, client, plant_, jobs):
    # Jobs 2 (FAB, 20 g) and 4 (ASM, 12.5 g) issued earlier; 1 and 3 stay on 2026-12-01.
    with app.extensions["floorline"].transaction() as s:
        for number, day in (("J-2026-00002", date(2026, 11, 20)),
                            ("J-2026-00004", date(2026, 11, 25))):
            s.execute(update(Job).where(Job.number == number).values(issued_on=day))

    def issued(query):
        return {(r["key"], r["jobs"], r["weight"]["issued"])
                for r in get(client, plant_, f"/jobs/stats?{query}")["rows"]}
    assert issued("by=stage&from=2026-11-20&to=2026-11-30") == {("FAB", 1, "20"),
                                                               ("ASM", 1, "12.5")}
    assert issued("by=stage&from=2026-11-21&to=2026-12-01") == {("FAB", 1, "10"),
                                                               ("ASM", 2, "19.5")}
    assert issued("by=stage&to=2026-11-24") == {("FAB", 1, "20")}
    assert issued("by=staff&from=2026-11-25") == {("ana", 1, "7"), ("", 2, "22.5")}


def test_history_follows_the_material_through_both_stages(client, plant_, jobs):
    down = get(client, plant_, "/jobs/J-2026-00003/history")
    assert [(e["job"], e["stage"]["code"], e["position"]) for e in down["timeline"]] == \
        [("J-2026-00001", "FAB", -1), ("J-2026-00003", "ASM", 0)]
    fab = down["timeline"][0]
    assert fab["inputs"][0]["lot"] == jobs["lot"]
    assert (fab["outputs"]["scrapped"]["weight"], fab["losses"]) == \
        ("1.5", {"weight": "2", "rate": "0.2000"})
    up = get(client, plant_, "/jobs/J-2026-00001/history")
    assert [(e["job"], e["position"]) for e in up["timeline"]] == \
        [("J-2026-00001", 0), ("J-2026-00003", 1)]
    assert [e["what"] for e in up["events"]] == ["issued", "received"]


def test_a_job_outside_any_chain_has_itself_as_its_timeline(client, plant_, jobs):
    alone = get(client, plant_, "/jobs/J-2026-00004/history")
    assert [e["job"] for e in alone["timeline"]] == ["J-2026-00004"]


def test_csv_files_parse_and_match_the_json(client, plant_, jobs):
    r = client.get("/api/v1/jobs.csv?view=ongoing", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    listed = get(client, plant_, "/jobs?view=ongoing")["jobs"]
    assert [(x["number"], x["stage"], x["pending_weight"]) for x in rows] == \
        [(j["number"], j["stage"]["code"], j["pending_weight"]) for j in listed]
    r = client.get("/api/v1/jobs/J-2026-00003/history.csv", headers=plant_.auth("viewer"))
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [(x["job"], x["received_weight"], x["loss_rate"]) for x in rows] == \
        [("J-2026-00001", "7", "0.2000"), ("J-2026-00003", "4", "0.0000")]


@pytest.mark.parametrize("query", ["q=' OR 1=1 --", "q=%", "q=_", "stage=FAB' OR '1'='1",
                                   "q=\"; DROP TABLE jobs; --"])
def test_hostile_search_and_stage_are_inert(client, plant_, jobs, query):
    assert numbers(client, plant_, query) == set()
    assert len(numbers(client, plant_)) == 4  # nothing was dropped


def test_bad_list_queries_are_400_naming_the_field(client, plant_, jobs):
    for query, field in (("view=late", "view"), ("page=0", "page"), ("page=x", "page"),
                         ("per_page=0", "per_page"), ("per_page=100000", "per_page"),
                         ("colour=red", "colour")):
        r = client.get(f"/api/v1/jobs?{query}", headers=plant_.auth("viewer"))
        assert r.status_code == 400, query
        assert field in {e["field"] for e in r.json["detail"]["errors"]}, query


def test_bad_stats_queries_are_400_naming_the_field(client, plant_, jobs):
    r = client.get("/api/v1/jobs/stats?from=2026-02-30", headers=plant_.auth("viewer"))
    assert (r.status_code, r.json["detail"]) == (400, {"field": "from"})
    r = client.get("/api/v1/jobs/stats?by=colour", headers=plant_.auth("viewer"))
    assert r.status_code == 400 and r.json["detail"]["errors"][0]["field"] == "by"


def test_unknown_jobs_and_words_that_are_not_job_numbers(client, plant_, jobs):
    r = client.get("/api/v1/jobs/J-2026-09999/history", headers=plant_.auth("viewer"))
    assert (r.status_code, r.json["code"]) == (404, "unknown_job")
    assert client.get("/api/v1/jobs/summary/history",
                      headers=plant_.auth("viewer")).status_code == 404
    assert client.get("/api/v1/jobs").status_code == 401
