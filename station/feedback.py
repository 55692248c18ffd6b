"""Tell the operator at the station whether a scan was accepted."""

from __future__ import annotations

import logging
import shlex
import subprocess
import sys
from typing import Any, Protocol, TextIO

log = logging.getLogger(__name__)


class Feedback(Protocol):
    """React to a server ack at the station."""

    def notify(self, ack: dict[str, Any]) -> None:
        """Signal the ack's outcome locally."""
        ...


class NoFeedback:
    """Signal nothing."""

    def notify(self, ack: dict[str, Any]) -> None:
        """Ignore the ack."""


class CommandFeedback:
    """Run a configured command, or ring the terminal bell, per outcome."""

    def __init__(self, *, on_accepted: str = "", on_rejected: str = "", bell: bool = False,
                 stream: TextIO | None = None) -> None:
        self._commands = {"accepted": on_accepted, "rejected": on_rejected}
        self._bell = bell
        self._stream = stream
        self._running: list[subprocess.Popen[bytes]] = []

    def notify(self, ack: dict[str, Any]) -> None:
        """Start the outcome's command without waiting, so delivery is never slowed."""
        outcome = str(ack.get("outcome", ""))
        if self._bell and outcome == "rejected":
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
