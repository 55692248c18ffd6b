"""Benchmark label rendering and scan parsing; prints a Markdown table (median of runs).

Run from the repository root: ``python bench/labels.py [--runs N] [--labels N]`` (--labels:
the sheet size, default 1,000; the PNG and SVG cases take a tenth of it).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# This file is itself named labels.py: put the repository root first so that
# `import labels` finds the package, not this script's directory.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labels import matrix
from labels.content import LabelData
from labels.layouts import get_layout
from labels.payload import encode, parse
from labels.png import render_label_png
from labels.render import render_labels
from labels.svg import render_label_svg


def batch(n: int) -> list[LabelData]:
    """Return ``n`` realistic labels carrying the URL form (the longest common payload)."""
    return [
        LabelData(
            code=f"B-2026-{i:06d}",
            item_sku="WDG-100",
            item_name="Widget bracket, zinc plated",
            quantity="250",
            unit="pcs",
            run_number="PR-2026-00042",
            first_step="Cut",
            due_date="2026-06-01",
            payload_text=encode(f"B-2026-{i:06d}", form="url", host="floor.example"),
        )
        for i in range(n)
    ]


def median_seconds(work: Callable[[], object], runs: int) -> float:
    """Return the median wall time of ``runs`` calls after one warm-up call."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time each case and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--labels", type=int, default=1000)
    args = parser.parse_args()
    if args.runs < 1 or args.labels < 10:
        parser.error("--runs must be at least 1 and --labels at least 10")
    runs, size = args.runs, args.labels
    labels, few = batch(size), batch(size // 10)
    thermal = get_layout("thermal-50x25")
    scans = [label.payload_text or "" for label in labels] + ["B-2026-000001", "junk\x00"]
    cases: list[tuple[str, Callable[[], object], int, str]] = [
        (
            f"PDF, A4 3x8 sheets ({-(-size // 24)} pages)",
            lambda: render_labels(labels, "pdf", "a4-3x8"),
            size,
            "s",
        ),
        (
            "ZPL stream, 50x25 mm, 203 dpi",
            lambda: render_labels(labels, "zpl", "thermal-50x25"),
            size,
            "s",
        ),
        (
            "QR matrices only (zxing-cpp)",
            lambda: [matrix.build(s) for s in scans[:size]],
            size,
            "s",
        ),
        (
            "PNG per label, 50x25 mm, 203 dpi",
            lambda: [render_label_png(x, thermal) for x in few],
            len(few),
            "ms",
        ),
        (
            "SVG per label, 50x25 mm",
            lambda: [render_label_svg(x, thermal) for x in few],
            len(few),
            "ms",
        ),
        ("payload.parse per scan", lambda: [parse(s) for s in scans], len(scans), "us"),
    ]
    print(f"Python {platform.python_version()}, {platform.machine()}, median of {runs} runs\n")
    print("| case | labels | total | per label |")
    print("|---|---:|---:|---:|")
    for name, work, count, unit in cases:
        seconds = median_seconds(work, runs)
        per = seconds / count
        per_text = {
            "s": f"{per * 1e3:.2f} ms",
            "ms": f"{per * 1e3:.2f} ms",
            "us": f"{per * 1e6:.1f} µs",
        }
        print(f"| {name} | {count} | {seconds:.3f} s | {per_text[unit]} |")


if __name__ == "__main__":
    main()
