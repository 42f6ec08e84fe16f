"""Structured output: ask for JSON matching a pydantic model, validate, repair, give up clearly."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from pipeline.errors import BackendError, InputError
from pipeline.llm.budget import run_ledger
from pipeline.llm.cassette import NODE_HEADER, PROMPT_HEADER, SOURCE_HEADER, ReplayMiss
from pipeline.llm.client import LLM
from pipeline.llm.retry import NO_RETRY_HEADER, RETRIES_HEADER
from pipeline.llm.prompts import Prompt
from pipeline.schemas import CallRecord, llm_schema
from pipeline.settings import Settings

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.M)
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json_lenient(text: str) -> Any:
    """JSON from a model answer: code fences stripped, raw control characters allowed,
    lone surrogate escapes (which no string can hold) removed."""
    text = _FENCE.sub("", text or "").strip()
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise json.JSONDecodeError("no JSON object in the answer", text, 0)
    return _without_surrogates(json.loads(text[start:end + 1], strict=False))


def close_truncated_json(text: str, tries: int = 60) -> Any:
    """The longest prefix of a JSON object cut off mid-answer (the token limit) that parses once
    its open brackets are closed: cut after the last complete member or element."""
    start = text.find("{")
    if start == -1:
        raise json.JSONDecodeError("no JSON object in the answer", text, 0)
    stack: list[str] = []
    cuts: list[tuple[int, str]] = []
    in_string = escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
            cuts.append((i + 1, "".join(reversed(stack))))
        elif ch == "," and stack:
            cuts.append((i, "".join(reversed(stack))))
    for cut, closers in reversed(cuts[-tries:]):
        try:
            return _without_surrogates(json.loads(text[start:cut] + closers, strict=False))
        except json.JSONDecodeError:
            continue
    raise json.JSONDecodeError("truncated answer could not be closed", text, len(text))


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_surrogates(v) for k, v in value.items()}
    return value


def salvage(output: type[T], data: Any, max_rounds: int = 25) -> tuple[T, int]:
    """Validate `data`, dropping list items that fail validation (a weak model's empty or
    malformed entries) while the rest stands; the result and how many items were dropped.
    Raises the ValidationError when a problem is not inside a list item."""
    dropped = 0
    for _ in range(max_rounds):
        try:
            return output.model_validate(data), dropped
        except ValidationError as exc:
            doomed: dict[int, tuple[list, set[int]]] = {}
            for error in exc.errors():
                loc = error["loc"]
                positions = [i for i, part in enumerate(loc) if isinstance(part, int)]
                if not positions:
                    raise
                container = data
                for part in loc[:positions[-1]]:
                    container = container[part]
                doomed.setdefault(id(container), (container, set()))[1].add(loc[positions[-1]])
            for container, indexes in doomed.values():
                for index in sorted(indexes, reverse=True):
                    del container[index]
                    dropped += 1
    return output.model_validate(data), dropped


def _error_summary(exc: Exception, limit: int = 6) -> str:
    if isinstance(exc, ValidationError):
        lines = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:limit]]
        return "; ".join(lines)
    return str(exc)[:400]


_PASS_THROUGH = (ReplayMiss, InputError)
"""Our transports' own errors (a stale cassette, a missing local model), which the openai client
wraps in APIConnectionError: they reach the user as they are."""


class _JsonSchemaRejected(Exception):
    """The backend does not accept `response_format: json_schema`."""


def _rejects_json_schema(exc: openai.APIStatusError) -> bool:
    """A backend that does not support `response_format: json_schema` (e.g. llama.cpp's server
    answers 500 naming response_format); a complaint about the schema's content is not that."""
    text = str(exc).lower()
    if exc.status_code not in (400, 422, 500, 501) or "invalid schema" in text:
        return False
    return "response_format" in text or "json_schema" in text


async def _send(llm: LLM, request: dict[str, Any]):
    """POST the request. Until the backend has accepted one json_schema request, that request
    is sent without SDK retries, so a rejection is recognised at once, not after all retries."""
    uses_schema = request.get("response_format", {}).get("type") == "json_schema"
    if uses_schema and not llm.json_schema_confirmed:
        try:
            probe = {**request, "extra_headers": {**request.get("extra_headers", {}), NO_RETRY_HEADER: "1"}}
            raw = await llm.client.chat.completions.with_raw_response.create(**probe)
        except openai.APIStatusError as exc:
            if _rejects_json_schema(exc):
                raise _JsonSchemaRejected() from exc
        except openai.APIConnectionError as exc:
            if isinstance(exc.__cause__, _PASS_THROUGH):
                raise
        else:
            llm.json_schema_confirmed = True
            return raw
    return await llm.client.chat.completions.with_raw_response.create(**request)


