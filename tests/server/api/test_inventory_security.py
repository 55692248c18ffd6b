"""The inventory, receiving and trace surface under attack: roles, injection, limits, races."""

from __future__ import annotations

import pytest

from tests.support.receiving import SCAN, receiving_plant

LOTS = "/api/v1/lots"


@pytest.fixture
def store(app, client, plant_):
    """Racks RACK-A/B, supplier STEELCO, a run of ROD, and lot L1 (5 kg of ROD) in RACK-A."""
    receiving_plant(app)
    planner = plant_.auth("planner")
    run = client.post("/api/v1/runs", json={"lines": [{"item": "ROD", "quantity": 2,
                                                       "unit": "kg", "batches": 1}]},
                      headers=planner).json
    lot = client.post(LOTS, json={"item": "ROD", "quantity": "5", "unit": "kg",
                                  "location": "RACK-A", "lot_number": "L1"}, headers=planner)
    assert lot.status_code == 201, lot.json
    receipt = client.post("/api/v1/receipts", json={"supplier": "STEELCO", "lines": [
        {"item": "ROD", "quantity": "1", "location": "RACK-A"}]}, headers=planner)
    assert receipt.status_code == 201, receipt.json
    return {"run": run["number"], "batch": run["batches"][0]["code"], "plant": plant_,
            "receipt": receipt.json["number"]}


def writes(store) -> list[tuple[str, str, dict]]:
    """Every write of the new surface, with a body that a planner's call would accept."""
    return [
        ("POST", "/api/v1/warehouses", {"code": "W2", "name": "Second"}),
        ("POST", "/api/v1/locations", {"warehouse": "MAIN", "code": "LOC-9", "name": "x"}),
        ("POST", LOTS, {"item": "ROD", "quantity": "1", "unit": "kg", "location": "RACK-A"}),
        ("POST", f"{LOTS}/L1/issue", {"target": {"kind": "run", "code": store["run"]},
                                      "quantity": "1"}),
        ("POST", f"{LOTS}/L1/status", {"status": "quarantined"}),
        ("POST", f"{LOTS}/L1/move", {"location": "RACK-B"}),
        ("POST", f"{LOTS}/L1/adjust", {"quantity": "-1", "reason": "count"}),
        ("POST", f"{LOTS}/L1/scrap", {"quantity": "1", "reason": "rust"}),
        ("POST", "/api/v1/suppliers", {"code": "ALU", "name": "Alu"}),
        ("PATCH", "/api/v1/suppliers/STEELCO", {"name": "Renamed"}),
        ("POST", "/api/v1/receipts", {"supplier": "STEELCO", "lines": [
            {"item": "ROD", "quantity": "1", "location": "RACK-A"}]}),
        ("POST", f"/api/v1/receipts/{store['receipt']}/inspection", {"result": "fail"}),
        ("PUT", "/api/v1/items/FRAME/gtin", {"gtin": "12345670"}),
    ]


@pytest.mark.parametrize("who", ["viewer", "operator", "supervisor", "station"])
def test_every_inventory_write_refuses_callers_below_planner(client, store, row_counts, who):
    plant = store["plant"]
    headers = plant.station("cut-1") if who == "station" else plant.auth(who)
    before = row_counts()
    for method, url, body in writes(store):
        r = client.open(url, method=method, json=body, headers=headers)
        assert r.status_code == 403, (method, url, r.status_code, r.json)
    assert row_counts() == before


def test_every_inventory_write_works_for_a_planner(client, store):
    """The other half of the role test: the bodies above are good, so a 403 means the role."""
    for method, url, body in writes(store):
        r = client.open(url, method=method, json=body, headers=store["plant"].auth("planner"))
        assert r.status_code in (200, 201), (method, url, r.json)


