"""The embedded backend: a GGUF model run in-process by llama.cpp, served as an httpx transport.

The `openai` client talks to it exactly as to a remote server; one llama.cpp
context serves one request at a time, so calls queue on a lock and run in a
worker thread to keep the event loop free.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import httpx

from pipeline.errors import InputError
from pipeline.llm import models
from pipeline.llm.cpu_build import SlowBuildWarning, build_hint
from pipeline.settings import Settings

SHORTEST_KEPT_PROMPT = 4000
"""Characters of the messages below which no model state is kept after the call (about 1,000 tokens: read again
in seconds). Each kept state is a copy of the context: one state per short call (the translate step's one-text
calls) grew the process by gigabytes."""


class LocalModelMissing(InputError):
    """The local backend was chosen but no model or llama-cpp-python is installed."""


def resolve_model_path(settings: Settings) -> Path:
    """The GGUF the local backend loads: `--model-path`, else the preset `--model` names, else the best
    preset installed (assembled from its chunk packages into the cache the first time)."""
    if settings.model_path is not None:
        if not Path(settings.model_path).is_file():
            raise LocalModelMissing(f"{settings.model_path}: model file not found")
        return Path(settings.model_path)
    resolved = models.resolve(settings.model, settings.cache_dir)
    if resolved is None:
        raise LocalModelMissing(
            f"'{settings.model}' is not a local model preset ({', '.join(models.PRESETS)}; see `negoprep models "
            "list`); give a GGUF file with --model-path, or use an API (--backend openai / --base-url)")
    return resolved[1]


class LocalTransport(httpx.AsyncBaseTransport):
    """Answers POST /chat/completions with llama-cpp-python's OpenAI-shaped output."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int | None, repeat_penalty: float,
                 prefix_cache_mb: int = 0):
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.repeat_penalty = repeat_penalty
        self.prefix_cache_mb = prefix_cache_mb
        self._llama = None
        self._prefix_cache = None
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def _model(self):
        if self._llama is None:
            try:
                from pipeline.llm.greedy_grammar import fast_grammar_llama  # needs llama-cpp-python (and numpy)

                llama_class = fast_grammar_llama()
            except ImportError as exc:
                raise LocalModelMissing(
                    "llama-cpp-python is not installed: `pip install -e '.[local]'`"
                ) from exc
            from llama_cpp import LlamaRAMCache

            if hint := build_hint():
                warnings.warn(hint, SlowBuildWarning, stacklevel=2)

            cores = os.cpu_count() or 1
            self._llama = llama_class(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.n_threads or cores,
                n_threads_batch=self.n_threads or cores, seed=0, verbose=False,
            )
            atexit.register(self.close)  # freed while the interpreter is whole: llama-cpp's own finaliser fails later
            if self.prefix_cache_mb:
                # keeps the model's state after each call, so a later call whose prompt starts the same
                # way (the case materials) skips evaluating that prefix again, even with calls in between
                self._prefix_cache = LlamaRAMCache(capacity_bytes=self.prefix_cache_mb << 20)
        return self._llama

    def close(self) -> None:
        """Free the model (it is loaded again when next needed)."""
        with self._thread_lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """One blocking chat completion (thread-safe)."""
        kwargs: dict[str, Any] = {
            "messages": body["messages"],
            "temperature": body.get("temperature", 0.0),
            "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens"),
            "seed": body.get("seed"),
            "repeat_penalty": body.get("repeat_penalty", self.repeat_penalty),
            "stop": body.get("stop") or [],
        }
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            kwargs["response_format"] = {"type": "json_object", "schema": fmt["json_schema"]["schema"]}
        elif fmt.get("type") == "json_object":
            kwargs["response_format"] = {"type": "json_object", **({"schema": fmt["schema"]} if "schema" in fmt else {})}
        with self._thread_lock:
            llama = self._model()
            prompt_chars = sum(len(m.get("content") or "") for m in body["messages"])
            llama.set_cache(self._prefix_cache if prompt_chars >= SHORTEST_KEPT_PROMPT else None)
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
