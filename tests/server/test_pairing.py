"""Pairing a kiosk by a one-time code: stored hashed, used once, refused when old."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.errors import Conflict, Forbidden
from server.models import KioskPairing, utcnow
from server.services import catalog, pairing, plant
from server.services.actors import SYSTEM, Actor


@pytest.fixture
def stations(runtime):
    with runtime.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        plant.create_station(s, SYSTEM, name="cut-1", operation="CUT")
        plant.create_station(s, SYSTEM, name="cut-2", operation="CUT")
    return runtime


def make(runtime, name="cut-1", **kw):
    with runtime.transaction() as s:
        code, _ = pairing.create_code(s, SYSTEM, name, minutes=10, **kw)
    return code


def use(runtime, code, name="cut-1", **kw):
    with runtime.transaction() as s:
        return pairing.pair_by_code(s, name, code, **kw)


def test_a_pairing_code_is_stored_only_as_its_hash(stations):
    code = make(stations)
    with stations.sessions() as s:
        row = s.scalars(select(KioskPairing)).one()
    assert row.code_hash == pairing.code_hash(code) and code not in row.code_hash
    assert len(code) == 11 and code[5] == "-"


def test_a_pairing_code_pairs_its_station_once(stations):
    code = make(stations)
    name, stamp = use(stations, code.lower().replace("-", ""))  # typed loosely: still the code
    assert name == "cut-1" and len(stamp) == 16
    with pytest.raises(Conflict) as err:
        use(stations, code)
    assert err.value.code == "pairing_code_used"


def test_an_expired_pairing_code_is_refused(stations):
    code = make(stations, now=utcnow() - timedelta(minutes=11))
    with pytest.raises(Conflict) as err:
        use(stations, code)
    assert err.value.code == "pairing_code_expired"


def test_a_code_pairs_no_other_station_and_a_guess_pairs_none(stations):
    code = make(stations)
    for name, guess in (("cut-2", code), ("cut-1", "ABCDE-FGHJK"), ("cut-1", "")):
        with pytest.raises(Forbidden):
            use(stations, guess, name)
    assert use(stations, code)[0] == "cut-1"


def test_a_new_code_ends_the_station_s_earlier_one(stations):
    first = make(stations)
    second = make(stations)
    with pytest.raises(Conflict):
        use(stations, first)
    assert use(stations, second)[0] == "cut-1"


def test_only_an_admin_makes_pairing_codes(stations):
    with stations.transaction() as s, pytest.raises(Forbidden):
        pairing.create_code(s, Actor("sam", "supervisor"), "cut-1", minutes=10)


def test_the_code_is_read_from_the_pairing_url_or_taken_bare():
    url = "https://floor.example/kiosk/cut-1/pair?code=ABCDE-FGHJK"
    assert pairing.code_from(url) == "ABCDE-FGHJK"
    assert pairing.code_from("  ABCDE-FGHJK \n") == "ABCDE-FGHJK"
