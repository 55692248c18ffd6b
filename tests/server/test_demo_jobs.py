"""The demo's jobs: `floorline demo` seeds jobs through the services, at least a dozen in every
view of /jobs, each one's balance holding, with scrap under its scrap SKU and a chain of stages."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from server import settings as settings_module
from server.demo import reset_and_seed
from server.domain.jobs import JobView
from server.domain.quantities import Dimension
from server.models import Item, Job, Lot
from server.runtime import Runtime
from server.services import job_history, job_views, stages
from server.services.job_records import balance_of

BUCKETS = ("received", "rejected", "scrapped", "waste", "pending")
UG = Decimal("0.000001")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Seed the demo as `floorline demo` does, into its own instance; yield its runtime."""
    instance = tmp_path_factory.mktemp("demo-jobs") / "instance"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FLOORLINE_INSTANCE_PATH", str(instance))
        mp.setenv("FLOORLINE_CONFIG", "/nonexistent")
        mp.delenv("FLOORLINE_DATABASE_URL", raising=False)
        _, info = reset_and_seed()
        runtime = Runtime.start(settings_module.load())
    yield runtime, info
    runtime.engine.dispose()


def test_the_demo_has_jobs_in_every_view_and_stage(demo):
    rt, info = demo
    assert len(info["jobs"]) >= 36  # a dozen completed, a dozen in each ongoing view
    assert json.loads((Path(rt.settings.instance_path) / "demo.json").read_text())["jobs"] == \
        info["jobs"]
    with rt.sessions() as s:
        for view in JobView:
            assert job_views.list_jobs(s, view=view)["total"] >= 12, view
        assert job_views.summary(s)["counts"] == {
            view.value: job_views.list_jobs(s, view=view)["total"] for view in JobView}
        statuses = set(s.scalars(select(Job.status)))
        assert {"open", "in_progress", "completed"} <= statuses
        summary = job_views.summary(s)
        assert {row["stage"] for row in summary["overview"]} == \
            {"RECV", "FAB", "ASM", "FIN", "QI"}
        assert Decimal(summary["pending_weight"]) > 0 and summary["loss_rate"] is not None
        # Every stage is served by a demo station; searching a staff member finds jobs.
        assert all(stage["stations"] for stage in stages.list_stages(s))
        assert job_views.list_jobs(s, q="kim")["total"] == 3


def test_every_demo_job_keeps_its_balance_in_pieces_and_grams(demo):
    rt, _ = demo
    with rt.sessions() as s:
        for job in s.scalars(select(Job)):
            result = balance_of(job)
            for dim, suffix in ((Dimension.COUNT, "pieces"), (Dimension.MASS, "weight")):
                amounts = result.amounts(dim)
                assert amounts["pending"] >= 0
                assert amounts["issued"] == sum(amounts[b] for b in BUCKETS), job.number
                # SQLite keeps NUMERIC as a double: the stored copy holds to a microgram.
                stored = {b: Decimal(str(getattr(job, f"{b}_{suffix}"))).quantize(UG)
                          for b in BUCKETS}
                assert stored == {b: amounts[b].quantize(UG) for b in BUCKETS}, job.number
            expected = "completed" if result.settled else (
                "in_progress" if result.received_anything else "open")
            assert job.status == expected, job.number


def test_demo_scrap_is_stocked_under_the_scrap_sku_and_jobs_chain_through_stages(demo):
    rt, _ = demo
    with rt.sessions() as s:
        scrap_items = {lot.item.sku for lot in s.scalars(select(Lot))
                       if lot.item.kind == "scrap"}
        assert {"AU750-SCRAP", "AG925-SCRAP"} <= scrap_items
        # A quality-inspection job's rings came from assembly, whose blanks came from fab.
        qi = s.scalars(select(Job).where(Job.stage.has(code="QI")).order_by(Job.id)).first()
        assert qi is not None
        timeline = job_history.history(s, qi.number)["timeline"]
        stages_in_order = list(dict.fromkeys(e["stage"]["code"] for e in timeline))
        assert stages_in_order == ["FAB", "ASM", "QI"], timeline


def test_the_jewellery_line_has_five_stages_grain_with_scrap_skus_and_melee_in_carats(demo):
    rt, _ = demo
    with rt.sessions() as s:
        assert [st["code"] for st in stages.list_stages(s)] == ["RECV", "FAB", "ASM", "FIN", "QI"]
        items = {i.sku: i for i in s.scalars(select(Item))}
        for grain, scrap in (("AU750-GRAIN", "AU750-SCRAP"), ("AG925-GRAIN", "AG925-SCRAP")):
            assert items[grain].unit == "g" and items[grain].kind == "raw_material"
            assert items[grain].scrap_item is not None
            assert items[grain].scrap_item.sku == scrap and items[scrap].kind == "scrap"
        assert items["DIA-MELEE"].unit == "ct"
        # Diamond melee is issued into a job, counted in its weight in carats.
        melee = s.scalars(select(Lot).where(Lot.item_id == items["DIA-MELEE"].id)).one()
        assert any(issue.lot_id == melee.id for job in s.scalars(select(Job))
                   for issue in job.issues)
