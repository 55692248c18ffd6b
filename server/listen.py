"""The development server's listening socket."""

from __future__ import annotations

import socket


def listener(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """Return a socket listening on host:port, Nagle's algorithm off for what it accepts.

    A live flush sends a screen many small messages in a row; with Nagle on, each after the
    first waits for the client's delayed ACK (40 ms on Linux): a scan's event to the plant
    room came 40 ms late whenever it followed run progress. gunicorn sets the same option.
    """
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                flags=socket.AI_PASSIVE)[0][0]
    sock = socket.create_server((host, port), family=family, backlog=backlog)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
    return sock
