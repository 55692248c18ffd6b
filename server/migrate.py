"""Schema migrations through Alembic, configured in code so the installed package carries them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind engine to revision."""
    _step(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the database behind engine down to revision."""
    _step(engine, command.downgrade, revision)


def _step(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        # SQLite alters a table by copying it, and dropping the original of a table others
        # refer to trips its foreign keys even when the copy keeps every id. Its documented
        # procedure: keys off (outside the transaction), alter, check them all, keys on.
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration left rows whose foreign keys do not hold")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def revision(url: str, message: str) -> None:
    """Autogenerate a migration from the models (developers only)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
