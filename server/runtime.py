"""The per-app runtime: settings, engine and session factory, shared by REST, Socket.IO and CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import make_engine, make_session_factory
from .errors import FloorlineError
from .settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        engine = make_engine(settings.database_url)
        return cls(settings, engine, make_session_factory(engine))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session whose transaction commits on success and rolls back on error.

        An error marked keeps_writes (a failed login, counted) commits, then is raised.
        """
        kept: FloorlineError | None = None
        with self.sessions() as session, session.begin():
            try:
                yield session
            except FloorlineError as err:
                if not err.keeps_writes:
                    raise
                kept = err
        if kept is not None:
            raise kept
