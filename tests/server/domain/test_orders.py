"""A sales order's status flow."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.domain.orders import (
    CLOSED,
    FOLLOWS_RUNS,
    TRANSITIONS,
    OrderStatus,
    following_runs,
    following_shipments,
    next_statuses,
)


def test_an_order_moves_from_estimate_to_shipped_or_is_cancelled():
    assert next_statuses(OrderStatus.ESTIMATE) == [OrderStatus.CONFIRMED, OrderStatus.CANCELLED]
    assert next_statuses(OrderStatus.IN_PRODUCTION) == [OrderStatus.SHIPPED]
    assert all(not TRANSITIONS[s] for s in CLOSED)


@given(st.sampled_from(OrderStatus), st.booleans())
def test_only_open_orders_follow_their_runs(status, live):
    after = following_runs(status, live_runs=live)
    if status in FOLLOWS_RUNS:
        assert after is (OrderStatus.IN_PRODUCTION if live else OrderStatus.CONFIRMED)
    else:
        assert after is status


@given(st.sampled_from(OrderStatus), st.booleans())
def test_an_open_order_is_shipped_once_everything_on_it_has_shipped(status, full):
    after = following_shipments(status, fully_shipped=full)
    assert after is (OrderStatus.SHIPPED if status in FOLLOWS_RUNS and full else status)

