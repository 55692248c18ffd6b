"""The stock service on each backend: lots, the ledger, issues, moves, adjustments, status."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from server.domain.errors import QuantityError, StockError, TransitionError
from server.domain.quantities import Quantity
from server.errors import BadRequest, Conflict, NotFound
from server.models import AuditRecord, Lot, StockMovement
from server.models.inventory import AppendOnlyError
from server.services import runs, stock
from server.services.actors import SYSTEM
from server.services.stock import Target
from tests.support.lines import cut_weld_line
from tests.support.stock import lot_of, store


@pytest.fixture
def plant(runtime):
    """The store plus a run of one batch of F."""
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
    return run["number"], run["batches"][0]["code"]


def kg(amount):
    return Quantity.of(amount, "kg")


def received(runtime, amount=5, **extra):
    with runtime.transaction() as s:
        return lot_of(s, amount, **extra).number


def held(runtime, number):
    with runtime.sessions() as s:
        lot = stock.lot_by_number(s, number)
        return stock.on_hand(s, lot), lot.status


def test_a_received_lot_has_a_generated_number_and_its_quantity_on_hand(runtime, plant):
    number = received(runtime, "12.5")
    assert number.startswith(f"L-{datetime.now(UTC).year}-")
    assert held(runtime, number) == (kg("12.5"), "available")
    with runtime.sessions() as s:
        lot = stock.lot_by_number(s, number)
        assert (lot.location.code, lot.bin, lot.unit_cost) == ("RAW", "A-01", Decimal("2.5"))


def test_a_lot_received_in_grams_is_kept_in_the_items_unit(runtime, plant):
    with runtime.transaction() as s:
        lot = stock.receive_lot(s, item_sku="STEEL", quantity=Quantity.of(2500, "g"),
                                location_code="RAW", actor=SYSTEM)
        number = lot.number
    assert held(runtime, number) == (kg("2.5"), "available")


def test_a_suppliers_lot_number_is_kept_and_never_reused(runtime, plant):
    assert received(runtime, lot_number="ACME-4711") == "ACME-4711"
    with pytest.raises(Conflict) as err:
        received(runtime, lot_number="ACME-4711")
    assert err.value.code == "lot_exists"


@pytest.mark.parametrize(("qty", "error"), [(kg(0), QuantityError),
                                           (Quantity.of(3, "pcs"), QuantityError)])
def test_a_lot_is_not_received_with_a_bad_quantity(runtime, plant, qty, error):
    with pytest.raises(error), runtime.transaction() as s:
        stock.receive_lot(s, item_sku="STEEL", quantity=qty, location_code="RAW", actor=SYSTEM)


def test_an_unknown_location_is_refused(runtime, plant):
    with pytest.raises(NotFound) as err, runtime.transaction() as s:
        stock.receive_lot(s, item_sku="STEEL", quantity=kg(1), location_code="NOPE",
                          actor=SYSTEM)
    assert err.value.code == "unknown_location"


def test_issuing_part_of_a_lot_to_a_run_leaves_the_rest(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        move = stock.issue(s, number, Target("run", plant[0]), kg(2), actor=SYSTEM)
        assert (move.kind, move.quantity, move.record) == ("issue", Decimal(-2),
                                                           f"run:{plant[0]}")
    assert held(runtime, number) == (kg(3), "available")


def test_issuing_all_on_hand_to_a_batch_consumes_the_lot(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.issue(s, number, Target("batch", plant[1]), actor=SYSTEM)
    assert held(runtime, number) == (kg(0), "consumed")


@pytest.mark.parametrize(("prepare", "code"), [
    (lambda s, n: stock.set_status(s, n, "quarantined", actor=SYSTEM), "lot_quarantined"),
    (lambda s, n: stock.scrap(s, n, reason="rust", actor=SYSTEM), "lot_consumed"),
])
def test_a_lot_that_is_not_available_is_refused_and_nothing_is_written(runtime, plant,
                                                                        prepare, code):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        prepare(s, number)
    before = movements(runtime)
    with pytest.raises(StockError) as err, runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), kg(1), actor=SYSTEM)
    assert err.value.code == code
    assert movements(runtime) == before


def test_an_expired_lot_is_refused(runtime, plant):
    number = received(runtime, 5, expiry=date(2026, 1, 31))
    with pytest.raises(StockError) as err, runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), kg(1), actor=SYSTEM,
                    at=datetime(2026, 2, 1, 8, tzinfo=UTC))
    assert err.value.code == "lot_expired"


def test_more_than_on_hand_is_refused(runtime, plant):
    number = received(runtime, 5)
    with pytest.raises(StockError) as err, runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), kg(6), actor=SYSTEM)
    assert err.value.code == "insufficient_stock"
    assert held(runtime, number) == (kg(5), "available")


def test_an_unknown_lot_or_target_is_refused(runtime, plant):
    number = received(runtime, 5)
    for lot, target, code in (("L-1999-000001", Target("run", plant[0]), "unknown_lot"),
                              (number, Target("run", "PR-1999-00001"), "unknown_target"),
                              (number, Target("job", "J-1"), "unknown_target")):
        with pytest.raises(NotFound) as err, runtime.transaction() as s:
            stock.issue(s, lot, target, kg(1), actor=SYSTEM)
        assert err.value.code == code


def test_a_move_changes_the_place_not_the_quantity(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.move(s, number, location_code="LINE", bin="B-07", actor=SYSTEM)
    with runtime.sessions() as s:
        lot = stock.lot_by_number(s, number)
        assert (lot.location.code, lot.bin, stock.on_hand(s, lot)) == ("LINE", "B-07", kg(5))
        row = s.scalars(select(StockMovement).where(StockMovement.kind == "move")).one()
        assert (row.from_bin, row.to_bin, row.quantity) == ("A-01", "B-07", 0)
    with pytest.raises(BadRequest) as err, runtime.transaction() as s:
        stock.move(s, number, location_code="LINE", bin="B-07", actor=SYSTEM)
    assert err.value.code == "same_place"


def test_an_adjustment_needs_a_reason_and_never_goes_below_zero(runtime, plant):
    number = received(runtime, 5)
    with pytest.raises(BadRequest) as err, runtime.transaction() as s:
        stock.adjust(s, number, kg(-1), reason=" ", actor=SYSTEM)
    assert err.value.code == "reason_required"
    with pytest.raises(StockError) as stock_err, runtime.transaction() as s:
        stock.adjust(s, number, kg(-6), reason="count", actor=SYSTEM)
    assert stock_err.value.code == "insufficient_stock"
    with runtime.transaction() as s:
        stock.adjust(s, number, kg("-0.5"), reason="count", actor=SYSTEM)
    assert held(runtime, number) == (kg("4.5"), "available")


def test_an_adjustment_that_finds_stock_in_a_consumed_lot_makes_it_available(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), actor=SYSTEM)
        stock.adjust(s, number, kg("0.2"), reason="found offcut", actor=SYSTEM)
    assert held(runtime, number) == (kg("0.2"), "available")


def test_status_goes_through_the_table(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.set_status(s, number, "quarantined", actor=SYSTEM, reason="certificate missing")
        stock.set_status(s, number, "available", actor=SYSTEM, reason="certificate came")
    with pytest.raises(StockError) as err, runtime.transaction() as s:
        stock.set_status(s, number, "archived", actor=SYSTEM)
    assert err.value.code == "lot_not_empty"
    with pytest.raises(BadRequest), runtime.transaction() as s:
        stock.set_status(s, number, "shipped", actor=SYSTEM)
    with runtime.transaction() as s:
        stock.scrap(s, number, reason="rust", actor=SYSTEM)
        stock.set_status(s, number, "archived", actor=SYSTEM)
    with pytest.raises(TransitionError), runtime.transaction() as s:
        stock.set_status(s, number, "available", actor=SYSTEM)


def test_every_change_is_audited(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), kg(2), actor=SYSTEM)
    with runtime.sessions() as s:
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.entity_key == number)
                            .order_by(AuditRecord.id)).all()
        assert actions == ["lot.receive", "lot.issue"]
        rows = s.scalars(select(StockMovement).order_by(StockMovement.id)).all()
        assert all(r.audit_id is not None for r in rows)


def test_stock_movements_are_never_updated_or_deleted(runtime, plant):
    number = received(runtime, 5)
    with pytest.raises(AppendOnlyError), runtime.transaction() as s:
        s.scalars(select(StockMovement)).one().quantity = Decimal(50)
    with pytest.raises(AppendOnlyError), runtime.transaction() as s:
        s.delete(s.scalars(select(StockMovement)).one())
    # Past the ORM too: the database's own triggers refuse it.
    for sql in ("UPDATE stock_movements SET quantity = 50", "DELETE FROM stock_movements"):
        with pytest.raises(DBAPIError), runtime.transaction() as s:
            s.execute(text(sql))
    assert held(runtime, number) == (kg(5), "available")


def test_the_database_refuses_a_movement_against_the_sign_rule(runtime, plant):
    number = received(runtime, 5)
    with pytest.raises(DBAPIError), runtime.transaction() as s:
        lot = stock.lot_by_number(s, number)
        s.add(StockMovement(lot=lot, kind="issue", quantity=Decimal(3), unit="kg",
                            actor="x"))
        s.flush()


def movements(runtime):
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(StockMovement))


def test_lots_are_listed_with_a_lot_row(runtime, plant):
    received(runtime, 5)
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Lot)) == 1


def edges(runtime):
    from server.models import GenealogyEdge, GenealogyNode
    with runtime.sessions() as s:
        parent, child = GenealogyNode, GenealogyNode.__table__.alias()
        rows = s.execute(select(parent.code, GenealogyEdge.relation, child.c.code,
                                GenealogyEdge.quantity, GenealogyEdge.unit)
                         .join(GenealogyEdge, GenealogyEdge.parent_id == parent.id)
                         .join(child, child.c.id == GenealogyEdge.child_id)
                         .where(GenealogyEdge.relation.in_(["receive", "issue"]))
                         .order_by(GenealogyEdge.id))
        return [tuple(r) for r in rows]


def test_an_issue_writes_a_lot_to_target_edge_with_its_quantity(runtime, plant):
    number = received(runtime, 5)
    with runtime.transaction() as s:
        stock.issue(s, number, Target("run", plant[0]), kg(2), actor=SYSTEM)
        stock.issue(s, number, Target("batch", plant[1]), actor=SYSTEM)
    assert edges(runtime) == [(number, "issue", plant[0], Decimal(2), "kg"),
                              (number, "issue", plant[1], Decimal(3), "kg")]


def test_a_receipt_passes_its_node_and_gets_a_receive_edge(runtime, plant):
    from server.domain.genealogy import NodeKind
    from server.services import genealogy
    with runtime.transaction() as s:
        receipt = genealogy.node(s, NodeKind.RECEIPT, "R-1")
        number = lot_of(s, 4, source_node=receipt).number
    assert edges(runtime) == [("R-1", "receive", number, Decimal(4), "kg")]
