"""Quality trail and genealogy report of a serial over REST, JSON, CSV and PDF."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

import pypdfium2 as pdfium
import pytest

from tests.support.report_chain import build_chain


@pytest.fixture
def chain(app, plant_):
    return build_chain(app)


def get(client, plant_, path):
    return client.get(f"/api/v1/reports/{path}", headers=plant_.auth("supervisor"))


def test_the_trail_of_a_merged_serial_has_receipts_both_inputs_checks_and_final(
        client, plant_, chain):
    r = get(client, plant_, f"quality-trail/{chain.serials[2]}")
    assert r.status_code == 200, r.json
    assert (r.json["serial"], r.json["item"]) == (chain.serials[2], "FRAME")
    trail = [(row["stage"], row["subject"], row["step"], row["inspector"], row["result"],
              row["defects"]) for row in r.json["rows"]]
    acme = f"{chain.lots['STEEL']} {chain.lots['FLUX']}"
    assert trail == [
        ("receipt", " ".join(sorted(acme.split())), None, "ines", "pass", ""),
        ("receipt", chain.lots["COAT"], None, "ines", "conditional", "2 dented tins"),
        ("step", chain.batches["b2"], "CUT", "quinn", "pass", "0"),
        ("step", chain.batches["m"], "WELD", "quinn", "conditional", "1"),
        ("final", chain.batches["m"], None, "quinn", "pass", "0"),
    ]
    first = r.json["rows"][0]
    assert first["where"] == f"{chain.receipts[0]} (ACME)"
    assert first["at"] == "2026-03-02T08:30:00+00:00"
    assert r.json["rows"][3]["where"] == "weld-1"
    assert r.json["rows"][3]["notes"] == "one weld porous, scrapped"


def test_the_trail_of_the_other_half_leaves_out_checks_of_batches_it_never_met(
        client, plant_, chain):
    rows = get(client, plant_, f"quality-trail/{chain.serials[0]}").json["rows"]
    assert [(r["stage"], r["subject"]) for r in rows] == [
        ("receipt", rows[0]["subject"]), ("receipt", chain.lots["COAT"]),
        ("final", chain.batches["b1a"])]


def test_the_trail_as_csv_parses(client, plant_, chain):
    r = get(client, plant_, f"quality-trail/{chain.serials[2]}.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [row["stage"] for row in rows] == ["receipt", "receipt", "step", "step", "final"]
    assert rows[3]["notes"] == "one weld porous, scrapped"


@pytest.mark.parametrize("report", ["quality-trail", "genealogy"])
def test_only_serials_have_a_trail_or_a_genealogy_report(client, plant_, chain, report,
                                                         row_counts):
    before = row_counts()
    for code in ("FRM-2099-0101-0001", chain.batches["m"], chain.lots["STEEL"], "=1+1"):
        for suffix in ("", ".csv", ".pdf" if report == "genealogy" else ""):
            r = get(client, plant_, f"{report}/{code}{suffix}")
            assert r.status_code == 404 and r.json["code"] == "unknown_code", (code, suffix)
    assert row_counts() == before


def test_the_genealogy_report_names_the_serial_its_materials_steps_and_checks(
        client, plant_, chain):
    r = get(client, plant_, f"genealogy/{chain.serials[2]}")
    assert r.status_code == 200, r.json
    head = r.json["serial"]
    assert (head["code"], head["item"], head["completed_at"], head["inspector"],
            head["result"], head["batch"], head["run"], head["location"]) == \
        (chain.serials[2], "FRAME", "2026-03-02T15:00:00+00:00", "quinn", "pass",
         chain.batches["m"], chain.runs[0], "FG")
    materials = {m["item"]: m for m in r.json["materials"]}
    assert {k: (m["supplier"], m["supplier_batch"], m["quantity"], m["unit"])
            for k, m in materials.items()} == {
        "COAT": ("PAINTCO", "PC-7", "60", "g"), "FLUX": ("ACME", "ACME-F9", "12", "g"),
        "STEEL": ("ACME", "ACME-B1", "1.5", "kg")}
    assert materials["STEEL"]["certificate"] == "CERT-881"
    assert sum(Fraction(m["share"]) for m in materials.values()) == 1
    steps = [(s["batch"], s["operation"], s["station"], s["operator"], s["duration_s"],
              s["scrapped"]) for s in r.json["steps"]]
    m, b2 = chain.batches["m"], chain.batches["b2"]
    assert steps == [(b2, "CUT", "cut-1", "ana", "1200", "0"),
                     (m, "CUT", "cut-1", "ana", "1200", "0"),
                     (m, "WELD", "weld-1", "bo", "1200", "1"),
                     (m, "PAINT", "paint-1", "cy", "1200", "0")]
    assert [c["stage"] for c in r.json["quality_checks"]] == \
        ["receipt", "receipt", "step", "step", "final"]


def test_the_genealogy_csv_holds_its_three_tables_by_section(client, plant_, chain):
    r = get(client, plant_, f"genealogy/{chain.serials[2]}?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [row["section"] for row in rows].count("material") == 3
    assert [row["section"] for row in rows].count("step") == 4
    assert [row["section"] for row in rows].count("check") == 5


@pytest.mark.parametrize("suffix", [".pdf", "?format=pdf"])
def test_the_genealogy_pdf_renders_with_the_serial_and_its_supplier_batches(
        client, plant_, chain, suffix):
    r = get(client, plant_, f"genealogy/{chain.serials[2]}{suffix}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(r.data)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    for expected in (chain.serials[2], "ACME-B1", "PC-7", "CERT-881", "quinn", "weld-1",
                     "Materials", "Timeline of steps", "Quality checks"):
        assert expected in text, expected
    pdf.close()


def test_a_completion_without_an_inspection_row_is_its_own_final_inspection(
        app, client, plant_, chain):
    from tests.support.report_chain import add_job

    job, serials = add_job(app, chain)
    rows = get(client, plant_, f"quality-trail/{serials[0]}").json["rows"]
    assert [(r["stage"], r["subject_kind"], r["subject"]) for r in rows] == [
        ("receipt", "lot", chain.lots["COAT"]), ("final", "job", job)]
    assert (rows[-1]["result"], rows[-1]["notes"], rows[-1]["at"]) == \
        ("conditional", "colour slightly off", "2026-03-04T08:00:00+00:00")
    head = get(client, plant_, f"genealogy/{serials[0]}").json["serial"]
    assert (head["job"], head["batch"], head["run"]) == (job, None, None)
