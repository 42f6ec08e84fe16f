"""The clients of a run: one per settings and event loop, shared by every node."""

from __future__ import annotations

import asyncio

from pipeline.llm.client import LLM, make_llm
from pipeline.settings import Settings

_CLIENTS: dict[tuple[int, str], LLM] = {}


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
