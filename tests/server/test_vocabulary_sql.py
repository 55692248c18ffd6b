"""Domain vocabularies rendered for SQL: CHECK conditions and literal IN lists."""

from __future__ import annotations

from enum import StrEnum

import pytest

from server.models.base import literals, one_of, values_of


class Colour(StrEnum):  # any vocabulary will do: lots, jobs and orders use the same helper
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


def test_a_check_lists_the_values_in_the_enums_own_order():
    assert one_of("colour", Colour) == "colour IN ('red', 'green', 'blue')"
    assert one_of("colour", frozenset({Colour.BLUE, Colour.RED})) == "colour IN ('red', 'blue')"


def test_literals_are_compiled_into_the_statement():
    assert [str(v) for v in literals([Colour.GREEN])] == ["'green'"]


class Quoted(StrEnum):
    ODD = "it's"


@pytest.mark.parametrize("bad", [[], Quoted])
def test_an_empty_vocabulary_or_a_value_that_needs_quoting_is_refused(bad):
    with pytest.raises(ValueError):
        values_of(bad)
