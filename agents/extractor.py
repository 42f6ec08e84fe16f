"""Case extractor: the deal profile, every item with evidence from the materials."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.agent_kit import (Agent, ask, in_language, ask_parts, calls_so_far, flagged_texts, resources_of, room_for_materials,
                                timed)
from pipeline.case.authorship import oriented
from pipeline.case.documents import Document
from pipeline.case.chunking import render_documents
from pipeline.cleanup.repeats import without_repeats
from pipeline.deal_profiles import keep_sides, list_limit, merge_profiles, move_absences
from pipeline.brief.facts import key
from pipeline.checks.quantities import Date, dates_in
from pipeline.errors import BackendError
from pipeline.resources import resources_for
from pipeline.note_figures import figures_of_notes
from pipeline.schemas import CallRecord, DealFacts, DealProfile, DealStakes, ReportWarning, Sides
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "extractor"
PROMPT_OVERHEAD_TOKENS = 900
SIDES_PROMPT = SIDES_NODE = "sides"
PARTS = {"facts": DealFacts, "stakes": DealStakes}
"""One call each, over the same materials (benchmarks/results/design-notes-2026-12.md)."""


async def settle_sides(state: PrepState, runtime: Runtime[Settings],
                       materials: str) -> tuple[tuple[str, str], list[CallRecord], dict]:
    """(our side, counterpart): as case.yaml names them; else asked first, over the materials the extractor
    reads next (so the model's cache of them serves both), and turned round when the internal documents'
    letterhead says so. With the calls and prompts that took."""
    case = state["case"]
    if case.our_side and case.counterpart:
        return (case.our_side, case.counterpart), [], {}
    sides, update = await ask(runtime, node=SIDES_NODE, prompt_name=SIDES_PROMPT, output=Sides,
                              spent=calls_so_far(state), materials=materials, language=case.language)
    found = oriented(case, sides.our_side, sides.counterpart)
    return (case.our_side or found[0], case.counterpart or found[1]), update["calls"], update["prompts"]


async def ask_profile(runtime: Runtime[Settings], *, node: str, spent: list[CallRecord], documents: list[Document],
                      sides: tuple[str, str], language: str, flagged: tuple[str, ...] = ()) -> tuple[DealProfile, dict]:
    """The deal profile of `documents`: one call per part of `PARTS`, their answers joined, and the key facts
    of our side's notes among them; with the state update the calls make."""
    values = dict(materials=render_documents(documents), our_side=sides[0], counterpart=sides[1],
                  language=language, feedback="")
    profile, update = await ask_parts(runtime, node=node, prompt_name=PROMPT, output=DealProfile, parts=PARTS,
                                      spent=spent, **values)
    key_facts = figures_of_notes(documents, list_limit("key_facts"), flagged)
    return without_repeats(profile.model_copy(update={"key_facts": key_facts})), update


async def extract(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("extract", {}) as update:
        resources = resources_of(runtime)
        settings, case = resources.settings, state["case"]
        chunks = await resources.chunks(case, room_for_materials(settings, PROMPT_OVERHEAD_TOKENS))
        gate = asyncio.Semaphore(settings.chunk_concurrency)
        sides, calls, prompts = await settle_sides(state, runtime, render_documents(chunks[0]))
        if all(sides):
            resources.prefetch(case, sides)  # the profile keeps these sides: its claim checker is built meanwhile

        async def extract_chunk(chunk):
            async with gate:
                return await ask_profile(runtime, node="extract", spent=calls_so_far(state) + calls,
                                         documents=chunk, sides=sides, language=case.language,
                                         flagged=flagged_texts(state))

        results = await asyncio.gather(*(extract_chunk(chunk) for chunk in chunks))
        profiles = [profile for profile, _ in results]
        calls += [c for _, call_update in results for c in call_update["calls"]]
        update.update(deal_profile=move_absences(keep_sides(merge_profiles(profiles), *sides)),
                      calls=calls, prompts={**prompts, **results[-1][1]["prompts"]})
        if len(chunks) > 1:
            update["warnings"] = [ReportWarning(
                code="chunked",
                message=f"the materials exceed the model's context ({settings.n_ctx} tokens); "
                        f"they were extracted in {len(chunks)} chunks and the results merged",
            )]
    return update


def verify(profile: DealProfile, state: PrepState, settings: Settings) -> tuple[DealProfile, list[ReportWarning]]:
    """Deadlines already past at the case's newest message or document left out (they are history, not a
    deadline to prepare for); a small model's missing information left out (`model_prose` off)."""
    resources = resources_for(settings)
    warnings = []
    if not resources.writes_prose() and profile.missing_information:
        warnings.append(ReportWarning(code="left-out", key="missing", values={"n": len(profile.missing_information)},
                                      message=(
            f"{len(profile.missing_information)} lines of missing information left out: written by a model too small "
            "to tell what the materials leave open (`model_prose` off); the first page names what is to decide")))
        profile = profile.model_copy(update={"missing_information": []})
    newest = resources.case_facts(state["case"]).newest
    if newest is None or newest.date.year is None:
        return profile, warnings
    today = key(newest.date)
    kept = [d for d in profile.deadlines if not _past(d, today, newest.date.year)]
    dropped = len(profile.deadlines) - len(kept)
    if not dropped:
        return profile, warnings
    return profile.model_copy(update={"deadlines": kept}), warnings + [ReportWarning(code="left-out", message=(
        f"{dropped} deadline{'s' if dropped != 1 else ''} already past at the newest document ({newest.written}) "
        "left out of the deadlines"))]


def _past(deadline, today: tuple[int, int, int], year: int) -> bool:
    found = dates_in(f"{deadline.date} {deadline.text}")
    return bool(found) and all(key(Date(d.month, d.day, d.year or year)) < today for d in found)


def profile_line(item, words) -> str:
    """An item of the deal profile as one line of the Word report (`words`: the report's labels)."""
    if hasattr(item, "name") and item.text.strip().lower() == item.name.strip().lower():
        return f"{item.name} ({words.roles[item.role]})"  # a party the model named only by its name
    prefix = f"{item.name} ({words.roles[item.role]}): " if hasattr(item, "name") else ""
    if hasattr(item, "side"):
        prefix += f"[{words.sides[item.side]}] "
    if hasattr(item, "type"):
        prefix += f"{words.alternative_tags[item.type]}, {words.strengths[item.strength]} \u2014 "
    date = f" \u2014 {item.date}" if getattr(item, "date", "") else ""
    return prefix + item.text + date


WORDING = {
    "en": {"by": "case extractor", "where": "deal profile", "missing": "Missing information"},
    "no": {"title": "Avtaleprofil", "by": "saksuttrekk", "where": "avtaleprofil", "missing": "Manglende informasjon",
           "parties": "Parter", "issues": "Forhandlingstemaer", "interests": "Interesser", "positions": "Posisjoner",
           "alternatives": "Alternativer", "dependencies": "Avhengigheter", "risks": "Risikoer", "deadlines": "Frister",
           "constraints": "Begrensninger", "key_facts": "Nøkkelfakta fra våre notater"},
    "de": {"title": "Verhandlungsprofil", "by": "Fallauswertung", "where": "Verhandlungsprofil",
           "missing": "Fehlende Informationen", "parties": "Parteien", "issues": "Verhandlungsgegenstände",
           "interests": "Interessen", "positions": "Positionen", "alternatives": "Alternativen",
           "dependencies": "Abhängigkeiten", "risks": "Risiken", "deadlines": "Fristen",
           "constraints": "Rahmenbedingungen", "key_facts": "Kernfakten aus unseren Notizen"},
}


def word(w, profile: DealProfile, number: int) -> None:
    words = w.section("deal_profile")
    w.heading(f"{number}. {words['title']}", 1)
    if w.view.report.provenance.unconfirmed_shown:  # the model's one-line framing: with a small model, left out
        w.para(profile.summary)
    w.items("deal_profile", lambda item: profile_line(item, w.words))
    w.bullets(words["missing"], profile.missing_information)


AGENT = Agent(
    name="extractor", prompt=PROMPT, node="extract", report_field="deal_profile", stage=1,
    output=DealProfile, title="Deal profile", run=extract, word=word, groups=DealProfile.item_lists, facts=True,
    titles={"parties": "Parties", "issues": "Issues", "interests": "Interests", "positions": "Positions",
            "alternatives": "Alternatives", "dependencies": "Dependencies", "risks": "Risks",
            "deadlines": "Deadlines", "constraints": "Constraints", "key_facts": "Key facts from our notes"},
    texts=("summary", "missing_information"), prose=("summary",), label=lambda profile: f"{profile.our_side} / {profile.counterpart}",
    verify=verify, wording=lambda language: in_language(WORDING, language),
)
