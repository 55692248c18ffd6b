"""bench/labels.py at a tiny size: one run over a 50-label sheet times every case it names."""

from __future__ import annotations

from tests.support.benches import refused, run_bench


def test_the_labels_bench_runs_at_fifty_labels_and_prints_every_case():
    out = run_bench("labels.py", "--runs", "1", "--labels", "50")
    assert out.header == ["case", "labels", "total", "per label"]
    assert out.column("case") == [
        "PDF, A4 3x8 sheets (3 pages)", "ZPL stream, 50x25 mm, 203 dpi",
        "QR matrices only (zxing-cpp)", "PNG per label, 50x25 mm, 203 dpi",
        "SVG per label, 50x25 mm", "payload.parse per scan"]
    assert out.column("labels") == ["50", "50", "50", "5", "5", "52"]


def test_the_labels_bench_refuses_a_sheet_too_small_to_take_a_tenth_of():
    assert "--labels at least 10" in refused("labels.py", "--labels", "9")
