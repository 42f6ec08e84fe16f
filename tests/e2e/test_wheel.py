"""The built wheel is a working install: prompts and knowledge base inside, `negoprep` runs from anywhere.

Offline: the wheel is built without build isolation, installed with `--no-deps --no-index` into a fresh
venv, and that venv then sees the current environment's packages (a `.pth` line) for its dependencies.
The case is prepared against the loopback stub (recorded) and then replayed from the cassette alone.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from pipeline.testing.stub_server import StubServer
from tests.conftest import DATA, ROOT

SOURCES = ("pyproject.toml", "README.md", "agents", "pipeline", "prompts", "knowledge_base")


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args[:3]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources, so no earlier build's leftovers end up in it."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", str(out)], source)
    return next(out.glob("negoprep-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel alone; its dependencies come from the current environment."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], env_dir)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "current-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return env_dir / "bin"


def test_wheel_ships_prompts_knowledge_base_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = {n for n in names if n.startswith("prompts/") and n.endswith(".md")}
    assert {"prompts/extractor.md", "prompts/challenger.md", "prompts/profiler.md", "prompts/merge.md"} <= prompts
    assert len([n for n in names if n.startswith("knowledge_base/") and n.endswith(".md")]) == \
        len(list((ROOT / "knowledge_base").glob("*.md")))
    templates = {n for n in names if n.endswith((".j2", ".html", ".css", ".js"))}
    assert {Path(n).name for n in templates} >= {"report.md.j2", "report.html.j2", "base.html", "app.css"}
    assert not any(n.startswith(("tests/", "cases/", "benchmarks/")) for n in names)


def test_installed_package_checks_its_knowledge_base_and_prepares_a_case(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEGOPREP_", "OPENAI_"))}
    env.update(NEGOPREP_API_KEY="stub", NEGOPREP_USE_CACHE="false", PYTHONPATH="")
    negoprep = str(installed / "negoprep")
    where = _run([str(installed / "python"), "-c", "import pipeline, prompts; print(pipeline.__file__, prompts.__file__)"],
                 tmp_path, env).stdout
    assert str(ROOT) not in where and str(installed.parent) in where

    kb = _run([negoprep, "kb", "check"], tmp_path, env)
    assert "knowledge base folder not found" not in kb.stdout + kb.stderr

    case = DATA / "cases" / "tiny"
    cassette = tmp_path / "tiny.json"
    with StubServer() as stub:
        _run([negoprep, "prepare", str(case), "--base-url", stub.base_url, "--model", "stub",
              "--record", str(cassette), "--out", "recorded"], tmp_path, env)
    _run([negoprep, "prepare", str(case), "--replay", str(cassette), "--out", "replayed"], tmp_path, env)

    recorded = json.loads((tmp_path / "recorded" / "report.json").read_text())
    replayed = json.loads((tmp_path / "replayed" / "report.json").read_text())
    assert replayed["synthesis"] == recorded["synthesis"]
    assert {p["id"] for p in replayed["provenance"]["prompts"].values()} >= {"extractor", "challenger", "profiler", "merge"}
    assert (tmp_path / "replayed" / "report.html").stat().st_size > 1000
