"""What the floor monitor is sent: held batches apart from moving WIP, a projected finish."""

from server.services import live
from server.services.actors import SYSTEM
from server.services.batches import hold_batch


def new_run(client, plant_, batches=3):
    spec = {"item": "FRAME", "quantity": 5, "unit": "pcs", "batches": batches}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def plant_snapshot(app):
    rt = app.extensions["floorline"]
    with rt.sessions() as db:
        return live.snapshot(db, "plant", rt.settings)


def test_a_held_batch_is_shown_with_its_reason_and_not_counted_as_moving_wip(app, client,
                                                                             plant_):
    run = new_run(client, plant_)
    code = run["batches"][1]["code"]
    with app.extensions["floorline"].transaction() as db:
        hold_batch(db, SYSTEM, code, "paint blistered")
    (summary,) = plant_snapshot(app)["runs"]
    p = summary["progress"]
    assert p["open"] == 3 and p["held"] == 1 and p["wip"] == 2
    assert p["per_step"] == {"CUT": 2}
    assert p["held_batches"] == [{"code": code, "reason": "paint blistered", "step": "CUT"}]
    assert p["remaining_steps"] == 9  # held work still has to be done


def test_an_open_run_has_a_projection_and_no_pace_before_any_step_finishes(client, plant_):
    run = new_run(client, plant_, batches=2)
    assert run["projection"] == {"remaining_steps": 6, "pace_per_hour": None, "finish": None,
                                 "late": False}


def test_a_batch_with_no_scan_past_the_stall_threshold_is_stalled_unless_held(app, client,
                                                                               plant_):
    from dataclasses import replace
    from datetime import timedelta

    from sqlalchemy import update

    from server.models import Batch, ProductionRun, utcnow

    run = new_run(client, plant_)
    idle, fresh, held = (b["code"] for b in run["batches"])
    rt = app.extensions["floorline"]
    with rt.transaction() as db:
        db.execute(update(ProductionRun).where(ProductionRun.number == run["number"])
                   .values(status="in_progress", started_at=utcnow() - timedelta(hours=1)))
        db.execute(update(Batch).where(Batch.code.in_([idle, held]))
                   .values(last_scan_at=utcnow() - timedelta(minutes=20)))
        db.execute(update(Batch).where(Batch.code == fresh).values(last_scan_at=utcnow()))
        hold_batch(db, SYSTEM, held, "waiting for QC")
    settings = replace(rt.settings, stall_min_seconds=15 * 60)
    with rt.sessions() as db:
        stalled = live.stalled_batches(db, settings)
        assert [b["code"] for b in stalled] == [idle]
        assert stalled[0]["idle_seconds"] >= 20 * 60
        assert live.stalled_batches(db, replace(settings, stall_min_seconds=30 * 60)) == []


def test_the_pace_counts_steps_finished_since_the_run_started_and_inside_the_window(
        app, client, plant_):
    from datetime import timedelta
    from decimal import Decimal

    from sqlalchemy import select

    from server.models import ProductionRun, StepExecution, utcnow

    number = new_run(client, plant_)["number"]
    rt = app.extensions["floorline"]
    now = utcnow()
    with rt.transaction() as db:
        run = db.scalar(select(ProductionRun).where(ProductionRun.number == number))
        run.status, run.started_at = "in_progress", now - timedelta(hours=2)
        batch = run.batches[0]
        step = batch.routing.steps[0]
        # Three count; one finished before the run started, one was undone, one is 5 h old.
        for minutes, undone in [(10, False), (50, False), (100, False), (150, False),
                                (30, True), (300, False)]:
            db.add(StepExecution(batch_id=batch.id, step_id=step.id, position=0,
                                 started_at=now - timedelta(minutes=minutes + 1),
                                 finished_at=now - timedelta(minutes=minutes),
                                 quantity_in=Decimal(5), undone_at=now if undone else None))
    (summary,) = plant_snapshot(app)["runs"]
    assert abs(summary["projection"]["pace_per_hour"] - 3 / 2) < 0.01
    with rt.transaction() as db:  # started long ago: the last 4 hours count, so four steps
        run = db.scalar(select(ProductionRun).where(ProductionRun.number == number))
        run.started_at = now - timedelta(hours=9)
    (summary,) = plant_snapshot(app)["runs"]
    assert abs(summary["projection"]["pace_per_hour"] - 4 / 4) < 0.01
