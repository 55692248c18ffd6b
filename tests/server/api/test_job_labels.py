"""A job's label over REST: every format carries the job number, and its QR decodes as a job."""

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from labels.payload import Kind, parse
from tests.labels.support import decode, pdf_text, png_image, rasterize_pdf, rasterize_svg_qr
from tests.support.job_floor import call, jewellery


@pytest.fixture
def job(client, plant_):
    gold1, _ = jewellery(client, plant_)
    made = call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "pieces": 6}], "deadline": "2099-12-31"})
    return made["number"]


def test_a_jobs_pdf_label_decodes_to_the_job_number_read_as_a_job(client, plant_, job,
                                                                   tmp_path):
    r = client.get(f"/api/v1/jobs/{job}/label.pdf", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    found = [code for page in rasterize_pdf(r.data, tmp_path) for code in decode(page)]
    assert found == [job]
    assert parse(found[0]).kind is Kind.JOB


def test_a_jobs_png_label_decodes_to_the_job(client, plant_, job):
    r = client.get(f"/api/v1/jobs/{job}/label.png", headers=plant_.auth("viewer"))
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        found = [c for name in z.namelist() for c in decode(png_image(z.read(name)))]
    assert found == [job] and parse(found[0]).kind is Kind.JOB


def test_a_jobs_svg_label_decodes_to_the_job_and_names_it(client, plant_, job):
    r = client.get(f"/api/v1/jobs/{job}/label.svg", headers=plant_.auth("viewer"))
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        svgs = [z.read(name) for name in z.namelist()]
    assert len(svgs) == 1
    # The SVG's own QR geometry, painted module by module, is what zxing-cpp reads.
    found = decode(rasterize_svg_qr(svgs[0]))
    assert found == [job] and parse(found[0]).kind is Kind.JOB
    assert job in "".join(ET.fromstring(svgs[0]).itertext())


def test_a_jobs_label_on_a_sheet_says_its_stage_pieces_and_deadline(client, plant_, job,
                                                                     tmp_path):
    r = client.get(f"/api/v1/jobs/{job}/label.pdf?layout=a4-3x8",
                   headers=plant_.auth("viewer"))
    text = pdf_text(r.data, tmp_path)
    assert job in text and "Stage FAB" in text and "Pcs 6" in text
    assert "Due 2099-12-31" in text and "Gold" in text


def test_a_jobs_zpl_label_carries_the_job_number_in_its_qr_field(client, plant_, job):
    r = client.get(f"/api/v1/jobs/{job}/label.zpl?dpi=300", headers=plant_.auth("viewer"))
    text = r.data.decode()
    assert text.count("^XA") == 1 and "^BQ" in text and job in text


def test_an_unknown_jobs_label_is_a_404(client, plant_):
    r = client.get("/api/v1/jobs/J-2026-99999/label.pdf", headers=plant_.auth("viewer"))
    assert r.status_code == 404 and r.json["code"] == "unknown_job"
