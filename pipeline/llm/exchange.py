"""One request to the model backend and its answer, as every kind of call (JSON or plain text) makes it:
the budget held while it runs, the rate limit, the backend's errors told plainly, the call recorded."""

from __future__ import annotations

import json
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from pipeline.errors import BackendError, InputError
from pipeline.llm.budget import Ledger
from pipeline.llm.cassette import NODE_HEADER, PROMPT_HEADER, SOURCE_HEADER, ReplayMiss
from pipeline.llm.client import LLM
from pipeline.llm.prompts import Prompt
from pipeline.llm.retry import NO_RETRY_HEADER, RETRIES_HEADER
from pipeline.schemas import CallRecord
from pipeline.settings import Settings

PASS_THROUGH = (ReplayMiss, InputError)
"""Our transports' own errors (a stale cassette, a missing local model), which the openai client
wraps in APIConnectionError: they reach the user as they are."""


BODY_FIELDS = ("messages", "model", "max_tokens", "response_format", "seed", "stop", "temperature")
"""The request fields we send, in the order `chat.completions.create` writes them into the JSON body."""
RAW_RESPONSE = {"X-Stainless-Raw-Response": "true"}
"""The header `with_raw_response` adds: the client answers with the raw response (headers, then `parse()`)."""


class JsonSchemaRejected(Exception):
    """The backend does not accept `response_format: json_schema`."""


@dataclass
class Answer:
    """The model's answer to one request: the call's record, its text, whether the token limit cut it off."""

    record: CallRecord
    content: str = ""
    truncated: bool = False
    error: str = ""
    """why the answer could not be read (its record's outcome is then "error")"""


def error_summary(exc: Exception, limit: int = 6) -> str:
    if isinstance(exc, ValidationError):
        lines = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:limit]]
        return "; ".join(lines)
    return str(exc)[:400]


def _rejects_json_schema(exc: openai.APIStatusError) -> bool:
    """A backend that does not support `response_format: json_schema` (e.g. llama.cpp's server
    answers 500 naming response_format); a complaint about the schema's content is not that."""
    text = str(exc).lower()
    if exc.status_code not in (400, 422, 500, 501) or "invalid schema" in text:
        return False
    return "response_format" in text or "json_schema" in text


async def _post(llm: LLM, request: dict[str, Any]):
    """`chat.completions.with_raw_response.create(**request)` without re-validating and re-transforming the
    body: our fields are plain JSON already, so the request sent is the same, byte for byte."""
    options: dict[str, Any] = {"headers": {**request.get("extra_headers", {}), **RAW_RESPONSE},
                               "security": {"bearer_auth": True}}
    if "extra_body" in request:
        options["extra_json"] = request["extra_body"]
    unknown = request.keys() - {*BODY_FIELDS, "extra_headers", "extra_body"}
    if unknown:
        raise TypeError(f"request fields the body does not carry: {sorted(unknown)}")
    body = {name: request[name] for name in BODY_FIELDS if name in request}
    return await llm.client.post("/chat/completions", body=body, options=options, cast_to=ChatCompletion)


async def _send(llm: LLM, request: dict[str, Any]):
    """POST the request. Until the backend has accepted one json_schema request, that request
    is sent without SDK retries, so a rejection is recognised at once, not after all retries."""
    uses_schema = request.get("response_format", {}).get("type") == "json_schema"
    if uses_schema and not llm.json_schema_confirmed:
        try:
            probe = {**request, "extra_headers": {**request.get("extra_headers", {}), NO_RETRY_HEADER: "1"}}
            raw = await _post(llm, probe)
        except openai.APIStatusError as exc:
            if _rejects_json_schema(exc):
                raise JsonSchemaRejected() from exc
        except openai.APIConnectionError as exc:
            if isinstance(exc.__cause__, PASS_THROUGH):
                raise
        else:
            llm.json_schema_confirmed = True
            return raw
    return await _post(llm, request)


async def exchange(llm: LLM, settings: Settings, ledger: Ledger, *, node: str, prompt: Prompt, attempt: int,
                   messages: list[dict[str, str]], max_tokens: int, **fields: Any) -> Answer:
    """Send `messages` (with request `fields` such as `response_format` or `stop`) within the run's budget
    and read the answer. Raises `JsonSchemaRejected` for a backend without json_schema, `BackendError` for
    any other failure of the backend."""
    estimate, reservation = 0, nullcontext()
    if settings.max_run_tokens or settings.max_run_cost or settings.tokens_per_minute:
        prompt_estimate = sum(llm.counter.count(m["content"]) for m in messages)
        reservation = ledger.reserve(settings, node, prompt_estimate)
        estimate = prompt_estimate + max_tokens
    started = time.perf_counter()
    request: dict[str, Any] = {
        "model": llm.model, "messages": messages, "temperature": settings.temperature,
        "seed": settings.seed, "max_tokens": max_tokens,
        "extra_headers": {NODE_HEADER: node, PROMPT_HEADER: prompt.tag}, **fields,
    }
    if llm.extra_body:
        request["extra_body"] = llm.extra_body
    try:
        with reservation:
            await llm.limiter.acquire(estimate)
            raw = await _send(llm, request)
    except openai.APIStatusError as exc:
        raise BackendError(node, f"model backend answered HTTP {exc.status_code}: {error_summary(exc)}") from None
    except openai.APIConnectionError as exc:
        cause = exc.__cause__
        if isinstance(cause, ReplayMiss):
            cause.node = node
        if isinstance(cause, PASS_THROUGH):
            raise cause from None
        if isinstance(cause, BackendError | OSError) and not isinstance(cause, ConnectionError):
            raise BackendError(node, str(cause)) from None
        raise BackendError(node, f"cannot reach the model backend ({type(exc).__name__}: {exc})") from None
    seconds = round(time.perf_counter() - started, 3)
    try:
        completion = raw.parse()
    except (json.JSONDecodeError, ValueError) as exc:
        return Answer(CallRecord(node=node, prompt_id=prompt.id, attempt=attempt, outcome="error", seconds=seconds),
                      error=f"unreadable response body ({exc})")
    usage = completion.usage
    source = raw.headers.get(SOURCE_HEADER, "")
    record = CallRecord(
        node=node, prompt_id=prompt.id, attempt=attempt,
        prompt_tokens=usage.prompt_tokens if usage else 0, completion_tokens=usage.completion_tokens if usage else 0,
        seconds=seconds, cache={"cache": "hit", "replay": "replay"}.get(source, "miss" if settings.use_cache else "off"),
        retries=int(raw.headers.get(RETRIES_HEADER, 0) or 0),
    )
    choice = completion.choices[0] if completion.choices else None
    return Answer(record, (choice.message.content or "") if choice else "", bool(choice) and choice.finish_reason == "length")
