"""What the web tests share: the telco-paysys case as a consultant would upload it, and the
cassette its preparation and first rehearsal turn are replayed from: the recorded embedded-model runs
tests/cassettes/telco-paysys.json and telco-paysys.rehearsal.json, put together in one file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import CASES, CASSETTES, ROOT

TELCO = CASES / "telco-paysys"
CASSETTES_USED = (CASSETTES / "telco-paysys.json", CASSETTES / "telco-paysys.rehearsal.json")
FIRST_TURN = (ROOT / "tests" / "data" / "rehearsal" / "telco-paysys.turns.txt").read_text(encoding="utf-8").splitlines()[0]
"""The first turn of the recorded rehearsal script: the turn the browser test sends."""


def telco_documents() -> list[Path]:
    from pipeline.case.readers import reader_for

    return sorted(p for p in TELCO.iterdir() if reader_for(p))


def telco_fields() -> dict[str, str]:
    """The new-case form as the consultant fills it: the sides and title of the case's case.yaml."""
    return {"name": TELCO.name, **yaml.safe_load((TELCO / "case.yaml").read_text(encoding="utf-8"))}


@pytest.fixture(scope="session")
def replay_cassette(tmp_path_factory) -> Path:
    """One cassette holding the recorded preparation of telco-paysys and its recorded rehearsal."""
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in CASSETTES_USED]
    combined = {**parts[0], "interactions": [i for part in parts for i in part["interactions"]]}
    combined["meta"] = {**parts[0]["meta"], "token_counts": {k: v for part in parts
                                                             for k, v in part["meta"].get("token_counts", {}).items()}}
    path = tmp_path_factory.mktemp("cassette") / "telco-paysys.combined.json"
    path.write_text(json.dumps(combined), encoding="utf-8")
    return path
