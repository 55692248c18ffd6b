"""The audit API on each backend: entries with hashes, the chain's verdict, and chain records
that cannot be deleted (409 chain_record, nothing written)."""

import pytest
from sqlalchemy import text

API = "/api/v1"


@pytest.fixture
def floor(client, plant_):
    """A run of ROD (one batch) and a 5 kg lot of ROD in MAIN/RAW."""
    planner = plant_.auth("planner")
    assert client.post(f"{API}/warehouses", json={"code": "MAIN", "name": "Main"},
                       headers=planner).status_code == 201
    assert client.post(f"{API}/locations", json={"warehouse": "MAIN", "code": "RAW",
                                                 "name": "Raw"}, headers=planner).status_code == 201
    run = client.post(f"{API}/runs", json={"lines": [{"item": "ROD", "quantity": 2,
                                                       "unit": "kg", "batches": 1}]},
                      headers=planner).json
    lot = client.post(f"{API}/lots", json={"item": "ROD", "quantity": "5", "unit": "kg",
                                           "location": "RAW"}, headers=planner).json
    return {"run": run["number"], "batch": run["batches"][0]["code"], "lot": lot["number"]}


def test_a_supervisor_lists_entries_newest_first_with_their_hashes(client, plant_, floor):
    r = client.get(f"{API}/audit?entity_type=lot&key={floor['lot']}",
                   headers=plant_.auth("supervisor"))
    assert r.status_code == 200, r.json
    [entry] = r.json["entries"]
    assert (entry["action"], entry["entity_key"], entry["actor"]) == ("lot.receive",
                                                                      floor["lot"], "planner")
    assert len(entry["hash"]) == 64 and len(entry["prev_hash"]) == 64
    everything = client.get(f"{API}/audit?per_page=500", headers=plant_.auth("admin")).json
    seqs = [e["seq"] for e in everything["entries"]]
    assert seqs == sorted(seqs, reverse=True) and everything["total"] == len(seqs)
    by_seq = {e["seq"]: e for e in everything["entries"]}
    assert all(by_seq[s]["prev_hash"] == by_seq[s - 1]["hash"] for s in seqs if s > 1)
    page = client.get(f"{API}/audit?per_page=2&page=2", headers=plant_.auth("admin")).json
    assert [e["seq"] for e in page["entries"]] == seqs[2:4] and page["pages"] > 1


def test_the_list_is_for_supervisors_and_verify_for_admins(client, plant_):
    assert client.get(f"{API}/audit", headers=plant_.auth("operator")).status_code == 403
    assert client.get(f"{API}/audit/verify", headers=plant_.auth("supervisor")).status_code == 403
    assert client.get(f"{API}/audit").status_code == 401


@pytest.mark.parametrize("query", ["page=0", "per_page=501", "page=x", "key=" + "k" * 65,
                                   "entity_type=a%00b", "colour=red"])
def test_a_bad_list_query_is_a_clear_4xx(client, plant_, query):
    r = client.get(f"{API}/audit?{query}", headers=plant_.auth("admin"))
    assert 400 <= r.status_code < 500 and r.json["code"]


def test_an_injection_string_as_key_finds_nothing(client, plant_, floor):
    r = client.get(f"{API}/audit?key=' OR 1=1 --", headers=plant_.auth("admin"))
    assert r.status_code == 200 and r.json["entries"] == [] and r.json["total"] == 0


def test_verify_answers_ok_then_names_an_entry_edited_in_the_database(client, plant_, floor,
                                                                    app):
    ok = client.get(f"{API}/audit/verify", headers=plant_.auth("admin")).json
    assert ok["ok"] is True and ok["message"] == f"audit chain OK: {ok['count']} entries"
    rt = app.extensions["floorline"]
    with rt.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_records_no_update")
        victim = conn.execute(text("SELECT id FROM audit_records WHERE action = 'lot.receive'")
                              ).scalar_one()
        conn.execute(text("UPDATE audit_records SET reason = 'nothing to see' WHERE id = :id"),
                     {"id": victim})
    bad = client.get(f"{API}/audit/verify", headers=plant_.auth("admin")).json
    assert bad["ok"] is False
    assert (bad["broken"]["id"], bad["broken"]["problem"]) == (victim, "content changed")
    assert bad["broken"]["entity_key"] == floor["lot"]


def delete_urls(floor, audit_id):
    return [f"{API}/lots/{floor['lot']}", f"{API}/batches/{floor['batch']}",
            f"{API}/runs/{floor['run']}", f"{API}/audit/{audit_id}"]


def test_deleting_a_chain_record_is_refused_with_archive_it_instead_writing_nothing(
        client, plant_, floor, row_counts, app):
    with app.extensions["floorline"].sessions() as s:
        audit_id = s.execute(text("SELECT MIN(id) FROM audit_records")).scalar_one()
    before = row_counts()
    for url in delete_urls(floor, audit_id):
        for _ in range(2):  # and twice: the same answer
            r = client.delete(url, headers=plant_.auth("admin"))
            assert r.status_code == 409, (url, r.json)
            assert r.json["code"] == "chain_record"
            assert "archive it instead" in r.json["message"]
    lot = client.delete(f"{API}/lots/{floor['lot']}", headers=plant_.auth("admin")).json
    assert lot["detail"]["instead"].startswith("set its status to archived")
    assert row_counts() == before
    assert client.get(f"{API}/lots/{floor['lot']}", headers=plant_.auth("viewer")).status_code \
        == 200


@pytest.mark.parametrize("url", [
    "/lots/L-1999-000001", "/batches/B-1999-000001", "/runs/PR-1999-00001", "/jobs/J-1",
    "/serials/X-2026-0101-0001", "/completions/1", "/completions/abc", "/quality-checks/1",
    "/receipts/RC-1999-00001", "/shipments/SH-2026-00001", "/audit/999999",
    "/audit/99999999999999999999999", "/batches/' OR 1=1 --"])
def test_deleting_an_unknown_record_is_a_404_writing_nothing(client, plant_, row_counts, url):
    before = row_counts()
    r = client.delete(f"{API}{url}", headers=plant_.auth("admin"))
    assert r.status_code == 404 and r.json["code"] in ("unknown_code", "not_found")
    assert row_counts() == before


def test_a_viewer_may_not_even_try_to_delete(client, plant_, floor, row_counts):
    before = row_counts()
    assert client.delete(f"{API}/lots/{floor['lot']}",
                         headers=plant_.auth("viewer")).status_code == 403
    assert row_counts() == before
