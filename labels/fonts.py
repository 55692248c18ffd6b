"""Fonts for human-readable text, and the check that a font can draw every character.

PDF text that fits Windows-1252 uses the base-14 Helvetica (nothing embedded, fastest).
Anything else, and all PNG text, uses a TrueType font whose character map is checked first:
a missing glyph is an UnsupportedTextError, never a tofu box or a wrong character.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from labels.errors import UnsupportedTextError

# Wide coverage first (Latin, Greek, Cyrillic); reportlab's own Vera always exists.
_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/Library/Fonts/DejaVuSans.ttf"),
    Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
)


@lru_cache(maxsize=1)
def default_font_path() -> Path:
    """Return the TrueType font used when a layout names none."""
    return next(p for p in _CANDIDATES if p.is_file())


def font_path(configured: str | None) -> Path:
    """Return the layout's TrueType font file, or the default one."""
    return Path(configured) if configured else default_font_path()


@lru_cache(maxsize=8)
def _ttfont(path: Path) -> TTFont:
    """Load and register a TrueType font with reportlab once per path."""
    font = TTFont(f"floorline-{path.stem}", str(path))
    pdfmetrics.registerFont(font)
    return font


def ttf_name(path: Path) -> str:
    """Return the reportlab font name for ``path``, registering it on first use."""
    return str(_ttfont(path).fontName)


def is_cp1252(text: str) -> bool:
    """Tell whether the base-14 PDF fonts can draw ``text`` (WinAnsi encoding)."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def require_glyphs(text: str, path: Path) -> None:
    """Refuse text containing characters the font at ``path`` has no glyph for."""
    cmap = _ttfont(path).face.charToGlyph
    missing = sorted({ch for ch in text if ord(ch) not in cmap and ch.isprintable()})
    if missing:
        shown = " ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing[:8])
        raise UnsupportedTextError(
            f"font {path.name} cannot draw {shown}; set 'font' in the layout to a TrueType"
            " font that covers them (for example Noto Sans CJK)"
        )
    if any(not ch.isprintable() for ch in text):
        raise UnsupportedTextError(f"label text contains control characters: {text[:60]!r}")