def _with_schema_instruction(messages: list[dict[str, str]], schema: dict) -> list[dict[str, str]]:
    """JSON mode: the schema goes into the (first) system message, which some templates require."""
    instruction = "Answer with one JSON object matching this JSON schema:\n" + json.dumps(schema)
    if messages and messages[0]["role"] == "system":
        return [{"role": "system", "content": messages[0]["content"] + "\n\n" + instruction}, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


async def call_structured(
    llm: LLM, settings: Settings, *, node: str, prompt: Prompt, messages: list[dict[str, str]],
    output: type[T], enums: dict[str, list[str]] | None = None, spent: Sequence[CallRecord] = (),
    repair_attempts: int | None = None,
) -> tuple[T, list[CallRecord]]:
    """One node's model call, retried with the validation error fed back (bounded).

    `spent` are the run's calls so far; with a token or cost budget, a call that could take
    the run past it is not made (`BudgetExceeded`)."""
    schema = llm_schema(output, enums=enums)
    messages = list(messages)
    records: list[CallRecord] = []
    last_error = "no answer"
    attempt = 0
    repairs = settings.repair_attempts if repair_attempts is None else repair_attempts
    ledger = run_ledger(spent)

    def keep(record: CallRecord) -> None:
        records.append(record)
        ledger.calls.append(record)

    while attempt <= repairs:
        attempt += 1
        estimate, reservation = 0, nullcontext()
        if settings.max_run_tokens or settings.max_run_cost or settings.tokens_per_minute:
            prompt_estimate = sum(llm.counter.count(m["content"]) for m in messages)
            reservation = ledger.reserve(settings, node, prompt_estimate)
            estimate = prompt_estimate + settings.max_output_tokens
        started = time.perf_counter()
        request: dict[str, Any] = {
            "model": llm.model, "messages": messages, "temperature": settings.temperature,
            "seed": settings.seed, "max_tokens": settings.max_output_tokens,
            "extra_headers": {NODE_HEADER: node, PROMPT_HEADER: prompt.tag},
        }
        if llm.extra_body:
            request["extra_body"] = llm.extra_body
        if llm.json_schema_ok:
            request["response_format"] = {
                "type": "json_schema", "json_schema": {"name": output.__name__, "schema": schema, "strict": False},
            }
        else:
            request["response_format"] = {"type": "json_object"}
            request["messages"] = _with_schema_instruction(messages, schema)
        try:
            with reservation:
                await llm.limiter.acquire(estimate)
                raw = await _send(llm, request)
        except _JsonSchemaRejected:
            llm.json_schema_ok = False
            attempt -= 1
            continue
        except openai.APIStatusError as exc:
            raise BackendError(node, f"model backend answered HTTP {exc.status_code}: {_error_summary(exc)}") from None
        except openai.APIConnectionError as exc:
            cause = exc.__cause__
            if isinstance(cause, ReplayMiss):
                cause.node = node
            if isinstance(cause, _PASS_THROUGH):
                raise cause from None
            if isinstance(cause, BackendError | OSError) and not isinstance(cause, ConnectionError):
                raise BackendError(node, str(cause)) from None
            raise BackendError(node, f"cannot reach the model backend ({type(exc).__name__}: {exc})") from None
        try:
            completion = raw.parse()
        except (json.JSONDecodeError, ValueError) as exc:
            last_error = f"unreadable response body ({exc})"
            keep(CallRecord(node=node, prompt_id=prompt.id, attempt=attempt, outcome="error",
                                      seconds=round(time.perf_counter() - started, 3)))
            continue
        source = raw.headers.get(SOURCE_HEADER, "")
        usage = completion.usage
        record = CallRecord(
            node=node, prompt_id=prompt.id, attempt=attempt,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            seconds=round(time.perf_counter() - started, 3),
            cache={"cache": "hit", "replay": "replay"}.get(source, "miss" if settings.use_cache else "off"),
            retries=int(raw.headers.get(RETRIES_HEADER, 0) or 0),
        )
        content = completion.choices[0].message.content or "" if completion.choices else ""
        truncated = bool(completion.choices) and completion.choices[0].finish_reason == "length"
        try:
            try:
                data = parse_json_lenient(content)
            except json.JSONDecodeError:
                if not truncated:
                    raise
                data = close_truncated_json(content)
            result, dropped = salvage(output, data)
            dropped += truncated
        except (ValidationError, json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
            last_error = _error_summary(exc)
            keep(record.model_copy(update={"outcome": "invalid"}))
            if truncated:
                last_error = f"cut off at the {settings.max_output_tokens}-token limit"
                messages = messages + [{"role": "user", "content": "Your answer was cut off at the length limit. "
                                        "Answer again with shorter texts and fewer items, as one complete JSON object."}]
            else:
                messages = messages + [
                    {"role": "assistant", "content": content[:4000]},
                    {"role": "user", "content": f"That answer did not match the required JSON schema: {last_error}. "
                                                "Answer again with the complete JSON object only."},
                ]
            continue
        keep(record.model_copy(update={"outcome": "salvaged"}) if dropped else record)
        return result, records
    raise BackendError(node, f"answer still invalid after {attempt} attempt(s): {last_error}", records)
