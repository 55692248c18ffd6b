"""The audit-chain migration: entries written before it are chained, so the database verifies."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, text

from server.db import make_engine, make_session_factory
from server.migrate import upgrade
from server.models import AuditRecord
from server.models.base import UTCDateTime
from server.services import audit
from server.services.actors import SYSTEM
from tests.support.migrations import BACKENDS, downgrade, empty_database

BEFORE = "trace_chain"
AT = datetime(2026, 11, 30, 8, 0, 0, 123456, tzinfo=UTC)
OLD_ROWS = ("INSERT INTO audit_records (id, at, actor, action, entity_type, entity_key, reason,"
            " changes) VALUES (3, :at, 'planner', 'run.create', 'run', 'PR-1', '', '{}'),"
            " (7, :at, 'admin', 'user.create', 'user', 'zoë', 'new hire',"
            " '{\"role\": \"viewer\", \"n\": 2, \"tags\": [\"a\", null]}'),"
            " (9, :at, 'op', 'batch.hold', 'batch', 'B-1', 'Prüfung', '{\"before\": \"waiting\"}')")


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    yield from empty_database(request.param, tmp_path)


def test_existing_entries_are_chained_in_id_order_and_new_ones_follow(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    with engine.begin() as conn:
        conn.execute(text(OLD_ROWS).bindparams(bindparam("at", AT, type_=UTCDateTime())))
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('audit_records', 'id'), 9)"))
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        assert [(r.id, r.seq) for r in s.scalars(select(AuditRecord).order_by(AuditRecord.id))
                ] == [(3, 1), (7, 2), (9, 3)]
        assert audit.verify_chain(s)["count"] == 3
    with sessions() as s, s.begin():
        audit.record(s, SYSTEM, "run.cancel", "run", "PR-1", reason="after the upgrade")
    with sessions() as s:
        answer = audit.verify_chain(s)
    assert answer["ok"] and answer["count"] == 4
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET actor = 'x' WHERE id = 3"))
    engine.dispose()


def test_downgrade_takes_the_chain_and_its_triggers_off_and_upgrade_puts_them_back(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    with engine.begin() as conn:
        conn.execute(text(OLD_ROWS).bindparams(bindparam("at", AT, type_=UTCDateTime())))
    upgrade(engine)
    downgrade(engine, BEFORE)
    with engine.begin() as conn:
        columns = {c["name"] for c in conn.dialect.get_columns(conn, "audit_records")}
        assert not {"seq", "prev_hash", "hash"} & columns
        conn.execute(text("UPDATE audit_records SET reason = 'editable again' WHERE id = 3"))
    upgrade(engine)
    with make_session_factory(engine)() as s:
        assert audit.verify_chain(s)["count"] == 3
    engine.dispose()
