"""Pydantic models: the contract between nodes and the shape of the report.

Fields marked `PIPELINE` are filled by the pipeline (verification, grounding),
never by a model: `llm_schema()` removes them from the JSON schema sent to it.
List lengths and string lengths are bounded so a small model's grammar-constrained
output cannot run past its token budget.
"""

from __future__ import annotations

import re

import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

PIPELINE = {"pipeline": True}
# Lists the grammar asks to be non-empty; validation accepts an empty one, so a weak model's
# invalid items can be dropped (see `structured.salvage`) without failing the whole answer.
AT_LEAST_ONE = {"minItems": 1}



def text(limit: int, *, required: bool = True):
    """A stripped string the model may write `limit` characters of (the grammar's bound);
    validation allows more, so restored names or a verbose API model do not fail a run."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1 if required else 0),
                     Field(max_length=limit * 4, json_schema_extra={"maxLength": limit})]


Short = text(160)
Basis = text(120, required=False)
Line = text(400)
Name = text(80)
Side = Literal["ours", "theirs", "both"]
Dimension = Literal["process", "relationship", "substance"]
Confidence = Literal["low", "medium", "high"]
Verification = Literal["verified", "weak", "unverified", "contradicted", "quoted", "read", "excerpt", "inference",
                       "pending", "echo"]
"""What the claim checker found for an item (`verified`, `weak`, `unverified`, `contradicted`: the passage it
found says it, is about it but does not say it, nothing says it, says otherwise), or that the item is a line copied
from our own notes (`quoted`), a first-page line stating a figure or date the pipeline read from the line shown,
which holds it, where the checker found no better passage (`read`), a sentence of the materials the pipeline shows
in its own words (`excerpt`: their newest message's asks and offers), a judgement without figures (`inference`), not
checked yet (`pending`) or a repeat of instruction-like text planted in the materials (`echo`)."""
SET_APART = ("weak", "unverified", "contradicted", "echo")
UNCONFIRMED = ("weak", "unverified")
"""Set-apart states a brief may leave out (`Provenance.unconfirmed_shown`): nothing says otherwise, nothing bears it out."""


def bare(text: str) -> str:
    """`text` without markup, list marks and ellipses, spaces joined, lower case: for telling one line from another."""
    return " ".join(re.sub(r"[*_|>`]+|^\s*[-•]\s+|…", " ", text).split()).strip(" .;:").lower()


SAID_CHARS = 20
"""A line of the first page shorter than this tells nothing apart (a label, a bare date)."""


def first_page_passages(report: "PrepReport") -> frozenset[str]:
    """The passages and lines the first page shows (`bare`: its items' passages and texts, the moves) or leaves out
    as past steps: a later item resting on one of them, or saying one of them, says it again or as if still ahead."""
    page = report.synthesis.first_page
    items = [i for name in type(page).model_fields for i in getattr(page, name) if isinstance(i, Item)]
    shown = [bare(e.quote) for i in items for e in i.evidence] + [bare(i.text) for i in items] + list(map(bare, page.past_steps))
    return frozenset(t for t in shown + [bare(m.move) for m in report.synthesis.next_moves] if len(t) >= SAID_CHARS)


def said_on_first_page(item: "Item", passages: frozenset[str]) -> bool:
    """`item` rests on a passage the first page already shows, or says one of its lines; a line of our notes also
    when the first page quotes a sentence of it."""
    quotes = [bare(e.quote) for e in item.evidence]
    whole = item.verification == "quoted"
    return bare(item.text) in passages or any(q in passages or whole and any(p in q for p in passages) for q in quotes)


def sides_from_notes(report: "PrepReport") -> bool:
    """The first page quotes our own notes, so it gives each side from who wrote the line."""
    page = report.synthesis.first_page
    return any(getattr(i, "verification", "") == "quoted" for name in type(page).model_fields
               for i in getattr(page, name) if isinstance(i, Item))


def left_out(item: "Item", unconfirmed_shown: bool, lead: bool = False, sided: bool = False,
             notes: bool = True) -> bool:
    """Whether a brief that does not list unconfirmed statements leaves `item` out: the checker could not confirm
    it, or, outside the lead section (the first page's computed and quoted lines stay), it is a model's inference or
    gives a side to a party (`SidedItem`, or any item of a `sided` section such as the counterpart's profile: blind
    reviews found a small model's sides flipped in every brief; the first page takes sides from who wrote each
    line, so only where it quotes our notes: `notes`)."""
    if unconfirmed_shown:
        return False
    return item.verification in UNCONFIRMED or (not lead and (item.kind == "inference" or notes and (
        sided or isinstance(item, SidedItem))))
"""States whose items the report lists apart, under \"check before use\"."""
CHECKED = ("verified", "weak", "unverified", "contradicted", "echo")
"""States of the model's statements checked as facts: the denominator of `Provenance.support`."""


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


PASSAGE_JOIN = " \u2026 "
"""Between the two passages of one document that together support a side-by-side item (one quote)."""


class Evidence(Model):
    """Where a claim comes from: a document and a short verbatim quote."""

    document: text(80, required=False) = ""
    quote: text(150)
    locator: str = Field("", json_schema_extra=PIPELINE, description="page, paragraph or line")
    match_score: float | None = Field(None, json_schema_extra=PIPELINE)
    located: bool = Field(False, json_schema_extra=PIPELINE,
                          description="the passage was found in the materials by the claim checker")


class Item(Model):
    """A statement of what the materials say: the model writes its text; the checker finds the passage
    that supports it (`evidence`). Subclasses that hold inferences let the model give a `basis`."""

    text: Short
    kind: Literal["fact", "inference"] = Field("fact", json_schema_extra=PIPELINE)
    evidence: list[Evidence] = Field(default_factory=list, max_length=1, json_schema_extra=PIPELINE)
    basis: str = Field("", json_schema_extra=PIPELINE)
    verification: Verification = Field("pending", json_schema_extra=PIPELINE)
    issues_found: list[str] = Field(default_factory=list, json_schema_extra=PIPELINE)

    @property
    def set_apart(self) -> bool:
        """Not supported by the materials as stated: listed under "check before use", not in its section."""
        return self.verification in SET_APART


class SidedItem(Item):
    side: Side = Field(description="whose item this is: ours, theirs or both")


class Party(Item):
    name: Name
    role: Literal["our_side", "counterpart", "third_party"]


class Alternative(SidedItem):
    type: Literal["batna", "partial"] = Field(description="batna = full walk-away option; partial = reduces dependency only")
    strength: Literal["weak", "moderate", "strong"]


class Deadline(Item):
    date: text(60, required=False) = Field(
        "", description="the date or time limit as written in the materials"
    )


class Sides(Model):
    """Who the consultant works for and who sits across the table (asked first when the case does not say)."""

    our_side: Name
    counterpart: Name


class DealFacts(Model):
    """The extractor's first call: who negotiates about what, and the figures, dates and limits."""

    summary: Line
    our_side: Name
    counterpart: Name
    parties: list[Party] = Field(max_length=4, json_schema_extra=AT_LEAST_ONE)
    issues: list[Item] = Field(max_length=4, json_schema_extra=AT_LEAST_ONE)
    deadlines: list[Deadline] = Field(default_factory=list, max_length=3)
    constraints: list[Item] = Field(default_factory=list, max_length=3)


class DealStakes(Model):
    """The extractor's second call: what drives each side."""

    interests: list[SidedItem] = Field(default_factory=list, max_length=4)
    positions: list[SidedItem] = Field(default_factory=list, max_length=3)
    alternatives: list[Alternative] = Field(default_factory=list, max_length=3)
    dependencies: list[SidedItem] = Field(default_factory=list, max_length=3)
    risks: list[Item] = Field(default_factory=list, max_length=3)
    missing_information: list[Short] = Field(default_factory=list, max_length=4)


class DealProfile(DealStakes, DealFacts):
    """The case extractor's output: its calls' answers together, and the key facts of our side's own notes
    (the lines that state a figure, read without a model: `pipeline.note_figures`)."""

    key_facts: list[Item] = Field(default_factory=list, max_length=16)

    def item_lists(self) -> dict[str, list[Item]]:
        """Every evidence-bearing list, by field name."""
        return {
            name: getattr(self, name)
            for name in (
                "parties", "issues", "interests", "positions", "alternatives",
                "dependencies", "risks", "deadlines", "constraints", "key_facts",
            )
        }


class Suggestion(Item):
    """A challenger suggestion, grounded in knowledge-base entries: an inference by nature, with a basis;
    a number or date it states is still checked against the materials (see `verify`)."""

    kind: Literal["fact", "inference"] = Field("inference", json_schema_extra=PIPELINE)
    basis: Basis = ""
    dimension: Dimension
    citations: list[text(60)] = Field(min_length=1, max_length=2, description="knowledge-base ids this rests on")


class HiddenTrade(Suggestion):
    we_give: Short
    we_get: Short


class ChallengeField(Model):
    """The challenger's first call: what the negotiation is about and made of."""

    reframe: Line = Field(description="the wider question this negotiation is really about")
    widened_elements: list[Suggestion] = Field(max_length=4, json_schema_extra=AT_LEAST_ONE)
    hidden_trades: list[HiddenTrade] = Field(default_factory=list, max_length=3)
    partial_alternatives: list[Suggestion] = Field(default_factory=list, max_length=3)


class ChallengeMoves(Model):
    """The challenger's second call: the counterpart's needs and our next steps."""

    their_dependencies: list[Suggestion] = Field(default_factory=list, max_length=3)
    warnings: list[Suggestion] = Field(default_factory=list, max_length=2, description="warnings, never threats")
    process_moves: list[Suggestion] = Field(default_factory=list, max_length=3, description="small steps to ask consent for")


class ChallengeReport(ChallengeMoves, ChallengeField):
    """The fixed-pie challenger's output."""

    def suggestion_lists(self) -> dict[str, list[Suggestion]]:
        return {
            name: getattr(self, name)
            for name in ("widened_elements", "hidden_trades", "partial_alternatives",
                         "their_dependencies", "warnings", "process_moves")
        }


class Inference(Item):
    """A statement about motives or pressures: an inference by nature, written with a basis, not a quote."""

    kind: Literal["fact", "inference"] = Field("inference", json_schema_extra=PIPELINE)
    basis: Basis = ""
    confidence: Confidence = "low"


class Guidance(Model):
    advice: Short
    dimension: Dimension


class CounterpartProfile(Model):
    """The counterpart profiler's output."""

    name: Name
    style: Literal["competitive", "collaborative", "compromising", "avoiding", "accommodating"]
    observed_behaviour: list[Item] = Field(default_factory=list, max_length=3)
    pressures: list[Inference] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)
    tomorrow_morning: list[Inference] = Field(
        max_length=2, json_schema_extra=AT_LEAST_ONE,
        description="if they say no to us, what problem will they still have tomorrow morning?",
    )
    communication: list[Guidance] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)
    interaction: list[Guidance] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)
    negotiation: list[Guidance] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)


