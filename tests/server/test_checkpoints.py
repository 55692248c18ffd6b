"""WAL checkpoints by a thread of their own: writers' commits no longer copy the WAL back."""

import os
import time

from sqlalchemy import text

from server.checkpoints import SAFETY_PAGES, checkpoint_in_background
from server.db import make_engine


def test_the_background_thread_checkpoints_what_the_writers_left_in_the_wal(tmp_path):
    path = tmp_path / "f.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as db:
        db.execute(text("CREATE TABLE t (x BLOB)"))
    assert checkpoint_in_background(engine)
    with engine.begin() as db:
        assert db.execute(text("PRAGMA wal_autocheckpoint")).scalar() == SAFETY_PAGES
        # About 1,500 pages: past SQLite's own threshold, short of the connections' new one.
        for _ in range(1500):
            db.execute(text("INSERT INTO t VALUES (randomblob(4000))"))
    before = os.path.getsize(path)
    deadline = time.monotonic() + 30
    while os.path.getsize(path) < before + 5_000_000 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert os.path.getsize(path) >= before + 5_000_000  # the pages reached the database file
    engine.dispose()


def test_memory_and_other_databases_keep_their_own_checkpoints():
    assert not checkpoint_in_background(make_engine("sqlite://"))
