"""Benchmark the decoder cascade per frame size and degradation; print a Markdown table.

    python bench/decode.py [--frames 20] [--sizes 720p,1080p] [--budget-ms 30]

Each column is one decoder: every cascade pass alone, plain zxing-cpp (`read_barcodes` with
its defaults), the whole cascade (as `floorline-station decode` runs it) and the cascade
within a live camera's frame budget. A cell is the frames read (the exact set of codes in
the frame; for "no-code" frames: no false read), then median / p95 ms per frame.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station.cascade import Cascade, make_cascade, standard_passes
from tests.station.degradations import HARD_DEGRADATIONS
from tests.station.labels import DEGRADATIONS, Image, blank_frame, frame_with

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
Decode = Callable[[Image], set[str]]
Case = list[tuple[Image, set[str]]]


def decoders(budget_ms: float) -> dict[str, Decode]:
    """Return every decoder under test, each yielding the set of texts in a frame."""
    out: dict[str, Decode] = {}
    for step in standard_passes(["QRCode"]):
        alone = Cascade([step])
        out[step.name] = lambda f, c=alone: {s.text for s in c.decode(f)}
    out["zxing-cpp plain"] = lambda f: {b.text for b in zxingcpp.read_barcodes(f)}
    whole, live = make_cascade(["QRCode"]), make_cascade(["QRCode"], budget_ms=budget_ms)
    out["cascade"] = lambda f: {s.text for s in whole.decode(f)}
    out[f"cascade {budget_ms:g} ms"] = lambda f: {s.text for s in live.decode(f)}
    return out


def cases(size: tuple[int, int], frames: int) -> dict[str, Case]:
    """Build frames per degradation with the codes each one holds."""
    out: dict[str, Case] = {}
    for name, degrade in DEGRADATIONS.items():
        out[name] = [(degrade(frame_with([_code(i)], size)), {_code(i)}) for i in range(frames)]
    for name, hard in HARD_DEGRADATIONS.items():
        out[name] = [(hard(frame_with([_code(i)], size), i), {_code(i)}) for i in range(frames)]
    out["multi-code"] = [(frame_with([f"B-{i}-1", f"B-{i}-2", f"B-{i}-3"], size),
                          {f"B-{i}-1", f"B-{i}-2", f"B-{i}-3"}) for i in range(frames)]
    out["no-code"] = [(blank_frame(size, seed=i), set()) for i in range(frames)]
    return out


def _code(i: int) -> str:
    """Return the i-th label's text."""
    return f"PR-2026-{i:05d}-B01"


def measure(decode: Decode, frames: Case) -> tuple[int, float, float]:
    """Return frames read, median ms and p95 ms over frames."""
    times, hits = [], 0
    for frame, expected in frames:
        start = time.perf_counter()
        found = decode(frame)
        times.append((time.perf_counter() - start) * 1000)
        hits += found == expected
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return hits, statistics.median(times), p95


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--sizes", default=",".join(SIZES), help="e.g. 720p or 720p,1080p")
    parser.add_argument("--budget-ms", type=float, default=30.0, help="live frame budget")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    unknown = [s for s in sizes if s not in SIZES]
    if unknown or args.frames < 1:
        parser.error(f"--sizes from {list(SIZES)} and --frames >= 1 (got {unknown or args.frames})")
    all_decoders = decoders(args.budget_ms)
    print("| frame | degradation | " + " | ".join(all_decoders) + " |")
    print("|---|---|" + "---:|" * len(all_decoders))
    for size_name in sizes:
        all_cases = cases(SIZES[size_name], args.frames)
        for decode in all_decoders.values():
            decode(all_cases["clean"][0][0])  # warm up caches and lazy initialisation
        for case, frames in all_cases.items():
            cells = []
            for decode in all_decoders.values():
                hits, median, p95 = measure(decode, frames)
                cells.append(f"{hits}/{len(frames)} {median:.1f}/{p95:.1f}")
            print(f"| {size_name} | {case} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
