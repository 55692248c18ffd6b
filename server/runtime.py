"""The per-app runtime: settings, engine and session factory, shared by REST, Socket.IO and CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from . import effects
from .db import make_engine, make_session_factory, writer
from .errors import FloorlineError
from .settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        engine = make_engine(settings.database_url,
                             lock_wait_seconds=settings.db_lock_wait_seconds)
        return cls(settings, engine, make_session_factory(engine))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session whose transaction commits on success and rolls back on error.

        Effects queued in it (server/effects.py) run once after the commit, or are dropped.
        An error marked keeps_writes (a failed login, counted) commits, then is raised.
        """
        kept: FloorlineError | None = None
        # Bound to the writer: on SQLite it takes the write lock; plain sessions() only read.
        with self.sessions(bind=writer(self.engine)) as session:
            try:
                with session.begin():
                    try:
                        yield session
                    except FloorlineError as err:
                        if not err.keeps_writes:
                            raise
                        kept = err
            except BaseException:
                effects.discard(session)
                raise
            effects.run(session)
        if kept is not None:
            raise kept
