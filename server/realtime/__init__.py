"""Socket.IO: the /station namespace for agents and /live for browsers."""

from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

from ..runtime import Runtime
from .broadcast import Broadcaster
from .live import LiveNamespace
from .ratelimit import RateLimiter
from .station import StationNamespace


def async_mode() -> str:
    """Use gevent when the process was monkey-patched for it (gunicorn, `floorline serve`)."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def init_realtime(app: Flask, runtime: Runtime) -> SocketIO:
    """Attach Socket.IO to app; with a message queue, processes share their broadcasts."""
    settings = runtime.settings
    sio = SocketIO(app, async_mode=async_mode(), message_queue=settings.message_queue or None,
                   channel=settings.message_queue_channel,
                   # Browsers may connect from this server's own origin (or the public URL)
                   # only; agents send no Origin header and are not affected.
                   cors_allowed_origins=[settings.public_url] if settings.public_url else None,
                   max_http_buffer_size=64 * 1024,
                   ping_interval=10, ping_timeout=10)
    broadcaster = Broadcaster(sio, runtime)
    limiter = RateLimiter(settings.scan_rate_per_second)
    stations = StationNamespace("/station", runtime, broadcaster, limiter)
    sio.server.register_namespace(stations)  # python-socketio's own: no Flask per event
    app.extensions["floorline_stations"] = stations
    viewers = LiveNamespace("/live", runtime, broadcaster)
    sio.on_namespace(viewers)
    app.extensions["floorline_live_logins"] = viewers
    app.extensions["floorline_live"] = broadcaster
    app.extensions["floorline_limiter"] = limiter
    return sio
