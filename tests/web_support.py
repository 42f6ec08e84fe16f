"""What the web tests share: the telco-paysys case as a consultant would upload it, and the
cassette its preparation is replayed from.

CASSETTE is the one switch: None records synthetic answers (clearly labelled synthetic, no model)
for the session; once tests/cassettes/telco-paysys.json is re-recorded, set it to that path.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from tests.conftest import CASES

TELCO = CASES / "telco-paysys"
CASSETTE: Path | None = None


def telco_documents() -> list[Path]:
    from pipeline.case.readers import reader_for

    return sorted(p for p in TELCO.iterdir() if reader_for(p))


def telco_fields() -> dict[str, str]:
    """The new-case form as the consultant fills it: the sides and title of the case's case.yaml."""
    return {"name": TELCO.name, **yaml.safe_load((TELCO / "case.yaml").read_text(encoding="utf-8"))}


async def _record_synthetic(cassette: Path) -> None:
    from pipeline.llm.client import make_llm
    from pipeline.testing.synthetic import SyntheticTransport
    from pipeline.llm.clients import register_llm
    from pipeline.run import aprepare
    from pipeline.settings import load_settings

    settings = load_settings(use_cache=False, record=cassette)
    register_llm(settings, make_llm(settings, base_transport=SyntheticTransport()))
    await aprepare(TELCO, settings)


@pytest.fixture(scope="session")
def replay_cassette(tmp_path_factory) -> Path:
    """The cassette to replay telco-paysys from (CASSETTE, or synthetic answers recorded now)."""
    if CASSETTE is not None:
        return CASSETTE
    cassette = tmp_path_factory.mktemp("cassette") / "telco-paysys.synthetic.json"
    asyncio.run(_record_synthetic(cassette))
    return cassette
