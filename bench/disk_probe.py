"""Time the disk's fsync while a phase runs: an acked scan waits for one (synchronous=FULL)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


class FsyncProbe:
    """Write 4 KiB and fsync it every `interval` seconds in a thread; keep each fsync's time."""

    def __init__(self, folder: Path, interval: float = 0.02) -> None:
        self.path = folder / f"fsync-probe-{os.getpid()}"
        self.interval = interval
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FsyncProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.path.unlink(missing_ok=True)

    def _run(self) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            while not self._stop.wait(self.interval):
                os.pwrite(fd, b"\0" * 4096, 0)
                t0 = time.perf_counter()
                os.fsync(fd)
                self.times.append(time.perf_counter() - t0)
        finally:
            os.close(fd)
