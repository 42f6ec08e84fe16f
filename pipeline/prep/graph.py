"""The LangGraph state machine: ingest -> extract -> verify_profile -> {challenge || profile}
-> verify_analysis -> merge -> translate -> assemble -> END (the agents of each stage from `agents.registry`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from functools import lru_cache

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents import registry
from pipeline.prep.translate import translate
from pipeline.version import __version__
from pipeline.agent_kit import settings_of, timed
from pipeline.case.injection import flag_instructions
from pipeline.case.loading import case_from_input
from pipeline.case.pseudonymize import Pseudonymizer, pseudonymize_case, restore_quotes, restore_value
from pipeline.case.quarantine import quarantine
from pipeline.checks.echoes import EchoCheck, remove_echoes
from pipeline.checks.evidence import inference_share, support
from pipeline.checks.item_checks import EVIDENCE_WARNINGS, check_synthesis_numbers, ground_premises, verify_premises
from pipeline.checks.language_mix import check_language
from pipeline.llm.clients import llm_for
from pipeline.schemas import CaseInfo, DocumentInfo, Provenance, ReportWarning
from pipeline.schemas.fit import fit_report
from pipeline.settings import Settings
from pipeline.prep.state import PrepInput, PrepOutput, PrepState


async def ingest(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("ingest", {}) as update:
        settings = settings_of(runtime)
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
        case, flagged, flag_warnings = quarantine(case, flag_instructions(case), keep=settings.keep_flagged,
                                                  first_number=len(warnings) + 1)
        warnings += flag_warnings
        llm = await llm_for(settings)
        docs = [
            DocumentInfo(name=d.name, kind=d.kind, chars=len(d.text), tokens=llm.counter.count(d.text),
                         units=len(d.units), metadata=d.metadata)
            for d in case.documents
        ]
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


async def verified(state: PrepState, settings: Settings, stage: int) -> dict:
    """The state update of the stage's agents verified: each output's own check (its `verify`), then its
    premises checked against the materials in place."""
    update: dict = {}
    warnings = []
    for agent in registry.PREPARATION.at_stage(stage):
        output = state[agent.state_key].model_copy(deep=True)
        if agent.verify is not None:
            output, own = await asyncio.to_thread(agent.verify, output, state, settings)
            warnings += own
        update[agent.state_key] = output
    checked = [p for agent in registry.PREPARATION.at_stage(stage) for p in agent.premises(update[agent.state_key])]
    return {**update, "warnings": warnings + verify_premises(state["case"], checked)}


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
    """Build the validated `PrepReport` from the state (no model call), each item checked a last time; what
    the steps after the nodes left outside the report's contract repaired or dropped, with a warning (`fit_report`)."""
    settings = settings_of(runtime)
    llm = await llm_for(settings)
    seconds = dict(state.get("node_seconds", {}))
    agents = registry.PREPARATION
    sections = {agent.report_field: state[agent.state_key].model_copy(deep=True) for agent in agents}
    premises = agents.premises(sections)
    flagged = state.get("flagged", [])
    evidence = ground_premises(state["case"], premises)
    echoes = remove_echoes(EchoCheck(state["case"], flagged), premises, agents.free_texts(sections))
    items = [p.item for p in premises]
    provenance = Provenance(
        negoprep_version=__version__, backend=llm.backend, model=llm.model,
        prompts=state.get("prompts", {}), calls=state.get("calls", []), node_seconds=seconds,
        total_seconds=round(sum(seconds.values()), 3), knowledge_base=state.get("kb_ids", []),
        support=support(items), inference_share=inference_share(items),
        withheld=sum(f.withheld for f in flagged), echoes=len(echoes), translations=state.get("translations", []),
        started_at=state.get("meta", {}).get("started_at", ""),
    )
    warnings = [w for w in state.get("warnings", []) if w.code not in EVIDENCE_WARNINGS]
    warnings += evidence + echoes + check_synthesis_numbers(state["case"], sections["synthesis"])
    warnings += check_language(sections, state["case"].language)
    dumped = agents.report(case=state["case_info"], **sections, provenance=provenance, warnings=warnings).model_dump(mode="json")
    if state.get("pseudonyms"):
        pseudonymizer = Pseudonymizer(mapping=state["pseudonyms"])
        restore_quotes(dumped, pseudonymizer, state.get("originals", {}))
        dumped = restore_value(dumped, pseudonymizer)
    return {"report": fit_report(agents.report, dumped)}


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
