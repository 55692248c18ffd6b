"""The Floorline station agent: read labels, keep them durably, deliver them to the server."""

__version__ = "0.1.0"
