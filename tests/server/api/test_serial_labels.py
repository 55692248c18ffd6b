"""Serial labels decode back to the serial: a PNG label read by zxing-cpp, and a completion's
PDF sheet rasterised, every QR on it read and recognised by the scan path as a serial."""

from __future__ import annotations

import io
import zipfile

import pytest

from labels.payload import Kind, parse
from tests.labels.support import decode, png_image, rasterize_pdf
from tests.support.completions import complete, done_batch
from tests.support.receiving import receiving_plant


@pytest.fixture
def serials(app, client, plant_):
    receiving_plant(app)
    code = done_batch(client, plant_)
    answer = complete(client, plant_, code, quantity_completed=3).json
    return answer["completion"]["id"], [s["code"] for s in answer["serials"]]


def test_a_serial_png_label_decodes_to_its_code_read_as_a_serial(client, plant_, serials):
    _, codes = serials
    r = client.get(f"/api/v1/serials/{codes[0]}/label.png?dpi=300", headers=plant_.auth("viewer"))
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as archive:
        (name,) = archive.namelist()
        image = png_image(archive.read(name))
    (text,) = decode(image)
    assert text == codes[0]
    payload = parse(text)
    assert (payload.kind, payload.code) == (Kind.SERIAL, codes[0])


def test_a_completion_label_sheet_holds_every_serial(client, plant_, serials, tmp_path):
    completion, codes = serials
    r = client.get(f"/api/v1/completions/{completion}/labels.pdf", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    found = [text for page in rasterize_pdf(r.data, tmp_path) for text in decode(page)]
    assert sorted(found) == sorted(codes)


def test_an_unknown_serials_label_is_a_404(client, plant_, serials):
    r = client.get("/api/v1/serials/FRAME-2026-0101-9999/label.zpl", headers=plant_.auth("viewer"))
    assert r.status_code == 404 and r.json["code"] == "unknown_code"
