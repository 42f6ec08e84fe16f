"""Plain-text answers: one line from the model, without a JSON schema (a rewording, where JSON would only
add tokens to decode around the one string that matters)."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.errors import BackendError
from pipeline.llm.budget import run_ledger
from pipeline.llm.client import LLM
from pipeline.llm.exchange import exchange
from pipeline.llm.prompts import Prompt
from pipeline.schemas import CallRecord
from pipeline.settings import Settings

QUOTES = "\"'“”«»„`"


def one_line(content: str) -> str:
    """The answer as one line: whitespace collapsed, a pair of quotation marks around the whole taken off
    (not marks that open and close quotes inside it)."""
    line = " ".join(content.split())
    if len(line) > 1 and line[0] in QUOTES and line[-1] in QUOTES and not set(line[1:-1]) & set(QUOTES):
        line = line[1:-1].strip()
    return line


async def call_text(llm: LLM, settings: Settings, *, node: str, prompt: Prompt, messages: list[dict[str, str]],
                    max_tokens: int, spent: Sequence[CallRecord] = ()) -> tuple[str, list[CallRecord]]:
    """One call whose answer is a line of text (the model stops at the end of the line or at `max_tokens`);
    the line and the call's record. An unreadable answer is a `BackendError`."""
    ledger = run_ledger(spent)
    answer = await exchange(llm, settings, ledger, node=node, prompt=prompt, attempt=1, messages=messages,
                            max_tokens=min(max_tokens, settings.max_output_tokens), stop=["\n"])
    ledger.calls.append(answer.record)
    if answer.error:
        raise BackendError(node, answer.error, [answer.record])
    return one_line(answer.content), [answer.record]
