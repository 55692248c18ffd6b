"""The `floorline` command as an IT person or planner would use it."""

import json
import subprocess
import sys

import pytest

from tests.station.harness import station_env
from tests.support.cli import floorline_cli


@pytest.fixture
def cli(tmp_path, monkeypatch):
    run = floorline_cli(monkeypatch, tmp_path / "instance", f"sqlite:///{tmp_path}/cli.sqlite")
    run("db", "upgrade")
    return run


def test_user_token_and_station_commands(cli):
    assert json.loads(cli("user", "add", "lee", "--role", "planner", "--password", "s3cret-pw"))[
        "role"] == "planner"
    assert cli("token", "create", "lee").startswith("flu_")
    out = cli("user", "add", "lee", "--role", "planner", "--password", "x" * 9, ok=False)
    assert "exists" in out


def test_station_add_prints_a_token_for_a_known_operation(cli):
    out = cli("station", "add", "cut-9", "--operation", "CUT", ok=False)
    assert "no operation 'CUT'" in out
    from server.runtime import Runtime
    from server.services import catalog
    from server.services.actors import SYSTEM
    from server.settings import load
    rt = Runtime.start(load())
    with rt.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
    rt.engine.dispose()
    assert cli("station", "add", "cut-9", "--operation", "CUT").startswith("fls_")


def test_labels_pdf_is_read_back_by_the_station_decoder(cli, tmp_path):
    from decimal import Decimal

    from server.runtime import Runtime
    from server.services import catalog, runs
    from server.services.actors import SYSTEM
    from server.settings import load
    rt = Runtime.start(load())
    with rt.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        catalog.create_item(s, SYSTEM, sku="A", name="Widget", kind="finished", unit="pcs",
                            routing=["CUT"])
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("A", Decimal(4), "pcs", 12)])
    rt.engine.dispose()
    pdf = tmp_path / "labels.pdf"
    cli("labels", run["number"], "--format", "pdf", "-o", str(pdf))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    out = subprocess.run([sys.executable, "-m", "station", "decode", *pages],
                         capture_output=True, text=True, env=station_env(), check=True).stdout
    decoded = sorted(json.loads(line)["text"] for line in out.splitlines())
    assert decoded == sorted(b["code"] for b in run["batches"])


def test_labels_for_an_unknown_run_fail_clearly(cli, tmp_path):
    out = cli("labels", "PR-2026-99999", "-o", str(tmp_path / "x.pdf"), ok=False)
    assert "no run 'PR-2026-99999'" in out and not (tmp_path / "x.pdf").exists()