def test_a_browser_session_write_without_its_csrf_token_is_refused(
        client, store, admin_password, row_counts):
    r = client.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password})
    csrf = {"X-CSRF-Token": r.json["csrf_token"]}
    before = row_counts()
    for method, url, body in writes(store):
        r = client.open(url, method=method, json=body)
        assert r.status_code == 403 and r.json["code"] == "csrf_failed", (url, r.json)
        r = client.open(url, method=method, json=body, headers={"X-CSRF-Token": "wrong"})
        assert r.status_code == 403 and r.json["code"] == "csrf_failed", (url, r.json)
    assert row_counts() == before
    r = client.post(f"{LOTS}/L1/status", json={"status": "quarantined"}, headers=csrf)
    assert r.status_code == 200


# Each case below is refused and writes nothing, so one plant serves a whole list of them
# (a fresh plant per case cost a second each and told nothing more).
def test_reading_the_inventory_needs_a_login(client, store):
    for url in (LOTS, f"{LOTS}/L1", "/api/v1/suppliers", "/api/v1/receipts",
                "/api/v1/warehouses", "/api/v1/locations", "/api/v1/trace/L1"):
        r = client.get(url)
        assert r.status_code == 401 and r.json["code"] == "unauthorized", url


def test_like_wildcards_in_the_lot_search_match_themselves(client, store):
    for text in ("%", "_", "\\", "L_", "%1"):
        r = client.get(LOTS, query_string={"q": text}, headers=store["plant"].auth("viewer"))
        assert r.status_code == 200 and r.json == [], text


def test_a_lot_search_finds_a_percent_sign_only_where_there_is_one(client, store):
    auth = store["plant"].auth("planner")
    made = client.post(LOTS, json={"item": "ROD", "quantity": "1", "unit": "kg",
                                   "location": "RACK-A", "lot_number": "50%OFF_1"}, headers=auth)
    assert made.status_code == 201, made.json
    for q in ("%", "0%O", "_1", "F_"):
        found = [lot["number"] for lot in client.get(LOTS, query_string={"q": q},
                                                     headers=auth).json]
        assert found == ["50%OFF_1"], q


@pytest.mark.parametrize("number", ["L'1;--", "x'OR'1'='1", "a\"b", "L1%", "L_1", "50%2F1",
                                    "a\\b", "<script>", "a?b#c", "A/B"])
def test_sql_and_url_metacharacters_in_lot_numbers_are_kept_literally(client, store, number):
    auth = store["plant"].auth("planner")
    made = client.post(LOTS, json={"item": "ROD", "quantity": "2", "unit": "kg",
                                   "location": "RACK-A", "lot_number": number}, headers=auth)
    assert made.status_code == 201, made.json
    from urllib.parse import quote
    path = "/".join(quote(part, safe="") for part in number.split("/"))
    got = client.get(f"{LOTS}/{path}", headers=auth)
    assert got.status_code == 200 and got.json["number"] == number
    r = client.post(f"{LOTS}/{path}/adjust", json={"quantity": "1", "reason": "found"},
                    headers=auth)
    assert r.status_code == 200 and r.json["on_hand"] == "3"
    assert client.get(f"{LOTS}/L1", headers=auth).json["on_hand"] == "5"


def test_lot_numbers_with_path_segments_a_browser_rewrites_are_refused(
        client, store, row_counts):
    """A browser folds /lots/A/../L1 into /lots/L1: such a lot's page would show another lot."""
    before = row_counts()
    for number in ("..", ".", "A/../L1", "A/./B", "A//B", "A/", "../L1", "A/.."):
        r = client.post(LOTS, json={"item": "ROD", "quantity": "1", "unit": "kg",
                                    "location": "RACK-A", "lot_number": number},
                        headers=store["plant"].auth("planner"))
        assert r.status_code == 400, (number, r.json)
        assert r.json["code"] in ("invalid_lot_number", "invalid_input"), number
        assert row_counts() == before, number


def test_path_tricks_in_the_lot_url_find_no_lot_and_never_crash(client, store):
    for path in ("..%2FL1", "%2e%2e/L1", "L1%00", "L1%2500", "%00", "L1/..",
                 "L1%2F..%2F..%2Fsuppliers", "L1/../L1"):
        r = client.get(f"{LOTS}/{path}", headers=store["plant"].auth("viewer"))
        assert r.status_code in (404, 400), (path, r.status_code)
        assert r.is_json, path


