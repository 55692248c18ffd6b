"""Exceptions raised by the labels package.

Every error derives from ``LabelError`` so callers (the server's REST layer, the CLI)
can map the whole family to one JSON error shape::

    LabelError
    ├── PayloadError          a code cannot be encoded (bad characters, GS1 rules, too long)
    ├── LayoutError           unknown layout name or an invalid layout file
    ├── RenderError           a label cannot be drawn as asked
    │   ├── CapacityError     the payload does not fit the layout's QR at its module size
    │   └── UnsupportedTextError  human-readable text has characters the font cannot draw
    └── PrinterError          a printer is offline, refuses, times out or rejects a job
        └── PrinterConfigError  an invalid or unknown printer definition

``payload.parse()`` never raises: junk comes back as a ``Payload`` of kind "unknown".
"""

from __future__ import annotations


class LabelError(Exception):
    """Base class of every error raised by the labels package."""


class PayloadError(LabelError):
    """Refuse a code that cannot be encoded in the requested form."""


class LayoutError(LabelError):
    """Report an unknown layout name or an invalid layout definition."""


class RenderError(LabelError):
    """Report a label that cannot be drawn as asked."""


class CapacityError(RenderError):
    """Report a payload too long for the layout's QR size at its minimum module size."""


class UnsupportedTextError(RenderError):
    """Report human-readable text with characters the output's font cannot draw."""


class PrinterError(LabelError):
    """Report a printer that is offline, refuses, times out or rejects a job."""

    def __init__(self, message: str, *, job_id: str | None = None) -> None:
        super().__init__(message)
        self.job_id = job_id  # set when the job was spooled and awaits retry_pending()


class PrinterConfigError(PrinterError):
    """Report an invalid or unknown printer definition."""
