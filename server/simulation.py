"""Simulated stations for the demo: a floor that works until stopped, at a human pace.

Each station works on one batch at a time for a while (``Pace.step_seconds``, with jitter),
then scans it; batches queue at busy stations, so work in progress spreads over the steps.
New runs are made as old ones finish, and now and then a station scans the wrong label, a
batch goes on hold (and is released later), or a batch is split in two.
"""

from __future__ import annotations

import logging
import random
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests

from station.agent import Agent
from station.decoding import Suppressor
from station.link import Link
from station.outbox import Outbox
from station.scans import Read
from station.transports import HttpTransport, SocketIOTransport

from .domain.batches import FLOWING, BatchState
from .domain.runs import RunStatus

log = logging.getLogger(__name__)
OPEN = FLOWING  # batches the simulated operators scan on
NEW_RUNS = [
    [{"item": "FRAME-100", "quantity": 10, "unit": "pcs", "batches": 3},
     {"item": "BRACKET-20", "quantity": 50, "unit": "pcs", "batches": 3}],
    [{"item": "ROD-8", "quantity": "12.5", "unit": "kg", "batches": 4}],
]


@dataclass(frozen=True)
class Pace:
    """How the simulated floor works: seconds per step, runs kept going, odd events."""

    step_seconds: float = 12.0
    active_runs: int = 3
    reject: float = 0.04  # a station first scans a label that is not at its step
    hold: float = 0.03  # a batch is put on hold when a station takes it
    split: float = 0.04  # a batch is split in two after its first step

    def work(self, rng: random.Random) -> float:
        """Return how long one station works on one batch."""
        return self.step_seconds * rng.uniform(0.4, 1.6)


class FloorApi(Protocol):
    """What the floor needs of the server (REST in the demo, a fake in tests)."""

    def active_runs(self) -> list[dict[str, Any]]: ...

    def new_run(self, lines: list[dict[str, Any]]) -> str: ...

    def hold(self, code: str) -> None: ...

    def release(self, code: str) -> None: ...

    def split(self, code: str) -> None: ...


@dataclass
class Floor:
    """Decide, tick by tick, what each station scans; scans go to ``feed(station, code)``."""

    api: FloorApi
    stations: dict[str, tuple[str, str]]  # operation -> (station name, scan mode)
    feed: Callable[[str, str], None]
    pace: Pace = field(default_factory=Pace)
    rng: random.Random = field(default_factory=random.Random)
    busy: dict[str, tuple[str, float]] = field(default_factory=dict)  # station -> (code, until)
    fed: dict[str, tuple[int | None, str]] = field(default_factory=dict)  # code -> as scanned
    held: dict[str, float] = field(default_factory=dict)  # code -> release at
    split_tried: set[str] = field(default_factory=set)  # each batch rolls for a split once
    made: int = 0

    def tick(self, now: float) -> None:
        """Advance the floor to now: finish work, take new batches, keep runs coming."""
        runs = self.api.active_runs()
        if len(runs) < self.pace.active_runs:
            self.api.new_run(NEW_RUNS[self.made % len(NEW_RUNS)])
            self.made += 1
        batches = {b["code"]: b for run in runs for b in run["batches"]}
        self._release(batches, now)
        for op, (station, mode) in self.stations.items():
            work = self.busy.get(station)
            if work is not None and work[1] <= now:
                self._scan(station, batches.get(work[0]))
                del self.busy[station]
            if station not in self.busy:
                self._take(op, station, mode, batches, now)

    def _scan(self, station: str, batch: dict[str, Any] | None) -> None:
        if batch is not None:
            self.fed[batch["code"]] = (batch["step_index"], batch["state"])
            self.feed(station, batch["code"])

    def _take(self, op: str, station: str, mode: str, batches: dict[str, dict[str, Any]],
              now: float) -> None:
        queue = [b for b in batches.values() if self._ready(b, op)]
        if not queue:
            return
        batch = min(queue, key=lambda b: b["code"])  # first come, first served
        if self.rng.random() < self.pace.reject:
            wrong = [b for b in batches.values() if b["step"] != op and b["state"] in OPEN]
            if wrong:
                self.feed(station, self.rng.choice(wrong)["code"])
        if self.rng.random() < self.pace.hold:
            self.api.hold(batch["code"])
            self.held[batch["code"]] = now + 3 * self.pace.work(self.rng)
            return
        if batch["step_index"] == 1 and batch["code"] not in self.split_tried:
            self.split_tried.add(batch["code"])
            if self.rng.random() < self.pace.split:
                self.api.split(batch["code"])
                return
        if mode == "toggle":
            self._scan(station, batch)  # the first scan starts the step
        self.busy[station] = (batch["code"], now + self.pace.work(self.rng))

    def _ready(self, batch: dict[str, Any], op: str) -> bool:
        """A batch waits at op, and the server has taken its last scan."""
        return batch["step"] == op and batch["state"] in OPEN and \
            self.fed.get(batch["code"]) != (batch["step_index"], batch["state"]) and \
            all(code != batch["code"] for code, _ in self.busy.values())

    def _release(self, batches: dict[str, dict[str, Any]], now: float) -> None:
        for code, at in list(self.held.items()):
            if at <= now:
                del self.held[code]
                if batches.get(code, {}).get("state") == BatchState.ON_HOLD:
                    self.api.release(code)


