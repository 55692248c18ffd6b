"""The demo floor: paced work per station, new runs as old ones finish, holds and splits."""

from __future__ import annotations

import itertools
import random
from typing import Any

from server.simulation import Floor, Pace

ROUTING = ["CUT", "WELD", "PACK"]
STATIONS = {"CUT": ("cut-1", "complete"), "WELD": ("weld-1", "toggle"),
            "PACK": ("pack-1", "complete")}


class FakeServer:
    """Runs and batches that move as a server would move them on each scan."""

    def __init__(self) -> None:
        self.numbers = itertools.count(1)
        self.runs: dict[str, list[dict[str, Any]]] = {}
        self.scans: list[tuple[str, str]] = []
        self.calls: list[tuple[str, str]] = []

    def add_run(self, batches: int) -> str:
        number = f"PR-{next(self.numbers)}"
        self.runs[number] = [self._batch(f"{number}-B{i}") for i in range(batches)]
        return number

    @staticmethod
    def _batch(code: str, step_index: int = 0) -> dict[str, Any]:
        return {"code": code, "step_index": step_index, "step": ROUTING[step_index],
                "state": "waiting"}

    def active_runs(self) -> list[dict[str, Any]]:
        return [{"number": n, "batches": [dict(b) for b in bs]} for n, bs in self.runs.items()
                if any(b["state"] not in ("done", "split") for b in bs)]

    def new_run(self, lines: list[dict[str, Any]]) -> str:
        self.calls.append(("new_run", ""))
        return self.add_run(2)

    def _find(self, code: str) -> dict[str, Any]:
        return next(b for bs in self.runs.values() for b in bs if b["code"] == code)

    def hold(self, code: str) -> None:
        self.calls.append(("hold", code))
        self._find(code)["state"] = "on_hold"

    def release(self, code: str) -> None:
        self.calls.append(("release", code))
        self._find(code)["state"] = "waiting"

    def split(self, code: str) -> None:
        self.calls.append(("split", code))
        batch = self._find(code)
        batch["state"] = "split"
        run = next(bs for bs in self.runs.values() if batch in bs)
        run += [self._batch(f"{code}.{i}", batch["step_index"]) for i in (1, 2)]

    def feed(self, station: str, code: str) -> None:
        self.scans.append((station, code))
        batch = self._find(code)
        op = next(o for o, (name, _) in STATIONS.items() if name == station)
        if batch["step"] != op or batch["state"] not in ("waiting", "in_process"):
            return  # rejected
        if STATIONS[op][1] == "toggle" and batch["state"] == "waiting":
            batch["state"] = "in_process"
            return
        nxt = batch["step_index"] + 1
        batch.update(step_index=nxt, step=ROUTING[nxt] if nxt < len(ROUTING) else None,
                     state="waiting" if nxt < len(ROUTING) else "done")


def floor(server: FakeServer, **pace: Any) -> Floor:
    settings = {"step_seconds": 10.0, "active_runs": 1, "reject": 0.0, "hold": 0.0,
                "split": 0.0, **pace}
    return Floor(server, STATIONS, server.feed, Pace(**settings), random.Random(7))


def run_for(f: Floor, seconds: int) -> None:
    for now in range(seconds):
        f.tick(float(now))


def test_the_floor_makes_new_runs_as_old_ones_finish_and_never_stops():
    server = FakeServer()
    server.add_run(3)
    run_for(floor(server), 2000)
    assert len([c for c in server.calls if c[0] == "new_run"]) >= 5
    assert "PR-1" not in {r["number"] for r in server.active_runs()}


def test_a_station_works_one_batch_at_a_time_so_work_in_progress_spreads():
    server = FakeServer()
    server.add_run(6)
    f = floor(server)
    run_for(f, 30)
    steps = {b["step"] for b in server.runs["PR-1"]}
    assert len(steps) >= 2  # after a few steps' time, batches stand at different steps
    assert sum(1 for s, _ in server.scans if s == "cut-1") <= 30 / (10 * 0.4) + 1


def test_a_toggle_station_scans_at_start_and_at_finish():
    server = FakeServer()
    server.add_run(1)
    run_for(floor(server), 200)
    assert [s for s, c in server.scans if c == "PR-1-B0"] == ["cut-1", "weld-1", "weld-1",
                                                              "pack-1"]


def test_held_batches_are_released_later_and_batches_are_split():
    server = FakeServer()
    server.add_run(4)
    f = floor(server, hold=0.3, split=1.0)
    run_for(f, 600)
    held = [c for k, c in server.calls if k == "hold"]
    released = [c for k, c in server.calls if k == "release"]
    assert held and set(held) - set(released) <= set(f.held)  # the rest are still due
    assert [k for k, _ in server.calls].count("split") >= 1


def test_now_and_then_a_station_scans_a_label_not_at_its_step():
    server = FakeServer()
    server.add_run(6)
    run_for(floor(server, reject=0.5), 300)
    wrong = [(s, c) for s, c in server.scans
             if s == "pack-1" and c in {b["code"] for b in server.runs["PR-1"]}]
    assert len(wrong) > len(server.runs["PR-1"])  # more pack-1 scans of PR-1 than batches
