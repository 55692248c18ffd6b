"""Tell the operator at the station whether a scan was accepted, or could not be stored."""

from __future__ import annotations

import logging
import shlex
import subprocess
import sys
from typing import Any, Protocol, TextIO

log = logging.getLogger(__name__)


REFUSED = "refused"  # the pseudo-outcome of a read the station could not store


class Feedback(Protocol):
    """React to a server ack, or a read the outbox refused, at the station."""

    def notify(self, ack: dict[str, Any]) -> None:
        """Signal the ack's outcome locally."""
        ...


class NoFeedback:
    """Signal nothing."""

    def notify(self, ack: dict[str, Any]) -> None:
        """Ignore the ack."""


def refused_read(code: str, reason: str, message: str) -> dict[str, Any]:
    """Return the local ack of a read the outbox refused (it never reaches the server)."""
    return {"event_id": None, "outcome": REFUSED, "reason": reason, "message": message,
            "code": reason, "scan_code": code}


class CommandFeedback:
    """Run a configured command, or ring the terminal bell, per outcome."""

    def __init__(self, *, on_accepted: str = "", on_rejected: str = "", on_refused: str = "",
                 bell: bool = False, stream: TextIO | None = None) -> None:
        # A refused read is worse than a rejected scan: it runs the rejected command too
        # unless it has its own, so a station set up for red lights shows it.
        self._commands = {"accepted": on_accepted, "rejected": on_rejected,
                          REFUSED: on_refused or on_rejected}
        self._bell = bell
        self._stream = stream
        self._running: list[subprocess.Popen[bytes]] = []

    def notify(self, ack: dict[str, Any]) -> None:
        """Start the outcome's command without waiting, so delivery is never slowed."""
        outcome = str(ack.get("outcome", ""))
        if self._bell and outcome in ("rejected", REFUSED):
            stream = self._stream or sys.stderr
            stream.write("\a")
            stream.flush()
        command = self._commands.get(outcome, "")
        if not command:
            return
        self._running = [p for p in self._running if p.poll() is None]
        try:
            self._running.append(subprocess.Popen(  # noqa: S603 - operator-configured command
                [*shlex.split(command), outcome, str(ack.get("reason") or "")]
            ))
        except OSError as err:
            log.error("feedback command %r failed: %s", command, err)
