"""An outbox that cannot be written still delivers its backlog, and says so, loudly."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.agent import Agent
from station.decoding import Suppressor
from station.link import Link, LinkSettings
from station.outbox import Outbox
from station.scans import Read, scan_from_read
from station.transports import SocketIOTransport
from tests.station.conftest import TOKEN
from tests.station.harness import ServerProcess, station_env
from tests.station.server_records import applied_codes, heartbeats
from tests.station.waiting import wait_until

FAST = LinkSettings(call_timeout=3.0, heartbeat_interval=0.2, backoff_initial=0.05,
                    backoff_max=0.5, unauthorized_retry=0.5, http_fallback_after=2)


class Signals:
    """A feedback that records what the operator would have seen and heard."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []

    def notify(self, ack: dict[str, Any]) -> None:
        """Record the signal."""
        self.acks.append(ack)

    def refused(self) -> list[str]:
        """Return the reasons of the refused reads signalled."""
        return [a["reason"] for a in self.acks if a["outcome"] == "refused"]


class Station:
    """An agent with a link to a server; start() runs the link on a thread."""

    def __init__(self, server: ServerProcess, box: Outbox) -> None:
        self.signals = Signals()
        self.link = Link(SocketIOTransport(server.url, TOKEN), box, settings=FAST)
        self.agent = Agent([], box, self.link, suppressor=Suppressor(0.0),
                           feedback=self.signals)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.link.run, args=(self.stop,), daemon=True)

    def read(self, code: str) -> None:
        """Read a code as a source would."""
        self.agent.on_read(Read(code, "QRCode", "camera:0"))


@pytest.fixture
def station() -> Iterator[Any]:
    """Build stations; stop their links after the test."""
    built: list[Station] = []

    def build(server: ServerProcess, box: Outbox) -> Station:
        built.append(Station(server, box))
        return built[-1]

    yield build
    for item in built:
        item.stop.set()
        if item.thread.is_alive():
            item.thread.join(timeout=10)


def codes(count: int, prefix: str = "B") -> list[str]:
    return [f"{prefix}-{i:03d}" for i in range(count)]


def fill(path: Path, wanted: list[str]) -> None:
    box = Outbox(path)
    for code in wanted:
        box.add(scan_from_read(Read(code, "QRCode", "camera:0")))
    box.close()


def last_beat(server: ServerProcess) -> dict[str, Any]:
    beats = heartbeats(server.db)
    return beats[-1] if beats else {}


def test_a_full_outbox_signals_every_refused_read_and_reports_it_in_the_heartbeat(
    server: ServerProcess, tmp_path: Path, station: Any
) -> None:
    st = station(server, Outbox(tmp_path / "o.sqlite", max_rows=2))
    for code in codes(4):
        st.read(code)
    assert st.signals.refused() == ["outbox_full", "outbox_full"]
    st.thread.start()
    wait_until(lambda: applied_codes(server.db) == codes(2))
    wait_until(lambda: last_beat(server).get("refused_reads") == 2)
    assert last_beat(server)["refused_by_reason"] == {"outbox_full": 2}


def corrupt_page(path: Path, table: str) -> None:
    """Overwrite the page of a table or index with garbage, as a bad SD card would."""
    conn = sqlite3.connect(path)
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                           (table,)).fetchone()
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_a_corrupt_index_page_still_delivers_the_backlog_and_refuses_new_reads_aloud(
    server: ServerProcess, tmp_path: Path, station: Any
) -> None:
    path = tmp_path / "o.sqlite"
    fill(path, codes(5))
    corrupt_page(path, "sqlite_autoindex_outbox_1")
    st = station(server, Outbox(path))
    st.thread.start()
    wait_until(lambda: applied_codes(server.db) == codes(5))
    st.read("NEW-1")
    assert st.signals.refused() == ["outbox_unwritable"]
    wait_until(lambda: last_beat(server).get("refused_reads") == 1)
    assert last_beat(server)["outbox"]["healthy"] is False
    assert "corrupt" in last_beat(server)["outbox"]["error"] or \
        "malformed" in last_beat(server)["outbox"]["error"]
    assert "NEW-1" not in applied_codes(server.db)


def test_a_corrupt_table_page_leaves_the_link_up_and_reports_the_outbox_unhealthy(
    server: ServerProcess, tmp_path: Path, station: Any
) -> None:
    path = tmp_path / "o.sqlite"
    fill(path, codes(3))
    corrupt_page(path, "outbox")
    st = station(server, Outbox(path))
    st.thread.start()
    wait_until(lambda: len(heartbeats(server.db)) >= 3)  # not one beat, then a crash loop
    beat = last_beat(server)
    assert beat["outbox"]["healthy"] is False and beat["outbox"]["readable"] is False
    assert beat["outbox_depth"] == 3  # counted by its index, but not readable: shown, not hidden
    assert st.thread.is_alive()


def read_only_bind_works(folder: Path) -> bool:
    """Tell whether this machine lets us mount a folder read-only in a private namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c",
                            f"mount --bind -o ro {folder} {folder} && ! touch {folder}/probe"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def test_an_agent_on_a_read_only_disk_sends_its_backlog_and_reports_it_cannot_store(
    server: ServerProcess, tmp_path: Path
) -> None:
    folder = tmp_path / "box"
    folder.mkdir()
    if not read_only_bind_works(folder):
        pytest.skip("cannot mount a read-only bind here (needs CAP_SYS_ADMIN)")
    path = folder / "o.sqlite"
    fill(path, codes(3))
    agent = [sys.executable, "-m", "station", "--server", server.url, "--token", TOKEN,
             "--source", "stdin", "--outbox", str(path)]
    # A real read-only filesystem, seen only by the agent: root ignores chmod, not this.
    script = f"mount --bind -o ro {folder} {folder} && exec {' '.join(agent)}"
    proc = subprocess.Popen(["unshare", "-m", "sh", "-c", script], stdin=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=station_env(), cwd=tmp_path)
    try:
        wait_until(lambda: applied_codes(server.db) == codes(3), timeout=60)
        assert proc.stdin is not None
        proc.stdin.write(b"NEW-1\n")
        proc.stdin.flush()
        wait_until(lambda: last_beat(server).get("refused_reads") == 1, timeout=60)
        beat = last_beat(server)
        assert beat["outbox"]["writable"] is False
        assert beat["refused_by_reason"] == {"outbox_unwritable": 1}
        assert "NEW-1" not in applied_codes(server.db)
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
