"""The one rule for text the system stores and shows: no control or bidirectional characters."""

from __future__ import annotations

# Bidirectional overrides, embeddings, isolates and marks: they make shown text lie
# (U+202E turns "exe.txt" into "txt.exe").
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_clean(text: str, *, allow: str = "") -> bool:
    """Tell whether text is storable and showable: no control characters (C0, DEL, C1) but
    those in allow, no bidirectional controls, no lone surrogates (not encodable), no
    replacement characters (bytes lost on the way)."""
    return not any(_bad(c) and c not in allow for c in text)


def _bad(c: str) -> bool:
    n = ord(c)
    return n < 32 or 0x7F <= n <= 0x9F or c in BIDI or 0xD800 <= n <= 0xDFFF or c == "\ufffd"
