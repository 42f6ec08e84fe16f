"""`prepare --keep-stages`: every node's output beside the report, numbered in the order the nodes finished."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.testing.stub_server import StubServer
from tests.conftest import DATA

NODES = {"ingest", "extract", "verify_profile", "challenge", "profile", "verify_analysis", "merge", "translate", "assemble"}


def _prepare(out, *flags):
    with StubServer() as stub:
        return CliRunner().invoke(app, ["prepare", str(DATA / "cases" / "tiny"), "--base-url", stub.base_url,
                                        "--model", "stub", "--no-cache", "--out", str(out), *flags])


def test_keep_stages_writes_each_nodes_output_beside_the_report(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOPREP_API_KEY", "stub")
    result = _prepare(tmp_path, "--keep-stages")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "stages").iterdir())
    assert [f[:3] for f in files] == [f"{n:02d}-" for n in range(1, len(NODES) + 1)]
    assert {f[3:-5] for f in files} == NODES
    assert files[0] == "01-ingest.json" and files[-1] == "09-assemble.json"
    extracted = json.loads((tmp_path / "stages" / "02-extract.json").read_text())
    assert extracted["deal_profile"]["parties"] and all(
        item["verification"] == "pending" for item in extracted["deal_profile"]["issues"]), "before verification"
    report = json.loads((tmp_path / "report.json").read_text())
    assert json.loads((tmp_path / "stages" / "09-assemble.json").read_text())["report"] == report


def test_without_the_flag_no_stages_are_written_and_a_new_run_clears_old_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOPREP_API_KEY", "stub")
    (tmp_path / "stages").mkdir()
    (tmp_path / "stages" / "09-extract.json").write_text("{}")
    assert _prepare(tmp_path).exit_code == 0
    assert (tmp_path / "stages" / "09-extract.json").exists()
    assert _prepare(tmp_path, "--keep-stages").exit_code == 0
    assert not (tmp_path / "stages" / "09-extract.json").exists()
