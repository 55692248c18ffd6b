"""Render QR label images and degrade them like a real camera would."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import qrcode

Image = np.ndarray


def qr_label(text: str, box: int = 6) -> Image:
    """Render a QR label as a grayscale array with its quiet zone."""
    img = qrcode.make(text, box_size=box, border=4).convert("L")
    return np.array(img, dtype=np.uint8)


def frame_with(codes: Sequence[str], size: tuple[int, int] = (1280, 720), box: int = 6) -> Image:
    """Place labels side by side on a grey 'workbench' BGR frame of the given size."""
    width, height = size
    frame = np.full((height, width), 150, dtype=np.uint8)
    x = 40
    for code in codes:
        label = qr_label(code, box)
        h, w = label.shape
        y = (height - h) // 2
        frame[y:y + h, x:x + w] = label
        x += w + 40
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)


def blank_frame(size: tuple[int, int] = (1280, 720), seed: int = 0) -> Image:
    """Return a textured frame with no code in it."""
    rng = np.random.default_rng(seed)
    width, height = size
    noise = rng.integers(60, 200, (height // 8, width // 8), dtype=np.uint8)
    return cv2.cvtColor(cv2.resize(noise, (width, height)), cv2.COLOR_GRAY2BGR)


def blur(frame: Image, k: int = 5) -> Image:
    """Defocus the frame."""
    return cv2.GaussianBlur(frame, (k, k), 0)


def perspective(frame: Image, skew: float = 0.12) -> Image:
    """View the frame at an angle."""
    h, w = frame.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * skew, h * skew / 2], [w * (1 - skew / 3), 0],
                      [w, h], [w * skew / 2, h * (1 - skew / 2)]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(frame, matrix, (w, h), borderValue=(150, 150, 150))


def noise(frame: Image, sigma: float = 20.0, seed: int = 1) -> Image:
    """Add sensor noise."""
    rng = np.random.default_rng(seed)
    noisy = frame.astype(np.float32) + rng.normal(0, sigma, frame.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def low_contrast(frame: Image, span: int = 50) -> Image:
    """Squeeze the grey levels into a narrow band, like a dim, washed-out label."""
    return (100 + frame.astype(np.float32) * span / 255).astype(np.uint8)


DEGRADATIONS = {
    "clean": lambda f: f,
    "blur": blur,
    "perspective": perspective,
    "noise": noise,
    "low_contrast": low_contrast,
}
