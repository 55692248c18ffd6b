from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import GenealogyError
from server.domain.genealogy import MergeInput, merge, split, split_evenly
from server.domain.quantities import Quantity


def q(amount, unit="kg"):
    return Quantity.of(amount, unit)


def test_split_children_must_sum_to_the_parent():
    with pytest.raises(GenealogyError, match="sum to 9 kg, not 10 kg"):
        split(q(10), [q(4), q(5)])


def test_split_accepts_children_in_another_unit():
    assert split(q(1), [q(400, "g"), q(600, "g")]) == [q("0.4"), q("0.6")]


def test_split_needs_two_positive_children():
    with pytest.raises(GenealogyError):
        split(q(10), [q(10)])
    with pytest.raises(GenealogyError, match="greater than zero"):
        split(q(10), [q(10), q(0)])


def test_pieces_split_evenly_into_whole_pieces():
    assert [c.amount for c in split_evenly(q(40, "pcs"), 3)] == [13, 13, 14]


def test_one_piece_cannot_be_split_in_three():
    with pytest.raises(GenealogyError):
        split_evenly(q(1, "pcs"), 3)


@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=6),
       parts=st.integers(min_value=2, max_value=50))
def test_even_split_sums_exactly(amount, parts):
    parent = q(amount)
    children = split_evenly(parent, parts)
    assert sum(c.amount for c in children) == parent.amount
    assert all(c.amount > 0 for c in children)


def test_merge_sums_same_item_at_same_step():
    total = merge([MergeInput("A", q(2), 1), MergeInput("A", q(500, "g"), 1)])
    assert total == Quantity(Decimal("2.500000"), "kg")


def test_merge_refuses_different_items_or_steps():
    with pytest.raises(GenealogyError, match="same item"):
        merge([MergeInput("A", q(1), 0), MergeInput("B", q(1), 0)])
    with pytest.raises(GenealogyError, match="same step"):
        merge([MergeInput("A", q(1), 0), MergeInput("A", q(1), 1)])
