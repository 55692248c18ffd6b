"""Decoders find real rendered labels, however degraded, and invent none."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from station.decoding import Suppressor, make_decoder
from station.errors import ConfigError
from tests.station.labels import DEGRADATIONS, Image, blank_frame, frame_with

BACKENDS = ["cascade", "zxing", "pyzbar"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("degradation", sorted(DEGRADATIONS))
def test_decoder_reads_a_degraded_label(backend: str, degradation: str) -> None:
    degrade: Callable[[Image], Image] = DEGRADATIONS[degradation]
    frame = degrade(frame_with(["PR-2026-00042-B003"]))
    symbols = make_decoder(backend).decode(frame)
    assert [(s.text, s.symbology) for s in symbols] == [("PR-2026-00042-B003", "QRCode")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_decoder_reads_several_codes_in_one_frame(backend: str) -> None:
    frame = frame_with(["B-1", "B-2", "B-3"], size=(1920, 1080))
    assert sorted(s.text for s in make_decoder(backend).decode(frame)) == ["B-1", "B-2", "B-3"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(5))
def test_decoder_reads_nothing_in_a_frame_without_a_code(backend: str, seed: int) -> None:
    assert make_decoder(backend).decode(blank_frame(seed=seed)) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_decoder_ignores_formats_the_station_does_not_accept(backend: str) -> None:
    import zxingcpp

    barcode = zxingcpp.create_barcode("12345678", zxingcpp.BarcodeFormat.Code128)
    import numpy as np

    image = np.array(barcode.to_image(scale=4))
    assert make_decoder(backend, ["QRCode"]).decode(image) == []
    assert [s.symbology for s in make_decoder(backend, ["Code128"]).decode(image)] == ["Code128"]


def test_unknown_backend_or_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        make_decoder("tesseract")
    with pytest.raises(ConfigError):
        make_decoder("zxing", ["NoSuchCode"])


def test_suppressor_lets_a_held_label_through_once() -> None:
    now = [0.0]
    suppressor = Suppressor(2.0, clock=lambda: now[0])
    admitted = []
    for _ in range(30):  # a label held in front of the camera for 3 s at 10 fps
        admitted.append(suppressor.admit("camera:0", "B-1"))
        now[0] += 0.1
    assert admitted.count(True) == 1


def test_suppressor_admits_the_code_again_after_a_quiet_window() -> None:
    now = [0.0]
    suppressor = Suppressor(2.0, clock=lambda: now[0])
    assert suppressor.admit("camera:0", "B-1")
    now[0] = 2.5
    assert suppressor.admit("camera:0", "B-1")


def test_suppressor_is_per_source() -> None:
    suppressor = Suppressor(2.0, clock=lambda: 0.0)
    assert suppressor.admit("camera:0", "B-1")
    assert suppressor.admit("camera:1", "B-1")
    assert not suppressor.admit("camera:0", "B-1")
