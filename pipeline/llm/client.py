"""The one `AsyncOpenAI` client, over the transport the settings choose.

local   -> LocalTransport (embedded GGUF via llama.cpp)
openai  -> the network (OpenAI or any OpenAI-compatible base URL)
replay  -> ReplayTransport (cassette only; nothing else is ever called)
with optional CachingTransport and RecordingTransport stacked on top.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import httpx
from openai import AsyncOpenAI

from pipeline.llm.cache import CachingTransport, CallCache
from pipeline.llm.cassette import Cassette, RecordingTransport, ReplayTransport
from pipeline.llm.keys import text_hash
from pipeline.llm.local import LocalTransport, resolve_model_path
from pipeline.llm.models import PRESETS
from pipeline.llm.ratelimit import RateLimiter
from pipeline.llm.retry import RetryTransport
from pipeline.settings import Settings
from pipeline.tokens import TokenCounter, counter_for

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
LOCAL_BASE_URL = "http://negoprep.local/v1"


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """The certificate store, loaded once per process (it costs ~25 ms)."""
    return ssl.create_default_context()


@dataclass
class LLM:
    """A configured client plus what the pipeline needs to know about its backend."""

    client: AsyncOpenAI
    backend: str
    model: str
    counter: TokenCounter
    cassette: Cassette | None = None
    replaying: bool = False
    json_schema_ok: bool = True
    json_schema_confirmed: bool = False
    extra_body: dict = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None, None))

    async def aclose(self) -> None:
        await self.client.close()


def _counting(counter: TokenCounter, cassette: Cassette, replaying: bool) -> TokenCounter:
    """A counter that stores its counts in the cassette (record) or reads them back (replay),
    so a replayed report has the recorded token figures without the model's vocabulary."""
    counts: dict[str, int] = cassette.meta.setdefault("token_counts", {})
    if replaying:
        encoding = cassette.meta.get("token_encoding", counter.encoding)
        approximate = cassette.meta.get("tokens_approximate", counter.approximate)
    else:
        encoding, approximate = counter.encoding, counter.approximate
        cassette.meta.update(token_encoding=encoding, tokens_approximate=approximate)

    def count(text: str) -> int:
        key = text_hash(text)
        if key not in counts:
            counts[key] = counter.count(text)
        return counts[key]

    return TokenCounter(encoding, approximate, count)


def make_llm(settings: Settings, base_transport: httpx.AsyncBaseTransport | None = None) -> LLM:
    """Build the client for these settings (loads nothing heavy until the first call).

    `base_transport` replaces the backend's own transport (tests, the stub server)."""
    if settings.replay:
        cassette = Cassette.load(settings.replay)
        meta = cassette.meta
        counter = _counting(counter_for("replay", "", None), cassette, replaying=True)
        client = AsyncOpenAI(
            api_key="replay", base_url=LOCAL_BASE_URL, max_retries=0,
            http_client=httpx.AsyncClient(transport=ReplayTransport(cassette)),
        )
        return LLM(client, meta.get("backend", "replay"), meta.get("model", "replay"), counter,
                   cassette, replaying=True, extra_body=meta.get("extra_body", {}))

    backend = settings.resolved_backend()
    extra_body: dict = {}
    if base_transport is not None:
        transport: httpx.AsyncBaseTransport = base_transport
        backend, model = "custom", settings.model or "custom"
        base_url, api_key = LOCAL_BASE_URL, settings.effective_api_key() or "custom"
        counter = counter_for("openai", model, None)
    elif backend == "local":
        model_path = resolve_model_path(settings)
        transport = LocalTransport(
            model_path, n_ctx=settings.n_ctx, n_threads=settings.n_threads,
            repeat_penalty=settings.repeat_penalty, prefix_cache_mb=settings.prefix_cache_mb,
        )
        model = model_path.name if settings.model in (None, *PRESETS) else settings.model
        base_url, api_key = LOCAL_BASE_URL, "local"
        extra_body = {"repeat_penalty": settings.repeat_penalty}
        counter = counter_for("local", model, model_path)
    else:
        transport = httpx.AsyncHTTPTransport(retries=0, limits=httpx.Limits(max_connections=32), verify=_tls_context())
        model = settings.model or DEFAULT_OPENAI_MODEL
        base_url = settings.effective_base_url()
        api_key = settings.effective_api_key() or "not-needed"
        counter = counter_for("openai", model, None)

    if backend != "local":
        transport = RetryTransport(transport, max_retries=settings.max_retries, base_delay_s=settings.retry_backoff_s)
    if settings.use_cache:
        cache_dir = settings.cache_dir or Path.home() / ".cache" / "negoprep"
        transport = CachingTransport(transport, CallCache(cache_dir / "calls.sqlite"))
    cassette = None
    if settings.record:
        cassette = Cassette(settings.record, meta={"backend": backend, "model": model, "extra_body": extra_body})
        transport = RecordingTransport(transport, cassette)
        counter = _counting(counter, cassette, replaying=False)
    client = AsyncOpenAI(
        api_key=api_key, base_url=base_url, max_retries=0,
        timeout=settings.timeout_s, http_client=httpx.AsyncClient(transport=transport, timeout=settings.timeout_s),
    )
    return LLM(client, backend, model, counter, cassette, extra_body=extra_body,
               limiter=RateLimiter(settings.requests_per_minute, settings.tokens_per_minute))
