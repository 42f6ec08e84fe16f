"""The public Python surface: `from pipeline import prepare, aprepare`."""

from __future__ import annotations

import subprocess
import sys

import pipeline
from pipeline.llm.client import make_llm
from pipeline.schemas import PrepReport
from pipeline.settings import load_settings
from pipeline.testing.synthetic import SyntheticTransport
from tests.conftest import DATA, ROOT


async def test_aprepare_from_the_package_returns_a_validated_report():
    from pipeline import aprepare

    settings = load_settings(use_cache=False)
    llm = make_llm(settings, base_transport=SyntheticTransport())
    report = await aprepare(DATA / "cases" / "tiny", settings, llm=llm)
    await llm.aclose()
    assert isinstance(report, PrepReport) and report.case.name == "tiny"


def test_prepare_is_the_runs_and_importing_the_package_loads_no_graph():
    from pipeline import prepare
    from pipeline.prep import run

    assert prepare is run.prepare and pipeline.aprepare is run.aprepare
    loaded = subprocess.run([sys.executable, "-c", "import sys, pipeline.settings; print('pipeline.prep.graph' in sys.modules)"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
