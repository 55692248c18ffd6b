"""Mass attribution: shares through splits and merges, forward and back, exactly."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from server.domain.attribution import (
    Direction,
    Flow,
    amount_of,
    as_decimal,
    attribute,
    base,
    depths,
    start_total,
    weights,
)
from server.domain.quantities import Quantity

FWD, BACK = Direction.FORWARD, Direction.BACK
amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3)
mass_units = st.sampled_from(["g", "kg", "ct", "oz", "lb"])
masses = st.builds(lambda a, u: Quantity(a, u), amounts, mass_units)


def kg(amount):
    return Quantity(Decimal(amount), "kg")


def test_a_split_gives_each_child_its_part_of_the_parent():
    flows = [Flow(1, 2, kg(2)), Flow(1, 3, kg(3)), Flow(1, 4, kg(5))]
    assert attribute(flows, 1, FWD) == {1: 1, 2: Fraction(1, 5), 3: Fraction(3, 10),
                                       4: Fraction(1, 2)}


def test_a_merge_gives_the_merged_batch_all_of_each_inputs_share():
    flows = [Flow(1, 2, kg(2)), Flow(1, 3, kg(3)), Flow(1, 4, kg(5)),
             Flow(2, 5, kg(2)), Flow(3, 5, kg(3))]
    shares = attribute(flows, 1, FWD)
    assert shares[5] == Fraction(1, 2) and shares[4] == Fraction(1, 2)


def test_back_from_a_merge_each_input_owes_its_part():
    flows = [Flow(2, 5, kg(2)), Flow(3, 5, kg(3)), Flow(1, 2, kg(2)), Flow(1, 3, kg(3))]
    assert attribute(flows, 5, BACK) == {5: 1, 2: Fraction(2, 5), 3: Fraction(3, 5), 1: 1}


def test_quantities_in_other_units_weigh_by_their_mass():
    assert weights([Quantity(Decimal(400), "g"), kg("0.6")]) == [Fraction(2, 5), Fraction(3, 5)]


def test_an_edge_of_nothing_carries_no_share_and_leaves_the_others_known():
    # A job given back its whole issue keeps the edge at 0; nothing went that way.
    given_back = [Flow(1, 2, kg(0)), Flow(2, 3, Quantity(Decimal(4), "pcs"))]
    assert attribute(given_back, 1, FWD) == {1: 1, 2: 0, 3: 0}
    mixed = [Flow(1, 2, kg(3)), Flow(1, 3, Quantity(Decimal(0), "pcs"))]
    assert attribute(mixed, 1, FWD) == {1: 1, 2: 1, 3: 0}


def test_quantities_that_do_not_convert_leave_the_share_unknown():
    flows = [Flow(1, 2, kg(2)), Flow(1, 3, Quantity(Decimal(4), "pcs")), Flow(2, 4, kg(1))]
    shares = attribute(flows, 1, FWD)
    assert shares[1] == 1 and shares[2] is shares[3] is shares[4] is None
    assert start_total(flows, 1, FWD) is None


def test_the_start_total_and_amounts_are_in_the_starts_unit():
    flows = [Flow(1, 2, kg(2)), Flow(1, 3, Quantity(Decimal(3000), "g"))]
    total = start_total(flows, 1, FWD)
    assert total == kg(5)
    assert amount_of(Fraction(3, 5), total) == kg(3)
    assert amount_of(None, total) is None


def test_depth_is_the_fewest_steps_from_the_start():
    flows = [Flow(1, 2, kg(1)), Flow(2, 3, kg(1)), Flow(1, 3, kg(1)), Flow(3, 4, kg(1))]
    assert depths(flows, 1, FWD) == {1: 0, 2: 1, 3: 1, 4: 2}
    assert depths(flows, 4, BACK) == {4: 0, 3: 1, 2: 2, 1: 2}


def test_a_chain_deeper_than_twenty_keeps_the_whole_share():
    flows = [Flow(i, i + 1, kg(1)) for i in range(50)]
    assert attribute(flows, 0, FWD)[50] == 1 and depths(flows, 0, FWD)[50] == 50


@given(st.lists(masses, min_size=1, max_size=5), st.lists(masses, min_size=2, max_size=8))
def test_forward_shares_out_of_a_split_sum_to_the_parents_share(siblings, parts):
    # 0 sends part of the start to 1 (and the rest to siblings); 1 splits into parts.
    flows = [Flow(0, 1, parts[0])] + [Flow(0, 100 + i, q) for i, q in enumerate(siblings)]
    flows += [Flow(1, 10 + i, q) for i, q in enumerate(parts)]
    shares = attribute(flows, 0, FWD)
    assert sum(shares[10 + i] for i in range(len(parts))) == shares[1]
    assert shares[1] + sum(shares[100 + i] for i in range(len(siblings))) == 1


@given(st.lists(masses, min_size=2, max_size=8))
def test_through_a_split_and_a_merge_of_all_parts_the_share_returns_to_one(parts):
    flows = [Flow(1, 10 + i, q) for i, q in enumerate(parts)]
    flows += [Flow(10 + i, 99, q) for i, q in enumerate(parts)]
    shares = attribute(flows, 1, FWD)
    assert shares[99] == 1
    assert attribute(flows, 99, BACK)[1] == 1


@given(st.lists(masses, min_size=1, max_size=8), st.lists(masses, max_size=4))
def test_backward_shares_of_the_roots_parents_sum_to_one(inputs, upstream):
    flows = [Flow(10 + i, 1, q) for i, q in enumerate(inputs)]
    # Grandparents feeding the first parent do not change what the root owes each parent.
    flows += [Flow(100 + i, 10, q) for i, q in enumerate(upstream)]
    shares = attribute(flows, 1, BACK)
    assert sum(shares[10 + i] for i in range(len(inputs))) == 1
    if upstream:
        assert sum(shares[100 + i] for i in range(len(upstream))) == shares[10]


def test_a_lot_that_passed_on_part_of_itself_keeps_the_rest():
    # Lot 1 received 5 kg and issued 2 kg to run 2, which made two batches of 30 and 70 pcs.
    flows = [Flow(1, 2, kg(2)), Flow(2, 3, Quantity(Decimal(30), "pcs")),
             Flow(2, 4, Quantity(Decimal(70), "pcs"))]
    came_in = {1: [kg(5)], 2: [kg(2)], 3: [Quantity(Decimal(30), "pcs")]}
    shares = attribute(flows, 1, FWD, came_in)
    assert shares[2] == Fraction(2, 5)
    assert shares[3] == Fraction(2, 5) * Fraction(3, 10)
    total = start_total(flows, 1, FWD, came_in[1])
    assert total == kg(5)
    assert amount_of(shares[3], total) == kg("0.6")


def test_back_from_a_batch_with_material_issued_to_it_owes_each_dimension_whole():
    # Batch 3 came as 50 pcs from run 2 and took 1 kg of lot 1 at a station; the run took
    # 2 kg of lot 1 and 6 kg of lot 4.
    flows = [Flow(2, 3, Quantity(Decimal(50), "pcs")), Flow(1, 3, kg(1)),
             Flow(1, 2, kg(2)), Flow(4, 2, kg(6))]
    shares = attribute(flows, 3, BACK)
    assert shares[2] == 1 and shares[4] == Fraction(3, 4)
    assert shares[1] == 1 + Fraction(1, 4)  # the whole of its kilograms, and a quarter of the run's


@given(st.lists(masses, min_size=1, max_size=6), masses)
def test_forward_a_node_passes_on_what_left_it_over_what_came_in(outs, extra):
    # The node received what it passed on plus extra (still on hand), in another unit.
    flows = [Flow(0, 10 + i, q) for i, q in enumerate(outs)]
    left = sum((base(q)[1] for q in outs), Fraction(0))
    size = left + base(extra)[1] + 1  # in grams: always more than was passed on
    came_in = {0: [Quantity(as_decimal(size / 1000), "kg")]}
    shares = attribute(flows, 0, FWD, came_in)
    passed = sum(shares[10 + i] for i in range(len(outs)))
    assert passed == left / base(came_in[0][0])[1]
    assert 0 < passed < 1
