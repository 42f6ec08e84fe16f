"""Stable identity of a chat-completion request: what decides the answer, nothing else."""

from __future__ import annotations

import hashlib
import json
from typing import Any

KEY_FIELDS = (
    "model", "messages", "response_format", "temperature", "top_p", "seed",
    "max_tokens", "max_completion_tokens", "frequency_penalty", "presence_penalty",
    "stop", "n", "repeat_penalty",
)


def key_material(body: dict[str, Any]) -> dict[str, Any]:
    """The parts of a request body that determine the model's answer."""
    return {k: body[k] for k in KEY_FIELDS if k in body}


def request_key(body: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of `key_material(body)`."""
    canonical = json.dumps(key_material(body), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
