"""What of each ancestor went into a thing: material and the losses charged to it."""

from fractions import Fraction

from server.domain.costing import Charge, Edge, charges, forward_losses, loss_rate, parts, size
from server.domain.quantities import Quantity

LOT, RUN, B1, B2, S1, S2, OTHER, RECEIPT = range(1, 9)


def q(amount: str, unit: str) -> Quantity:
    return Quantity.of(amount, unit)


def plant(scrapped: str = "0") -> tuple[list[Edge], dict[int, Quantity]]:
    """A 20 kg lot (10 kg to the run, 5 kg elsewhere); the run makes two 4 pcs batches; B2
    makes S1 and S2 (1 pcs each) and scraps the rest."""
    edges = [Edge(RECEIPT, LOT, q("20", "kg")), Edge(LOT, RUN, q("10", "kg")),
             Edge(LOT, OTHER, q("5000", "g")), Edge(RUN, B1, q("4", "pcs")),
             Edge(RUN, B2, q("4", "pcs")), Edge(B2, S1, q("1", "pcs")),
             Edge(B2, S2, q("1", "pcs"))]
    return edges, {B2: q(scrapped, "pcs")}


def test_a_serial_takes_its_part_of_every_ancestor_by_quantity():
    edges, _ = plant()
    found = charges(edges, S1, {})
    assert found[S1] == Charge(Fraction(1), Fraction(0))
    assert found[B2] == Charge(Fraction(1, 4), Fraction(0))  # 1 of the 4 pcs that came in
    assert found[RUN] == Charge(Fraction(1, 8), Fraction(0))
    assert found[LOT] == Charge(Fraction(1, 16), Fraction(0))  # 10 of its 20 kg to the run
    assert OTHER not in found and B1 not in found


def test_losses_are_charged_to_the_good_output_that_left():
    edges, losses = plant(scrapped="2")
    found = charges(edges, S1, losses)
    # B2: 4 in, 2 scrapped, 2 serials: S1 is 1/4 of it as material and 1/4 as its scrap.
    assert found[B2] == Charge(Fraction(1, 4), Fraction(1, 4))
    assert found[LOT] == Charge(Fraction(1, 16), Fraction(1, 16))


def test_the_start_can_be_charged_what_is_lost_after_it():
    edges, losses = plant(scrapped="2")
    lost = forward_losses(edges, losses, [RUN, LOT, B1])
    assert lost == {RUN: Fraction(1, 4), LOT: Fraction(1, 8), B1: Fraction(0)}
    found = charges(edges, RUN, losses, lost[RUN])
    assert found[RUN] == Charge(Fraction(3, 4), Fraction(1, 4))
    assert found[LOT] == Charge(Fraction(3, 8), Fraction(1, 8))


def test_outgoing_quantities_that_do_not_convert_leave_the_charge_unknown():
    edges = [Edge(LOT, RUN, q("10", "kg")), Edge(RUN, S1, q("1", "pcs")),
             Edge(RUN, S2, q("2", "kg"))]
    found = charges(edges, S1, {})
    assert found[RUN] is None and found[LOT] is None


def test_grams_and_kilograms_compare_exactly():
    assert parts([q("1", "kg")], [q("400", "g"), q("0.6", "kg")], Fraction(0)) == \
        [Fraction(2, 5), Fraction(3, 5)]
    assert size([q("1", "kg")], [q("400", "g")])[1] == Fraction(1000)


def test_a_change_of_dimension_shares_only_what_was_not_lost():
    # 2 kg into a job, 0.5 kg of it wasted, 10 pcs out: each piece takes 3/40 of it.
    assert parts([q("2", "kg")], [q("10", "pcs")], Fraction(1, 4)) == [Fraction(3, 4)]
    assert loss_rate([q("2", "kg")], q("500", "g")) == Fraction(1, 4)
    assert loss_rate([q("2", "kg")], None) == 0
    assert loss_rate([q("2", "kg")], q("3", "pcs")) == 0  # nothing of that dimension came in
