"""The model's verdict on a statement against the passages the rules retrieved: supported, contradicted or
not stated. The instruction and the parties open every question (the model's state for them is kept), the
passages and the statement follow; the answer is one grammar-constrained word."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from pipeline.llm.client import LLM, make_llm
from pipeline.llm.prompts import load_prompt
from pipeline.llm.structured import call_structured
from pipeline.settings import Settings

Verdict = Literal["supported", "contradicted", "not_stated"]
PROMPT = "entail"
NODE = "claims"


@dataclass(frozen=True)
class Question:
    """One statement and the passages it is read against (each as `document: text`)."""

    statement: str
    passages: tuple[str, ...]
    our_side: str
    counterpart: str


Entail = Callable[[Question], Verdict]
"""What the checker asks when the rules neither confirm nor rule out a statement."""


class Entailment(BaseModel):
    verdict: Verdict


class ModelEntailer:
    """Asks the configured model (the embedded default, or a cassette with `settings.replay`) from any thread (the
    synchronous checker runs off the event loop). Alone it runs one event loop and client of its own; a run's
    entailer is given the run's loop and client (`client`, awaited on `loop`): the model is not loaded twice."""

    def __init__(self, settings: Settings, *, client: Callable[[], Awaitable[LLM]] | None = None,
                 loop: asyncio.AbstractEventLoop | None = None):
        self.settings = settings.model_copy(update={"repair_attempts": 0, "max_output_tokens": 16})
        self.prompt = load_prompt(settings.prompts_dir, PROMPT)
        self._client = client if loop is not None else None
        self._own = loop is None or client is None
        self._loop = asyncio.new_event_loop() if self._own else loop
        self._thread: threading.Thread | None = None
        if self._own:
            self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="entail")
            self._thread.start()
        self.asked = 0
        self.seconds = 0.0
        """Time spent waiting for the model's answers."""
        self._llm: LLM | None = None

    def __call__(self, question: Question) -> Verdict:
        self.asked += 1
        started = time.perf_counter()
        try:
            return asyncio.run_coroutine_threadsafe(self.ask(question), self._loop).result()
        finally:
            self.seconds += time.perf_counter() - started

    async def ask(self, question: Question) -> Verdict:
        if self._client is not None:
            llm = await self._client()
        else:
            if self._llm is None:
                self._llm = await asyncio.to_thread(make_llm, self.settings)
            llm = self._llm
        messages = self.prompt.messages(our_side=question.our_side or "our side",
                                        counterpart=question.counterpart or "the counterpart",
                                        passages="\n".join(f"Passage: {p}" for p in question.passages),
                                        statement=question.statement)
        answer, _ = await call_structured(llm, self.settings, node=NODE, prompt=self.prompt, messages=messages,
                                          output=Entailment)
        return answer.verdict

    def close(self) -> None:
        """Close the entailer's own client and loop (a run's are the run's to close)."""
        if self._own and self._loop.is_running():
            if self._llm is not None:
                asyncio.run_coroutine_threadsafe(self._llm.aclose(), self._loop).result()
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join()

    def __enter__(self) -> ModelEntailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
