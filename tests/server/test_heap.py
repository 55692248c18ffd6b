"""The server's heap once started: import-time objects frozen out of GC passes."""

import subprocess
import sys

# In a child process: freezing the test process's own heap would keep every app it makes.
CHILD = """
import gc, server.app, server.heap
before = gc.get_freeze_count()
server.heap.settle()
print(before, gc.get_freeze_count(), *gc.get_threshold())
"""


def test_settling_freezes_what_start_up_made_and_raises_the_young_threshold():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    before, frozen, *thresholds = map(int, out)
    assert before == 0 and frozen > 50_000  # the app's imports, at least
    assert thresholds == [20_000, 20, 10]
