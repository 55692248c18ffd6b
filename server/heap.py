"""Keep the garbage collector's full passes short in a long-lived server process.

A full pass walks every object the process tracks; after start-up nearly all of them are
the imported code and the app itself (some 220,000 objects here), which never die. Each
pass over them stopped the event loop for 100-400 ms, the tail of scan -> /live. Freezing
them once started leaves a full pass only what was made since.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what start-up left over, then exempt the survivors from later passes."""
    gc.collect()
    gc.freeze()
