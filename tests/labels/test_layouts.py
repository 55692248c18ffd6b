"""Tests for labels.layouts: layouts are data, errors name what is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from labels.errors import LayoutError
from labels.layouts import builtin_layouts, get_layout, load_layouts


def test_built_in_layouts_cover_thermal_sizes_and_sheets() -> None:
    layouts = builtin_layouts()
    assert layouts["thermal-50x25"].label == (50.0, 25.0)
    assert layouts["thermal-100x50"].label == (100.0, 50.0)
    assert layouts["thermal-4x6"].label == (101.6, 152.4)
    assert layouts["a4-3x8"].page == (210.0, 297.0) and layouts["a4-3x8"].per_page == 24
    assert layouts["letter-3x10"].page == (215.9, 279.4) and layouts["letter-3x10"].per_page == 30


def test_an_unknown_layout_is_a_clear_error_listing_the_known_ones() -> None:
    with pytest.raises(LayoutError) as caught:
        get_layout("a5-9x9")
    message = str(caught.value)
    assert "a5-9x9" in message and "a4-3x8" in message and "thermal-50x25" in message


def test_a_user_file_adds_layouts_and_overrides_built_in_ones(tmp_path: Path) -> None:
    user = tmp_path / "layouts.toml"
    user.write_text(
        """
[layouts.bin-tag]
label = [80, 40]
qr_size = 34
[layouts.thermal-50x25]
label = [50, 25]
qr_size = 20
dpi = 300
""",
        encoding="utf-8",
    )
    layouts = load_layouts(user)
    assert layouts["bin-tag"].qr_size == 34
    assert layouts["thermal-50x25"].dpi == 300
    assert "a4-3x8" in layouts
    assert get_layout("bin-tag", user).label == (80.0, 40.0)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('page = "A4"\nlabel = [70, 36]\nrows = 9\ncols = 3\nqr_size = 30', "overflows"),
        ("label = [50, 25]\nqr_size = 30", "qr_size"),
        ("label = [50, 25]\nqr_sise = 20", "unknown keys"),
        ('label = [50, 25]\nqr_size = "big"', "number"),
        ("qr_size = 20", "required"),
    ],
)
def test_invalid_layouts_are_refused_with_the_reason(
    tmp_path: Path, body: str, complaint: str
) -> None:
    user = tmp_path / "bad.toml"
    user.write_text(f"[layouts.bad]\n{body}\n", encoding="utf-8")
    with pytest.raises(LayoutError, match=complaint):
        load_layouts(user)


def test_every_label_of_a_sheet_lies_inside_the_page() -> None:
    for layout in builtin_layouts().values():
        for x, y in layout.origins():
            assert x >= 0 and x + layout.label[0] <= layout.page[0] + 0.01
            assert y >= 0 and y + layout.label[1] <= layout.page[1] + 0.01
