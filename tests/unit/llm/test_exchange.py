"""A model request is posted as built: the bytes sent are those the openai client's own `create` sends."""

from __future__ import annotations

import json

import httpx
import pytest
from openai import AsyncOpenAI

from pipeline.llm.budget import Ledger
from pipeline.llm.cassette import NODE_HEADER, PROMPT_HEADER
from pipeline.llm.client import LLM
from pipeline.llm.exchange import exchange
from pipeline.llm.prompts import load_prompt
from pipeline.settings import load_settings
from pipeline.tokens import TokenCounter

ANSWER = {"id": "c1", "object": "chat.completion", "created": 0, "model": "m",
          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{\"a\": 1}"}}],
          "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}


def _client(sent: list[httpx.Request]) -> AsyncOpenAI:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=ANSWER)

    return AsyncOpenAI(base_url="http://backend.test/v1", api_key="k", max_retries=0,
                       http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))


def _wire(request: httpx.Request) -> tuple:
    headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"x-stainless-read-timeout"]
    return request.method, str(request.url), headers, request.content


@pytest.mark.parametrize("fields", [
    {"response_format": {"type": "json_schema", "json_schema": {
        "name": "Out", "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}, "strict": False}}},
    {"response_format": {"type": "json_object"}},
    {"stop": ["\n"]},
])
@pytest.mark.parametrize("extra_body", [{}, {"repeat_penalty": 1.1}])
async def test_the_request_sent_is_the_one_create_sends(fields, extra_body):
    settings = load_settings(backend="openai", base_url="http://backend.test/v1", api_key="k", use_cache=False)
    prompt = load_prompt(settings.prompts_dir, "translate")
    messages = [{"role": "system", "content": "Système: «rules»"}, {"role": "user", "content": "Text — ø"}]
    ours, theirs = [], []
    llm = LLM(_client(ours), "openai", "m", TokenCounter("chars", True, len), extra_body=extra_body, json_schema_confirmed=True)
    answer = await exchange(llm, settings, Ledger(), node="merge", prompt=prompt, attempt=1, messages=messages,
                            max_tokens=50, **fields)
    request = {"model": "m", "messages": messages, "temperature": settings.temperature, "seed": settings.seed,
               "max_tokens": 50, "extra_headers": {NODE_HEADER: "merge", PROMPT_HEADER: prompt.tag},
               **fields, **({"extra_body": extra_body} if extra_body else {})}
    await _client(theirs).chat.completions.with_raw_response.create(**request)
    assert [_wire(r) for r in ours] == [_wire(r) for r in theirs]
    assert list(json.loads(ours[0].content))[:2] == ["messages", "model"]
    assert (answer.content, answer.record.prompt_tokens, answer.record.completion_tokens) == ('{"a": 1}', 7, 3)