class RestFloorApi:
    """The floor's server calls, over REST with the demo's admin token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = f"{base}/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def _get(self, path: str, **params: str) -> Any:
        r = self.http.get(f"{self.base}{path}", params=params, timeout=10)
        r.raise_for_status()
        return r.json()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        r = self.http.post(f"{self.base}{path}", json=body, timeout=10)
        if r.status_code >= 400:  # a race with a scan (the batch moved on): try another time
            log.info("demo: %s refused: %s", path, r.text[:200])
        return r.json()

    def active_runs(self) -> list[dict[str, Any]]:
        numbers = [r["number"] for status in (RunStatus.IN_PROGRESS, RunStatus.PENDING)
                   for r in self._get("/runs", status=status)["runs"]]
        return [self._get(f"/runs/{n}") for n in sorted(numbers)]

    def new_run(self, lines: list[dict[str, Any]]) -> str:
        run = self._post("/runs", {"lines": lines, "notes": "demo"})
        log.info("demo made run %s", run.get("number"))
        return str(run.get("number"))

    def hold(self, code: str) -> None:
        self._post(f"/batches/{code}/hold", {"reason": "demo: surface check"})

    def release(self, code: str) -> None:
        self._post(f"/batches/{code}/release", {"reason": "demo: checked, fine"})

    def split(self, code: str) -> None:
        self._post(f"/batches/{code}/split", {"parts": 2, "reason": "demo: two ovens"})


def start_station(base: str, name: str, token: str, workdir: Path, stop: threading.Event
                  ) -> tuple[Agent, threading.Thread]:
    """Run one simulated station agent (own outbox and link) until stop."""
    outbox = Outbox(workdir / f"outbox-{name}.sqlite")
    link = Link(SocketIOTransport(base, token), outbox, http=HttpTransport(base, token))
    agent = Agent([], outbox, link, suppressor=Suppressor(0.0))
    thread = threading.Thread(target=agent.run, args=(stop,), name=f"sim-{name}", daemon=True)
    thread.start()
    return agent, thread


def simulate_forever(base: str, plant: dict[str, Any], stop: threading.Event,
                     pace: Pace | None = None) -> None:
    """Work the demo plant's stations until stop, making new runs as old ones finish."""
    pace = pace or Pace()
    if not _wait_up(base, stop):
        return
    api = RestFloorApi(base, plant["admin_token"])
    listed = api._get("/stations")
    with tempfile.TemporaryDirectory(prefix="floorline-demo-") as work:
        agents = {s["name"]: start_station(base, s["name"], plant["station_tokens"][s["name"]],
                                           Path(work), stop) for s in listed}

        def feed(station: str, code: str) -> None:
            agents[station][0].store(Read(code, "QRCode", f"sim:{station}"))

        for station, badge in plant.get("badges", {}).items():
            if station in agents:
                feed(station, badge)  # each operator badges in at their station
        floor = Floor(api, {s["operation"]: (s["name"], s["scan_mode"]) for s in listed},
                      feed, pace)
        every = min(1.0, max(0.05, pace.step_seconds / 5))
        while not stop.wait(every):
            try:
                floor.tick(time.monotonic())
            except (requests.RequestException, ValueError, KeyError):  # the demo goes on
                log.exception("demo floor tick failed")
        for agent, thread in agents.values():
            thread.join()  # the agent joins its own threads: its outbox is idle after this
            agent.outbox.close()


def _wait_up(base: str, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return True
        except requests.RequestException:
            pass
        stop.wait(0.5)
    return False
