"""The list's paging: every page, from either end, and the export give each job of a view
once, newest first (the far half of the pages is read from the oldest end)."""

from __future__ import annotations

import pytest

from server.domain.jobs import JobView
from server.domain.quantities import Quantity
from server.models.jobs import Stage
from server.services import catalog, job_views, locations, stock
from server.services.actors import SYSTEM
from tests.support.jobs import Spec, add_job

STATUSES = ["open", "in_progress", "completed", "cancelled"]


@pytest.fixture
def listed(runtime):
    """23 jobs, their statuses in turn; return the numbers of each view, newest first."""
    with runtime.transaction() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="VAULT", name="Vault")
        catalog.create_item(s, SYSTEM, sku="AU", name="Gold", kind="raw_material", unit="g")
        lot = stock.receive_lot(s, item_sku="AU", quantity=Quantity.of(500, "g"),
                                location_code="VAULT", actor=SYSTEM)
        fab = Stage(code="FAB", name="Fabrication", position=1)
        s.add(fab)
        s.flush()
        made = []
        for n in range(1, 24):
            status = STATUSES[n % 4]
            spec = Spec(f"J-2026-{n:05d}", fab, status, issued="10",
                        received="10" if status == "completed" else
                        ("4" if status == "in_progress" else "0"))
            add_job(s, spec, lot)
            made.append((spec.number, status))
    newest = made[::-1]
    return runtime, {
        JobView.ALL: [n for n, st in newest if st != "cancelled"],
        JobView.COMPLETED: [n for n, st in newest if st == "completed"],
        JobView.ONGOING: [n for n, st in newest if st in {"open", "in_progress"}],
    }


@pytest.mark.parametrize("per_page", [1, 4, 5, 17, 50])
def test_every_page_together_is_the_view_once_newest_first(listed, per_page):
    rt, views = listed
    with rt.sessions() as s:
        for view, expected in views.items():
            first = job_views.list_jobs(s, view=view, per_page=per_page)
            assert first["total"] == len(expected)
            seen = []
            for page in range(1, first["pages"] + 2):  # one past the last is empty
                got = job_views.list_jobs(s, view=view, page=page, per_page=per_page)
                assert len(got["jobs"]) <= per_page
                seen += [j["number"] for j in got["jobs"]]
            assert seen == expected, (view, per_page)


def test_the_export_gives_every_job_of_the_view_in_chunks(listed):
    rt, views = listed
    with rt.sessions() as s:
        for view, expected in views.items():
            rows = list(job_views.export_rows(s, view=view, chunk=4))
            assert [r["number"] for r in rows] == expected
