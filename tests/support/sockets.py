"""Socket.IO client helpers shared by the server and browser tests."""

from __future__ import annotations

import threading

import socketio


def close_in_background(client: socketio.Client) -> threading.Thread:
    """Disconnect on a thread, as the agent's transport does (station/transports.py).

    The server takes the disconnect packet at once; websocket-client then waits up to 3 s
    for a close frame its own read loop usually takes first, which only stalled tests."""
    closer = threading.Thread(target=client.disconnect, name="test-sio-close", daemon=True)
    closer.start()
    return closer
