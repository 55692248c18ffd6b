"""Tests for labels.zpl: the ZPL is read back field by field."""

from __future__ import annotations

import re

import pytest

from labels.errors import CapacityError, UnsupportedTextError
from labels.layouts import Layout, get_layout
from labels.zpl import render_label_zpl, render_zpl
from tests.labels.support import make_label

FIELD = re.compile(
    r"\^FO(\d+),(\d+)(\^A0N,\d+,\d+|\^A@N,\d+,\d+,[^\^]+|\^BQN,2,(\d+))\s*\^FH_\^FD(.*?)\^FS", re.S
)


def unescape(data: str) -> str:
    """Undo ^FH_ hex escapes the way a printer does, on UTF-8 bytes."""
    raw = re.sub(rb"_([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data.encode())
    return raw.decode("utf-8")


def fields(zpl: str) -> list[tuple[int, int, str, str]]:
    """Return (x, y, command, data) for every positioned field."""
    return [(int(x), int(y), cmd, unescape(data)) for x, y, cmd, _, data in FIELD.findall(zpl)]


def test_a_label_is_one_utf8_format_with_qr_and_every_text_field() -> None:
    label = make_label(3, payload_text="https://floor.example/b/B-2026-000003")
    zpl = render_label_zpl(label, get_layout("thermal-50x25"))
    assert zpl.startswith("^XA\n^CI28\n") and zpl.rstrip().endswith("^XZ")
    assert "^PW400" in zpl and "^LL200" in zpl  # 50 x 25 mm at 203 dpi
    found = fields(zpl)
    qr = found[0]
    assert qr[2].startswith("^BQN,2,") and qr[3] == "MA,https://floor.example/b/B-2026-000003"
    texts = [data for _, _, cmd, data in found[1:] if cmd.startswith("^A0N")]
    assert texts[0] == "B-2026-000003" and texts[1].startswith("WDG-100 Widget")
    assert texts[2:] == ["Qty 250 pcs", "Run PR-2026-00042", "Step Cut", "Due 2026-06-01"]


def test_text_lines_run_down_the_label_in_order() -> None:
    found = fields(render_label_zpl(make_label(1), get_layout("thermal-100x50")))
    ys = [y for _, y, cmd, _ in found if cmd.startswith("^A0")]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)


def test_printer_command_characters_in_text_cannot_inject_commands() -> None:
    zpl = render_label_zpl(
        make_label(1, item_sku="^XZ~JA_", item_name=""), get_layout("thermal-100x50")
    )
    assert zpl.count("^XZ") == 1 and "~JA" not in zpl
    assert "^XZ~JA_" in [data for *_, data in fields(zpl)]


def test_latin_text_goes_out_as_utf8_under_ci28() -> None:
    stream = render_zpl([make_label(1, item_name="Grüße €")], get_layout("thermal-100x50"))
    assert "Grüße €".encode() in stream and b"^CI28" in stream


def test_text_font_zero_cannot_draw_fails_unless_a_printer_font_is_configured() -> None:
    label = make_label(1, item_name="Болт")
    with pytest.raises(UnsupportedTextError, match="zpl_font"):
        render_label_zpl(label, get_layout("thermal-100x50"))
    layout = get_layout("thermal-100x50")
    custom = Layout(
        **{**{f: getattr(layout, f) for f in Layout.__slots__}, "zpl_font": "E:NOTOSANS.TTF"}
    )
    zpl = render_label_zpl(label, custom)
    assert "^A@N" in zpl and "Болт" in [d.split(" ", 1)[-1] for *_, d in fields(zpl)]


def test_300_dpi_scales_positions_and_module_size() -> None:
    low = fields(render_label_zpl(make_label(1), get_layout("thermal-50x25"), dpi=203))
    high = fields(render_label_zpl(make_label(1), get_layout("thermal-50x25"), dpi=300))
    assert high[1][0] == pytest.approx(low[1][0] * 300 / 203, abs=2)
    assert int(high[0][2].rsplit(",", 1)[1]) > int(low[0][2].rsplit(",", 1)[1])


def test_a_payload_too_long_for_the_label_is_refused() -> None:
    with pytest.raises(CapacityError):
        render_label_zpl(
            make_label(1, payload_text="https://x.example/b/" + "Y" * 300),
            get_layout("thermal-50x25"),
        )
