"""The decoder cascade reads what the fast pass misses, never less than zxing-cpp alone,
invents nothing, reports a code once, and keeps a live frame within its budget."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from station.cascade import Cascade, Pass, make_cascade, standard_passes
from station.config import config_from_toml
from station.decoding import Image, Symbol, make_decoder
from station.errors import ConfigError
from tests.station.degradations import HARD_DEGRADATIONS
from tests.station.labels import DEGRADATIONS, blank_frame, frame_with, qr_label

FRAMES = 8
# Frames of FRAMES the cascade reads at least, per degradation (the README's table has more).
CASCADE_READS = {"inverted": 8, "glare": 8, "small": 8, "curved": 7, "motion_blur": 5,
                 "jpeg_low": 8, "photo": 8}
# Where the fallbacks matter: the fast pass alone reads fewer of these frames.
FAST_FALLS_SHORT = {"inverted", "glare", "small", "curved", "jpeg_low", "photo"}


def code(i: int) -> str:
    """Return the i-th test label's text."""
    return f"PR-2026-{i:05d}-B01"


def degraded(name: str) -> list[tuple[Image, str]]:
    """Return FRAMES frames of one label each under one hard degradation."""
    degrade = HARD_DEGRADATIONS[name]
    return [(degrade(frame_with([code(i)]), i), code(i)) for i in range(FRAMES)]


@pytest.fixture(scope="module")
def cascade() -> Cascade:
    return make_cascade(["QRCode"])


def test_the_cascade_reads_every_inverted_label_the_fast_pass_misses(cascade: Cascade) -> None:
    fast = make_decoder("zxing")
    for frame, text in degraded("inverted"):
        assert fast.decode(frame) == []
        assert [(s.text, s.found_by) for s in cascade.decode(frame)] == [(text, "inverted")]


@pytest.mark.parametrize("name", sorted(HARD_DEGRADATIONS))
def test_the_cascade_reads_each_degradation_at_its_stated_rate_and_all_plain_zxing_reads(
    cascade: Cascade, name: str,
) -> None:
    fast = make_decoder("zxing")
    by_cascade = by_fast = 0
    for frame, text in degraded(name):
        found = {(s.text, s.symbology) for s in cascade.decode(frame)}
        plain = {(b.text, b.format.name) for b in zxingcpp.read_barcodes(frame)}
        assert plain <= found  # zxing-cpp alone, every option on, is the floor
        by_cascade += found == {(text, "QRCode")}
        by_fast += [s.text for s in fast.decode(frame)] == [text]
    assert by_cascade >= CASCADE_READS[name]
    if name in FAST_FALLS_SHORT:
        assert by_fast < by_cascade
    else:
        assert by_fast <= by_cascade


@pytest.mark.parametrize("seed", range(2))
def test_no_pass_reads_anything_in_a_frame_without_a_code(seed: int) -> None:
    size = (640, 360)  # a quarter of 720p keeps nine passes on fourteen frames quick
    frames = [blank_frame(size, seed=seed), np.zeros((360, 640, 3), np.uint8)]
    frames += [degrade(blank_frame(size, seed=seed), seed)
               for degrade in HARD_DEGRADATIONS.values()]
    frames += [degrade(blank_frame(size, seed=seed)) for degrade in DEGRADATIONS.values()]
    for step in standard_passes(["QRCode", "Code128", "EAN13", "DataMatrix"]):
        for frame in frames:
            gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            assert step.read(frame, gray) == [], step.name


def test_a_code_two_passes_could_read_is_reported_once_by_the_first(cascade: Cascade) -> None:
    frame = frame_with(["B-1", "B-2"])
    found = cascade.read(frame)
    assert sorted((s.text, s.found_by) for s in found.symbols) == [("B-1", "fast"),
                                                                    ("B-2", "fast")]
    assert found.passes_run == 2  # the floor pass read both again: still reported once
    twice = Pass("twice", lambda _o, _g: [Symbol("B-1", "QRCode")] * 2)
    again = Pass("again", lambda _o, _g: [Symbol("B-1", "QRCode")])
    result = Cascade([twice, again]).read(frame)
    assert [(s.text, s.found_by) for s in result.symbols] == [("B-1", "twice")]


