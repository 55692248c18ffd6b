"""Label layouts as data: the built-in ``layouts.toml`` plus an optional user TOML file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from labels.errors import LayoutError

PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "LETTER": (215.9, 279.4)}
MM_PER_INCH = 25.4
QUIET_ZONE_MODULES = 4  # ISO/IEC 18004; smaller zones fail on some phone cameras


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in millimetres, origin at the label's top-left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Layout:
    """Where labels sit on a page and how each label is drawn."""

    name: str
    label: tuple[float, float]
    page: tuple[float, float]
    rows: int = 1
    cols: int = 1
    margins: tuple[float, float] = (0.0, 0.0)  # top, left
    gaps: tuple[float, float] = (0.0, 0.0)  # between columns, between rows
    qr_size: float = 20.0
    min_module: float = 0.3
    padding: float = 2.0
    text: str = "right"
    title_size: float = 9.0
    font_size: float = 7.0
    dpi: int = 203
    ec_level: str = "M"
    font: str | None = None  # TrueType file for text beyond Windows-1252 and for PNG
    zpl_font: str | None = None  # printer font file for ^A@, for text beyond ^A0's reach
    description: str = ""

    @property
    def per_page(self) -> int:
        """Return how many labels one page holds."""
        return self.rows * self.cols

    def origins(self) -> Iterator[tuple[float, float]]:
        """Yield each label's top-left corner on the page, row by row."""
        top, left = self.margins
        for row in range(self.rows):
            for col in range(self.cols):
                yield (
                    left + col * (self.label[0] + self.gaps[0]),
                    top + row * (self.label[1] + self.gaps[1]),
                )

    def qr_box(self) -> Box:
        """Return the QR square (quiet zone included) inside one label."""
        pad, size = self.padding, self.qr_size
        if self.text == "below":
            return Box((self.label[0] - size) / 2, pad, size, size)
        return Box(pad, (self.label[1] - size) / 2, size, size)

    def text_box(self) -> Box:
        """Return the area for the human-readable lines inside one label."""
        pad, qr = self.padding, self.qr_box()
        if self.text == "below":
            top = qr.y + qr.height + pad / 2
            return Box(pad, top, self.label[0] - 2 * pad, self.label[1] - top - pad)
        left = qr.x + qr.width + pad / 2
        return Box(left, pad, self.label[0] - left - pad, self.label[1] - 2 * pad)


def _pair(value: Any, field: str, name: str) -> tuple[float, float]:
    """Return a two-number list from TOML as a float pair."""
    if isinstance(value, str) and value.upper() in PAGE_SIZES_MM:
        return PAGE_SIZES_MM[value.upper()]
    numbers = isinstance(value, list) and all(isinstance(v, int | float) for v in value)
    if numbers and len(value) == 2:
        return (float(value[0]), float(value[1]))
    raise LayoutError(f"layout {name!r}: {field} must be [a, b] in mm, got {value!r}")


def _number(value: Any, field: str, name: str) -> float:
    """Return a TOML number as float, refusing anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(f"layout {name!r}: {field} must be a number, got {value!r}")
    return float(value)


def _build(name: str, raw: Mapping[str, Any]) -> Layout:
    """Turn one TOML table into a validated Layout."""
    known = set(Layout.__dataclass_fields__) - {"name"}
    unknown = set(raw) - known
    if unknown:
        raise LayoutError(
            f"layout {name!r}: unknown keys {sorted(unknown)}; known: {sorted(known)}"
        )
    if "label" not in raw:
        raise LayoutError(f"layout {name!r}: 'label' = [width, height] is required")
    fields = dict(raw)
    for key in ("label", "page", "margins", "gaps"):
        if key in fields:
            fields[key] = _pair(fields[key], key, name)
    fields.setdefault("page", fields["label"])
    for key in ("qr_size", "min_module", "padding", "title_size", "font_size"):
        if key in fields:
            fields[key] = _number(fields[key], key, name)
    try:
        layout = Layout(name=name, **fields)
    except TypeError as err:
        raise LayoutError(f"layout {name!r}: {err}") from err
    _check(layout)
    return layout


def _check(layout: Layout) -> None:
    """Refuse a layout whose grid, QR or text cannot fit."""
    name, (lw, lh), (pw, ph) = layout.name, layout.label, layout.page
    if layout.rows < 1 or layout.cols < 1 or layout.dpi < 100:
        raise LayoutError(f"layout {name!r}: rows and cols must be >= 1 and dpi >= 100")
    if layout.text not in ("right", "below") or layout.ec_level not in ("L", "M", "Q", "H"):
        raise LayoutError(f"layout {name!r}: text is right|below, ec_level is L|M|Q|H")
    top, left = layout.margins
    width = left + layout.cols * lw + (layout.cols - 1) * layout.gaps[0]
    height = top + layout.rows * lh + (layout.rows - 1) * layout.gaps[1]
    if width > pw + 0.01 or height > ph + 0.01:
        raise LayoutError(f"layout {name!r}: grid {width:.1f} x {height:.1f} mm overflows the page")
    qr, text = layout.qr_box(), layout.text_box()
    if qr.x < 0 or qr.y < 0 or qr.x + qr.width > lw or qr.y + qr.height > lh:
        raise LayoutError(f"layout {name!r}: qr_size {layout.qr_size} mm does not fit the label")
    if text.width < 10 or text.height < 5:
        raise LayoutError(f"layout {name!r}: too little room left for text")
    if layout.min_module <= 0 or layout.font_size <= 0 or layout.title_size <= 0:
        raise LayoutError(f"layout {name!r}: min_module and font sizes must be positive")


def parse_layouts(text: str, source: str = "<string>") -> dict[str, Layout]:
    """Parse a layouts TOML document into Layouts by name."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LayoutError(f"{source}: not valid TOML: {err}") from err
    tables = doc.get("layouts")
    if not isinstance(tables, dict):
        raise LayoutError(f"{source}: expected [layouts.<name>] tables")
    layouts: dict[str, Layout] = {}
    for name, raw in tables.items():
        if not isinstance(raw, dict):
            raise LayoutError(f"{source}: layouts.{name} must be a table")
        layouts[name] = _build(name, raw)
    return layouts


@lru_cache(maxsize=1)
def builtin_layouts() -> dict[str, Layout]:
    """Return the layouts shipped in ``labels/layouts.toml``."""
    text = resources.files("labels").joinpath("layouts.toml").read_text(encoding="utf-8")
    return parse_layouts(text, "labels/layouts.toml")


def load_layouts(user_file: str | Path | None = None) -> dict[str, Layout]:
    """Return built-in layouts, extended or overridden by ``user_file`` if given."""
    layouts = dict(builtin_layouts())
    if user_file is not None:
        path = Path(user_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise LayoutError(f"cannot read layouts file {path}: {err}") from err
        layouts.update(parse_layouts(text, str(path)))
    return layouts


def get_layout(layout: str | Layout, user_file: str | Path | None = None) -> Layout:
    """Return the named layout, or a clear error listing the known names."""
    if isinstance(layout, Layout):
        return layout
    layouts = load_layouts(user_file)
    try:
        return layouts[layout]
    except KeyError:
        known = ", ".join(sorted(layouts))
        raise LayoutError(f"unknown layout {layout!r}; known layouts: {known}") from None