def test_a_4_kib_lot_url_is_a_clean_404(client, store):
    r = client.get(f"{LOTS}/{'A' * 4096}", headers=store["plant"].auth("viewer"))
    assert r.status_code == 404 and r.is_json


def test_hostile_trace_codes_are_a_clean_4xx(client, store):
    from urllib.parse import quote
    for code in ("'; DROP TABLE lots;--", "%", "_", "lot:%", "kind:", ":", "lot:", "A" * 4096,
                 "nul\x00", "esc\x1b[2J", "\u202eevil", "batch:%25", "x" * 70_000):
        r = client.get(f"/api/v1/trace/{quote(code, safe='')}",
                       headers=store["plant"].auth("viewer"))
        assert 400 <= r.status_code < 500, (code[:20], r.status_code)
        assert r.is_json, code[:20]


def test_hostile_gs1_strings_are_a_clean_4xx(client, store):
    for text in ("]d2\x0001" + "0" * 14, "\x1b[31m01" + "0" * 14, "01" + "9" * 10_000,
                 "10" + "A" * 499, "\u202e01", "(01)09501101530003(10)" + "X" * 470,
                 "\x1d" * 500, "3102" + "9" * 496, "17991399"):
        r = client.post("/api/v1/gs1/parse", json={"text": text},
                        headers=store["plant"].auth("viewer"))
        assert r.status_code in (400, 422), (text[:20], r.status_code, r.json)
        assert r.is_json and "code" in r.json, text[:20]


def test_a_good_gs1_string_parses(client, store):
    r = client.post("/api/v1/gs1/parse", json={"text": SCAN},
                    headers=store["plant"].auth("viewer"))
    assert r.status_code == 200 and r.json["lot"] == "HEAT-4711"


ABUSED_AMOUNTS = ["1e999999", "NaN", "Infinity", "-0", "0", "1" * 40, "0.0000001", "1e3", " 1",
                  "1_000", "٣", 1e308, 10**40, -(10**40), True, None, [], {}]


@pytest.mark.parametrize("route", ["issue", "adjust", "scrap", "receive", "receipt"])
def test_decimal_abuse_is_refused_and_writes_nothing(client, store, row_counts, route):
    before = row_counts()
    for amount in ABUSED_AMOUNTS:
        # No quantity: all on hand for an issue or a scrap, a missing field for an adjustment.
        if amount is None and route in ("issue", "scrap", "adjust"):
            continue
        body, url = {
            "issue": ({"target": {"kind": "run", "code": store["run"]}, "quantity": amount},
                      f"{LOTS}/L1/issue"),
            "adjust": ({"quantity": amount, "reason": "x"}, f"{LOTS}/L1/adjust"),
            "scrap": ({"quantity": amount, "reason": "x"}, f"{LOTS}/L1/scrap"),
            "receive": ({"item": "ROD", "quantity": amount, "unit": "kg",
                         "location": "RACK-A"}, LOTS),
            "receipt": ({"supplier": "STEELCO", "lines": [
                {"item": "ROD", "quantity": amount, "location": "RACK-A"}]}, "/api/v1/receipts"),
        }[route]
        r = client.post(url, json=body, headers=store["plant"].auth("planner"))
        assert r.status_code in (400, 422), (route, amount, r.status_code, r.json)
        assert row_counts() == before, (route, amount)


def test_signed_adjustment_abuse_is_refused(client, store, row_counts):
    before = row_counts()
    for amount in ("-0", "-0.0", "-1" + "0" * 39, "-1e5", "--1", "-NaN", "- 1", -0.0):
        r = client.post(f"{LOTS}/L1/adjust", json={"quantity": amount, "reason": "x"},
                        headers=store["plant"].auth("planner"))
        assert r.status_code in (400, 422), (amount, r.status_code, r.json)
        assert row_counts() == before, amount


def test_a_receipt_of_10000_lines_is_refused_without_writing(client, store, row_counts):
    before = row_counts()
    lines = [{"item": "ROD", "quantity": "1", "location": "RACK-A"}] * 10_000
    r = client.post("/api/v1/receipts", json={"supplier": "STEELCO", "lines": lines},
                    headers=store["plant"].auth("planner"))
    assert r.status_code in (400, 413), r.status_code
    assert row_counts() == before


