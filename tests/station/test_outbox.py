"""The outbox keeps every scan, in order, until the server acknowledges it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.errors import OutboxError, OutboxFull
from station.outbox import Outbox
from station.scans import Read, Scan, scan_from_read


def scans(count: int) -> list[Scan]:
    """Return distinct scans B-0, B-1, ..."""
    return [scan_from_read(Read(f"B-{i}", "QRCode", "camera:0"), "op-7") for i in range(count)]


def test_outbox_keeps_scan_until_acked(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    scan = scans(1)[0]
    box.add(scan)
    assert box.oldest() == scan
    assert box.oldest() == scan  # reading is not acknowledging
    box.remove(scan.event_id)
    assert box.oldest() is None
    assert box.depth() == 0


def test_outbox_returns_scans_oldest_first(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    stored = scans(10)
    for scan in stored:
        box.add(scan)
    box.remove(stored[0].event_id)
    assert box.pending() == stored[1:]
    assert box.oldest() == stored[1]


def test_outbox_survives_a_restart_with_order_and_operator(tmp_path: Path) -> None:
    stored = scans(5)
    box = Outbox(tmp_path / "o.sqlite")
    for scan in stored:
        box.add(scan)
    box.close()
    assert Outbox(tmp_path / "o.sqlite").pending() == stored


def test_outbox_uses_wal_and_full_sync(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    assert box._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert box._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_full_outbox_refuses_new_scans_with_an_alarm_and_keeps_stored_ones(
    tmp_path: Path,
) -> None:
    alarms: list[str] = []
    box = Outbox(tmp_path / "o.sqlite", max_rows=3, alarm_depth=100,
                 on_alarm=lambda msg, depth: alarms.append(msg))
    stored = scans(4)
    for scan in stored[:3]:
        box.add(scan)
    with pytest.raises(OutboxFull, match="refused"):
        box.add(stored[3])
    assert box.pending() == stored[:3]
    assert any("full" in alarm for alarm in alarms)


def test_outbox_raises_its_depth_alarm_once_per_crossing(tmp_path: Path) -> None:
    alarms: list[int] = []
    box = Outbox(tmp_path / "o.sqlite", alarm_depth=3, on_alarm=lambda m, d: alarms.append(d))
    stored = scans(6)
    for scan in stored[:5]:
        box.add(scan)
    assert alarms == [3]
    for scan in stored[:4]:
        box.remove(scan.event_id)
    box.add(stored[5])
    box.add(scans(1)[0])
    assert alarms == [3, 3]


def test_full_disk_is_an_outbox_error_and_loses_nothing_stored(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    stored = scans(3)
    for scan in stored:
        box.add(scan)
    page_count = box._db.execute("PRAGMA page_count").fetchone()[0]
    box._db.execute(f"PRAGMA max_page_count={page_count}")  # the disk is now 'full'
    with pytest.raises(OutboxError, match="full"):
        for scan in scans(200):
            box.add(scan)
    box.close()
    assert Outbox(tmp_path / "o.sqlite").pending()[:3] == stored


def test_read_only_outbox_refuses_new_scans_but_still_lets_the_backlog_be_acked(
    tmp_path: Path,
) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    stored = scans(3)
    for scan in stored[:2]:
        box.add(scan)
    box._db.execute("PRAGMA query_only=ON")  # as if the filesystem were remounted read-only
    with pytest.raises(OutboxError, match="readonly"):
        box.add(stored[2])
    assert box.health()["writable"] is False and box.health()["healthy"] is False
    box.mark_attempt(stored[0].event_id)  # a refused write never stops a send
    box.remove(stored[0].event_id)  # acked: the disk keeps it, the outbox skips it
    assert box.oldest() == stored[1]
    assert box.depth() == 1
    box.close()
    # Nothing stored was lost: a restart resends the acked one too (the server answers a repeat).
    assert Outbox(tmp_path / "o.sqlite").pending() == stored[:2]


def test_acked_scans_leave_the_disk_once_it_takes_writes_again(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    stored = scans(3)
    for scan in stored[:2]:
        box.add(scan)
    box._db.execute("PRAGMA query_only=ON")
    box.remove(stored[0].event_id)
    box._db.execute("PRAGMA query_only=OFF")
    box.add(stored[2])
    assert box.health()["healthy"] is True
    box.close()
    assert Outbox(tmp_path / "o.sqlite").pending() == stored[1:]


def test_an_outbox_file_the_disk_will_not_write_opens_read_only_and_is_delivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = scans(2)
    box = Outbox(tmp_path / "o.sqlite")
    for scan in stored:
        box.add(scan)
    box.close()
    real_connect = sqlite3.connect

    def read_only_disk(target: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        """Open every file as a read-only filesystem would let us: SQLITE_OPEN_READONLY."""
        uri = target if str(target).startswith("file:") else f"file:{target}?mode=ro"
        kwargs["uri"] = True
        return real_connect(uri, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only_disk)
    box = Outbox(tmp_path / "o.sqlite")
    assert box.pending() == stored
    assert box.health()["writable"] is False
    with pytest.raises(OutboxError):
        box.add(scans(1)[0])


def test_unopenable_outbox_path_is_an_outbox_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(OutboxError):
        Outbox(tmp_path / "file" / "o.sqlite")


def test_corrupt_outbox_file_is_an_outbox_error(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutboxError):
        Outbox(path)
    assert sqlite3.sqlite_version


def test_an_outbox_made_before_clock_offsets_keeps_its_scans_and_gains_the_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "o.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT "
                "NOT NULL UNIQUE, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)")
    scan = scans(1)[0]
    old.execute("INSERT INTO outbox (event_id, body) VALUES (?, ?)",
                (scan.event_id, json.dumps(scan.to_body())))
    old.commit()
    old.close()
    box = Outbox(path)
    assert box.pending() == [scan] and box.pending()[0].clock_offset is None
    assert box.health()["healthy"] is True


def test_dead_letters_survive_a_restart_and_resend_as_new_events_with_the_offset_now(
    tmp_path: Path,
) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    held, kept = scans(2)
    box.add(held)
    box.add(kept)
    box.dead_letter(held, "clock_skew", "too far from the server's clock")
    assert box.pending() == [kept]
    box.close()
    box = Outbox(tmp_path / "o.sqlite")
    assert [(d["code"], d["reason"]) for d in box.dead_letters()] == [("B-0", "clock_skew")]
    assert box.dead_letter_count() == 1
    assert box.resend_dead_letters(42.0) == 1
    resent = box.pending()[-1]
    assert (resent.code, resent.clock_offset) == ("B-0", 42.0)
    assert resent.event_id != held.event_id  # the first id's answer stays a rejection
    assert box.dead_letters() == []
