"""Keep the garbage collector's passes short and rare in a long-lived server process.

A full pass walks every object the process tracks; after start-up nearly all of them are
the imported code and the app itself (some 190,000 objects here), which never die. Each
pass over them stopped the event loop for 100-400 ms under load, the tail of scan -> /live.
Freezing them once started leaves a full pass only what was made since. A scan allocates
thousands of short-lived objects; with Python's default first threshold (700) many were
still alive at a young pass, got promoted and brought on full passes every few seconds. A
larger one lets them die young: in `bench/ingest.py` the server then made no full pass after
start-up, and a young pass of 20,000 objects stays under 2 ms.
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 20, 10)


def settle() -> None:
    """Collect what start-up left over, exempt the survivors from later passes, and let
    young objects die young."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