class Move(Model):
    move: Short
    dimension: Dimension
    why: Short


class Plan(Model):
    process: list[Short] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)
    relationship: list[Short] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)
    substance: list[Short] = Field(max_length=3, json_schema_extra=AT_LEAST_ONE)


class FirstPage(Model):
    """What the brief opens with, composed by the pipeline from the figures and dates of the materials and the
    model's narrow readings of them (`pipeline.brief`): each line an item the checker verifies, a computed line
    an inference with its inputs as basis."""

    gap: list[Item] = Field(default_factory=list, description="their ask, our limit, the gap computed")
    dates: list[Item] = Field(default_factory=list, description="the dates ahead in order with their lines' words, "
                                                                "their deadline and our decision tagged, a conflict flagged")
    their_terms: list[Item] = Field(default_factory=list, description="the counterpart's terms on the table, in "
                                                                      "their newest papers' words")
    latest: list[Item] = Field(default_factory=list, description="the newest message or document, and what the "
                                                                 "counterpart's newest message asks or offers, quoted")
    position: list[Item] = Field(default_factory=list, description="our limits, mandate and red lines: our notes' lines")
    rights: list[Item] = Field(default_factory=list, description="what the contract between the parties gives us (a "
                                                                 "right to extend or hold over, a cap, their duties): "
                                                                 "its own words")
    alternatives: list[SidedItem] = Field(default_factory=list, description="our alternatives (our notes' lines), else "
                                                                            "the deal profile's checked ones")
    their_side: list[Item] = Field(default_factory=list, description="our notes' lines on the counterpart's demands, "
                                                                     "needs and pressures")
    ideas: list[Item] = Field(default_factory=list, description="our notes' ideas for a trade")
    agreed: list[Item] = Field(default_factory=list, description="steps our notes agreed, not yet past")
    open_questions: list[Item] = Field(default_factory=list, description="what our notes leave open")
    to_decide: list[str] = Field(default_factory=list, description="what the materials leave open that we must decide")
    past_steps: list[str] = Field(default_factory=list, description="our notes' steps already past (done or overdue): "
                                                                   "not shown, nor shown elsewhere as if ahead")


