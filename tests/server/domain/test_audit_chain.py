"""The audit hash chain: canonical hashing and the verify walk's rules, without a database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.audit_chain import (
    GENESIS,
    Content,
    Entry,
    Problem,
    canonical,
    digest,
    timestamp,
    verify,
)

T0 = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)


def chain(n: int, start_id: int = 1) -> list[Entry]:
    """Return a sound chain of n entries."""
    entries, prev = [], GENESIS
    for i in range(n):
        content = Content(i + 1, T0 + timedelta(seconds=i, microseconds=i), f"user{i % 3}",
                          "batch.hold", "batch", f"B-2026-{i:06d}", "why" * (i % 2),
                          {"n": i, "before": "waiting", "list": [1, "x"]}, prev)
        prev = digest(content)
        entries.append(Entry(start_id + i * 2, content, prev))  # ids with gaps, as PostgreSQL
    return entries


def rehash(entry: Entry) -> Entry:
    """Return entry with a hash that fits its (edited) content: a careful forger's edit."""
    return replace(entry, hash=digest(entry.content))


def test_a_sound_chain_verifies_with_its_count_and_head():
    entries = chain(5)
    verdict = verify(entries)
    assert verdict.ok and verdict.count == 5 and verdict.head == entries[-1].hash


def test_an_empty_chain_verifies_with_no_entries():
    verdict = verify([])
    assert verdict.ok and verdict.count == 0 and verdict.head == GENESIS


def test_the_hash_is_sha256_hex_of_one_canonical_form_whatever_the_key_order():
    a = chain(1)[0].content
    b = replace(a, changes=dict(reversed(list(a.changes.items()))))
    assert canonical(a) == canonical(b) and digest(a) == digest(b)
    assert len(digest(a)) == 64 and int(digest(a), 16) >= 0
    assert b" " not in canonical(replace(a, reason="", changes={}))


def test_the_time_is_hashed_in_utc_whatever_zone_it_is_given_in():
    here = T0.astimezone(timezone(timedelta(hours=2)))
    assert timestamp(here) == timestamp(T0) == "2026-12-03T07:00:00.000000Z"
    with pytest.raises(ValueError):
        timestamp(T0.replace(tzinfo=None))


def test_text_outside_ascii_is_hashed_as_itself():
    a = replace(chain(1)[0].content, reason="Prüfung fehlgeschlagen", actor="Zoë")
    assert "Prüfung".encode() in canonical(a)


def test_an_edited_field_is_named_at_its_entry_as_content_changed():
    entries = chain(4)
    entries[2] = replace(entries[2], content=replace(entries[2].content, actor="mallory"))
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.id == entries[2].id
    assert verdict.broken.problem is Problem.CONTENT_CHANGED
    assert verdict.count == 2


def test_a_rewritten_and_rehashed_entry_breaks_the_link_of_the_next():
    entries = chain(4)
    entries[1] = rehash(replace(entries[1], content=replace(entries[1].content, reason="x")))
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.id == entries[2].id
    assert verdict.broken.problem is Problem.LINK_BROKEN


def test_a_deleted_entry_is_named_at_the_entry_after_the_gap():
    entries = chain(5)
    del entries[2]
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.content.seq == 4
    assert verdict.broken.problem is Problem.ENTRY_MISSING
    assert "no. 3" in verdict.broken.detail


def test_swapped_entries_are_named_out_of_order_at_the_first():
    entries = chain(5)
    entries[1], entries[3] = entries[3], entries[1]
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.content.seq == 4
    assert verdict.broken.problem is Problem.OUT_OF_ORDER


def test_an_unsealed_entry_never_passes():
    entries = chain(2)
    forged = Entry(99, replace(entries[1].content, seq=0, prev_hash=""), "")
    verdict = verify([forged, *entries])
    assert verdict.broken is not None and verdict.broken.entry.id == 99


EDITS = {
    "seq": lambda c: replace(c, seq=c.seq + 1),
    "at": lambda c: replace(c, at=c.at + timedelta(microseconds=1)),
    "actor": lambda c: replace(c, actor=c.actor + "x"),
    "action": lambda c: replace(c, action="batch.release"),
    "entity_type": lambda c: replace(c, entity_type="lot"),
    "entity_key": lambda c: replace(c, entity_key=c.entity_key + "9"),
    "reason": lambda c: replace(c, reason=c.reason + " "),
    "changes": lambda c: replace(c, changes={**c.changes, "n": -1}),
    "prev_hash": lambda c: replace(c, prev_hash="f" * 64),
}


@given(n=st.integers(1, 30), data=st.data())
def test_any_single_field_edit_is_named_at_the_edited_entry(n, data):
    entries = chain(n)
    at = data.draw(st.integers(0, n - 1))
    field = data.draw(st.sampled_from(sorted(EDITS)))
    entries[at] = replace(entries[at], content=EDITS[field](entries[at].content))
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.id == chain(n)[at].id
    assert verdict.broken.problem is Problem.CONTENT_CHANGED
    assert verdict.count == at


@given(n=st.integers(1, 30), data=st.data())
def test_an_edited_hash_is_named_at_its_entry(n, data):
    entries = chain(n)
    at = data.draw(st.integers(0, n - 1))
    entries[at] = replace(entries[at], hash="0" * 63 + "1")
    verdict = verify(entries)
    assert verdict.broken is not None and verdict.broken.entry.id == entries[at].id


@given(n=st.integers(2, 30), data=st.data())
def test_any_deletion_is_named_at_the_entry_after_it(n, data):
    entries = chain(n)
    at = data.draw(st.integers(0, n - 2))  # a deleted last entry leaves no trace: see docs
    expected = entries[at + 1].id
    del entries[at]
    verdict = verify(entries)
    assert verdict.broken is not None
    assert verdict.broken.entry.id == expected
    assert verdict.broken.problem is Problem.ENTRY_MISSING
    assert verdict.count == at


@given(n=st.integers(2, 30), data=st.data())
def test_any_reorder_is_named_at_the_first_entry_out_of_place(n, data):
    entries = chain(n)
    order = data.draw(st.permutations(range(n)))
    if list(order) == list(range(n)):
        return
    moved = [entries[i] for i in order]
    first = next(k for k, i in enumerate(order) if i != k)
    verdict = verify(moved)
    assert verdict.broken is not None
    assert verdict.broken.entry.id == moved[first].id
    assert verdict.broken.problem is Problem.OUT_OF_ORDER
    assert verdict.count == first
