"""`floorline report ...` as a quality engineer would use it, on the report chain."""

from __future__ import annotations

import csv
import json

import pypdfium2 as pdfium
import pytest

from tests.support.cli import floorline_cli


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    run = floorline_cli(monkeypatch, tmp_path / "instance", url)
    run("db", "upgrade")
    return run, url


@pytest.fixture
def chain(cli, tmp_path):
    from server.app import create_app
    from tests.conftest import make_settings
    from tests.server.api.conftest import seed_plant
    from tests.support.report_chain import build_chain

    app = create_app(make_settings(tmp_path, cli[1]))
    seed_plant(app)
    made = build_chain(app)
    app.extensions["floorline"].engine.dispose()
    return made


def test_cost_prints_the_total_the_unknown_lots_and_a_row_per_lot(cli, chain, tmp_path):
    run, _ = cli
    out = run("report", "cost", chain.serials[2], "--csv", str(tmp_path / "cost.csv"))
    lines = out.splitlines()
    assert lines[0] == (f"serial {chain.serials[2]}: material 4.75, waste and scrap 0.95, "
                        "total 5.7")
    assert lines[1] == f"cost unknown for {chain.lots['FLUX']} (left out of the total)"
    assert lines[2].split()[:3] == ["lot", "item", "item_name"]
    assert len(lines) == 6
    with (tmp_path / "cost.csv").open(newline="") as f:
        assert {r["item"]: r["total_cost"] for r in csv.DictReader(f)} == \
            {"COAT": "1.2", "FLUX": "", "STEEL": "4.5"}
    body = json.loads(run("report", "cost", chain.runs[0], "--json"))
    assert body["total"]["total_cost"] == "38"


def test_the_serial_reports_print_and_write_the_pdf(cli, chain, tmp_path):
    run, _ = cli
    trail = run("report", "quality-trail", chain.serials[2]).splitlines()
    assert len(trail) == 6 and trail[-1].split()[1] == "final"
    out = run("report", "genealogy", chain.serials[2], "--pdf", str(tmp_path / "g.pdf"))
    assert "ACME-B1" in out
    pdf = pdfium.PdfDocument(str(tmp_path / "g.pdf"))
    assert chain.serials[2] in pdf[0].get_textpage().get_text_range()
    pdf.close()


def test_material_usage_prints_orders_then_totals_and_refuses_bad_input(cli, chain):
    run, _ = cli
    lines = run("report", "material-usage", "--from", "2026-03-01", "--to", "2026-03-07"
                ).splitlines()
    assert [line.split()[0] for line in lines[1:]] == \
        ["COAT", "FLUX", "STEEL", "STEEL", "COAT", "FLUX", "STEEL"]
    assert lines[-1].split()[-1] == "0.9167"
    out = run("report", "material-usage", "--item", "NOPE", ok=False)
    assert "unknown_item" in out
    assert "unknown_code" in run("report", "cost", "NOPE-1", ok=False)
    assert "invalid_range" in run("report", "material-usage", "--from", "2026-03-07",
                                  "--to", "2026-03-01", ok=False)
