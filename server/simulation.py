"""Simulated stations for the demo: scan every active run in routing order, then plan more."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from typing import Any

import requests

from station.simulator import StationPlan, run_simulation

log = logging.getLogger(__name__)


def plan_for_runs(base: str, headers: dict[str, str], runs: list[str],
                  stations: dict[str, tuple[str, str]]) -> list[StationPlan]:
    """Plan each station's scans: stations ordered as the routings run, batches in order.

    stations maps station name -> (operation, token).
    """
    order: list[str] = []
    codes: dict[str, list[str]] = {}
    for number in runs:
        run = requests.get(f"{base}/api/v1/runs/{number}", headers=headers, timeout=10).json()
        for batch in run["batches"]:
            if batch["state"] in ("done", "scrapped", "split", "merged"):
                continue
            routing = run["routings"][batch["item"]][batch["step_index"] or 0:]
            for op in routing:
                if op not in order:
                    order.append(op)
                codes.setdefault(op, []).append(batch["code"])
    by_op = {op: (name, token) for name, (op, token) in stations.items()}
    return [StationPlan(by_op[op][1], tuple(codes[op]), by_op[op][0])
            for op in order if op in by_op]


def simulate_forever(base: str, plant: dict[str, Any], stop: threading.Event,
                     rate: float = 0.5) -> None:
    """Scan the demo's runs; when they are done, make a new run and go on, until stop."""
    headers = {"Authorization": f"Bearer {plant['admin_token']}"}
    if not _wait_up(base, stop):
        return
    stations = {s["name"]: (s["operation"], plant["station_tokens"][s["name"]])
                for s in requests.get(f"{base}/api/v1/stations", headers=headers,
                                      timeout=10).json()}
    while not stop.is_set():
        runs = _active_runs(base, headers) or [_new_run(base, headers)]
        with tempfile.TemporaryDirectory() as work:
            plan = plan_for_runs(base, headers, runs, stations)
            run_simulation(base, plan, rate=rate, workdir=work, timeout=3600, stop=stop)


def _active_runs(base: str, headers: dict[str, str]) -> list[str]:
    """Runs still to scan, oldest first (the planner may add some while the demo runs)."""
    numbers: list[str] = []
    for status in ("in_progress", "pending"):
        listed = requests.get(f"{base}/api/v1/runs", params={"status": status},
                              headers=headers, timeout=10).json()
        numbers += [r["number"] for r in listed["runs"]]
    return sorted(numbers)[:5]


def _new_run(base: str, headers: dict[str, str]) -> str:
    lines = [{"item": "FRAME-100", "quantity": 10, "unit": "pcs", "batches": 4},
             {"item": "BRACKET-20", "quantity": 50, "unit": "pcs", "batches": 4}]
    body: dict[str, Any] = {"lines": lines, "notes": "demo"}
    run = requests.post(f"{base}/api/v1/runs", json=body, headers=headers, timeout=10).json()
    log.info("demo made run %s", run["number"])
    return str(run["number"])


def _wait_up(base: str, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return False
