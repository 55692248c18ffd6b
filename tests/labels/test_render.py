"""Tests for labels.render: the one entry point the server and CLI call."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest

import labels
from labels.errors import LayoutError, RenderError
from labels.render import render_labels
from tests.labels.support import decode, make_label, png_image

BATCH = [make_label(i) for i in range(1, 6)]


def test_pdf_and_zpl_come_back_as_one_document() -> None:
    assert render_labels(BATCH, "pdf").startswith(b"%PDF-")
    zpl = render_labels(BATCH, "zpl", "thermal-50x25")
    assert zpl.count(b"^XA") == 5 and zpl.count(b"^XZ") == 5


def test_png_for_many_labels_is_a_zip_of_one_decodable_image_per_label() -> None:
    archive = zipfile.ZipFile(io.BytesIO(render_labels(BATCH, "png", "thermal-50x25")))
    names = archive.namelist()
    assert names == [f"{i:05d}-B-2026-{i:06d}.png" for i in range(1, 6)]
    assert [decode(png_image(archive.read(n))) for n in names] == [[label.code] for label in BATCH]


def test_svg_for_many_labels_is_a_zip_of_svg_documents() -> None:
    archive = zipfile.ZipFile(io.BytesIO(render_labels(BATCH, "svg", "thermal-50x25")))
    assert all(archive.read(n).startswith(b"<?xml") for n in archive.namelist())
    assert len(archive.namelist()) == 5


@pytest.mark.parametrize("fmt", ["pdf", "png", "svg", "zpl"])
def test_progress_is_reported_up_to_the_total(fmt: labels.render.Format) -> None:
    seen: list[tuple[int, int]] = []
    render_labels(BATCH, fmt, "a4-3x8", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and seen == sorted(seen)


def test_unknown_layout_and_format_are_clear_errors() -> None:
    with pytest.raises(LayoutError, match="known layouts: a4-3x7"):
        render_labels(BATCH, "pdf", "no-such-layout")
    with pytest.raises(RenderError, match="known formats"):
        render_labels(BATCH, "gif", "a4-3x8")  # type: ignore[arg-type]


def test_layouts_from_a_user_file_can_be_used_by_name(tmp_path: Path) -> None:
    user = tmp_path / "layouts.toml"
    user.write_text("[layouts.bin-tag]\nlabel = [80, 40]\nqr_size = 34\n", encoding="utf-8")
    pdf = render_labels(BATCH[:1], "pdf", "bin-tag", layouts_file=user)
    assert pdf.startswith(b"%PDF-")


def test_the_labels_package_imports_nothing_from_the_server_station_or_web_stack() -> None:
    forbidden = {"server", "station", "flask", "sqlalchemy", "flask_socketio", "socketio"}
    modules = list(Path(labels.__file__).parent.glob("*.py"))
    assert len(modules) > 10  # the real package, not an empty namesake
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path.name} imports {roots & forbidden}"
