"""Raise and catch the station agent's errors.

Exception tree::

    StationError
    ├── ConfigError            bad or missing configuration value
    ├── DecodeError            an image file cannot be read
    ├── SourceError            a scan source cannot be opened or read
    ├── OutboxError            the durable outbox cannot store or remove a scan
    │   └── OutboxFull         the outbox holds its configured maximum of rows
    └── LinkError              the server cannot be reached or refuses the station
        ├── Unauthorized       the server refused the station token
        └── AckTimeout         the server did not acknowledge a scan in time

Third-party errors (sqlite3, socketio, requests, serial, evdev, cv2) are translated into
these at the module that touches the library, with ``raise ... from err``.
"""

from __future__ import annotations


class StationError(Exception):
    """Base class of every error the station agent raises on purpose."""


class ConfigError(StationError):
    """A configuration value is missing or invalid."""


class DecodeError(StationError):
    """An image file cannot be read or decoded."""


class SourceError(StationError):
    """A scan source cannot be opened or read."""


class OutboxError(StationError):
    """The durable outbox cannot store or remove a scan."""


class OutboxFull(OutboxError):
    """The outbox holds its configured maximum number of rows."""


class LinkError(StationError):
    """The server cannot be reached or did not answer."""


class Unauthorized(LinkError):
    """The server refused the station token."""


class AckTimeout(LinkError):
    """The server did not acknowledge a scan within the call timeout."""
