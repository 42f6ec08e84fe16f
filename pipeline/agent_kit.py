"""What every agent node shares: its settings, its prompt call, its prompt data, its timing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from langgraph.runtime import Runtime
from pydantic import BaseModel

from pipeline.brief.compose import language_code
from pipeline.case.chunking import render_documents
from pipeline.case.documents import CaseMaterials
from pipeline.llm.structured import call_structured
from pipeline.llm.text import call_text
from pipeline.llm.prompts import Prompt
from pipeline.checks.item_checks import Premise
from pipeline.cleanup.prompt_echoes import without_prompt_echoes
from pipeline.cleanup.repeats import without_repeats
from pipeline.cleanup.stray_script import without_stray_script
from pipeline.schemas import CallRecord, Item, ReportWarning
from pipeline.resources import RunResources, resources_of
from pipeline.settings import Settings

T = TypeVar("T", bound=BaseModel)


def in_language(table: Mapping[str, Mapping[str, str]], language: str) -> dict[str, str]:
    """A wording table's words in `language` (`table[code]` over `table["en"]`; English where it has none)."""
    return {**table["en"], **table.get(language_code(language), {})}


def no_groups(output: BaseModel) -> dict[str, list[Item]]:
    return {}


@dataclass(frozen=True)
class Agent:
    """One agent as the graph, the checks and the report see it (registered in `agents/registry.py`)."""

    name: str
    """Its one name in code: its module `agents/<name>.py` and its partials `<name>.md.j2`, `<name>.html.j2`."""
    prompt: str
    """Its prompt file, `prompts/<prompt>.md` (its id is recorded in provenance)."""
    node: str
    """Its graph node (recorded in cassettes and provenance)."""
    report_field: str
    """Its section of the report (a JSON key of `report.json`); where the graph's state keeps its output unless
    `state_key` says otherwise."""
    stage: Literal[1, 2, 3]
    """When it runs: 1 reads the case, 2 reads the verified deal profile, 3 merges the analyses."""
    output: type[BaseModel]
    title: str
    """Its section's heading in the report."""
    run: Callable[[Any, Runtime[Settings]], Awaitable[dict]]
    word: Callable[[Any, Any, int], None]
    """Writes its section into the Word report: `word(writer, output, number)` (writer: `pipeline.report.word`)."""
    groups: Callable[[Any], dict[str, list[Item]]] = no_groups
    """Its output's lists of premises (the items the checks verify against the materials), by field."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """The report's heading of each group."""
    facts: bool = False
    """Its premises are checked as facts whatever the model labelled them."""
    texts: tuple[str, ...] = ()
    """Its free-text fields beside the premises, echo-checked and scored: `summary` (a text), `plan.process` (a list
    of texts), `next_moves[move,why]` (a list of entries, each with these texts)."""
    prose: tuple[str, ...] = ()
    """Of its texts, those the brief shows only where it lists unconfirmed statements (a model's one-line framing,
    left out with a small model)."""
    label: Callable[[Any], str] | None = None
    """Its section's subject line, scored with its texts (never edited)."""
    verify: Callable[[Any, Mapping[str, Any], Settings], tuple[Any, list[ReportWarning]]] | None = None
    """Its own check after the run, before its premises are verified: `verify(output, state, settings)` gives the
    output and its warnings."""
    partials: Path | None = None
    """The folder of its partials `<name>.md.j2` and `<name>.html.j2`, when not the report's `templates/sections/`."""
    lead: bool = False
    """Its section opens the report (unnumbered) instead of following the numbered sections."""
    sided: bool = False
    """Every statement of its section gives a side to a party (a profile of the counterpart): left out with the other
    side-giving statements where the brief leaves a small model's out (`pipeline.schemas.left_out`)."""
    wording: Callable[[str], dict[str, str]] | None = None
    """Its section's headings, group titles and labels in a brief's language (`wording(language)`, as `words`
    reads them; English where it gives none)."""
    anchor: str = ""
    """The HTML report's id of its section (default: the report field, dashed)."""
    state_key: str = ""
    """Where the graph's state keeps its output, when not `report_field` (taken there)."""

    def __post_init__(self):
        object.__setattr__(self, "state_key", self.state_key or self.report_field)
        object.__setattr__(self, "anchor", self.anchor or self.report_field.replace("_", "-"))

    def words(self, language: str) -> dict[str, str]:
        """Its section's words in `language`: its `title`, its groups' titles (by group name) and the labels its
        `wording` gives (English where it gives none)."""
        return {"title": self.title, **self.titles, **(self.wording(language) if self.wording else {})}

    def premises(self, output: BaseModel) -> list[Premise]:
        """Its output's premises, each with where it sits in the report."""
        return [Premise(f"{self.report_field}.{name}", item, self.facts)
                for name, items in self.groups(output).items() for item in items]


@dataclass(frozen=True)
class TurnAgent:
    """One agent of the rehearsal as its graph sees it (registered in `agents/rehearsal/registry.py`): it answers
    once a turn (or once at the end) and writes its own state key."""

    name: str
    """Its module, `agents/rehearsal/<name>.py`."""
    prompt: str
    """Its prompt file, `prompts/<prompt>.md`."""
    node: str
    """Its graph node (recorded in cassettes and provenance) and the state key it writes."""
    run: Callable[[Any, Runtime[Settings]], Awaitable[dict]]


