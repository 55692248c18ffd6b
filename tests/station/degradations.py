"""Degrade rendered label frames the hard ways a factory floor does: etched metal, glare,
distance, curved parts, motion, cheap JPEG, and all of them at once in a phone photograph."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from tests.station.labels import Image

Degradation = Callable[[Image, int], Image]


def _gray(frame: Image) -> Image:
    """Return the grayscale of a BGR frame."""
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame


def _bgr(gray: np.ndarray) -> Image:
    """Return a BGR frame from float or uint8 grey levels, clipped."""
    return cv2.cvtColor(np.clip(gray, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)


def inverted(frame: Image, seed: int = 0) -> Image:
    """Etch the code light on dark brushed metal, as a laser or dot peen marks a part."""
    rng = np.random.default_rng(seed)
    gray = _gray(frame).astype(np.float32)
    h, w = gray.shape
    brushed = cv2.resize(rng.normal(0, 14, (h, max(1, w // 40))).astype(np.float32), (w, h))
    marks = 255 - gray  # dark modules become bright marks, the light paper dark metal
    metal = 55 + marks * (150 / 255) + brushed + rng.normal(0, 6, (h, w))
    return _bgr(cv2.GaussianBlur(metal, (3, 3), 0))


def glare(frame: Image, seed: int = 0, strength: float = 0.95) -> Image:
    """Wash out part of the code under a bright specular blob from an overhead lamp."""
    rng = np.random.default_rng(seed)
    gray = _gray(frame).astype(np.float32)
    h, w = gray.shape
    ys, xs = np.nonzero(gray < 100)
    cy = float(ys.mean()) + rng.uniform(-20, 20)
    cx = float(xs.mean()) + rng.uniform(-30, 30)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rx, ry = rng.uniform(55, 75), rng.uniform(35, 50)
    blob = np.exp(-(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2))
    lit = gray * (1 - strength * blob) + 252 * strength * blob  # the lamp's reflection
    return _bgr(lit + rng.normal(0, 3, (h, w)))


def small(frame: Image, seed: int = 0, scale: float = 0.3) -> Image:
    """Move the camera back: the whole scene shrinks so the code is about 45 px wide."""
    gray = _gray(frame)
    h, w = gray.shape
    scale += 0.04 * (seed % 3)
    shrunk = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    canvas = np.full((h, w), 150, dtype=np.uint8)
    sh, sw = shrunk.shape
    y, x = (h - sh) // 2, (w - sw) // 2
    canvas[y:y + sh, x:x + sw] = shrunk
    return _bgr(cv2.GaussianBlur(canvas, (3, 3), 0.8))


def curved(frame: Image, seed: int = 0, radius: float = 0.35) -> Image:
    """Wrap the label round a cylinder (a pipe or a bottle) seen side on, shaded at the edges."""
    gray = _gray(frame).astype(np.float32)
    h, w = gray.shape
    xs = np.nonzero(gray < 100)[1]
    cx = float(xs.mean()) + 8 * (seed % 5)
    r = (xs.max() - xs.min()) * (radius + 0.02 * (seed % 3)) * 2
    xx = np.arange(w, dtype=np.float32)
    t = np.clip((xx - cx) / r, -0.999, 0.999)
    src_x = cx + r * np.arcsin(t)  # a point on the surface at angle asin(t) projects to x
    map_x = np.tile(src_x, (h, 1)).astype(np.float32)
    map_y = np.tile(np.arange(h, dtype=np.float32)[:, None], (1, w))
    warped = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderValue=150)
    shade = np.sqrt(1 - t ** 2)[None, :]
    return _bgr(warped * (0.45 + 0.55 * shade))


def motion_blur(frame: Image, seed: int = 0, length: int = 11) -> Image:
    """Smear the frame along a line, as a part moving on a conveyor under a slow shutter."""
    angle = 15.0 * (seed % 4)
    kernel = np.zeros((length, length), dtype=np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(frame, -1, kernel / kernel.sum())


def jpeg(frame: Image, seed: int = 0, quality: int = 10) -> Image:
    """Stream a distant label through a cheap IP camera's low-quality JPEG encoder."""
    far = small(frame, seed, scale=0.35)
    ok, data = cv2.imencode(".jpg", far, [cv2.IMWRITE_JPEG_QUALITY, quality + seed % 4])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def photo(frame: Image, seed: int = 0) -> Image:
    """Take a hand-held photograph: angle, slight defocus, uneven light, noise and JPEG."""
    rng = np.random.default_rng(seed)
    gray = _gray(frame).astype(np.float32)
    h, w = gray.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(0.05, 0.16, (4, 2)) * [w, h] * [[1, 1], [-1, 1], [-1, -1], [1, -1]]
    matrix = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
    gray = cv2.warpPerspective(gray, matrix, (w, h), borderValue=150)
    gray = cv2.GaussianBlur(gray, (0, 0), rng.uniform(1.2, 1.8))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 0.5 + 0.45 * (gx * (xx / w - 0.5) + gy * (yy / h - 0.5)) * 2
    gray = gray * np.clip(light, 0.25, 1.2) + rng.normal(0, 12, (h, w))
    ok, data = cv2.imencode(".jpg", _bgr(gray), [cv2.IMWRITE_JPEG_QUALITY, 30])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


HARD_DEGRADATIONS: dict[str, Degradation] = {
    "inverted": inverted,
    "glare": glare,
    "small": small,
    "curved": curved,
    "motion_blur": motion_blur,
    "jpeg_low": jpeg,
    "photo": photo,
}
