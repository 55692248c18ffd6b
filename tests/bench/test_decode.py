"""bench/decode.py at a tiny size: a row per degradation, a column per pass and cascade,
and the cascade reads the etched label the fast pass cannot (CI runs it this small)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from station.cascade import standard_passes
from tests.station.degradations import HARD_DEGRADATIONS
from tests.station.labels import DEGRADATIONS

REPO = Path(__file__).resolve().parents[2]


def test_the_decode_bench_prints_every_pass_and_degradation_at_one_frame() -> None:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "decode.py"), "--frames", "1",
                           "--sizes", "720p"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    passes = [step.name for step in standard_passes(["QRCode"])]
    assert header == ["frame", "degradation", *passes, "zxing-cpp plain", "cascade",
                      "cascade 30 ms"]
    rows = {cells[1]: cells for cells in ([c.strip() for c in line.strip("|").split("|")]
                                          for line in lines[2:])}
    assert set(rows) == {*DEGRADATIONS, *HARD_DEGRADATIONS, "multi-code", "no-code"}
    assert all(row[0] == "720p" and len(row) == len(header) for row in rows.values())
    column = {name: i for i, name in enumerate(header)}
    etched = rows["inverted"]
    assert etched[column["fast"]].startswith("0/1 ")
    assert etched[column["cascade"]].startswith("1/1 ")
    assert rows["no-code"][column["cascade"]].startswith("1/1 ")  # no false read
