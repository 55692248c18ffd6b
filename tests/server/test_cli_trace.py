"""`floorline trace back|forward CODE` as a quality engineer would use it."""

import json
from decimal import Decimal

import pytest

from tests.support.cli import floorline_cli


@pytest.fixture
def cli(tmp_path, monkeypatch):
    run = floorline_cli(monkeypatch, tmp_path / "instance", f"sqlite:///{tmp_path}/cli.sqlite")
    run("db", "upgrade")
    return run


@pytest.fixture
def floor(cli):
    """A run of one 12 kg batch split 2 + 4 + 6, its 2 and 4 kg merged again."""
    from server.runtime import Runtime
    from server.services import batches, catalog, runs
    from server.services.actors import SYSTEM
    from server.settings import load
    rt = Runtime.start(load())
    with rt.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        catalog.create_item(s, SYSTEM, sku="ROD", name="Rod", kind="semi_finished", unit="kg",
                            routing=["CUT"])
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("ROD", Decimal(12), "kg", 1)])
        first = run["batches"][0]["code"]
        kids = [c["code"] for c in batches.split_batch(
            s, SYSTEM, first, quantities=[Decimal(2), Decimal(4), Decimal(6)])["children"]]
        merged = batches.merge_batches(s, SYSTEM, kids[:2])["batch"]["code"]
    rt.engine.dispose()
    return run["number"], first, kids, merged


def test_trace_forward_prints_an_indented_tree_with_relation_quantity_and_share(cli, floor):
    number, first, kids, merged = floor
    lines = cli("trace", "forward", number).splitlines()
    assert lines[0] == f"run {number}  forward, 12 kg"
    assert lines[1] == f"  produce 12 kg -> batch {first}  share 1 = 12 kg"
    assert f"    split 2 kg -> batch {kids[0]}  share 1/6 = 2 kg" in lines
    assert f"      merge 2 kg -> batch {merged}  share 1/2 = 6 kg" in lines
    assert f"      merge 4 kg -> batch {merged}  (see above)" in lines


def test_trace_back_with_json_prints_the_api_body(cli, floor):
    number, first, kids, merged = floor
    body = json.loads(cli("trace", "back", merged, "--json"))
    assert body["direction"] == "back"
    assert {n["code"]: n["share"] for n in body["nodes"]} == \
        {merged: "1", kids[0]: "1/3", kids[1]: "2/3", first: "1", number: "1"}


def test_trace_of_an_unknown_code_says_so(cli):
    assert "unknown_code" in cli("trace", "back", "NOPE", ok=False)
