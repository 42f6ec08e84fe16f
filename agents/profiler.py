"""Counterpart profiler: a behavioural profile of the other side with guidance."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import (FOR_READING, Agent, as_data, ask, calls_so_far, case_materials, in_language,
                                resources_of, timed)
from pipeline.checks.advice import SMALL, dropped_warning, keep_wise
from pipeline.checks.evidence import statement
from pipeline.checks.item_checks import passage_of
from pipeline.resources import resources_for
from pipeline.schemas import CounterpartProfile, Item, ReportWarning
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "profiler"
PROMPT_OVERHEAD_TOKENS = 600


PREMISES = {"observed_behaviour": "Observed behaviour", "pressures": "Pressures and motives",
            "tomorrow_morning": "If they say no, what problem will they still have tomorrow morning?"}


def premise_lists(counterpart: CounterpartProfile) -> dict[str, list[Item]]:
    """The profile's premises (what it claims about the other side); its guidance is advice."""
    return {name: getattr(counterpart, name) for name in PREMISES}


async def profile(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("profile", {}) as update:
        resources = resources_of(runtime)
        deal, case = state["deal_profile"], state["case"]
        deal_data = as_data(deal, FOR_READING)
        reserved = PROMPT_OVERHEAD_TOKENS + (await resources.llm()).counter.count(deal_data)
        materials, update["warnings"] = await case_materials(case, resources, reserved, "the profiler")
        result, call_update = await ask(
            runtime, node="profile", prompt_name=PROMPT, output=CounterpartProfile, spent=calls_so_far(state),
            counterpart=deal.counterpart, our_side=deal.our_side, deal_profile=deal_data, materials=materials,
            language=case.language,
        )
        # the counterpart's name is the deal profile's: a small model sometimes writes a sentence there
        update.update(counterpart_profile=result.model_copy(update={"name": deal.counterpart or result.name}),
                      **call_update)
    return update


GUIDANCE = ("communication", "interaction", "negotiation")
SUGGESTED = ("verified", "weak")
"""What the checker must find for an inference about the other side: a passage that says it or is about it."""


def verify(counterpart: CounterpartProfile, state: PrepState,
           settings: Settings) -> tuple[CounterpartProfile, list[ReportWarning]]:
    """Each pressure and each "tomorrow morning" problem kept with the line of the materials that suggests it
    (found by the claim checker), or dropped: an inference about the other side with no line behind it is a guess."""
    deal = state.get("deal_profile")
    checker = resources_for(settings).claim_checker(state["case"], *((deal.our_side, deal.counterpart) if deal else ()))
    dropped = 0
    kept = {}
    for name in ("pressures", "tomorrow_morning"):
        kept[name] = []
        for item in getattr(counterpart, name):
            result = checker.check(statement(item))
            if result.state in SUGGESTED and result.evidence:
                kept[name].append(item.model_copy(update={"evidence": passage_of(result), "verification": "inference"}))
            else:
                dropped += 1
    warnings = [ReportWarning(code="left-out", key="inferences", values={"n": dropped, "them": counterpart.name},
                              message=f"{dropped} inference{'s' if dropped != 1 else ''} about "
                              f"{counterpart.name} dropped: no line of the materials suggests {'it' if dropped == 1 else 'them'}")] if dropped else []
    resources = resources_for(settings)
    newest = resources.case_facts(state["case"]).newest
    counts: dict[str, int] = {}
    for name in GUIDANCE:
        kept[name] = keep_wise(getattr(counterpart, name), lambda g: g.advice, checker,
                               newest.date if newest else None, counts)
    if not resources.writes_prose():
        given = sum(len(kept[name]) for name in GUIDANCE)
        kept.update({name: [] for name in GUIDANCE})
        if given:
            counts[SMALL] = given
    advice = dropped_warning(counts, "the counterpart guidance")
    return counterpart.model_copy(update=kept), warnings + ([advice] if advice else [])


WORDING = {
    "en": {"by": "counterpart profiler", "where": "counterpart", "style": "Style", "negotiation_style": "Negotiation style",
           "guidance": "Guidance", "communication": "Communication", "interaction": "Interaction",
           "negotiation": "Negotiation",
           "none_shown": ("No statement of this section is shown: those the checker could not confirm and the model's "
                          "inferences are left out (counted under \u201ccheck before use\u201d); what our notes say of "
                          "{name} is on the first page.")},
    "no": {"title": "Motpartsprofil", "by": "motpartsprofil", "where": "motpart", "style": "Stil",
           "negotiation_style": "Forhandlingsstil", "guidance": "Råd", "communication": "Kommunikasjon",
           "interaction": "Samhandling", "negotiation": "Forhandling",
           "none_shown": ("Ingen utsagn i denne delen vises: de faktasjekken ikke kunne bekrefte, og modellens "
                          "vurderinger er utelatt (talt under «kontroller før bruk»); det våre notater sier om {name}, "
                          "står på første side."),
           "observed_behaviour": "Observert atferd", "pressures": "Press og motiver",
           "tomorrow_morning": "Hvis de sier nei, hvilket problem har de fortsatt i morgen tidlig?"},
    "de": {"title": "Profil der Gegenseite", "by": "Gegenseitenprofil", "where": "Gegenseite", "style": "Stil",
           "negotiation_style": "Verhandlungsstil", "guidance": "Empfehlungen", "communication": "Kommunikation",
           "interaction": "Interaktion", "negotiation": "Verhandlung",
           "none_shown": ("Keine Aussage dieses Abschnitts wird gezeigt: was die Faktenprüfung nicht bestätigen konnte, "
                          "und die Einschätzungen des Modells sind ausgelassen (gezählt unter „vor Gebrauch prüfen“); "
                          "was unsere Notizen über {name} sagen, steht auf der ersten Seite."),
           "observed_behaviour": "Beobachtetes Verhalten", "pressures": "Druck und Motive",
           "tomorrow_morning": "Wenn sie Nein sagen: Welches Problem haben sie morgen früh immer noch?"},
}


def word(w, counterpart: CounterpartProfile, number: int) -> None:
    words = w.section("counterpart")
    w.heading(f"{number}. {words['title']}: {counterpart.name}", 1)
    if w.view.report.provenance.unconfirmed_shown:  # the model's guess of a style: shown with its inferences
        w.para(w.words.styles[counterpart.style], bold_prefix=f"{words['style']}: ")
    w.items("counterpart", lambda item: item.text)
    if w.view.guidance:
        w.heading(words["guidance"], 2)
        w.table([words["communication"], words["interaction"], words["negotiation"]],
                [[f"{g.advice} ({w.words.dimensions[g.dimension]})" if g else "" for g in row] for row in w.view.guidance])


AGENT = Agent(
    name="profiler", prompt=PROMPT, node="profile", state_key="counterpart_profile", report_field="counterpart",
    stage=2, output=CounterpartProfile, title="Counterpart profile", run=profile, word=word, groups=premise_lists,
    verify=verify,
    titles=PREMISES, texts=("communication[advice]", "interaction[advice]", "negotiation[advice]"),
    label=lambda counterpart: f"{counterpart.name} ({counterpart.style})", sided=True,
    wording=lambda language: in_language(WORDING, language),
)
