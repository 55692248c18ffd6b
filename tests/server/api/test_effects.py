"""REST changes publish and print after their commit, never after a rollback."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from server.errors import FloorlineError


class FakeLive:
    """Records the batches the broadcaster was told about."""

    def __init__(self) -> None:
        self.batches: list[str] = []

    def batch_changed(self, batch: dict[str, Any]) -> None:
        self.batches.append(batch["code"])


class FakePrinting:
    """An automatic printer that records what it was asked to print."""

    auto = "floor-printer"

    def __init__(self) -> None:
        self.printed: list[tuple[list[str], str]] = []

    def print_later(self, labels: Any, title: str) -> None:
        self.printed.append(([label.code for label in labels], title))


@pytest.fixture
def fakes(app):
    live, printing = FakeLive(), FakePrinting()
    app.extensions["floorline_live"] = live
    app.extensions["floorline_printing"] = printing
    return live, printing


def new_batches(client, plant_) -> list[str]:
    run = client.post("/api/v1/runs", json={"lines": [
        {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 2}]},
        headers=plant_.auth("planner")).json
    return [b["code"] for b in run["batches"]]


def test_a_split_that_fails_to_commit_publishes_and_prints_nothing(app, client, plant_, fakes):
    live, printing = fakes
    code = new_batches(client, plant_)[0]
    printing.printed.clear()

    def refuse(session: Any) -> None:
        raise FloorlineError("the disk is full")

    event.listen(app.extensions["floorline"].sessions, "before_commit", refuse)
    try:
        r = client.post(f"/api/v1/batches/{code}/split", json={"parts": 2},
                        headers=plant_.auth("operator"))
    finally:
        event.remove(app.extensions["floorline"].sessions, "before_commit", refuse)
    assert r.status_code >= 400
    assert live.batches == [] and printing.printed == []


def test_a_committed_split_publishes_and_prints_once(client, plant_, fakes):
    live, printing = fakes
    code = new_batches(client, plant_)[0]
    printing.printed.clear()
    r = client.post(f"/api/v1/batches/{code}/split", json={"parts": 2},
                    headers=plant_.auth("operator"))
    kids = [k["code"] for k in r.json["children"]]
    assert sorted(live.batches) == sorted([code, *kids])
    assert printing.printed == [(kids, f"split of {code}")]


def test_merge_prints_the_new_batchs_label(client, plant_, fakes):
    live, printing = fakes
    codes = new_batches(client, plant_)
    printing.printed.clear()
    r = client.post("/api/v1/batches/merge", json={"batches": codes},
                    headers=plant_.auth("operator"))
    assert r.status_code == 201, r.json
    merged = r.json["batch"]["code"]
    assert printing.printed == [([merged], f"merge into {merged}")]
    assert sorted(live.batches) == sorted([merged, *codes])
