"""Synthetic answers: the smallest JSON instance a request's schema accepts.

Clearly labelled synthetic (every string says so); used by tests and the stub
server to exercise the pipeline without a model. Never a stand-in for model output.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from pipeline.llm.cassette import NODE_HEADER
from pipeline.llm.keys import request_key

SYNTHETIC = "synthetic"


def instance_for(schema: dict[str, Any], root: dict[str, Any] | None = None, name: str = "", tag: str = "") -> Any:
    """A minimal valid instance of a JSON schema (objects, arrays, enums, strings, numbers);
    strings read `synthetic <path> <tag>`, the path naming the field under its parents (so the items of two
    lists differ, as a model's would)."""
    root = root or schema
    if "$ref" in schema:
        ref = schema["$ref"].split("/")[-1]
        return instance_for(root.get("$defs", {})[ref], root, name, tag)
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema:
            return instance_for(schema[combo][0], root, name, tag)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    if kind == "object":
        return {k: instance_for(v, root, f"{name}.{k}" if name else k, tag)
                for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        count = min(count, schema.get("maxItems", count))
        return [instance_for(schema.get("items", {}), root, name, tag) for _ in range(count)]
    if kind == "string":
        if name.rpartition(".")[2] == "kind":
            return "inference"
        text = f"{SYNTHETIC} {name} {tag}".strip()
        return text[: schema.get("maxLength", len(text))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def plain_answer(body: dict[str, Any]) -> str:
    """The synthetic answer to a request for plain text (no schema): its last message back."""
    return str((body.get("messages") or [{}])[-1].get("content", ""))


def completion_for(body: dict[str, Any], content: str | None = None) -> dict[str, Any]:
    """An OpenAI-shaped chat completion holding a synthetic instance of the requested schema (a request for
    plain text, without a schema, gets its last message back)."""
    fmt = body.get("response_format")
    if content is None and not fmt:
        content = plain_answer(body)
    if content is None:
        schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema") or {"type": "object"}
        content = json.dumps(instance_for(schema, tag=request_key(body)[:8]))
    prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return {
        "id": "synthetic", "object": "chat.completion", "created": 0, "model": body.get("model", SYNTHETIC),
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(content) // 4,
                  "total_tokens": prompt_chars // 4 + len(content) // 4},
    }


class SyntheticTransport(httpx.AsyncBaseTransport):
    """Answers each chat completion with a synthetic instance after `delay(node)` seconds, noting each
    request's node as it arrives (`requested`) and logging (node, start, end) as it is answered, so tests can
    see what was asked and what ran concurrently."""

    def __init__(self, delay: Callable[[str], float] = lambda node: 0.0):
        self.delay = delay
        self.requested: list[str] = []
        self.log: list[tuple[str, float, float]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        node = request.headers.get(NODE_HEADER, "")
        self.requested.append(node)
        started = time.perf_counter()
        await asyncio.sleep(self.delay(node))
        self.log.append((node, started, time.perf_counter()))
        return httpx.Response(200, json=completion_for(body))
