"""Drive virtual stations that scan batch codes in routing order against a server.

A plan is an ordered list of stations, each with its token and the codes it scans, in
order. The plan's station order is the routing order: a station scans a code only after
every earlier station that lists the same code has had it acknowledged. As JSON::

    [{"name": "cut", "token": "T1", "codes": ["B-1", "B-2"]},
     {"name": "weld", "token": "T2", "codes": ["B-1", "B-2"]}]
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.agent import Agent
from station.decoding import Suppressor
from station.errors import ConfigError
from station.link import Link, LinkSettings
from station.outbox import Outbox
from station.scans import Read, Scan
from station.sources.protocol import FINISHED, OK, STARTING, Emit
from station.transports import HttpTransport, SocketIOTransport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StationPlan:
    """One virtual station: its token and the codes it scans, in order."""

    token: str
    codes: tuple[str, ...]
    name: str = ""


@dataclass
class StationResult:
    """What one virtual station sent and what the server answered."""

    name: str
    scanned: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    acks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SimulationResult:
    """The outcome of a whole simulation."""

    stations: list[StationResult]
    complete: bool

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary per station."""
        return {"complete": self.complete, "stations": [
            {"name": s.name, "scanned": s.scanned, "outcomes": dict(s.outcomes)}
            for s in self.stations]}


def plan_from_routing(tokens: Sequence[str], codes: Sequence[str],
                      scans_per_step: int = 1) -> list[StationPlan]:
    """Plan every code through every station in token order (one station per routing step)."""
    scanned = tuple(code for code in codes for _ in range(scans_per_step))
    return [StationPlan(token, scanned, f"station-{i + 1}") for i, token in enumerate(tokens)]


def load_plan(path: str | Path) -> list[StationPlan]:
    """Read a JSON plan file."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
        return [StationPlan(str(e["token"]), tuple(map(str, e["codes"])),
                            str(e.get("name") or f"station-{i + 1}"))
                for i, e in enumerate(entries)]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(f"cannot read simulation plan {path}: {err}") from err


class RoutingGate:
    """Hold a station's scan of a code until earlier stations have had it acked."""

    def __init__(self, plan: Sequence[StationPlan]) -> None:
        self._plan = plan
        self._cond = threading.Condition()
        self._acked: Counter[tuple[int, str]] = Counter()

    def wait_turn(self, index: int, code: str, stop: threading.Event) -> bool:
        """Block until the code passed every earlier station; return False if stopped."""
        needed = [(j, self._plan[j].codes.count(code)) for j in range(index)]
        with self._cond:
            while not all(self._acked[(j, code)] >= n for j, n in needed):
                if stop.is_set():
                    return False
                self._cond.wait(0.2)
        return True

    def acked(self, index: int, code: str) -> None:
        """Record an ack and wake waiting stations."""
        with self._cond:
            self._acked[(index, code)] += 1
            self._cond.notify_all()


class PlanSource:
    """A source that 'scans' a station's planned codes at a steady rate."""

    def __init__(self, index: int, plan: StationPlan, gate: RoutingGate, rate: float) -> None:
        self.name = f"sim:{plan.name}"
        self._index, self._plan, self._gate = index, plan, gate
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._status = STARTING
        self.scanned = 0

    @property
    def status(self) -> str:
        """Return whether the plan is still being scanned."""
        return self._status

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit each code in turn, paced by the rate and gated by the routing."""
        self._status = OK
        next_at = time.monotonic()
        for code in self._plan.codes:
            if not self._gate.wait_turn(self._index, code, stop):
                return
            if stop.wait(max(0.0, next_at - time.monotonic())):
                return
            next_at = time.monotonic() + self._interval
            emit(Read(code, "QRCode", self.name))
            self.scanned += 1
        self._status = FINISHED


def _station_agent(server_url: str, index: int, plan: StationPlan, *, gate: RoutingGate,
                   rate: float, workdir: Path, settings: LinkSettings,
                   result: StationResult) -> tuple[Agent, PlanSource]:
    """Build one virtual station: its plan source, own outbox and own link."""
    source = PlanSource(index, plan, gate, rate)
    outbox = Outbox(workdir / f"outbox-{index:03d}-{plan.name}.sqlite")

    def on_ack(scan: Scan, ack: dict[str, Any]) -> None:
        result.outcomes[str(ack.get("outcome"))] += 1
        result.acks.append(ack)
        gate.acked(index, scan.code)

    link = Link(SocketIOTransport(server_url, plan.token), outbox,
                http=HttpTransport(server_url, plan.token), settings=settings,
                source_status=lambda: {source.name: source.status}, on_ack=on_ack)
    # No suppression: a toggle-mode station scans the same code twice on purpose.
    return Agent([source], outbox, link, suppressor=Suppressor(0.0)), source


def run_simulation(server_url: str, plan: Sequence[StationPlan], *, rate: float = 1.0,
                   workdir: str | Path | None = None, timeout: float | None = None,
                   settings: LinkSettings | None = None,
                   stop: threading.Event | None = None) -> SimulationResult:
    """Run every planned station until all scans are acked, the timeout passes, or stop."""
    stop = stop or threading.Event()
    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="floorline-sim-"))
    gate = RoutingGate(plan)
    results = [StationResult(p.name) for p in plan]
    built = [_station_agent(server_url, i, p, gate=gate, rate=rate, workdir=work,
                            settings=settings or LinkSettings(), result=results[i])
             for i, p in enumerate(plan)]
    threads = [threading.Thread(target=agent.run, args=(stop,), kwargs={"until_drained": True},
                                daemon=True) for agent, _ in built]
    for thread in threads:
        thread.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    for thread in threads:
        thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    complete = not any(t.is_alive() for t in threads) and not stop.is_set()
    complete = complete or all(a.outbox.depth() == 0 and s.status == FINISHED for a, s in built)
    stop.set()
    for thread in threads:
        thread.join()  # the agents join their own threads, so the outboxes are idle now
    for (agent, source), result in zip(built, results, strict=True):
        result.scanned = source.scanned
        agent.outbox.close()
    log.info("simulation %s", "complete" if complete else "stopped before completion")
    return SimulationResult(results, complete)
