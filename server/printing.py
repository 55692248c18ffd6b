"""The server's printers: configured in TOML, jobs spooled in the instance folder."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from labels import LabelData
from labels.printing import PrinterConfig, load_printers
from labels.spool import Job, PrintSpool, open_spool, print_labels

from .errors import NotFound
from .settings import Settings

log = logging.getLogger(__name__)


class LabelPrinting:
    """Print labels now (and say if it failed) or in the background (automatic printing)."""

    def __init__(self, settings: Settings) -> None:
        self.configs: dict[str, PrinterConfig] = (
            load_printers(settings.printers_file) if settings.printers_file else {})
        self.spool: PrintSpool = open_spool(Path(settings.instance_path) / "print-spool",
                                            self.configs)
        self.auto = settings.auto_print

    def config(self, name: str) -> PrinterConfig:
        if name not in self.configs:
            raise NotFound(f"no printer {name!r}", code="unknown_printer",
                           printers=sorted(self.configs))
        return self.configs[name]

    def print_now(self, printer: str, labels: Sequence[LabelData], title: str) -> Job:
        """Render and send; a PrinterError leaves the job in the spool for retry."""
        return print_labels(self.spool, self.config(printer), labels, title=title)

    def print_later(self, labels: Sequence[LabelData], title: str) -> None:
        """Send to the automatic printer, if one is set, without holding up the request."""
        if not self.auto or not labels:
            return

        def run() -> None:
            try:
                self.print_now(self.auto, labels, title)
            except Exception:  # kept in the spool; shown by /print-jobs
                log.exception("automatic printing of %s failed", title)

        threading.Thread(target=run, daemon=True).start()
