"""Replay image files or folders as if a camera had seen them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from station.decoding import Decoder, decode_file
from station.errors import DecodeError
from station.scans import Read
from station.sources.protocol import FINISHED, OK, STARTING, Emit

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """List files in the given order, expanding each folder to its sorted images."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES))
        else:
            files.append(path)
    return files


class ImagesSource:
    """Decode each image once, in order, pausing between images."""

    def __init__(self, name: str, paths: Iterable[str | Path], decoder: Decoder, *,
                 interval: float = 0.0) -> None:
        self.name = name
        self._paths = list(paths)
        self._decoder = decoder
        self._interval = interval
        self._status = STARTING

    @property
    def status(self) -> str:
        """Return the replay's progress for the heartbeat."""
        return self._status

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit every code of every image, then finish."""
        self._status = OK
        for path in expand_paths(self._paths):
            if stop.is_set():
                break
            try:
                symbols = decode_file(path, self._decoder)
            except DecodeError as err:
                log.error("images %s: %s; skipped", self.name, err)
                continue
            for symbol in symbols:
                emit(Read(symbol.text, symbol.symbology, self.name))
            if self._interval and stop.wait(self._interval):
                break
        self._status = FINISHED
