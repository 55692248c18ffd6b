"""A small durable print spool: a job is on disk before it is sent and leaves only when done.

Layout on disk, one file per job (a JSON header line, then the raw bytes)::

    <dir>/pending/<job id>.job   not yet delivered; retried by retry_pending()
    <dir>/done/<job id>.job      delivered; kept (the newest ``keep_done``) for reprints

Files are written to a temporary name, fsynced and renamed, so a crash leaves either the
old state or the new one. A job being sent is locked (flock, per open file, so it works
between threads and processes alike): a job is never sent twice at once, and one slow
printer does not hold up jobs for the others.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from labels.content import LabelData
from labels.errors import PrinterConfigError, PrinterError
from labels.printing import Printer, PrinterConfig, connect
from labels.render import Format, render_labels


@dataclass(frozen=True, slots=True)
class Job:
    """A print job's header: what it is for and how it went."""

    id: str
    printer: str
    title: str
    size: int
    created: float
    attempts: int = 0
    last_error: str | None = None


@dataclass(slots=True)
class RetryReport:
    """What one retry_pending() pass did."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _write_atomic(path: Path, job: Job, data: bytes) -> None:
    """Write header and data to ``path`` so that readers see all of it or none."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(json.dumps(_header(job)).encode() + b"\n")
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _header(job: Job) -> dict[str, object]:
    """Return the job header as JSON-ready data."""
    return {name: getattr(job, name) for name in Job.__slots__}


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read(path: Path) -> tuple[Job, bytes]:
    """Read a job file's header and data."""
    raw = path.read_bytes()
    header, _, data = raw.partition(b"\n")
    return Job(**json.loads(header)), data


class _JobBusy(PrinterError):
    """A job is locked by another sender."""


class PrintSpool:
    """Send jobs to named printers through a durable on-disk spool."""

    def __init__(
        self, directory: str | Path, printers: Mapping[str, Printer], keep_done: int = 200
    ):
        self.root = Path(directory)
        self.printers = dict(printers)
        self.keep_done = keep_done
        self._pending = self.root / "pending"
        self._done = self.root / "done"
        self._pending.mkdir(parents=True, exist_ok=True)
        self._done.mkdir(parents=True, exist_ok=True)

    def print_job(self, printer: str, data: bytes, *, title: str = "Floorline labels") -> Job:
        """Spool ``data`` for ``printer`` and send it; on PrinterError the job stays pending."""
        if printer not in self.printers:
            known = ", ".join(sorted(self.printers)) or "none"
            raise PrinterConfigError(f"unknown printer {printer!r}; known printers: {known}")
        # Time-ordered ids keep retries in submission order.
        job_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        job = Job(job_id, printer, title, len(data), time.time())
        _write_atomic(self._pending / f"{job_id}.job", job, data)
        return self._send(self._pending / f"{job_id}.job")

    def retry_pending(self) -> RetryReport:
        """Try every pending job once, oldest first; report which were sent and which failed."""
        report = RetryReport()
        for path in sorted(self._pending.glob("*.job")):
            try:
                job = self._send(path)
            except (_JobBusy, FileNotFoundError):
                continue  # another thread or process is sending it, or has sent it
            except PrinterError as err:
                report.failed[path.stem] = str(err)
            else:
                report.sent.append(job.id)
        return report

    def reprint(self, job_id: str) -> Job:
        """Send a delivered (or pending) job's bytes again as a new job."""
        for folder in (self._done, self._pending):
            path = folder / f"{job_id}.job"
            if path.exists():
                job, data = _read(path)
                return self.print_job(job.printer, data, title=f"{job.title} (reprint)")
        raise PrinterError(f"no job {job_id!r} in the spool to reprint")

    def pending(self) -> list[Job]:
        """Return jobs waiting to be delivered, oldest first."""
        return [_read(p)[0] for p in sorted(self._pending.glob("*.job"))]

    def done(self) -> list[Job]:
        """Return delivered jobs kept for reprinting, oldest first."""
        return [_read(p)[0] for p in sorted(self._done.glob("*.job"))]

    def _send(self, path: Path) -> Job:
        """Deliver one pending job under a lock; move it to done only after a full send."""
        with open(path, "rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as err:
                raise _JobBusy(f"job {path.stem} is being sent right now") from err
            if not path.exists():
                raise FileNotFoundError(path)  # delivered before we got the lock
            job, data = _read(path)
            printer = self.printers.get(job.printer)
            if printer is None:
                raise PrinterConfigError(f"job {job.id} names unknown printer {job.printer!r}")
            try:
                printer.send(data, title=job.title)
            except PrinterError as err:
                failed = replace(job, attempts=job.attempts + 1, last_error=str(err))
                _write_atomic(path, failed, data)
                raise PrinterError(f"{err}; job {job.id} kept for retry", job_id=job.id) from err
            sent = replace(job, attempts=job.attempts + 1, last_error=None)
            _write_atomic(self._done / path.name, sent, data)
            path.unlink()
            _fsync_dir(self._pending)
        self._prune_done()
        return sent

    def _prune_done(self) -> None:
        """Keep only the newest ``keep_done`` delivered jobs."""
        done = sorted(self._done.glob("*.job"))
        for old in done[: max(0, len(done) - self.keep_done)]:
            old.unlink(missing_ok=True)


def open_spool(directory: str | Path, configs: Mapping[str, PrinterConfig]) -> PrintSpool:
    """Return a spool whose printers are the real drivers for ``configs``."""
    return PrintSpool(directory, {name: connect(config) for name, config in configs.items()})


def print_labels(
    spool: PrintSpool,
    config: PrinterConfig,
    labels: Sequence[LabelData],
    *,
    title: str = "Floorline labels",
) -> Job:
    """Render ``labels`` in the printer's format, layout and dpi, then spool and send them."""
    fmt: Format = config.format
    data = render_labels(labels, fmt, config.layout, dpi=config.dpi)
    return spool.print_job(config.name, data, title=title)
