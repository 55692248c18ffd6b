"""Pair a kiosk by a one-time code: made by an admin, shown once as a QR code, used once.

Only the code's hash is stored. A new code for a station ends the station's earlier unused
ones, so at most one code per station is ever live.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import Conflict, Forbidden
from ..models import KioskPairing, utcnow
from . import audit
from .actors import Actor
from .kiosk import token_stamp
from .plant import station_by_name

# No 0/O, 1/I/L, U: a code read off the screen and typed is hard to get wrong.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
LENGTH = 10  # about 49 bits; a code lives minutes and is used once


def normalise(code: str) -> str:
    """Return a code as stored: upper case, letters and digits only."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def code_from(text: str) -> str:
    """Return the pairing code in text: a bare code, or the pairing URL a QR code carries."""
    text = text.strip()
    if "code=" in text:
        values = parse_qs(urlsplit(text).query).get("code", [])
        return values[0] if values else ""
    return text


def create_code(session: Session, actor: Actor, name: str, *, minutes: float,
                now: datetime | None = None) -> tuple[str, datetime]:
    """Make a one-time pairing code for station name; return it (shown once) and its expiry."""
    actor.require("admin")
    station = station_by_name(session, name)
    now = now or utcnow()
    session.execute(update(KioskPairing).where(KioskPairing.station_id == station.id,
                                               KioskPairing.used_at.is_(None),
                                               KioskPairing.expires_at > now)
                    .values(expires_at=now))
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    code = f"{raw[:5]}-{raw[5:]}"
    expires = now + timedelta(minutes=minutes)
    session.add(KioskPairing(station_id=station.id, code_hash=code_hash(code),
                             created_by=actor.name, created_at=now, expires_at=expires))
    audit.record(session, actor, "station.pairing_code", "station", station.name,
                 expires_at=expires.isoformat())
    return code, expires


def pair_by_code(session: Session, name: str, code: str, *,
                 now: datetime | None = None) -> tuple[str, str]:
    """Use a pairing code for station name; return the name and its token stamp, or raise."""
    now = now or utcnow()
    station = station_by_name(session, name)
    row = session.scalar(select(KioskPairing).where(KioskPairing.code_hash == code_hash(code))
                         .with_for_update(of=KioskPairing))
    if row is None or row.station_id != station.id or not normalise(code):
        raise Forbidden("that is not a pairing code of this station", code="bad_pairing")
    if row.used_at is not None:
        raise Conflict("this pairing code was already used; make a new one at Setup, "
                       "Stations", code="pairing_code_used")
    if row.expires_at <= now:
        raise Conflict("this pairing code has expired; make a new one at Setup, Stations",
                       code="pairing_code_expired")
    row.used_at = now
    return station.name, token_stamp(station.token_hash)
