"""The demo's shipments: two customers, an order shipped in full and one in part, one open at
the packing station, every shipped serial and lot linked to its shipment in the graph."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.models import GenealogyEdge, GenealogyNode
from server.runtime import Runtime
from server.seed import seed
from server.seed_trace import seed_trace
from server.services import packing, sales, shipments
from tests.conftest import make_settings


@pytest.fixture
def demo(tmp_path, sqlite_url):
    runtime = Runtime.start(make_settings(tmp_path, sqlite_url))
    with runtime.transaction() as s:
        plant = seed(s)
        made = seed_trace(s, acme_order=plant.order, materials=plant.lots)
    yield runtime, plant, made
    runtime.engine.dispose()


def test_the_demo_ships_to_two_customers_and_keeps_one_shipment_open(demo):
    runtime, plant, made = demo
    with runtime.sessions() as s:
        got = [shipments.shipment_dict(s, shipments.shipment_by_number(s, n))
               for n in made.shipments]
        assert [(g["customer"], g["status"]) for g in got] == \
            [("NORD", "shipped"), ("ACME", "shipped"), ("ACME", "open")]
        assert packing.station_shipment(s, "pack-1")["shipment"]["number"] == made.shipments[2]
        nord = sales.order_by_number(s, got[0]["order"])
        assert nord.status == "shipped"
        assert sales.order_by_number(s, plant.order).status == "in_production"
        shipped = s.scalars(select(GenealogyEdge.parent_kind).join(
            GenealogyNode, GenealogyNode.id == GenealogyEdge.child_id).where(
            GenealogyNode.kind == "shipment", GenealogyEdge.relation == "ship")).all()
        assert sorted(shipped) == ["lot"] + ["serial"] * 5
