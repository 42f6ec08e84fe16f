"""Structured output: ask for JSON matching a pydantic model, validate, repair, give up clearly."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import BackendError
from pipeline.llm.budget import run_ledger
from pipeline.llm.client import LLM
from pipeline.llm.exchange import JsonSchemaRejected, error_summary, exchange
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
        if llm.json_schema_ok:
            fields: dict[str, Any] = {"messages": messages, "response_format": {
                "type": "json_schema", "json_schema": {"name": output.__name__, "schema": schema, "strict": False}}}
        else:
            fields = {"messages": _with_schema_instruction(messages, schema), "response_format": {"type": "json_object"}}
        try:
            answer = await exchange(llm, settings, ledger, node=node, prompt=prompt, attempt=attempt,
                                    max_tokens=settings.max_output_tokens, **fields)
        except JsonSchemaRejected:
            llm.json_schema_ok = False
            attempt -= 1
            continue
        record, content, truncated = answer.record, answer.content, answer.truncated
        if answer.error:
            last_error = answer.error
            keep(record)
            continue
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
            last_error = error_summary(exc)
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
