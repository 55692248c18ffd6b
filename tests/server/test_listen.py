"""The development server's listener: connections it accepts send small messages at once."""

import socket

import pytest

from server.listen import listener


def test_accepted_connections_have_nagle_off() -> None:
    with listener("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"
        # The option is set, not the platform default: a plain socket has Nagle on.
        with socket.create_server(("127.0.0.1", 0)) as plain, \
                socket.create_connection(plain.getsockname()):
            accepted, _ = plain.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0


def test_listens_on_ipv6_loopback_too() -> None:
    try:
        sock = listener("::1", 0)
    except OSError as err:  # a host without IPv6
        pytest.skip(f"no IPv6 loopback here: {err}")
    with sock:
        assert sock.family == socket.AF_INET6
        with socket.create_connection(("::1", sock.getsockname()[1])):
            accepted, _ = sock.accept()
            accepted.close()
