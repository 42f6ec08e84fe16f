"""Translate: the texts of the brief a model wrote in another language than the brief's, reworded in it.

A small model asked for a Norwegian brief writes much of it in English. Each such text is sent on its own
(a list of texts in one call made the model repeat one translation for the rest), and a rewording replaces
the text only where it keeps its numbers, dates and placeholders and is in the brief's language."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from agents import registry
from pipeline.agent_kit import ask_text, calls_so_far, resources_of, timed
from pipeline.case.language import language_name
from pipeline.checks.evidence import statement
from pipeline.checks.language_mix import foreign_texts, with_texts
from pipeline.checks.translation import rejection
from pipeline.errors import BudgetExceeded
from pipeline.schemas import ReportWarning, Translation
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "translate"
ANSWER_TOKENS_PER_TOKEN = 3
"""A rewording may take this many tokens per token of the text (and 16 more) before it is cut off."""


async def translate(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("translate", {}) as update:
        language = state["case"].language
        sections = {agent.state_key: state[agent.state_key] for agent in registry.PREPARATION}
        records: list[Translation] = []
        update.update(calls=[], prompts={})
        resources = resources_of(runtime)
        texts = await asyncio.to_thread(foreign_texts, sections, language, resources.languages)
        counter = (await resources.llm()).counter
        for done, original in enumerate(texts):
            try:
                answer, call_update = await ask_text(
                    runtime, node="translate", prompt_name=PROMPT, spent=[*calls_so_far(state), *update["calls"]],
                    max_tokens=ANSWER_TOKENS_PER_TOKEN * counter.count(original) + 16, language=language,
                    text=original)
            except BudgetExceeded as exc:
                update["warnings"] = [ReportWarning(code="budget", message=(
                    f"{len(texts) - done} texts were left in another language than the brief's: {exc}"))]
                break
            update["calls"] += call_update["calls"]
            update["prompts"].update(call_update["prompts"])
            why = rejection(original, answer, language)
            records.append(Translation(original=original, translated=answer, used=not why, why=why))
        table = {r.original: r.translated for r in records if r.used}
        if records:
            kept = len(records) - len(table)
            update["warnings"] = update.get("warnings", []) + [ReportWarning(
                code="translated", key="translated", values={"done": len(table), "n": len(records), "kept": kept},
                message=(
                f"{len(table)} of {len(records)} texts the models wrote in another language were reworded in "
                f"{language_name(language)} by the translate step (a small model's rewording may be clumsy or "
                "shift the meaning: report.json keeps each original under provenance.translations)"
                + (f"; {kept} {'stays' if kept == 1 else 'stay'} as written: the rewording changed a figure, lost a "
                   "placeholder or was not in that language" if kept else "")))]
        update.update({key: reworded(sections[key], with_texts(model, table), key) for key, model in sections.items()},
                      translations=records)
    return update


def reworded(before, after, state_key: str):
    """`after` with each premise whose statement the translation changed marked to be verified again."""
    agent = next(a for a in registry.PREPARATION if a.state_key == state_key)
    for old, new in zip(agent.premises(before), agent.premises(after)):
        if statement(old.item) != statement(new.item):
            new.item.verification = "pending"
    return after
