"""Fixed-pie challenger: widens the field with knowledge-base concepts, each suggestion cited."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.agent_kit import (BESIDE_MATERIALS, Agent, in_language, as_data, ask_parts, calls_so_far, case_materials,
                                 materials_tokens, resources_of, room_for_materials, timed)
from pipeline.checks.citations import ground_citations
from pipeline.knowledge import context_block
from pipeline.checks.advice import dropped_warning, keep_wise
from pipeline.resources import resources_for
from pipeline.schemas import ChallengeField, ChallengeMoves, ChallengeReport, DealProfile, ReportWarning
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "challenger"
PROMPT_OVERHEAD_TOKENS = 800
MIN_KNOWLEDGE_TOKENS = 600
"""The knowledge entries' share of the prompt however long the materials: the rest goes to the materials first, so
the challenger reads them whole where the extractor did (and the model's state of them is reused)."""
PARTS = {"field": ChallengeField, "moves": ChallengeMoves}
"""One call each over the same materials, deal profile and entries (benchmarks/results/design-notes-2026-12.md)."""


def retrieval_queries(profile: DealProfile) -> list[str]:
    """What the knowledge base is searched with: issues, interests, dependencies, alternatives, risks."""
    groups = (profile.issues, profile.interests, profile.dependencies, profile.alternatives, profile.risks)
    return [profile.summary] + [item.text for group in groups for item in group]


async def challenge(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("challenge", {}) as update:
        resources = resources_of(runtime)
        settings = resources.settings
        profile, case = state["deal_profile"], state["case"]
        counter = (await resources.llm()).counter
        kb = await asyncio.to_thread(resources.knowledge_base)
        ranked = kb.retrieve_for(retrieval_queries(profile), k=settings.kb_top_k)
        deal_data = as_data(profile, BESIDE_MATERIALS)
        room = room_for_materials(settings, PROMPT_OVERHEAD_TOKENS + counter.count(deal_data)) - await materials_tokens(case, resources)
        knowledge, used = context_block(ranked, min(settings.kb_budget_tokens, max(room, MIN_KNOWLEDGE_TOKENS)), counter)
        ids = [e.id for e in used]
        reserved = PROMPT_OVERHEAD_TOKENS + counter.count(deal_data) + counter.count(knowledge)
        materials, update["warnings"] = await case_materials(case, resources, reserved, "the challenger")
        report, call_update = await ask_parts(
            runtime, node="challenge", spent=calls_so_far(state), prompt_name=PROMPT, output=ChallengeReport,
            parts=PARTS, enums={"citations": ids} if ids else None, our_side=profile.our_side,
            counterpart=profile.counterpart, deal_profile=deal_data, knowledge=knowledge, materials=materials,
            kb_ids=", ".join(ids), language=case.language,
        )
        update.update(challenge=report, kb_ids=ids, **call_update)
    return update


ADVICE = ("hidden_trades", "warnings", "process_moves")
"""Its lists that advise a step: one that concedes for nothing or repeats a step already due is left out."""


def verify(report: ChallengeReport, state: PrepState, settings: Settings) -> tuple[ChallengeReport, list[ReportWarning]]:
    """Its citations kept to the knowledge-base entries it was given; unwise advice left out."""
    resources = resources_for(settings)
    report, warnings = ground_citations(report, state.get("kb_ids", []), resources.knowledge_base())
    deal = state.get("deal_profile")
    checker = resources.claim_checker(state["case"], *((deal.our_side, deal.counterpart) if deal else ()))
    newest = resources.case_facts(state["case"]).newest
    counts: dict[str, int] = {}
    kept = {name: keep_wise(getattr(report, name), lambda s: " ".join(
        filter(None, (s.text, getattr(s, "we_give", "")))), checker, newest.date if newest else None, counts)
            for name in ADVICE}
    report = report.model_copy(update=kept)
    dropped = dropped_warning(counts, "the fixed-pie challenge")
    return report, warnings + ([dropped] if dropped else [])


WORDING = {
    "en": {"by": "fixed-pie challenger", "where": "challenge", "reframe": "Reframe", "give_label": "Give", "get_label": "Get",
           "we_give": "We give", "we_get": "We get"},
    "no": {"title": "Utfordre den faste kaken", "by": "utfordrer av fast kake", "where": "utfordring", "reframe": "Ny innramming",
           "give_label": "Vi gir", "get_label": "Vi får", "we_give": "Vi gir", "we_get": "Vi får",
           "widened_elements": "Utvid feltet: hva denne forhandlingen består av", "hidden_trades": "Skjulte byttehandler",
           "partial_alternatives": "Delvise alternativer",
           "their_dependencies": "Deres avhengigheter (hvilket problem har de fortsatt i morgen tidlig?)",
           "warnings": "Advarsler (ikke trusler)", "process_moves": "Prosesstrekk (taktisk samtykke)"},
    "de": {"title": "Den festen Kuchen hinterfragen", "by": "Herausforderer des festen Kuchens", "where": "Hinterfragen",
           "reframe": "Neue Rahmung", "give_label": "Wir geben", "get_label": "Wir bekommen", "we_give": "Wir geben",
           "we_get": "Wir bekommen",
           "widened_elements": "Das Feld erweitern: woraus diese Verhandlung besteht",
           "hidden_trades": "Verdeckte Tauschgeschäfte", "partial_alternatives": "Teilalternativen",
           "their_dependencies": "Ihre Abhängigkeiten (welches Problem haben sie morgen früh immer noch?)",
           "warnings": "Warnungen (keine Drohungen)", "process_moves": "Prozessschritte (taktische Zustimmung)"},
}


def word(w, report: ChallengeReport, number: int) -> None:
    words = w.section("challenge")

    def line(s) -> str:
        trade = f"{words['give_label']}: {s.we_give} · {words['get_label']}: {s.we_get} \u2014 " if hasattr(s, "we_give") else ""
        cites = ", ".join(w.kb_title(c) for c in s.citations)
        return f"{trade}{s.text} ({w.words.dimensions[s.dimension]}; {w.words.see} {cites})"

    w.heading(f"{number}. {words['title']}", 1)
    if w.view.report.provenance.unconfirmed_shown:  # the model's own reading: shown with its inferences
        w.para(report.reframe, bold_prefix=f"{words['reframe']}: ")
    w.items("challenge", line)


AGENT = Agent(
    name="challenger", prompt=PROMPT, node="challenge", report_field="challenge", stage=2,
    output=ChallengeReport, title="Challenging the fixed pie", run=challenge, word=word, verify=verify,
    groups=ChallengeReport.suggestion_lists, texts=("reframe",), prose=("reframe",), anchor="fixed-pie",
    titles={"widened_elements": "Widen the field: what this negotiation is made of", "hidden_trades": "Hidden trades",
            "partial_alternatives": "Partial alternatives",
            "their_dependencies": "Their dependencies (what problem will they still have tomorrow morning?)",
            "warnings": "Warnings (not threats)", "process_moves": "Process moves (tactical consent)"},
    wording=lambda language: in_language(WORDING, language),
)
