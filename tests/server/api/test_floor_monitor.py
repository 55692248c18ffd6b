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
