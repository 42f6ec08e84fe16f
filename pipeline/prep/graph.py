"""The LangGraph state machine: ingest -> extract -> verify_profile -> {challenge || profile}
-> verify_analysis -> merge -> translate -> assemble -> END (the agents of each stage from `agents.registry`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents import registry
from pipeline.prep.translate import translate
from pipeline.version import __version__
from pipeline.agent_kit import resources_of, settings_of, timed
from pipeline.case.documents import CaseMaterials
from pipeline.case.injection import Cue, flag_instructions
from pipeline.case.loading import case_from_input
from pipeline.case.pseudonymize import Pseudonymizer, pseudonymize_case, restore_quotes, restore_value
from pipeline.case.quarantine import quarantine
from pipeline.checks.echoes import EchoCheck, remove_echoes
from pipeline.cleanup.cut import without_cut_items
from pipeline.cleanup.repeats import without_near_repeats
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.evidence import inference_share, support, support_with_quoted
from pipeline.checks.item_checks import (EVIDENCE_WARNINGS, check_synthesis_numbers, ground_premises,
                                         remove_contradicted, verify_premises)
from pipeline.checks.language_mix import check_language
from pipeline.schemas import CaseInfo, DocumentInfo, PrepReport, Provenance, ReportWarning
from pipeline.schemas.copying import deep_copy
from pipeline.schemas.fit import fit_report
from pipeline.settings import Settings
from pipeline.tokens import TokenCounter
from pipeline.prep.state import PrepInput, PrepOutput, PrepState
from pipeline.resources import RunResources, resources_for


async def ingest(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("ingest", {}) as update:
        resources = resources_of(runtime)
        settings = resources.settings
        case = await asyncio.to_thread(case_from_input, state, max_file_mb=settings.max_file_mb,
                                       language=settings.language)
        hidden = 0
        if settings.pseudonymize:
            originals = {doc.name: doc.text for doc in case.documents}
            case, pseudonymizer = pseudonymize_case(case)
            update.update(pseudonyms=pseudonymizer.mapping, originals=originals)
            hidden = len(set(pseudonymizer.mapping.values()))
        warnings = [ReportWarning(code="skipped", message=m) for m in case.skipped]
        warnings += [ReportWarning(code="document", message=w, document=d.name) for d in case.documents for w in d.warnings]
        case, flagged, flag_warnings = await asyncio.to_thread(_quarantined, case, settings.keep_flagged,
                                                               len(warnings) + 1, resources.cues)
        warnings += flag_warnings
        resources.prefetch(case)
        llm = await resources.llm()
        docs = await asyncio.to_thread(_documents, case, llm.counter)
        info = CaseInfo(
            name=case.name, title=case.title, our_side=case.our_side, counterpart=case.counterpart,
            language=case.language, documents=docs, token_count=sum(d.tokens for d in docs),
            token_encoding=llm.counter.encoding, tokens_approximate=llm.counter.approximate,
        )
        if settings.pseudonymize:
            warnings.append(ReportWarning(code="pseudonymized", message=f"{hidden} names, companies, e-mail addresses and phone "
                                    "numbers were replaced by placeholders before any model call and restored here"))
        update.update(case=case, case_info=info, flagged=flagged, warnings=warnings,
                      meta={"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    return update


def _quarantined(case: CaseMaterials, keep: bool, first_number: int, cue: Cue):
    return quarantine(case, flag_instructions(case, cue), keep=keep, first_number=first_number)


def _documents(case: CaseMaterials, counter: TokenCounter) -> list[DocumentInfo]:
    """Each document's size, counted once."""
    return [DocumentInfo(name=d.name, kind=d.kind, chars=len(d.text), tokens=counter.count(d.text),
                         units=len(d.units), metadata=d.metadata) for d in case.documents]


def _checker(state: PrepState, resources: RunResources, update: dict | None = None) -> ClaimChecker:
    """The run's claim checker, for the sides the deal profile names (the case's before there is one)."""
    profile = (update or {}).get("deal_profile") or state.get("deal_profile")
    case = state["case"]
    if profile is None:
        return resources.claim_checker(case)
    return resources.claim_checker(case, profile.our_side, profile.counterpart)


async def verified(state: PrepState, settings: Settings, stage: int) -> dict:
    """The state update of the stage's agents verified: each output's own check (its `verify`), then its
    premises not checked yet checked against the materials in place by the claim checker (off the event loop)."""
    resources = resources_for(settings)
    update: dict = {}
    warnings = []
    for agent in registry.PREPARATION.at_stage(stage):
        output = deep_copy(state[agent.state_key])
        if agent.verify is not None:
            output, own = await asyncio.to_thread(agent.verify, output, state, settings)
            warnings += own
        update[agent.state_key] = output
    checked = [p for agent in registry.PREPARATION.at_stage(stage) for p in agent.premises(update[agent.state_key])]
    checker = await asyncio.to_thread(_checker, state, resources, update)
    return {**update, "warnings": warnings + await asyncio.to_thread(verify_premises, checker, checked)}


async def verify_profile(state: PrepState, runtime: Runtime[Settings]) -> dict:
    """The deal profile's premises verified in place."""
    async with timed("verify_profile", {}) as update:
        update.update(await verified(state, settings_of(runtime), 1))
    return update


async def verify_analysis(state: PrepState, runtime: Runtime[Settings]) -> dict:
    """The analyses' premises verified in place (the challenger's citations first kept to the entries it was given)."""
    async with timed("verify_analysis", {}) as update:
        update.update(await verified(state, settings_of(runtime), 2))
    return update


