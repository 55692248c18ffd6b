"""Scan sources: camera, HID keyboard wedge, serial, stdin and image files."""
