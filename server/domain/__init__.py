"""Floorline's domain core: plain Python rules with no framework or database import."""