class Readings(Model):
    """The model's narrow readings of the materials' figures and dates: each one of the options found by rules,
    or "none"."""

    their_ask: str = Field("none", description="the amount the counterpart now asks of us")
    our_limit: str = Field("none", description="the most our side can pay or accept")
    their_deadline: str = Field("none", description="the date by which the counterpart wants agreement or an answer")
    our_decision: str = Field("none", description="the date our side decides or approves")
    term: str = Field("none", description="how long the agreement under negotiation would run")


class Pick(Model):
    """One narrow reading: one of the options listed, or "none"."""

    answer: text(120)


class WrittenSynthesis(Model):
    """The merge step's output."""

    model_config = ConfigDict(extra="ignore", title="Synthesis")

    executive_summary: Line
    plan: Plan
    next_moves: list[Move] = Field(max_length=4, json_schema_extra=AT_LEAST_ONE, description="in the order to make them")
    questions_to_ask: list[Short] = Field(max_length=4, json_schema_extra=AT_LEAST_ONE)
    verify_before_meeting: list[Short] = Field(default_factory=list, max_length=4)


class Synthesis(WrittenSynthesis):
    """The report's briefing: the first page, composed by the pipeline, and the executive summary, plan, moves
    and questions (written by a large model, composed from the first page's facts with a small one: `composed`)."""

    model_config = ConfigDict(extra="ignore", title="Synthesis")

    first_page: FirstPage = Field(default_factory=FirstPage)
    composed: bool = Field(False, description="the texts were composed by the pipeline from the first page's checked "
                                              "facts, not written by a model")


