"""floorline-station decodes files, and runs without Flask, SQLAlchemy or the server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import cv2
import pytest

from station.cli import main
from station.config import load_config, parse_source_spec
from station.errors import ConfigError
from tests.station.conftest import TOKEN
from tests.station.degradations import glare, inverted
from tests.station.harness import ServerProcess, station_env
from tests.station.labels import blank_frame, frame_with
from tests.station.server_records import applied_codes

REPO = Path(__file__).resolve().parents[2]

BLOCKER = textwrap.dedent("""
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("flask", "flask_socketio", "sqlalchemy", "server"):
                raise ImportError(f"station must not import {name}")
            return None
    sys.meta_path.insert(0, Block())
""")


def write_labels(folder: Path) -> list[Path]:
    """Write a label image with two codes and one with none."""
    folder.mkdir(exist_ok=True)
    two, none = folder / "a-two.png", folder / "b-none.png"
    cv2.imwrite(str(two), frame_with(["B-1", "B-2"]))
    cv2.imwrite(str(none), blank_frame())
    return [two, none]


def test_decode_prints_one_json_line_per_code(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    two, none = write_labels(tmp_path)
    assert main(["decode", str(two), str(none)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(line["text"] for line in lines) == ["B-1", "B-2"]
    assert all(line == {"file": str(two), "text": line["text"], "symbology": "QRCode",
                        "pass": "fast"} for line in lines)


def test_decode_runs_the_whole_cascade_and_reports_the_pass_that_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    etched, glared = tmp_path / "etched.png", tmp_path / "glare.png"
    cv2.imwrite(str(etched), inverted(frame_with(["B-ETCHED"])))
    cv2.imwrite(str(glared), glare(frame_with(["PR-2026-00003-B01"]), 3))
    assert main(["decode", str(etched), str(glared)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["text"], line["pass"]) for line in lines] == [
        ("B-ETCHED", "inverted"), ("PR-2026-00003-B01", "binarise")]
    assert main(["decode", "--decoder", "zxing", str(etched)]) == 0
    assert capsys.readouterr().out == ""  # the fast pass alone cannot read an etched mark


def test_decode_exits_non_zero_when_a_file_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two, _ = write_labels(tmp_path)
    (tmp_path / "broken.png").write_bytes(b"not an image")
    code = main(["decode", str(tmp_path / "missing.png"), str(tmp_path / "broken.png"), str(two)])
    captured = capsys.readouterr()
    assert code != 0
    assert "missing.png" in captured.err and "broken.png" in captured.err
    assert len(captured.out.splitlines()) == 2  # the readable file was still decoded


def test_decode_can_use_the_pyzbar_backend(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    two, _ = write_labels(tmp_path)
    assert main(["decode", "--decoder", "pyzbar", str(two)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_example_config_loads_and_documents_every_source_kind() -> None:
    config = load_config(REPO / "config" / "station.example.toml")
    assert {s.kind for s in config.sources} == {"camera", "hid", "serial", "stdin", "images"}
    assert config.formats == ("QRCode",)
    assert config.suppression_seconds == 2.0
    assert (config.decoder, config.frame_budget_ms) == ("cascade", 30.0)


def test_flags_override_the_config_file(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('[server]\nurl = "http://a:1"\ntoken = "t"\n[decoding]\nbackend = "pyzbar"\n')
    config = load_config(toml, {"server_url": "http://b:2", "token": None})
    assert (config.server_url, config.token, config.decoder) == ("http://b:2", "t", "pyzbar")


def test_unknown_config_keys_and_sources_are_config_errors(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text("[link]\nheartbeat = 3\n")
    with pytest.raises(ConfigError):
        load_config(toml)
    with pytest.raises(ConfigError):
        parse_source_spec("webcam:0")
    assert parse_source_spec("serial:/dev/ttyUSB0@115200").options == {
        "port": "/dev/ttyUSB0", "baud": 115200}
    assert parse_source_spec("camera:rtsp://cam/1").options == {"device": "rtsp://cam/1"}


def test_agent_runs_where_flask_sqlalchemy_and_server_cannot_be_imported(
    tmp_path: Path, server: ServerProcess
) -> None:
    labels = write_labels(tmp_path / "labels")
    script = BLOCKER + textwrap.dedent(f"""
        import station.cli
        try:
            import flask
        except ImportError:
            pass
        else:
            raise SystemExit("blocker failed")
        sys.exit(station.cli.main([
            "--server", {server.url!r}, "--token", {TOKEN!r},
            "--source", "images:{labels[0].parent}", "--outbox", {str(tmp_path / "o.sqlite")!r},
            "--exit-when-drained"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], env=station_env(), timeout=60,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(applied_codes(server.db)) == ["B-1", "B-2"]
    modules = subprocess.run(
        [sys.executable, "-c", BLOCKER + "import station.cli, station.assembly, "
         "station.simulator, station.sources.hid, station.sources.serial; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in "
         "('flask', 'sqlalchemy', 'server')))"],
        env=station_env(), capture_output=True, text=True, timeout=60, check=True)
    assert modules.stdout.strip() == "[]"
