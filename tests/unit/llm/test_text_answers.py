"""Plain-text calls (the translate step's): no schema sent, one line back, the call recorded like any other."""

from __future__ import annotations

import pytest

from pipeline.errors import BackendError
from pipeline.llm.client import make_llm
from pipeline.llm.prompts import load_prompt
from pipeline.llm.text import call_text
from pipeline.settings import load_settings
from pipeline.testing.stub_server import StubConfig, run_stub


async def _ask(stub, text: str):
    settings = load_settings(backend="openai", base_url=stub.base_url, api_key="test", use_cache=False,
                             max_retries=0, timeout_s=2)
    llm = make_llm(settings)
    prompt = load_prompt(settings.prompts_dir, "translate")
    try:
        return await call_text(llm, settings, node="translate", prompt=prompt, max_tokens=40,
                               messages=prompt.messages(language="no", text=text))
    finally:
        await llm.aclose()


async def test_a_plain_text_call_sends_no_schema_asks_for_one_line_and_records_the_call():
    with run_stub(StubConfig()) as stub:
        line, records = await _ask(stub, '"Vi betaler 40 000 kr\n   i 2027"')  # the stub answers with the text
        stats = stub.stats()
    assert line == "Vi betaler 40 000 kr i 2027", "one line, the quotes around it taken off"
    assert stats["formats"] == {"none": 1}
    assert [(r.node, r.outcome, r.attempt) for r in records] == [("translate", "ok", 1)]
    assert records[0].completion_tokens > 0


async def test_an_unreadable_plain_text_answer_is_a_backend_error_with_its_record():
    with run_stub(StubConfig(fault_rate=1.0, faults=("truncated",))) as stub, pytest.raises(BackendError) as caught:
        await _ask(stub, "Vi betaler 40 000 kr")
    assert "unreadable response body" in str(caught.value)
    assert [r.outcome for r in caught.value.records] == ["error"]