class Translation(Model):
    """A text a model wrote in another language than the brief's, and the translate step's rewording of it."""

    original: str
    translated: str = ""
    used: bool = False
    why: str = Field("", description="why the rewording was not used")


class DocumentInfo(Model):
    name: str
    kind: str
    chars: int
    tokens: int
    units: int = Field(0, description="pages, paragraphs or lines")
    metadata: dict[str, str] = Field(default_factory=dict)


class CaseInfo(Model):
    name: str
    title: str = ""
    our_side: str = ""
    counterpart: str = ""
    language: str = ""
    documents: list[DocumentInfo] = Field(default_factory=list)
    token_count: int = 0
    token_encoding: str = ""
    tokens_approximate: bool = True


class CallRecord(Model):
    node: str
    prompt_id: str = ""
    attempt: int = 1
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cache: Literal["hit", "miss", "replay", "off"] = "off"
    retries: int = 0
    outcome: Literal["ok", "salvaged", "invalid", "error"] = "ok"


class PromptInfo(Model):
    id: str
    version: str
    sha256: str
    path: str


class Provenance(Model):
    negoprep_version: str
    backend: str
    model: str
    prompts: dict[str, PromptInfo] = Field(default_factory=dict)
    calls: list[CallRecord] = Field(default_factory=list)
    node_seconds: dict[str, float] = Field(default_factory=dict)
    total_seconds: float = 0.0
    knowledge_base: list[str] = Field(default_factory=list, description="ids retrieved for the challenger")
    support: float | None = Field(None, description="share of the model's statements checked as facts that the claim "
                                                     "checker finds said in the materials (quoted lines left out)")
    quoted: int = Field(0, description="items that are lines copied from our own notes (not the model's statements)")
    contradicted: int = Field(0, description="items and sentences the materials contradict (set apart or removed)")
    checked_sentences: int = Field(0, description="sentences of the free texts (synthesis, reframe, guidance, summary) "
                                                  "holding a figure, a date or a party's words, checked against the materials")
    support_with_quoted: float | None = Field(None, description="`support` with the quoted lines counted as supported")
    unconfirmed_shown: bool = Field(True, description="the brief lists the statements the checker could not confirm "
                                                      "(weak, unverified) and shows the model's inferences; else it "
                                                      "counts them and leaves them out")
    withheld: int = Field(0, description="instruction-like passages of the materials withheld from every model call")
    echoes: int = Field(0, description="items set apart and synthesis sentences removed because they repeat a flagged passage")
    inference_share: float | None = Field(None, description="share of checked items that are inferences")
    translations: list[Translation] = Field(
        default_factory=list, description="texts written in another language than the brief's, and their rewording in it")
    started_at: str = ""
    case_path: str = Field("", description="the case folder or file the report was prepared from, on the machine "
                                            "that prepared it (empty for documents given to the graph)")


