"""Labels over REST and the CLI: every printed QR decodes to exactly the run's batch codes."""

import io
import socket
import threading
import zipfile

import pytest

from tests.labels.support import decode, png_image, rasterize_pdf
from tests.server.api.conftest import seed_plant


def new_run(client, plant_, batches=7):
    spec = {"item": "FRAME", "quantity": 5, "unit": "pcs", "batches": batches}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def test_run_pdf_decodes_to_exactly_its_batch_codes(client, plant_, tmp_path):
    run = new_run(client, plant_, batches=30)
    r = client.get(f"/api/v1/runs/{run['number']}/labels.pdf", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    found = [code for page in rasterize_pdf(r.data, tmp_path) for code in decode(page)]
    assert sorted(found) == sorted(b["code"] for b in run["batches"])


def test_split_children_get_labels_and_the_parent_does_not(client, plant_, tmp_path):
    run = new_run(client, plant_, batches=2)
    parent = run["batches"][0]["code"]
    kids = client.post(f"/api/v1/batches/{parent}/split", json={"parts": 2},
                       headers=plant_.auth("operator")).json["children"]
    r = client.get(f"/api/v1/runs/{run['number']}/labels.pdf?layout=a4-3x7",
                   headers=plant_.auth("viewer"))
    found = {code for page in rasterize_pdf(r.data, tmp_path) for code in decode(page)}
    assert found == {run["batches"][1]["code"], *(k["code"] for k in kids)}


def test_png_zip_holds_one_readable_label_per_batch(client, plant_):
    run = new_run(client, plant_, batches=3)
    r = client.get(f"/api/v1/runs/{run['number']}/labels.png?layout=thermal-50x25",
                   headers=plant_.auth("viewer"))
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        found = [c for name in z.namelist() for c in decode(png_image(z.read(name)))]
    assert sorted(found) == sorted(b["code"] for b in run["batches"])


def test_zpl_carries_each_code_in_a_qr_field(client, plant_):
    run = new_run(client, plant_, batches=2)
    r = client.get(f"/api/v1/runs/{run['number']}/labels.zpl?layout=thermal-50x25&dpi=300",
                   headers=plant_.auth("viewer"))
    text = r.data.decode()
    assert text.count("^XA") == 2 and "^BQ" in text
    for batch in run["batches"]:
        assert batch["code"] in text


def test_unknown_layout_is_a_clear_error(client, plant_):
    run = new_run(client, plant_, batches=1)
    r = client.get(f"/api/v1/runs/{run['number']}/labels.pdf?layout=napkin",
                   headers=plant_.auth("viewer"))
    assert r.status_code == 400 and r.json["code"] == "unknown_layout"
    assert "a4-3x8" in r.json["message"]


def test_unknown_run_labels_are_a_404(client, plant_):
    r = client.get("/api/v1/runs/PR-2026-99999/labels.pdf", headers=plant_.auth("viewer"))
    assert r.status_code == 404 and r.json["code"] == "unknown_run"


class Listener:
    """A local TCP server standing in for a 9100 label printer."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = b""

    def serve_once(self):
        self.sock.listen(1)

        def run():
            conn, _ = self.sock.accept()
            with conn:
                while chunk := conn.recv(65536):
                    self.received += chunk
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread


@pytest.fixture
def printer_app(tmp_path, database_url):
    from server.app import create_app
    from tests.conftest import make_settings

    listener = Listener()
    printers = tmp_path / "printers.toml"
    printers.write_text(
        f'[printers.zebra]\nkind = "raw9100"\nhost = "127.0.0.1"\nport = {listener.port}\n'
        'format = "zpl"\nlayout = "thermal-50x25"\ntimeout = 2\n')
    app = create_app(make_settings(tmp_path, database_url, printers_file=str(printers)))
    yield app, listener
    app.extensions["floorline"].engine.dispose()


def test_printing_to_an_offline_printer_keeps_the_job_until_retry(printer_app):
    app, listener = printer_app
    plant = seed_plant(app)
    client = app.test_client()
    run = new_run(client, plant, batches=2)
    # Nothing listens yet: the printer refuses the connection.
    r = client.post(f"/api/v1/runs/{run['number']}/print", json={"printer": "zebra"},
                    headers=plant.auth("planner"))
    assert r.status_code == 502 and r.json["code"] == "printer_unavailable"
    assert r.json["detail"]["kept"] is True
    pending = client.get("/api/v1/print-jobs", headers=plant.auth("viewer")).json
    assert len(pending) == 1 and pending[0]["printer"] == "zebra"
    thread = listener.serve_once()
    r = client.post("/api/v1/print-jobs/retry", headers=plant.auth("operator"))
    assert r.status_code == 200 and len(r.json["sent"]) == 1, r.json
    thread.join(5)
    assert all(b["code"].encode() in listener.received for b in run["batches"])
    assert client.get("/api/v1/print-jobs", headers=plant.auth("viewer")).json == []


def test_unknown_printer_is_a_404(client, plant_):
    run = new_run(client, plant_, batches=1)
    r = client.post(f"/api/v1/runs/{run['number']}/print", json={"printer": "nope"},
                    headers=plant_.auth("planner"))
    assert r.status_code == 404 and r.json["code"] == "unknown_printer"