class FakeClock:
    """A clock the passes advance by their cost instead of taking time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def costly_passes(clock: FakeClock, costs_ms: list[float], ran: list[str]) -> list[Pass]:
    """Return passes that read nothing, each advancing the clock by its cost."""
    def make(name: str, cost: float) -> Pass:
        def read(_o: Image, _g: Image) -> list[Symbol]:
            ran.append(name)
            clock.now += cost / 1000
            return []
        return Pass(name, read)
    return [make(f"p{i}", cost) for i, cost in enumerate(costs_ms)]


def test_a_live_frame_runs_only_the_passes_that_fit_its_budget() -> None:
    clock, ran = FakeClock(), list[str]()
    cascade = Cascade(costly_passes(clock, [10, 10, 10, 10], ran), budget_ms=25, clock=clock)
    frame = blank_frame()
    assert cascade.read(frame).passes_run == 3  # costs unknown yet: run while time remains
    ran.clear()
    assert cascade.read(frame).passes_run == 2  # 10 ms used + 10 ms expected, the next won't fit
    assert ran == ["p0", "p1"]


def test_a_pass_skipped_after_one_slow_run_is_tried_again_later() -> None:
    clock, ran = FakeClock(), list[str]()
    costs = iter([40.0] + [5.0] * 50)  # one busy frame, then quick ones

    def fallback(_o: Image, _g: Image) -> list[Symbol]:
        ran.append("fallback")
        clock.now += next(costs) / 1000
        return []

    passes = [*costly_passes(clock, [10], ran), Pass("fallback", fallback)]
    cascade = Cascade(passes, budget_ms=25, clock=clock)
    runs = [cascade.read(blank_frame()).passes_run for _ in range(40)]
    assert runs[:2] == [2, 1]  # 10 ms spent + 40 ms expected does not fit in 25 ms
    assert 2 in runs[2:]  # the estimate decays while skipped, and the pass runs again
    assert ran.count("fallback") >= 2


def test_the_fast_pass_runs_even_with_no_budget_and_stills_run_every_pass() -> None:
    clock, ran = FakeClock(), list[str]()
    passes = costly_passes(clock, [50, 1, 1], ran)
    assert Cascade(passes, budget_ms=0, clock=clock).read(blank_frame()).passes_run == 1
    assert ran == ["p0"]
    ran.clear()
    assert Cascade(passes, budget_ms=None, clock=clock).read(blank_frame()).passes_run == 3


def test_a_read_within_the_budget_comes_from_the_first_pass_that_reads() -> None:
    clock, ran = FakeClock(), list[str]()
    reader = Pass("reader", lambda _o, _g: [Symbol("B-9", "QRCode")])
    passes = [*costly_passes(clock, [5], ran), reader, *costly_passes(clock, [5], ran)]
    result = Cascade(passes, budget_ms=30, clock=clock).read(blank_frame())
    assert (result.found_by, result.passes_run, ran) == ("reader", 2, ["p0"])


@pytest.mark.parametrize("budget", [-1, -0.5, "30", True, float("inf")])
def test_a_bad_frame_budget_is_a_config_error(budget: object) -> None:
    with pytest.raises(ConfigError, match="frame_budget_ms"):
        config_from_toml({"decoding": {"frame_budget_ms": budget}})
    with pytest.raises(ConfigError):
        Cascade(standard_passes(), budget_ms=-1)


def test_the_frame_budget_defaults_to_thirty_ms_and_the_cascade_is_the_default() -> None:
    config = config_from_toml({})
    assert (config.frame_budget_ms, config.decoder) == (30.0, "cascade")
    assert config_from_toml({"decoding": {"frame_budget_ms": 0}}).frame_budget_ms == 0.0


def test_each_camera_gets_its_own_budgeted_cascade_and_an_image_folder_the_whole_one() -> None:
    from station.assembly import build_source
    from station.config import SourceConfig

    still = make_decoder("cascade")

    def live() -> Cascade:
        return make_cascade(budget_ms=12)

    cameras = [build_source(SourceConfig("camera", f"camera:{i}", {"device": str(i)}), still, live)
               for i in range(2)]
    images = build_source(SourceConfig("images", "images:x", {"paths": ["x"]}), still, live)
    decoders = [camera._decoder for camera in cameras]  # type: ignore[attr-defined]
    assert [d.budget_ms for d in decoders] == [12, 12] and decoders[0] is not decoders[1]
    assert images._decoder is still  # type: ignore[attr-defined]


def test_a_still_image_with_a_printed_and_an_etched_code_gives_both_a_live_frame_the_first(
) -> None:
    frame = frame_with(["B-PRINTED", "B-ETCHED"])
    split = 40 + qr_label("B-PRINTED").shape[1] + 20
    frame[:, split:] = 255 - frame[:, split:]  # the second code etched light on dark
    assert [s.text for s in make_decoder("zxing").decode(frame)] == ["B-PRINTED"]
    still = make_cascade().read(frame)
    assert sorted((s.text, s.found_by) for s in still.symbols) == [
        ("B-ETCHED", "zxing-defaults"), ("B-PRINTED", "fast")]
    live = make_cascade(budget_ms=10_000).read(frame)
    assert [(s.text, s.found_by) for s in live.symbols] == [("B-PRINTED", "fast")]
    assert live.passes_run == 1