def test_an_oversized_body_is_a_json_413(client, store, row_counts):
    before = row_counts()
    r = client.post("/api/v1/suppliers", data='{"code": "A", "name": "' + "x" * 2_000_000 + '"}',
                    headers={"Content-Type": "application/json",
                             **store["plant"].auth("planner")})
    assert r.status_code == 413 and r.is_json
    assert row_counts() == before


def test_lot_list_paging_abuse_is_a_clean_400(client, store):
    for query in ({"limit": "0"}, {"limit": "1001"}, {"limit": "-1"}, {"offset": "-1"},
                  {"offset": "9" * 30}, {"limit": "1e3"}, {"limit": "abc"},
                  {"status": "'; DROP"}, {"q": "x" * 101}, {"nope": "1"}):
        r = client.get(LOTS, query_string=query, headers=store["plant"].auth("viewer"))
        assert r.status_code == 400 and r.json["code"] == "invalid_input", (query, r.json)


def test_a_huge_offset_within_64_bits_is_an_empty_page(client, store):
    r = client.get(LOTS, query_string={"offset": str(2**63 - 1)},
                   headers=store["plant"].auth("viewer"))
    assert r.status_code == 200 and r.json == []


def test_odd_list_filters_never_crash(client, store):
    for url in ("/api/v1/receipts?supplier=%25", "/api/v1/suppliers?active=%00",
                "/api/v1/receipts?supplier=" + "x" * 5000, "/api/v1/locations?warehouse=%00"):
        r = client.get(url, headers=store["plant"].auth("viewer"))
        assert r.status_code in (200, 400, 404) and r.is_json, url[:40]


def test_the_same_receipt_posted_twice_makes_two_receipts_with_their_own_lots(client, store):
    """No idempotency key: a double submit is two receipts (the page disables its button)."""
    body = {"supplier": "STEELCO", "invoice_number": "INV-1", "lines": [
        {"item": "ROD", "quantity": "1", "location": "RACK-A", "lot_number": "SUP-1"}]}
    auth = store["plant"].auth("planner")
    first = client.post("/api/v1/receipts", json=body, headers=auth)
    again = client.post("/api/v1/receipts", json=body, headers=auth)
    assert first.status_code == 201
    # The lot number is the guard: the second receipt is refused as a whole.
    assert again.status_code == 409 and again.json["code"] == "lot_exists"


XSS = "<img/src=x/onerror=alert(1)>"  # a valid lot number: printable, without spaces


def test_markup_in_lot_numbers_and_supplier_names_is_escaped_on_the_pages(
        client, store, admin_password):
    auth = store["plant"].auth("planner")
    made = client.post(LOTS, json={"item": "ROD", "quantity": "1", "unit": "kg",
                                   "location": "RACK-A", "lot_number": XSS, "bin": XSS,
                                   "supplier_batch": XSS}, headers=auth)
    assert made.status_code == 201, made.json
    assert client.patch("/api/v1/suppliers/STEELCO", json={"name": "<script>x()</script>"},
                        headers=auth).status_code == 200
    client.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password})
    from urllib.parse import quote
    for url in (f"/inventory/lots/{quote(XSS, safe='')}", f"/trace/{quote(XSS, safe='')}",
                "/inventory", "/receiving", f"/receiving/{store['receipt']}",
                "/setup/suppliers"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<img/src" not in page.text and "<script>x()" not in page.text, url


def test_a_lot_number_with_a_slash_can_be_traced(client, store):
    auth = store["plant"].auth("planner")
    assert client.post(LOTS, json={"item": "ROD", "quantity": "1", "unit": "kg",
                                   "location": "RACK-A", "lot_number": "HB/77"},
                       headers=auth).status_code == 201
    for path in ("HB/77", "HB%2F77", "lot:HB%2F77"):
        r = client.get(f"/api/v1/trace/{path}", headers=auth)
        assert r.status_code == 200 and r.json["start"] == {"kind": "lot", "code": "HB/77"}