class ReportWarning(Model):
    code: str
    message: str = Field(description="in English, for the analyst")
    key: str = Field("", description="what kind of notice it is, for the brief's language (`pipeline.report.wording`)")
    values: dict[str, Any] = Field(default_factory=dict, description="the notice's figures and words, by name")
    document: str = ""
    line: int | None = None
    id: str = Field("", description="W<n>, the number a withheld-text marker in the materials points to")
    locator: str = Field("", description="page, paragraph or line(s) of the document")


class FlaggedText(Model):
    """A passage of the materials that reads like an instruction to the model (pipeline/case/injection.py)."""

    document: str
    locator: str
    text: str
    reason: str
    units: list[int] = Field(default_factory=list, description="indexes of the document's units that hold it")
    span: str = Field("", description="the part of its unit to withhold, when only part is flagged (a hidden run)")
    id: str = Field("", description="the warning that quotes it")
    withheld: bool = False


class PrepReport(Model):
    """The merged, validated report."""

    model_config = ConfigDict(extra="forbid")

    case: CaseInfo
    deal_profile: DealProfile
    challenge: ChallengeReport
    counterpart: CounterpartProfile
    synthesis: Synthesis
    provenance: Provenance
    warnings: list[ReportWarning] = Field(default_factory=list)


def llm_schema(model: type[BaseModel], *, enums: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The JSON schema a model fills (a fresh copy; see `_llm_schema`)."""
    frozen = tuple(sorted((k, tuple(v)) for k, v in (enums or {}).items()))
    return json.loads(json.dumps(_llm_schema(model, frozen)))


@lru_cache(maxsize=64)
def _llm_schema(model: type[BaseModel], frozen_enums: tuple) -> dict[str, Any]:
    """The JSON schema a model fills: pipeline-only fields removed, optional enums pinned.

    `enums` maps a property name (e.g. "citations") to the allowed string values of
    its array items, which turns a free string into a grammar-enforced choice.
    """
    enums = {k: list(v) for k, v in frozen_enums}
    schema = model.model_json_schema()

    def prune(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                for name in [n for n, p in props.items() if isinstance(p, dict) and p.get("pipeline")]:
                    del props[name]
                    if name in node.get("required", []):
                        node["required"].remove(name)
                for name, prop in props.items():
                    if enums and name in enums and prop.get("type") == "array":
                        prop["items"] = {"type": "string", "enum": list(enums[name])}
                    elif enums and name in enums and prop.get("type") == "string":
                        prop.clear()
                        prop.update(type="string", enum=list(enums[name]))
                node["required"] = list(props)
            for value in node.values():
                prune(value)
        elif isinstance(node, list):
            for value in node:
                prune(value)

    prune(schema)
    return schema
