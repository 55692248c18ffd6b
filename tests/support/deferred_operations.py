"""Build schemathesis' test of each API operation when it runs, not when pytest collects it.

schemathesis.pytest builds every operation's Hypothesis test, coverage cases and examples
included, while it collects: some 25-35 s of CPU, paid again by every xdist worker, since each
collects all items though it runs only its share. After `defer_operation_builds()` collection
hands out a stand-in with the built test's signature (so fixtures resolve as before), and
`build_deferred(item)`, called before the item is set up, puts the real test in its place:
built by schemathesis as before, so its plugin and Hypothesis' see what they always saw.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from schemathesis.pytest import _test_builder

_build_now = _test_builder.build_operation_test


def _deferred_build(*, test_func: Callable[..., Any], given_kwargs: dict[str, Any],
                    **options: Any) -> Callable[..., Any]:
    """Return a stand-in for `build_operation_test(...)` that builds on first need."""
    built: list[Callable[..., Any]] = []

    def build() -> Callable[..., Any]:
        if not built:
            built.append(_build_now(test_func=test_func, given_kwargs=given_kwargs, **options))
        return built[0]

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return build()(*args, **kwargs)  # only if an item ran without build_deferred

    # Hypothesis fills `case` and any given argument; pytest supplies the rest as fixtures.
    drawn = {"case", *given_kwargs}
    signature = inspect.signature(test_func)
    stand_in.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name not in drawn])
    stand_in.__name__ = test_func.__name__
    stand_in.deferred_build = build  # type: ignore[attr-defined]
    return stand_in


def defer_operation_builds() -> None:
    """Make schemathesis.pytest collect operations with stand-ins (see the module docstring)."""
    _test_builder.build_operation_test = _deferred_build


def is_deferred(item: pytest.Item) -> bool:
    """Tell whether the item still holds a stand-in."""
    return isinstance(item, pytest.Function) and hasattr(item.obj, "deferred_build")


def build_deferred(item: pytest.Item) -> None:
    """Put the operation's real test in place of its stand-in."""
    if is_deferred(item):
        item.obj = item.obj.deferred_build()  # type: ignore[attr-defined]
