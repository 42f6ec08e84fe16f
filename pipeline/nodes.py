"""What every agent node shares: its settings, its client, its prompt, its timing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from langgraph.runtime import Runtime
from pydantic import BaseModel

from pipeline.llm.client import LLM, make_llm
from pipeline.llm.structured import call_structured
from pipeline.prompts import Prompt, load_prompt
from pipeline.repeats import without_repeats
from pipeline.stray_script import without_stray_script
from pipeline.schemas import CallRecord
from pipeline.settings import Settings, load_settings

T = TypeVar("T", bound=BaseModel)
_CLIENTS: dict[tuple[int, str], LLM] = {}


def settings_of(runtime: Runtime | None) -> Settings:
    context = getattr(runtime, "context", None)
    if isinstance(context, Settings):
        return context
    if isinstance(context, dict):
        return load_settings(**context)
    return load_settings()


async def llm_for(settings: Settings) -> LLM:
    """One client per settings and event loop, shared by every node of a run (built off the loop:
    it reads files)."""
    key = (id(asyncio.get_running_loop()), settings.model_dump_json())
    if key not in _CLIENTS:
        llm = await asyncio.to_thread(make_llm, settings)
        _CLIENTS.setdefault(key, llm)
    return _CLIENTS[key]


def register_llm(settings: Settings, llm: LLM) -> None:
    """Use `llm` for runs with these settings on the current event loop (tests, benchmarks)."""
    _CLIENTS[(id(asyncio.get_running_loop()), settings.model_dump_json())] = llm


async def close_clients() -> None:
    loop = id(asyncio.get_running_loop())
    for key in [k for k in _CLIENTS if k[0] == loop]:
        await _CLIENTS.pop(key).aclose()


PIPELINE_KEYS = {"verification", "issues_found", "locator", "match_score"}


def _without(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def as_data(value: Any, drop: frozenset[str] = frozenset()) -> str:
    """Compact JSON of a model or value for prompts, without the pipeline's bookkeeping
    fields and without the keys in `drop`."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(_without(value, PIPELINE_KEYS | drop), ensure_ascii=False, separators=(",", ":"))


@asynccontextmanager
async def timed(node: str, update: dict[str, Any]):
    """Adds the node's wall time to the state update it yields."""
    started = time.perf_counter()
    yield update
    update["node_seconds"] = {node: round(time.perf_counter() - started, 3)}


def calls_so_far(state: dict) -> list[CallRecord]:
    """The run's model calls before this node (what its budget has spent)."""
    return list(state.get("calls", []))


async def ask(
    runtime: Runtime | None, *, node: str, prompt_name: str, output: type[T],
    enums: dict[str, list[str]] | None = None, spent: Sequence[CallRecord] = (), repairs: int | None = None,
    **values: Any,
) -> tuple[T, dict[str, Any]]:
    """Render the node's prompt, call the model for `output`; the result (items it repeated and
    characters of a script foreign to the brief dropped) and its state update."""
    settings = settings_of(runtime)
    prompt: Prompt = await asyncio.to_thread(load_prompt, settings.prompts_dir, prompt_name)
    result, calls = await call_structured(
        await llm_for(settings), settings, node=node, prompt=prompt,
        messages=prompt.messages(**values), output=output, enums=enums, spent=spent,
        repair_attempts=repairs,
    )
    cleaned = without_stray_script(without_repeats(result), str(values.get("language") or ""))
    return cleaned, {"calls": calls, "prompts": {node: prompt.info}}
