"""Benchmark barcode decoding per frame size, degradation and decoder; print a Markdown table.

    python bench/decode.py [--frames 20]

Success is the exact set of codes in the frame; for frames without a code it is
"no false read". Target: median <= 5 ms per 720p frame with zxing-cpp, QR only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station.decoding import make_decoder
from tests.station.labels import DEGRADATIONS, Image, blank_frame, frame_with

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


def opencv_decoder() -> Callable[[Image], set[str]]:
    """Return OpenCV's QRCodeDetector as a decode function, for comparison."""
    detector = cv2.QRCodeDetector()

    def decode(frame: Image) -> set[str]:
        ok, texts, _, _ = detector.detectAndDecodeMulti(frame)
        return {t for t in texts if t} if ok else set()

    return decode


def decoders() -> dict[str, Callable[[Image], set[str]]]:
    """Return the decoders under test, each yielding the set of texts in a frame."""
    zx, zb = make_decoder("zxing", ["QRCode"]), make_decoder("pyzbar", ["QRCode"])
    return {
        "zxing-cpp": lambda f: {s.text for s in zx.decode(f)},
        "pyzbar": lambda f: {s.text for s in zb.decode(f)},
        "opencv": opencv_decoder(),
    }


def cases(size: tuple[int, int], frames: int) -> dict[str, list[tuple[Image, set[str]]]]:
    """Build frames per degradation with the codes each one holds."""
    out: dict[str, list[tuple[Image, set[str]]]] = {}
    for name, degrade in DEGRADATIONS.items():
        out[name] = [(degrade(frame_with([f"PR-2026-{i:05d}-B01"], size)),
                      {f"PR-2026-{i:05d}-B01"}) for i in range(frames)]
    out["multi-code"] = [(frame_with([f"B-{i}-1", f"B-{i}-2", f"B-{i}-3"], size),
                          {f"B-{i}-1", f"B-{i}-2", f"B-{i}-3"}) for i in range(frames)]
    out["no-code"] = [(blank_frame(size, seed=i), set()) for i in range(frames)]
    return out


def measure(decode: Callable[[Image], set[str]],
            frames: list[tuple[Image, set[str]]]) -> tuple[float, float, float]:
    """Return median ms, p95 ms and success rate over frames."""
    times, hits = [], 0
    for frame, expected in frames:
        start = time.perf_counter()
        found = decode(frame)
        times.append((time.perf_counter() - start) * 1000)
        hits += found == expected
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, hits / len(frames)


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=20)
    args = parser.parse_args()
    print("| decoder | frame | degradation | median ms | p95 ms | success |")
    print("|---|---|---|---:|---:|---:|")
    all_decoders = decoders()
    for size_name, size in SIZES.items():
        for case, frames in cases(size, args.frames).items():
            for name, decode in all_decoders.items():
                decode(frames[0][0])  # warm up caches and lazy initialisation
                median, p95, success = measure(decode, frames)
                print(f"| {name} | {size_name} | {case} | {median:.1f} | {p95:.1f} "
                      f"| {success:.0%} |")


if __name__ == "__main__":
    main()
