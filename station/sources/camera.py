"""Read codes from a camera, stream or video file through OpenCV."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

import cv2

from station.backoff import Backoff
from station.decoding import Decoder, Image
from station.scans import Read
from station.sources.protocol import DISCONNECTED, FINISHED, OK, STARTING, Emit

log = logging.getLogger(__name__)


class FrameGrabber(Protocol):
    """A camera-like device that yields frames."""

    is_file: bool

    def open(self) -> bool:
        """Open the device; return whether it is usable."""
        ...

    def read(self) -> Image | None:
        """Return the next frame, or None when the device failed or ended."""
        ...

    def release(self) -> None:
        """Free the device."""
        ...


class OpenCVCapture:
    """Grab frames with cv2.VideoCapture: device index, V4L2 path, RTSP/HTTP URL or file."""

    def __init__(self, target: str | int, *, width: int = 0, height: int = 0) -> None:
        self.target: str | int = int(target) if str(target).isdigit() else target
        self.is_file = isinstance(self.target, str) and Path(self.target).is_file()
        self._size = (width, height)
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> bool:
        """Open the capture with a one-frame buffer so frames are never stale."""
        self.release()
        cap = cv2.VideoCapture(self.target)
        if not cap.isOpened():
            return False
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        if self._size[0] and self._size[1]:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1])
        self._cap = cap
        return True

    def read(self) -> Image | None:
        """Return the next frame, or None on failure or end of file."""
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        return cast(Image, frame) if ok else None

    def release(self) -> None:
        """Release the capture."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class FakeCapture:
    """Replay frames; an entry of None simulates the camera disappearing."""

    def __init__(self, frames: Sequence[Image | None], *, failed_opens: int = 0,
                 is_file: bool = False, repeat: bool = False) -> None:
        self.is_file = is_file
        self._frames = list(frames)
        self._repeat = list(frames) if repeat else []
        self._failed_opens = failed_opens
        self.opens = 0
        self.is_open = False

    def open(self) -> bool:
        """Fail the first failed_opens attempts, then succeed."""
        self.opens += 1
        self.is_open = self.opens > self._failed_opens
        return self.is_open

    def read(self) -> Image | None:
        """Return the next scripted frame; None closes the fake until reopened."""
        if self._repeat and not self._frames:
            self._frames = list(self._repeat)
        if not self.is_open or not self._frames:
            self.is_open = False
            return None
        frame = self._frames.pop(0)
        if frame is None:
            self.is_open = False
        return frame

    def release(self) -> None:
        """Close the fake."""
        self.is_open = False


class LatestFrame:
    """A one-slot mailbox: a new frame replaces an undecoded one, so decoding never lags."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Image | None = None
        self._seq = 0
        self.dropped = 0

    def put(self, frame: Image) -> None:
        """Store a frame, discarding any frame not yet taken."""
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._seq += 1
            self._cond.notify_all()

    def take(self, timeout: float) -> Image | None:
        """Return the newest untaken frame, waiting up to timeout for one."""
        with self._cond:
            if self._frame is None:
                self._cond.wait(timeout)
            frame, self._frame = self._frame, None
            return frame


class CameraSource:
    """Decode frames from a grabber; live devices decode only the newest frame."""

    def __init__(self, name: str, grabber: FrameGrabber, decoder: Decoder, *,
                 backoff: Backoff | None = None) -> None:
        self.name = name
        self._grabber = grabber
        self._decoder = decoder
        self._backoff = backoff or Backoff(initial=0.5, maximum=10.0)
        self._status = STARTING
        self.frames_decoded = 0

    @property
    def status(self) -> str:
        """Return the camera's health for the heartbeat."""
        return self._status

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit reads until stopped (live) or until the file ends."""
        try:
            if self._grabber.is_file:
                self._run_file(emit, stop)
            else:
                self._run_live(emit, stop)
        finally:
            self._grabber.release()

    def _decode(self, frame: Image, emit: Emit) -> None:
        """Emit every code in one frame."""
        self.frames_decoded += 1
        for symbol in self._decoder.decode(frame):
            emit(Read(symbol.text, symbol.symbology, self.name))

    def _run_file(self, emit: Emit, stop: threading.Event) -> None:
        """Decode every frame of a file in order: a replay must not skip labels."""
        if not self._grabber.open():
            self._status = DISCONNECTED
            log.error("camera %s: cannot open video file", self.name)
            return
        self._status = OK
        while not stop.is_set():
            frame = self._grabber.read()
            if frame is None:
                break
            self._decode(frame, emit)
        self._status = FINISHED

    def _run_live(self, emit: Emit, stop: threading.Event) -> None:
        """Grab on a reader thread and decode the newest frame here."""
        mailbox = LatestFrame()
        reader = threading.Thread(
            target=self._grab_forever, args=(mailbox, stop), name=f"grab-{self.name}",
            daemon=True,
        )
        reader.start()
        while not stop.is_set():
            frame = mailbox.take(timeout=0.2)
            if frame is not None:
                self._decode(frame, emit)
        reader.join(timeout=5)

    def _grab_forever(self, mailbox: LatestFrame, stop: threading.Event) -> None:
        """Keep the mailbox fed, reopening a vanished camera with backoff."""
        while not stop.is_set():
            if not self._grabber.open():
                self._status = DISCONNECTED
                log.warning("camera %s: cannot open, retrying", self.name)
                self._backoff.wait(stop)
                continue
            self._status = OK
            self._backoff.reset()
            while not stop.is_set():
                frame = self._grabber.read()
                if frame is None:
                    break
                mailbox.put(frame)
            if not stop.is_set():
                self._status = DISCONNECTED
                log.warning("camera %s: lost, reopening", self.name)
                self._grabber.release()
                self._backoff.wait(stop)
