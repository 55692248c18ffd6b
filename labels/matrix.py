"""QR module matrices from zxing-cpp's writer, checked against a layout's module size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import zxingcpp

from labels.errors import CapacityError
from labels.layouts import QUIET_ZONE_MODULES, Layout
from labels.payload import is_gs1

_TO_BITS = bytes.maketrans(b"\x00\xff", b"10")  # zxing images: 0 = dark module


@dataclass(frozen=True, slots=True)
class Matrix:
    """A square QR symbol without quiet zone; ``bits`` holds one '1'/'0' byte per module."""

    size: int
    bits: bytes

    def row(self, r: int) -> bytes:
        """Return row ``r`` as '1'/'0' bytes."""
        return self.bits[r * self.size : (r + 1) * self.size]

    def packed_hex(self) -> str:
        """Return rows packed MSB-first to bytes, hex encoded, 1 = dark (PDF image masks)."""
        n = self.size
        pad = (-n) % 8
        width = (n + pad) // 8
        return "".join((int(self.row(r), 2) << pad).to_bytes(width, "big").hex() for r in range(n))

    def runs(self) -> list[tuple[int, int, int]]:
        """Return horizontal dark runs as (row, start column, length)."""
        out: list[tuple[int, int, int]] = []
        for r in range(self.size):
            row, c = self.row(r), 0
            while (c := row.find(b"1", c)) >= 0:
                end = row.find(b"0", c)
                end = self.size if end < 0 else end
                out.append((r, c, end - c))
                c = end
        return out


def build(text: str, ec_level: str = "M") -> Matrix:
    """Encode ``text`` as a QR matrix; bracketed GS1 text becomes a GS1 (FNC1) symbol."""
    try:
        symbol = zxingcpp.create_barcode(
            text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level, gs1=is_gs1(text)
        )
    except ValueError as err:
        raise CapacityError(f"cannot encode {len(text)} characters as a QR code: {err}") from err
    # zxing's Image exposes the buffer protocol, but its stubs do not say so.
    image = memoryview(cast(Any, symbol.to_image(scale=1, add_quiet_zones=False)))
    return Matrix(image.shape[0] if image.shape else 0, image.tobytes().translate(_TO_BITS))


def for_layout(text: str, layout: Layout) -> Matrix:
    """Return the QR matrix for ``text``, refusing one whose modules would be too small."""
    matrix = build(text, layout.ec_level)
    modules = matrix.size + 2 * QUIET_ZONE_MODULES
    module_mm = layout.qr_size / modules
    if module_mm < layout.min_module:
        raise CapacityError(
            f"payload of {len(text)} characters needs a {matrix.size}x{matrix.size} QR code;"
            f" in {layout.qr_size:g} mm on layout {layout.name!r} a module would be"
            f" {module_mm:.2f} mm, below the layout's minimum {layout.min_module:g} mm."
            " Use a shorter payload (plain code instead of URL) or a larger layout."
        )
    return matrix
