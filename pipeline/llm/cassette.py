"""Record and replay model calls at the HTTP layer, as a readable JSON cassette.

Interactions are keyed by `request_key` (model, messages, response format and
sampling parameters), never by headers. Nothing secret is written: headers are
not stored, and any value of an environment variable named like a key, token or
secret is scrubbed from the text before it reaches the disk.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from pipeline.errors import ReplayMiss
from pipeline.files import atomic_write_text
from pipeline.llm.keys import key_material, request_key, text_hash
from pipeline.llm.prompts import fixed_text

CASSETTE_VERSION = 1
SOURCE_HEADER = "x-negoprep-source"
NODE_HEADER = "x-negoprep-node"
PROMPT_HEADER = "x-negoprep-prompt"
_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)
_SECRET_SHAPE = re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}")


def scrub(text: str) -> str:
    """Remove secret values (env vars named like keys/tokens/secrets, sk- keys)."""
    for name, value in os.environ.items():
        if _SECRET_NAME.search(name) and len(value) >= 8:
            text = text.replace(value, "<redacted>")
    return _SECRET_SHAPE.sub("<redacted>", text)


def _parts(material: dict[str, Any]) -> dict[str, str]:
    """Hashes of the request's parts, to say which one changed on a miss."""
    messages = material.get("messages", [])
    system = "\n".join(str(m.get("content")) for m in messages if m.get("role") == "system")
    rest = json.dumps([m for m in messages if m.get("role") != "system"], sort_keys=True, ensure_ascii=False)
    params = {k: v for k, v in material.items() if k not in ("messages", "response_format", "model")}
    return {
        "model": str(material.get("model")),
        "prompt": text_hash(system),
        "input": text_hash(rest),
        "schema": text_hash(json.dumps(material.get("response_format"), sort_keys=True)),
        "params": text_hash(json.dumps(params, sort_keys=True)),
    }


def _template_lines_missing(prompt_path: str, recorded: dict[str, Any]) -> bool:
    """Whether the prompt file now has text of its own that the recorded request lacks: the file's task
    text changed, even where it lands in the user message beside the input."""
    sent = "\n".join(str(m.get("content")) for m in recorded.get("messages", []))
    return any(fragment not in sent for fragment in fixed_text(Path(prompt_path)))


_CHANGE_TEXT = {
    "prompt": "the prompt file {prompt_path} changed since recording",
    "schema": "the output schema changed since recording",
    "model": "the model changed since recording",
    "params": "the sampling parameters changed since recording",
    "input": "the node's input (case materials or an upstream answer) changed since recording",
}


class Cassette:
    """An ordered list of recorded interactions plus run metadata."""

    def __init__(self, path: Path, interactions: list[dict] | None = None, meta: dict | None = None):
        self.path = Path(path)
        self.interactions = interactions or []
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path) -> Cassette:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ReplayMiss("-", "", f"cassette {path} does not exist") from None
        except json.JSONDecodeError as exc:
            raise ReplayMiss("-", "", f"cassette {path} is not valid JSON ({exc})") from None
        return cls(path, data.get("interactions", []), data.get("meta", {}))

    def save(self) -> None:
        self.meta["recorded_at"] = self.meta.get("recorded_at") or datetime.now(timezone.utc).isoformat(timespec="seconds")
        data = {"version": CASSETTE_VERSION, "meta": self.meta, "interactions": self.interactions}
        atomic_write_text(self.path, scrub(json.dumps(data, indent=1, ensure_ascii=False)) + "\n")

    def add(self, body: dict[str, Any], response: dict[str, Any], status: int, node: str, prompt: str) -> None:
        material = key_material(body)
        self.interactions.append({
            "key": request_key(body), "node": node, "prompt": prompt, "parts": _parts(material),
            "request": material, "response": {"status": status, "body": response},
        })

    def diagnose(self, body: dict[str, Any], node: str, prompt: str) -> ReplayMiss:
        """Explain a miss by comparing with the recorded calls of the same node."""
        same_node = [i for i in self.interactions if i.get("node") == node]
        if not same_node:
            return ReplayMiss(node, prompt, f"the cassette has no call for this node ({self.path})")
        now = _parts(key_material(body))
        recorded = same_node[0]
        changed = [part for part in _CHANGE_TEXT if recorded["parts"].get(part) != now[part]]
        prompt_path = prompt.split("@", 1)[-1] if "@" in prompt else "of this node"
        if "prompt" not in changed and _template_lines_missing(prompt_path, recorded.get("request", {})):
            changed.insert(0, "prompt")
        reasons = [_CHANGE_TEXT[p].format(prompt_path=prompt_path) for p in changed] or ["the request differs"]
        return ReplayMiss(node, prompt, "; ".join(reasons))


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests on and records each request/response pair."""

    def __init__(self, inner: httpx.AsyncBaseTransport, cassette: Cassette):
        self.inner, self.cassette = inner, cassette

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        try:
            payload = json.loads(content)
        except json.JSONDecodeError:
            payload = {"raw": content.decode("utf-8", "replace")}
        self.cassette.add(body, payload, response.status_code,
                          request.headers.get(NODE_HEADER, ""), request.headers.get(PROMPT_HEADER, ""))
        self.cassette.save()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        await self.inner.aclose()


class ReplayTransport(httpx.AsyncBaseTransport):
    """Serves recorded answers; a request it has no answer for raises `ReplayMiss`."""

    def __init__(self, cassette: Cassette):
        self.cassette = cassette
        self._answers: dict[str, list[dict]] = defaultdict(list)
        for item in cassette.interactions:
            self._answers[item["key"]].append(item["response"])
        self._served: dict[str, int] = defaultdict(int)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        key = request_key(body)
        answers = self._answers.get(key)
        if not answers:
            raise self.cassette.diagnose(body, request.headers.get(NODE_HEADER, "?"), request.headers.get(PROMPT_HEADER, ""))
        index = min(self._served[key], len(answers) - 1)
        self._served[key] += 1
        answer = answers[index]
        return httpx.Response(answer["status"], json=answer["body"], headers={SOURCE_HEADER: "replay"})
