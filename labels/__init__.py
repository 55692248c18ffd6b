"""Floorline labels: payloads, PDF/PNG/SVG/ZPL rendering and printing (no server imports).

Names are imported lazily so ``labels.payload`` stays cheap and usable without reportlab
(the station agent can parse scans with zxing-cpp installed alone).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # real names for type checkers; runtime imports stay lazy
    from labels.content import LabelData
    from labels.errors import (
        CapacityError,
        LabelError,
        LayoutError,
        PayloadError,
        PrinterConfigError,
        PrinterError,
        RenderError,
        UnsupportedTextError,
    )
    from labels.layouts import Layout, get_layout, load_layouts
    from labels.payload import Form, Kind, Payload, encode, parse
    from labels.png import render_label_png
    from labels.render import FORMATS, MEDIA_TYPES, render_labels
    from labels.svg import render_label_svg
    from labels.zpl import render_label_zpl

_EXPORTS = {
    "LabelData": "labels.content",
    "LabelError": "labels.errors",
    "PayloadError": "labels.errors",
    "LayoutError": "labels.errors",
    "RenderError": "labels.errors",
    "CapacityError": "labels.errors",
    "UnsupportedTextError": "labels.errors",
    "PrinterError": "labels.errors",
    "PrinterConfigError": "labels.errors",
    "Layout": "labels.layouts",
    "get_layout": "labels.layouts",
    "load_layouts": "labels.layouts",
    "Payload": "labels.payload",
    "Kind": "labels.payload",
    "Form": "labels.payload",
    "encode": "labels.payload",
    "parse": "labels.payload",
    "render_labels": "labels.render",
    "FORMATS": "labels.render",
    "MEDIA_TYPES": "labels.render",
    "render_label_png": "labels.png",
    "render_label_svg": "labels.svg",
    "render_label_zpl": "labels.zpl",
}

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "CapacityError",
    "Form",
    "Kind",
    "LabelData",
    "LabelError",
    "Layout",
    "LayoutError",
    "Payload",
    "PayloadError",
    "PrinterConfigError",
    "PrinterError",
    "RenderError",
    "UnsupportedTextError",
    "encode",
    "get_layout",
    "load_layouts",
    "parse",
    "render_label_png",
    "render_label_svg",
    "render_label_zpl",
    "render_labels",
]


def __getattr__(name: str) -> Any:
    """Import an exported name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'labels' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
