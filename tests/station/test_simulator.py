"""The simulator drives virtual stations through a plan in routing order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from station.link import LinkSettings
from station.simulator import load_plan, plan_from_routing, run_simulation
from tests.station.harness import ServerProcess, station_env
from tests.station.server_records import query

TOKENS = ["station-token-1", "station-token-2", "station-token-3"]
FAST = LinkSettings(call_timeout=3.0, heartbeat_interval=1.0, backoff_initial=0.05,
                    backoff_max=0.5)


def test_simulation_scans_every_code_at_every_station_in_routing_order(
    tmp_path: Path, server: ServerProcess
) -> None:
    codes = [f"B-{i}" for i in range(6)]
    plan = plan_from_routing(TOKENS, codes)
    result = run_simulation(server.url, plan, rate=200, workdir=tmp_path / "sim",
                            timeout=60, settings=FAST)
    assert result.complete
    assert [s.outcomes["accepted"] for s in result.stations] == [6, 6, 6]
    rows = query(server.db, "SELECT code, token FROM applied ORDER BY seq")
    for code in codes:
        assert [token for c, token in rows if c == code] == TOKENS


def test_plan_file_lists_stations_with_tokens_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps([{"name": "cut", "token": "T1", "codes": ["B-1", "B-1"]},
                                {"token": "T2", "codes": ["B-1"]}]))
    plan = load_plan(path)
    assert [(p.name, p.token, p.codes) for p in plan] == [
        ("cut", "T1", ("B-1", "B-1")), ("station-2", "T2", ("B-1",))]


def test_simulate_command_runs_from_token_and_code_files(
    tmp_path: Path, server: ServerProcess
) -> None:
    (tmp_path / "tokens.txt").write_text("\n".join(TOKENS[:2]) + "\n")
    (tmp_path / "codes.txt").write_text("# batches\nB-1\nB-2\n")
    result = subprocess.run(
        [sys.executable, "-m", "station", "simulate", "--server", server.url,
         "--tokens-file", str(tmp_path / "tokens.txt"), "--codes-file",
         str(tmp_path / "codes.txt"), "--rate", "100", "--scans-per-step", "2",
         "--workdir", str(tmp_path / "sim"), "--timeout", "60"],
        env=station_env(), capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["complete"]
    assert [s["outcomes"] for s in summary["stations"]] == [{"accepted": 4}] * 2
