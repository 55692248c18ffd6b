"""Carry scans and heartbeats to the server over Socket.IO or plain HTTP."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from station.errors import AckTimeout, LinkError, Unauthorized
from station.protocol import Outcome, Reason, outcome_of

log = logging.getLogger(__name__)

NAMESPACE = "/station"
Ack = dict[str, Any]
Command = Callable[[Any], object]


class Transport(Protocol):
    """One way of talking to the server."""

    kind: str

    @property
    def connected(self) -> bool:
        """Return whether scans can be sent right now."""
        ...

    def connect(self) -> None:
        """Connect; raise Unauthorized for a refused token, LinkError otherwise."""
        ...

    def send_scan(self, body: dict[str, Any], timeout: float) -> Ack:
        """Send one scan and return the server's ack."""
        ...

    def heartbeat(self, body: dict[str, Any], timeout: float) -> Ack | None:
        """Send a heartbeat and return its ack, or None when the transport has none."""
        ...

    def close(self) -> None:
        """Drop the connection."""
        ...


class SocketIOTransport:
    """The websocket link: python-socketio's call() waits for each ack."""

    kind = "websocket"

    def __init__(self, url: str, token: str, *, transports: list[str] | None = None,
                 connect_timeout: float = 10.0) -> None:
        self.url = url
        self._token = token
        self._transports = transports or ["websocket"]
        self._connect_timeout = connect_timeout
        self._client: Any = None
        self._commands: dict[str, Command] = {}

    def on_command(self, event: str, handler: Command) -> None:
        """Run handler when the server sends this command (on every later connection)."""
        self._commands[event] = handler

    @property
    def connected(self) -> bool:
        """Return whether the /station namespace is connected."""
        return bool(self._client is not None and self._client.connected
                    and NAMESPACE in self._client.namespaces)

    def connect(self) -> None:
        """Open a fresh client; our own backoff replaces socketio's reconnection."""
        import socketio

        self.close()
        client = socketio.Client(reconnection=False)
        refusals: list[str] = []
        client.on("connect_error", lambda data=None: refusals.append(refusal_reason(data)),
                  namespace=NAMESPACE)
        for event, handler in self._commands.items():
            client.on(event, handler, namespace=NAMESPACE)
        try:
            client.connect(
                self.url, auth={"token": self._token},
                headers={"Authorization": f"Bearer {self._token}"},
                namespaces=[NAMESPACE], transports=self._transports,
                wait_timeout=self._connect_timeout,
            )
        except socketio.exceptions.ConnectionError as err:
            # A namespace refused by the server's connect handler means a bad token;
            # anything else (refused socket, DNS, timeout) is a plain network failure.
            if client.failed_namespaces:
                reason = refusals[-1] if refusals else str(err)
                if reason.startswith(Reason.DATABASE_BUSY.value):  # the server, not the token
                    raise LinkError(f"{self.url} is busy: {reason}") from err
                raise Unauthorized(f"server {self.url} refused the station: {reason}") from err
            raise LinkError(f"cannot connect to {self.url}: {err}") from err
        self._client = client

    def send_scan(self, body: dict[str, Any], timeout: float) -> Ack:
        """Emit scan with call() so nothing is sent into a dead socket unnoticed."""
        return self._call("scan", body, timeout)

    def heartbeat(self, body: dict[str, Any], timeout: float) -> Ack | None:
        """Emit heartbeat and return its ack."""
        return self._call("heartbeat", body, timeout)

    def _call(self, event: str, body: dict[str, Any], timeout: float) -> Ack:
        """Call an event and translate socketio's errors."""
        import socketio

        if self._client is None:
            raise LinkError("not connected")
        try:
            ack = self._client.call(event, body, namespace=NAMESPACE, timeout=timeout)
        except socketio.exceptions.TimeoutError as err:
            raise AckTimeout(f"no ack for {event} within {timeout}s") from err
        except socketio.exceptions.SocketIOError as err:
            raise LinkError(f"{event} failed: {err}") from err
        if not isinstance(ack, dict):
            raise LinkError(f"malformed {event} ack: {ack!r}")
        return ack

    def close(self) -> None:
        """Disconnect the client, if any."""
        client, self._client = self._client, None
        if client is not None:
            # On a thread: websocket-client waits up to 3 s for a close frame that a dead
            # or busy server never sends, which must not stall reconnection or shutdown.
            threading.Thread(target=client.disconnect, name="sio-close", daemon=True).start()


def refusal_reason(data: object) -> str:
    """Return the reason a server gave for refusing a connection (socketio's connect_error)."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return str(data) if data else "no reason given"


class HttpTransport:
    """The fallback link: POST {server}/api/v1/scans, for sites that block websockets."""

    kind = "http"

    def __init__(self, url: str, token: str) -> None:
        import requests

        self.url = url.rstrip("/")
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    @property
    def connected(self) -> bool:
        """Return True: every request stands alone."""
        return True

    def connect(self) -> None:
        """Do nothing: HTTP needs no connection."""

    def send_scan(self, body: dict[str, Any], timeout: float) -> Ack:
        """POST one scan; the response body is the ack."""
        import requests

        try:
            response = self._session.post(f"{self.url}/api/v1/scans", json=body, timeout=timeout)
        except requests.Timeout as err:
            raise AckTimeout(f"no HTTP answer within {timeout}s") from err
        except requests.RequestException as err:
            raise LinkError(f"HTTP scan failed: {err}") from err
        if response.status_code in (401, 403):
            raise Unauthorized(f"server refused the station token (HTTP {response.status_code}): "
                               f"{_error_message(response)}")
        if response.status_code == 429 and outcome_of(_json(response)) is Outcome.DEFERRED:
            return _json(response)  # a deferred ack: the link waits and resends
        if response.status_code != 200:
            raise LinkError(f"HTTP scan answered {response.status_code}: {response.text[:200]}")
        try:
            ack: Ack = response.json()
        except ValueError as err:
            raise LinkError("HTTP scan answer is not JSON") from err
        return ack

    def heartbeat(self, body: dict[str, Any], timeout: float) -> Ack | None:
        """Return None: the protocol has no HTTP heartbeat."""
        return None

    def close(self) -> None:
        """Keep the session: HTTP has nothing to drop."""


def _json(response: Any) -> Ack:
    """Return a response's JSON object, or {} when it holds none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_message(response: Any) -> str:
    """Return an error response's code and message, REST shape {code, message, detail}."""
    body = _json(response)
    if not body:
        return str(response.text[:200])
    return f"{body.get('code', 'error')}: {body.get('message', '')}"
