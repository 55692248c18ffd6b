"""The audit hash chain: each entry's hash covers its content and its predecessor's hash.

An entry's hash is the SHA-256 (hex) of a canonical JSON encoding of its chain number (seq),
time, actor, action, entity, reason, changes and prev_hash. Entries are numbered 1, 2, 3...
with no gap, so a removed entry shows as a jump in the numbers even where ids have gaps (a
rolled-back PostgreSQL transaction burns sequence values). The verify walk reads entries in
id order and names the first that is wrong:

content changed   its hash is not the hash of what it holds now (a field was edited)
link broken       its prev_hash is not its predecessor's hash (an entry was rewritten and
                  re-hashed, so the break shows at the entry after it)
entry missing     its number skips ahead of its predecessor's, and no later entry fills
                  the gap (entries were deleted)
out of order      its number is not the next one, and the missing number turns up later
                  (entries were swapped or moved)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .errors import DomainError

GENESIS = "0" * 64
VERSION = 1  # of the canonical form, hashed with it, so a new form cannot pass for this one


class ChainRecordError(DomainError):
    """A record of a traceability chain (or the audit trail) cannot be deleted or rewritten."""

    code = "chain_record"


@dataclass(frozen=True, slots=True)
class Content:
    """What an entry's hash covers."""

    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_key: str
    reason: str
    changes: Mapping[str, Any]
    prev_hash: str


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry as stored: its id, its content and the hash it carries."""

    id: int
    content: Content
    hash: str


class Problem(StrEnum):
    CONTENT_CHANGED = "content changed"
    LINK_BROKEN = "link broken"
    ENTRY_MISSING = "entry missing"
    OUT_OF_ORDER = "out of order"


@dataclass(frozen=True, slots=True)
class Break:
    """The first wrong entry of a chain, what is wrong and the numbers that show it."""

    entry: Entry
    problem: Problem
    expected_seq: int
    detail: str


@dataclass(slots=True)
class Verdict:
    """The result of a walk: how many entries, the last good hash, the first break."""

    count: int = 0
    head: str = GENESIS
    broken: Break | None = None
    # Numbers skipped at a suspected gap, to tell a deletion from a reorder later on.
    _gap: range = field(default_factory=lambda: range(0))

    @property
    def ok(self) -> bool:
        return self.broken is None


def timestamp(at: datetime) -> str:
    """Return at as the fixed UTC text the hash covers (microseconds, as stored)."""
    if at.tzinfo is None:
        raise ValueError("an audit time must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: Content) -> bytes:
    """Return the bytes an entry's hash is taken of: one JSON array, keys sorted, no spaces."""
    data = [VERSION, content.seq, timestamp(content.at), content.actor, content.action,
            content.entity_type, content.entity_key, content.reason, content.changes,
            content.prev_hash]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def digest(content: Content) -> str:
    """Return the SHA-256 hex digest of an entry's content."""
    return hashlib.sha256(canonical(content)).hexdigest()


def verify(entries: Iterable[Entry]) -> Verdict:
    """Walk entries in id order and return the count and the first break, if any."""
    verdict = Verdict()
    prev_hash, expected = GENESIS, 1
    for entry in entries:
        if verdict.broken is not None:
            _refine(verdict, entry)
            continue
        verdict.broken = _check(entry, prev_hash, expected)
        if verdict.broken is None:
            verdict.count += 1
            verdict.head = prev_hash = entry.hash
            expected += 1
        elif verdict.broken.problem is Problem.ENTRY_MISSING:
            verdict._gap = range(expected, entry.content.seq)
        else:
            return verdict
    return verdict


def _check(entry: Entry, prev_hash: str, expected: int) -> Break | None:
    """Return what is wrong with one entry given the one before it, or None."""
    seq = entry.content.seq
    if digest(entry.content) != entry.hash:
        return Break(entry, Problem.CONTENT_CHANGED, expected,
                     "its hash does not match its content")
    if seq < expected:
        return Break(entry, Problem.OUT_OF_ORDER, expected,
                     f"it is entry no. {seq}, but no. {expected} was due")
    if seq > expected:
        return Break(entry, Problem.ENTRY_MISSING, expected,
                     f"entries no. {expected} to {seq - 1} are missing before it")
    if entry.content.prev_hash != prev_hash:
        return Break(entry, Problem.LINK_BROKEN, expected,
                     "its prev_hash is not the previous entry's hash")
    return None


def _refine(verdict: Verdict, later: Entry) -> None:
    """Turn a suspected gap into a reorder when a skipped number turns up later."""
    broken = verdict.broken
    if broken is None or broken.problem is not Problem.ENTRY_MISSING:
        return
    if later.content.seq in verdict._gap:
        verdict.broken = Break(broken.entry, Problem.OUT_OF_ORDER, broken.expected_seq,
                               f"it is entry no. {broken.entry.content.seq}, but no. "
                               f"{broken.expected_seq} was due (it comes later)")
        verdict._gap = range(0)
