"""The production paths a new user follows: gunicorn from deploy/, an agent on a folder of
label images, automatic label printing."""

import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests
import socketio

from tests.server.test_nginx import wait_healthy
from tests.station.harness import free_port, station_env
from tests.support.sockets import close_in_background

REPO = Path(__file__).resolve().parents[2]


def test_gunicorn_with_the_deploy_config_serves_scans_over_websockets(tmp_path, sqlite_url):
    from tests.server_process import FloorlineServer

    seeded = FloorlineServer(tmp_path / "instance", sqlite_url)
    seeded.instance.mkdir(parents=True)
    plant = seeded.seed()
    port = free_port()
    env = {**station_env(), "FLOORLINE_BIND": f"127.0.0.1:{port}",
           "FLOORLINE_DATABASE_URL": sqlite_url, "FLOORLINE_INSTANCE_PATH": str(seeded.instance),
           "FLOORLINE_CONFIG": "/nonexistent", "FLOORLINE_LOG_LEVEL": "warning"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                             str(REPO / "deploy" / "gunicorn.conf.py"), "server.wsgi:app"],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        headers = {"Authorization": f"Bearer {plant.admin_token}"}
        code = requests.get(f"{url}/api/v1/runs/{plant.runs[0]}", headers=headers,
                            timeout=5).json()["batches"][0]["code"]
        client = socketio.Client(reconnection=False)
        client.connect(url, namespaces=["/station"], transports=["websocket"],
                       auth={"token": plant.station_tokens["cut-1"]}, wait_timeout=10)
        ack = client.call("scan", {"event_id": str(uuid.uuid4()), "code": code,
                                   "scanned_at": datetime.now(UTC).isoformat()},
                          namespace="/station", timeout=10)
        close_in_background(client)
        assert ack["outcome"] == "accepted" and client.eio.transport() == "websocket"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_an_agent_on_a_folder_of_label_images_advances_those_batches(floorline_server,
                                                                    tmp_path):
    srv = floorline_server
    run = srv.api("GET", f"/runs/{srv.plant.runs[1]}").json()
    zipped = srv.api("GET", f"/runs/{run['number']}/labels.png?layout=thermal-50x25").content
    folder = tmp_path / "labels"
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        z.extractall(folder)
    assert len(list(folder.glob("*.png"))) == len(run["batches"])
    agent = subprocess.run(
        [sys.executable, "-m", "station", "run", "--server", srv.url,
         "--token", srv.plant.station_tokens["cut-1"], "--source", f"images:{folder}",
         "--outbox", str(tmp_path / "outbox.sqlite"), "--exit-when-drained"],
        env=station_env(), capture_output=True, text=True, timeout=120)
    assert agent.returncode == 0, agent.stdout + agent.stderr
    after = srv.api("GET", f"/runs/{run['number']}").json()
    assert {b["step"] for b in after["batches"]} == {"QC"}
    assert after["status"] == "in_progress"


def test_new_runs_print_their_labels_on_the_automatic_printer(tmp_path, sqlite_url):
    from server.app import create_app
    from tests.conftest import make_settings
    from tests.server.api.conftest import seed_plant
    from tests.server.api.test_labels import Listener

    listener = Listener()
    printers = tmp_path / "printers.toml"
    printers.write_text(
        f'[printers.line]\nkind = "raw9100"\nhost = "127.0.0.1"\nport = {listener.port}\n'
        'format = "zpl"\nlayout = "thermal-50x25"\n')
    app = create_app(make_settings(tmp_path, sqlite_url, printers_file=str(printers),
                                   auto_print="line"))
    plant = seed_plant(app)
    thread = listener.serve_once()
    run = app.test_client().post("/api/v1/runs", headers=plant.auth("planner"), json={
        "lines": [{"item": "FRAME", "quantity": 2, "unit": "pcs", "batches": 3}]}).json
    thread.join(10)
    assert listener.received.count(b"^XA") == 3
    assert all(b["code"].encode() in listener.received for b in run["batches"])
    app.extensions["floorline"].engine.dispose()


def test_the_example_config_documents_every_setting():
    import tomllib
    from dataclasses import fields

    from server.settings import Settings
    documented = tomllib.loads((REPO / "config" / "server.example.toml").read_text())["server"]
    assert set(documented) == {f.name for f in fields(Settings)} - {"extra"}


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    from server.settings import load
    config = tmp_path / "server.toml"
    config.write_text('[server]\nscan_repeat_window = 5.0\nlive_public = true\n')
    monkeypatch.setenv("FLOORLINE_SCAN_REPEAT_WINDOW", "1.5")
    monkeypatch.setenv("FLOORLINE_INSTANCE_PATH", str(tmp_path / "i"))
    settings = load(config)
    assert settings.scan_repeat_window == 1.5 and settings.live_public is True
    assert settings.database_url.startswith("sqlite:///") and settings.secret_key


