"""The camera source reads labels from video files and from live cameras that come and go."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from station.backoff import Backoff
from station.decoding import Suppressor, make_decoder
from station.scans import Read
from station.sources.camera import CameraSource, FakeCapture, LatestFrame, OpenCVCapture
from station.sources.protocol import FINISHED, OK
from tests.station.degradations import inverted
from tests.station.labels import Image, blank_frame, blur, frame_with, noise, perspective
from tests.station.waiting import wait_until


def write_video(path: Path, frames: list[Image], fps: float = 10.0) -> None:
    """Write BGR frames to an MJPG AVI file."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


def test_camera_reads_every_label_of_a_generated_video_and_nothing_from_empty_frames(
    tmp_path: Path,
) -> None:
    size = (1280, 720)
    blanks = [blank_frame(size, seed=i) for i in range(6)]
    frames = (
        blanks[:3]
        + [frame_with(["B-0001"], size)] * 3
        + [blur(frame_with(["B-0002"], size))] * 2
        + [perspective(frame_with(["B-0003"], size))] * 2
        + [noise(frame_with(["B-0004", "B-0005"], size))] * 2
        + blanks[3:]
    )
    video = tmp_path / "line.avi"
    write_video(video, frames)
    source = CameraSource("camera:file", OpenCVCapture(str(video)), make_decoder())
    current: list[str] = []

    def emit(read: Read) -> None:
        assert read.source == "camera:file" and read.symbology == "QRCode"
        current.append(read.text)

    source.run(emit, threading.Event())
    assert source.status == FINISHED
    assert source.frames_decoded == len(frames)
    assert set(current) == {"B-0001", "B-0002", "B-0003", "B-0004", "B-0005"}


def test_camera_with_the_cascade_reads_an_etched_label_once_over_many_frames(
    tmp_path: Path,
) -> None:
    video = tmp_path / "etched.avi"
    write_video(video, [blank_frame(seed=1)] + [inverted(frame_with(["B-ETCHED"]), i)
                                                for i in range(4)])
    # A generous budget: this test is about the camera using the cascade, not about speed.
    decoder = make_decoder("cascade", budget_ms=10_000)
    reads: list[Read] = []
    source = CameraSource("camera:file", OpenCVCapture(str(video)), decoder)
    source.run(reads.append, threading.Event())
    assert [r.text for r in reads] == ["B-ETCHED"] * 4  # one read per frame: the agent's
    suppressor = Suppressor(2.0, clock=lambda: 0.0)     # suppressor makes it one scan
    assert [r.text for r in reads if suppressor.admit(r.source, r.text)] == ["B-ETCHED"]


def test_camera_gives_no_read_from_frames_without_a_code(tmp_path: Path) -> None:
    video = tmp_path / "empty.avi"
    write_video(video, [blank_frame(seed=i) for i in range(8)])
    reads: list[Read] = []
    source = CameraSource("camera:file", OpenCVCapture(str(video)), make_decoder())
    source.run(reads.append, threading.Event())
    assert source.frames_decoded == 8
    assert reads == []


def test_camera_that_disappears_and_returns_is_reopened_and_keeps_reading() -> None:
    code_a, code_b = frame_with(["B-A"]), frame_with(["B-B"])
    grabber = FakeCapture([code_a, None, code_b], failed_opens=1)
    source = CameraSource("camera:0", grabber, make_decoder(),
                          backoff=Backoff(initial=0.01, maximum=0.05))
    reads: list[Read] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(reads.append, stop))
    thread.start()
    try:
        wait_until(lambda: {"B-A", "B-B"} <= {r.text for r in reads})
    finally:
        stop.set()
        thread.join(timeout=10)
    assert grabber.opens >= 3  # one failed open, one first open, one reopen after the loss


def test_latest_frame_hands_the_decoder_only_the_newest_frame() -> None:
    mailbox = LatestFrame()
    for i in range(5):
        mailbox.put(np.full((4, 4), i, dtype=np.uint8))
    taken = mailbox.take(timeout=0.1)
    assert taken is not None and int(taken[0, 0]) == 4
    assert mailbox.dropped == 4
    assert mailbox.take(timeout=0.01) is None


def test_live_camera_reports_ok_while_frames_flow() -> None:
    grabber = FakeCapture([blank_frame()], repeat=True)
    source = CameraSource("camera:0", grabber, make_decoder())
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(lambda r: None, stop))
    thread.start()
    try:
        wait_until(lambda: source.status == OK and source.frames_decoded > 0)
    finally:
        stop.set()
        thread.join(timeout=10)
