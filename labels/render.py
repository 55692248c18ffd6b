"""The batch-rendering entry point the server and CLI call."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from labels.content import LabelData
from labels.errors import RenderError
from labels.layouts import Layout, get_layout
from labels.pdf import render_pdf
from labels.png import render_label_png
from labels.svg import render_label_svg
from labels.zpl import render_zpl

Format = Literal["pdf", "png", "svg", "zpl"]
FORMATS: tuple[Format, ...] = ("pdf", "png", "svg", "zpl")
DEFAULT_LAYOUT = "a4-3x8"
Progress = Callable[[int, int], None]

MEDIA_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "png": "application/zip",  # many labels: a zip of one PNG per label
    "svg": "application/zip",
    "zpl": "application/vnd.zebra-zpl",
}


def _zip(
    labels: Sequence[LabelData],
    layout: Layout,
    draw: Callable[[LabelData, Layout], bytes],
    ext: str,
    progress: Progress | None,
) -> bytes:
    """Return a zip with one file per label, named ``<index>-<code>.<ext>``."""
    out = io.BytesIO()
    # PNG is already deflated; storing it saves time and loses nothing.
    method = zipfile.ZIP_STORED if ext == "png" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for i, label in enumerate(labels, 1):
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in label.code)
            archive.writestr(f"{i:05d}-{safe}.{ext}", draw(label, layout))
            if progress is not None:
                progress(i, len(labels))
    return out.getvalue()


def render_labels(
    labels: Sequence[LabelData],
    fmt: Format,
    layout: str | Layout = DEFAULT_LAYOUT,
    progress: Progress | None = None,
    *,
    dpi: int | None = None,
    layouts_file: str | Path | None = None,
) -> bytes:
    """Render ``labels`` as one PDF, one ZPL stream, or a zip of PNG/SVG files."""
    chosen = get_layout(layout, layouts_file)
    if fmt == "pdf":
        return render_pdf(labels, chosen, progress)
    if fmt == "zpl":
        return render_zpl(labels, chosen, dpi, progress)
    if fmt == "png":
        return _zip(labels, chosen, render_label_png, "png", progress)
    if fmt == "svg":
        return _zip(labels, chosen, render_label_svg, "svg", progress)
    raise RenderError(f"unknown label format {fmt!r}; known formats: {', '.join(FORMATS)}")