async def assemble(state: PrepState, runtime: Runtime[Settings]) -> dict:
    """Build the validated `PrepReport` from the state (no model call); the items' last checks run off the
    event loop, so other runs' nodes go on meanwhile."""
    resources = resources_of(runtime)
    llm = await resources.llm()
    checker = await asyncio.to_thread(_checker, state, resources)
    return {"report": await asyncio.to_thread(_report, state, checker, llm.backend, llm.model, resources.languages,
                                              resources.settings.shows_unconfirmed(llm.backend))}


def _report(state: PrepState, checker: ClaimChecker, backend: str, model: str,
            languages: dict[str, str] | None = None, unconfirmed_shown: bool = True) -> PrepReport:
    """The report of the state: each item not checked yet checked, the lines quoted from our notes located, the
    sentences of the free texts that the materials contradict taken out; what the steps after the nodes left
    outside the report's contract repaired or dropped, with a warning (`fit_report`)."""
    seconds = dict(state.get("node_seconds", {}))
    agents = registry.PREPARATION
    sections = {agent.report_field: deep_copy(state[agent.state_key]) for agent in agents}
    flagged = state.get("flagged", [])
    evidence = ground_premises(checker, agents.premises(sections))
    cut = without_cut_items([items for lists in _item_lists(agents, sections) for items in lists])
    repeats = without_near_repeats(*_item_lists(agents, sections))
    premises = agents.premises(sections)
    echoes = remove_echoes(EchoCheck(state["case"], flagged), premises, agents.free_texts(sections))
    sentences = remove_contradicted(checker, [(field, output, texts) for field, output, texts in agents.free_texts(sections)
                                              if not getattr(output, "composed", False)])  # a model's sentences only
    items = [p.item for p in premises]
    provenance = Provenance(
        negoprep_version=__version__, backend=backend, model=model,
        prompts=state.get("prompts", {}), calls=state.get("calls", []), node_seconds=seconds,
        total_seconds=round(sum(seconds.values()), 3), knowledge_base=state.get("kb_ids", []),
        support=support(items), inference_share=inference_share(items),
        quoted=sum(i.verification == "quoted" for i in items), support_with_quoted=support_with_quoted(items),
        contradicted=sum(i.verification == "contradicted" for i in items) + sentences.removed,
        checked_sentences=sentences.checked, unconfirmed_shown=unconfirmed_shown,
        withheld=sum(f.withheld for f in flagged), echoes=len(echoes), translations=state.get("translations", []),
        started_at=state.get("meta", {}).get("started_at", ""),
        case_path=str(Path(state["path"]).resolve()) if state.get("path") else "",
    )
    warnings = [w for w in state.get("warnings", []) if w.code not in EVIDENCE_WARNINGS]
    warnings += evidence + echoes + sentences.warnings + ([ReportWarning(code="left-out", key="repeats", values={"n": repeats},
        message=f"{repeats} item{'s' if repeats != 1 else ''} that repeated another in other words left out")] if repeats else [])
    warnings += [ReportWarning(code="left-out", key="cut", values={"n": cut},
                               message=f"{cut} item{'s' if cut != 1 else ''} cut off at the answer's "
                               "length with no whole sentence left out")] if cut else []
    warnings += check_synthesis_numbers(checker.index, sections["synthesis"])
    warnings += check_language(sections, state["case"].language, languages)
    dumped = agents.report(case=state["case_info"], **sections, provenance=provenance, warnings=warnings).model_dump(mode="json")
    if state.get("pseudonyms"):
        pseudonymizer = Pseudonymizer(mapping=state["pseudonyms"])
        restore_quotes(dumped, pseudonymizer, state.get("originals", {}))
        dumped = restore_value(dumped, pseudonymizer)
    return fit_report(agents.report, dumped)


def _item_lists(agents, sections: dict) -> tuple[list[list], list[list]]:
    """The report's item lists, the lead sections' (the first page) apart from the others'."""
    lists = {True: [], False: []}
    for agent in agents:
        lists[agent.lead] += list(agent.groups(sections[agent.report_field]).values())
    return lists[True], lists[False]


def add_agents(builder: StateGraph, stage: int, after: str, before: str) -> None:
    """The stage's agents (`agents.registry`), side by side between `after` and `before`."""
    agents = registry.PREPARATION.at_stage(stage)
    for agent in agents:
        builder.add_node(agent.node, agent.run, input_schema=registry.PREPARATION.state)
        builder.add_edge(after, agent.node)
    nodes = [agent.node for agent in agents] or [after]
    builder.add_edge(nodes[0] if len(nodes) == 1 else nodes, before)


def build_graph() -> StateGraph:
    state = registry.PREPARATION.state
    builder = StateGraph(state, context_schema=Settings, input_schema=PrepInput, output_schema=PrepOutput)
    for node in (ingest, verify_profile, verify_analysis, translate, assemble):
        builder.add_node(node.__name__, node, input_schema=state)
    builder.add_edge(START, "ingest")
    add_agents(builder, 1, "ingest", "verify_profile")            # extract
    add_agents(builder, 2, "verify_profile", "verify_analysis")   # challenge || profile
    add_agents(builder, 3, "verify_analysis", "translate")        # merge
    builder.add_edge("translate", "assemble")
    builder.add_edge("assemble", END)
    return builder


def compile_graph(checkpointer=None):
    """The compiled graph; without a checkpointer one compiled instance is shared."""
    if checkpointer is None:
        return _shared_graph()
    return build_graph().compile(checkpointer=checkpointer, name="negoprep")


@lru_cache(maxsize=1)
def _shared_graph():
    return build_graph().compile(name="negoprep")
