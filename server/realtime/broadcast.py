"""Push changes to /live rooms: scans at once, run and batch updates coalesced per window."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask_socketio import SocketIO
from socketio import PubSubManager

from ..runtime import Runtime
from ..services import live, plant, queue
from ..services.scans import ScanResult

log = logging.getLogger(__name__)
NS = "/live"
SWEEP_SECONDS = 5    # how often stations that missed their heartbeats are marked offline
FLUSH_SHARE = 0.1    # of the event loop's time, at most, for run and batch updates
RUNS_PER_READ = 10   # runs summarised in one read of the flush, between yields to scans
YIELD_SECONDS = 0.001  # a pause, not sleep(0): gevent resumes a sleep(0) before polling sockets


def next_pause(window: float, spent: float) -> float:
    """Return how long to wait before the next flush, after one that took `spent` seconds.

    A flush holds the event loop while it reads (`spent` counts that, not its yields); on a
    busy floor it summarises many runs, so it waits long enough to take at most FLUSH_SHARE
    of the time: run progress comes a little less often, and scans keep their pace.
    """
    return max(window, spent * (1 / FLUSH_SHARE - 1))


class Broadcaster:
    def __init__(self, sio: SocketIO, runtime: Runtime) -> None:
        self.sio = sio
        self.runtime = runtime
        self.window = runtime.settings.live_coalesce_ms / 1000
        self._lock = threading.Lock()
        self._runs: set[str] = set()
        self._batches: dict[str, dict[str, Any]] = {}
        self._started = False

    def start(self) -> None:
        """Start the flush loop once, on the first connection (not for every app made)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self.sio.start_background_task(self._loop)

    def scan(self, result: ScanResult) -> None:
        """Send a scan to its station, its run and the plant; queue its batch and run."""
        from .live import plant_scan

        if "login" in result.ack:
            # A badge read is a login, not a scan: its station's kiosk hears who logged in,
            # no screen ever sees the badge's code.
            if result.ack["login"] is not None:
                self.sio.emit("operator_logged_in", {"station": result.station,
                                                     **result.ack["login"]},
                              namespace=NS, to=f"station:{result.station}")
            return
        rooms = [f"station:{result.station}"]
        if result.run:
            rooms.append(f"run:{result.run}")
        # The plant room may be public: it never sees what an unrecognised read said.
        public = plant_scan(result.scan)
        if public is result.scan:
            rooms.append("plant")
        else:
            self.sio.emit("scan_recorded", public, namespace=NS, to="plant")
        self.sio.emit("scan_recorded", result.scan, namespace=NS, to=rooms)
        with self._lock:
            if result.batch is not None:
                self._batches[result.batch["code"]] = result.batch
            if result.run and result.batch is not None:
                self._runs.add(result.run)

    def batch_changed(self, batch: dict[str, Any]) -> None:
        with self._lock:
            self._batches[batch["code"]] = batch
            self._runs.add(batch["run"])

    def station(self, health: dict[str, Any]) -> None:
        self.sio.emit("station_health", health, namespace=NS,
                      to=["plant", f"station:{health['name']}"])

    def queues(self, skus: set[str]) -> None:
        """Send the new work queue to every station whose operation these items pass through.

        One message per operation, to all its stations' rooms: their queues are the same,
        and encoding it once per station cost more than the scans that changed it.
        """
        with self.runtime.sessions() as session:
            queues = [(names, queue.operation_queue(session, op_id, code))
                      for op_id, code, names in queue.serving(session, skus)
                      if self._heard([f"station:{name}" for name in names])]
        for names, entries in queues:
            self.sio.emit("station_queue", {"stations": names, "queue": entries}, namespace=NS,
                          to=[f"station:{name}" for name in names])

    def _heard(self, rooms: list[str]) -> bool:
        """Tell whether anyone may hear a message to rooms, before building it.

        Through a message queue the listeners may be on another process: always. Alone,
        Socket.IO would encode the message only to find the rooms empty.
        """
        manager = getattr(getattr(self.sio, "server", None), "manager", None)
        if manager is None or isinstance(manager, PubSubManager):
            return True
        present = manager.rooms.get(NS, {})
        return any(present.get(room) for room in rooms)

    def _loop(self) -> None:
        pause, sweep_at = self.window, time.monotonic() + SWEEP_SECONDS
        while True:
            self.sio.sleep(pause)
            started = time.monotonic()
            try:
                spent = self.flush()
                if started >= sweep_at:
                    sweep_at = started + SWEEP_SECONDS
                    self.offline_silent_stations()
            except Exception:  # the loop must outlive one bad flush
                log.exception("live flush failed")
                spent = time.monotonic() - started
            pause = next_pause(self.window, spent)

    def offline_silent_stations(self) -> None:
        """Mark stations offline that missed their heartbeats, and say so."""
        with self.runtime.transaction() as session:
            gone = plant.mark_silent_offline(session, self.runtime.settings.heartbeat_timeout)
        for health in gone:
            self.station(health)

    def flush(self) -> float:
        """Emit the newest state of every run and batch that changed since the last flush.

        Return the seconds it held the event loop, its yields to scans left out.
        """
        started, yielded = time.monotonic(), 0.0
        with self._lock:
            runs, batches = self._runs, self._batches
            self._runs, self._batches = set(), {}
        for batch in batches.values():
            if self._heard([f"run:{batch['run']}"]):
                self.sio.emit("batch_updated", batch, namespace=NS, to=f"run:{batch['run']}")
        if batches:
            self.queues({b["item"] for b in batches.values()})
        heard = sorted(run for run in runs if self._heard(["plant", f"run:{run}"]))
        # A few runs at a time, yielding between: the loop serves waiting scans in between
        # instead of after every run on the floor has been summarised.
        for start in range(0, len(heard), RUNS_PER_READ):
            if start or batches:
                paused = time.monotonic()
                self.sio.sleep(YIELD_SECONDS)
                yielded += time.monotonic() - paused
            with self.runtime.sessions() as session:
                summaries = live.run_summaries(session, heard[start:start + RUNS_PER_READ])
            for summary in summaries:
                self.sio.emit("run_progress", summary, namespace=NS,
                              to=["plant", f"run:{summary['number']}"])
        return time.monotonic() - started - yielded