def settings_of(runtime: Runtime[Settings]) -> Settings:
    """The run's settings, the graph's `context` (LangGraph validates a dict given as context into `Settings`)."""
    return resources_of(runtime).settings


PIPELINE_KEYS = {"verification", "issues_found", "locator", "match_score"}
FOR_READING = frozenset({"evidence", "basis", "kind", "citations"})
"""Keys left out where one agent's output is given to another to read (the statements, not their sources)."""
BESIDE_MATERIALS = FOR_READING | {"key_facts"}
"""Keys left out for an agent that also reads the materials: the key facts are lines of them."""


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


MIN_MATERIALS_TOKENS = 256
"""The least of the materials a reading agent is given, however little room its own prompt leaves."""


ANSWER_ROOM_TOKENS = 1500
"""The context a prompt leaves for its answer (less if `max_output_tokens` is lower); a longer answer stops where
the context ends and is salvaged like one cut off at `max_output_tokens` (benchmarks/results/design-notes-2026-12.md)."""


def room_for_materials(settings: Settings, reserved: int) -> int:
    """Prompt tokens left for the materials after the answer's room and `reserved` tokens of the agent's own."""
    return settings.n_ctx - min(settings.max_output_tokens, ANSWER_ROOM_TOKENS) - reserved


async def materials_tokens(case: CaseMaterials, resources: RunResources) -> int:
    """What all of the materials take in a prompt, as the reading agents render them (counted off the event
    loop: the whole case)."""
    counter = (await resources.llm()).counter
    return await asyncio.to_thread(lambda: counter.count(render_documents(list(case.documents))))


async def case_materials(case: CaseMaterials, resources: RunResources, reserved: int,
                         reader: str) -> tuple[str, list[ReportWarning]]:
    """The materials as a reading agent sees them, after `reserved` prompt tokens of its own: all documents
    when they fit (the same text the extractor read, so the model's cache of it is reused), else the first
    part, with a warning that `reader` saw only that."""
    room = room_for_materials(resources.settings, reserved)
    chunks = await resources.chunks(case, max(room, MIN_MATERIALS_TOKENS))
    warnings = [ReportWarning(code="chunked", message=f"{reader} saw only the first of {len(chunks)} parts of the "
                                                      "materials (they exceed the model's context)")]
    return render_documents(chunks[0]), warnings if len(chunks) > 1 else []


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
    runtime: Runtime[Settings], *, node: str, prompt_name: str, output: type[T],
    enums: dict[str, list[str]] | None = None, spent: Sequence[CallRecord] = (),
    **values: Any,
) -> tuple[T, dict[str, Any]]:
    """Render the node's prompt, call the model for `output`; the result (items it repeated, items that only
    echo the prompt's words and characters of a script foreign to the brief dropped) and its state update."""
    resources = resources_of(runtime)
    settings = resources.settings
    prompt: Prompt = await resources.prompt(prompt_name)
    result, calls = await call_structured(
        await resources.llm(), settings, node=node, prompt=prompt,
        messages=prompt.messages(**values), output=output, enums=enums, spent=spent,
    )
    cleaned = without_stray_script(without_prompt_echoes(without_repeats(result), prompt.wording()),
                                   str(values.get("language") or ""))
    return cleaned, {"calls": calls, "prompts": {node: prompt.info}}


async def ask_text(runtime: Runtime[Settings], *, node: str, prompt_name: str, max_tokens: int,
                   spent: Sequence[CallRecord] = (), **values: Any) -> tuple[str, dict[str, Any]]:
    """Render the node's prompt, call the model for one line of text; the line and its state update."""
    resources = resources_of(runtime)
    settings = resources.settings
    prompt: Prompt = await resources.prompt(prompt_name)
    line, calls = await call_text(await resources.llm(), settings, node=node, prompt=prompt,
                                  messages=prompt.messages(**values), max_tokens=max_tokens, spent=spent)
    return line, {"calls": calls, "prompts": {node: prompt.info}}


async def ask_parts(
    runtime: Runtime[Settings], *, node: str, prompt_name: str, output: type[T], parts: Mapping[str, type[BaseModel]],
    spent: Sequence[CallRecord] = (), **values: Any,
) -> tuple[T, dict[str, Any]]:
    """`output` in one call per part, in turn, over the same prompt with `part` set to its name (the prompt
    before the part's task is the same, so the model's cache of it serves the next call); the answers
    joined, without what a later part repeats, and the state update of all the calls."""
    answers: dict[str, Any] = {}
    update: dict[str, Any] = {"calls": [], "prompts": {}}
    for part, part_output in parts.items():
        answer, part_update = await ask(runtime, node=node, prompt_name=prompt_name, output=part_output,
                                        spent=[*spent, *update["calls"]], part=part, **values)
        answers.update(answer)
        update["calls"] += part_update["calls"]
        update["prompts"].update(part_update["prompts"])
    return without_repeats(output.model_validate(answers)), update


def flagged_texts(state: dict) -> tuple[str, ...]:
    """The instruction-like passages of the materials (withheld, or let through with --keep-flagged)."""
    return tuple(f.text for f in state.get("flagged", []))
