"""Merge: the briefing that opens the report. Its first page is composed by the pipeline from the materials'
amounts and dates and the model's narrow readings of them (`pipeline.brief`); the executive summary, plan, moves
and questions are written by the model in one answer when it is large enough (`Settings.model_prose`), else
composed from the same facts."""

from __future__ import annotations

import asyncio
from itertools import islice

from langgraph.runtime import Runtime

from pipeline.agent_kit import (FOR_READING, Agent, as_data, ask, ask_text, calls_so_far, case_materials,
                                resources_of, timed)
from pipeline.brief.compose import (Context, amount_options, compose_first_page, compose_synthesis, date_options,
                                    check_line, listing, ours_line, ranked, resolve, sender_name)
from pipeline.brief.facts import HEADER, CaseFacts, key
from pipeline.case.authorship import is_internal
from pipeline.checks.advice import dropped_warning, keep_wise
from pipeline.checks.item_checks import check_item
from pipeline.schemas import FirstPage, Pick, Readings, Synthesis, WrittenSynthesis
from pipeline.resources import RunResources
from pipeline.settings import Settings
from pipeline.tokens import TokenCounter, longest_fitting
from pipeline.prep.state import PrepState

PROMPT = "merge"
BRIEF_PROMPT = "brief"
PROMPT_OVERHEAD_TOKENS = 500
READINGS_OVERHEAD_TOKENS = 400
OPTIONS_SHARE = 4
"""The amounts and dates offered take at most this share (1/4) of the context window."""
MESSAGE_CHARS = 1500
NEWEST_TOKENS = 80


def calls_for(case, prose: bool) -> list[str]:
    """The calls its node makes on `case`: one narrow reading per question the materials offer options for, the
    newest message's sentence when there is one, and the prose when the model writes it."""
    facts = _facts(RunResources(Settings()), case, TokenCounter("characters", True, len), 10**9)
    newest = facts["newest"]
    return ([name for name in READINGS if facts["options"][name]]
            + (["newest"] if newest and newest.body and not newest.ours else [])
            + (["prose"] if prose else []))


async def merge(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("merge", {}) as update:
        resources = resources_of(runtime)
        settings = resources.settings
        deal, case = state["deal_profile"], state["case"]
        llm = await resources.llm()
        spent = calls_so_far(state)
        update.update(calls=[], prompts={}, warnings=[])
        facts = await asyncio.to_thread(_facts, resources, case, llm.counter, settings.n_ctx // OPTIONS_SHARE)
        listed = max((llm.counter.count(text) for text in facts["listing"].values()), default=0)
        materials, warnings = await case_materials(case, resources, READINGS_OVERHEAD_TOKENS + listed, "the first page")
        update["warnings"] += warnings
        values = dict(our_side=deal.our_side, counterpart=deal.counterpart, language=case.language, materials=materials)
        answers = {}
        for name in READINGS:
            if not facts["options"][name]:
                continue
            pick, call_update = await ask(
                runtime, node="merge", prompt_name=BRIEF_PROMPT, output=Pick, spent=[*spent, *update["calls"]],
                enums={"answer": list(facts["options"][name])}, part=name, options=facts["listing"][name],
                message="", sender="", **values)
            answers[name] = pick.answer
            _add(update, call_update)
        readings = Readings(**answers)
        last = facts["newest"]
        summary = ""
        if last is not None and last.body and not last.ours:  # their newest message, in one sentence
            summary, call_update = await ask_text(
                runtime, node="merge", prompt_name=BRIEF_PROMPT, max_tokens=NEWEST_TOKENS,
                spent=[*spent, *update["calls"]], part="newest", options="", sender=sender_name(last),
                message="\n".join(last.body)[:MESSAGE_CHARS], **values)
            _add(update, call_update)
        ctx = Context(deal.our_side, deal.counterpart, case.language)
        picks = resolve(readings, facts["options"]["their_ask"], {**facts["options"]["their_deadline"],
                        **facts["options"]["our_decision"]}, facts["options"]["term"], facts["ours"])
        checker = await asyncio.to_thread(resources.claim_checker, case, deal.our_side, deal.counterpart)
        page, picks = await asyncio.to_thread(compose_first_page, picks, last, summary.strip(), deal, ctx,
                                              lambda item, source, written: check_line(
                                                  item, source, written,
                                                  lambda i: check_item(i, checker, "synthesis.first_page"),
                                                  checker.check_on))
        if settings.writes_prose(llm.backend):
            challenge = as_data(state["challenge"], FOR_READING)
            counterpart_profile = as_data(state["counterpart_profile"], FOR_READING)
            reserved = PROMPT_OVERHEAD_TOKENS + llm.counter.count(challenge) + llm.counter.count(counterpart_profile)
            materials, warnings = await case_materials(case, resources, reserved, "the merge")
            update["warnings"] += warnings
            written, call_update = await ask(
                runtime, node="merge", spent=[*spent, *update["calls"]], prompt_name=PROMPT, output=WrittenSynthesis,
                our_side=deal.our_side, counterpart=deal.counterpart, language=case.language, materials=materials,
                challenge=challenge, counterpart_profile=counterpart_profile,
            )
            _add(update, call_update)
            written, dropped = await asyncio.to_thread(_wise, written, resources, state, last)
            update["warnings"] += dropped
        else:
            written = compose_synthesis(page, picks, last, ctx, read_limit=readings.our_limit in facts["options"]["our_limit"])
        update["synthesis"] = Synthesis(**written.model_dump(), first_page=page)
    return update


READINGS = ("their_ask", "our_limit", "their_deadline", "our_decision", "term")


def _facts(resources, case, counter, room: int) -> dict:
    """Each reading's options (`options`) and their listing for the prompt (`listing`), as many as fit in `room`
    tokens; our own documents (`ours`) and the newest message. Dates are offered from the newest message's day on (a
    deadline or decision to prepare for lies ahead); our limit and our decision among our own lines, their deadline
    among their documents' (all dates where a side has none); the options whose line holds the reading's cue words
    first."""
    facts: CaseFacts = resources.case_facts(case)
    ours = frozenset(doc.name for doc in case.documents if is_internal(doc))
    amounts = amount_options(list(facts.money))
    newest = facts.newest
    ahead = [d for d in facts.dated if (newest is None or key(d.date) >= key(newest.date))
             and not HEADER.match(d.source.text)]  # a message's own date is no deadline
    dates = date_options(ahead or list(facts.dated))
    mine = {name: d for name, d in dates.items() if ours_line(d, ours)}
    theirs = {name: d for name, d in dates.items() if d.source.document not in ours}
    options = {"their_ask": amounts, "our_limit": {name: m for name, m in amounts.items() if ours_line(m, ours)} or amounts,
               "their_deadline": theirs or dates, "our_decision": mine or dates,
               "term": {d.written: d for d in facts.durations}}
    options = {name: ranked(name, offered) for name, offered in options.items()}
    for name, offered in options.items():
        fit = longest_fitting(len(offered), lambda k: counter.count(listing(dict(islice(offered.items(), k)), ours)) <= room)
        options[name] = dict(islice(offered.items(), fit))
    return {"options": options, "listing": {name: listing(o, ours) for name, o in options.items()},
            "newest": newest, "ours": ours}


def _wise(written: WrittenSynthesis, resources, state: PrepState, last) -> tuple[WrittenSynthesis, list]:
    """The model's moves and plan without the advice that concedes for nothing or repeats a step already due."""
    deal = state["deal_profile"]
    checker = resources.claim_checker(state["case"], deal.our_side, deal.counterpart)
    today, counts = (last.date if last else None), {}
    moves = keep_wise(written.next_moves, lambda m: f"{m.move} {m.why}", checker, today, counts)
    plan = written.plan.model_copy(update={name: keep_wise(getattr(written.plan, name), str, checker, today, counts)
                                           for name in ("process", "relationship", "substance")})
    dropped = dropped_warning(counts, "the briefing")
    return written.model_copy(update={"next_moves": moves, "plan": plan}), [dropped] if dropped else []


def _add(update: dict, call_update: dict) -> None:
    update["calls"] += call_update["calls"]
    update["prompts"].update(call_update["prompts"])


def first_page_lists(synthesis: Synthesis) -> dict:
    """The first page's lines the checks verify against the materials."""
    page = synthesis.first_page
    return {"first_page.gap": page.gap, "first_page.dates": page.dates, "first_page.latest": page.latest,
            "first_page.alternatives": page.alternatives}


def word(w, synthesis: Synthesis, number: int) -> None:
    page: FirstPage = synthesis.first_page
    w.heading("First page", 1)
    for title, items in (("The gap", page.gap), ("Dates", page.dates), ("Newest", page.latest),
                         ("Alternatives", page.alternatives)):
        if items:
            w.heading(title, 2)
            for item in items:
                w.item(item.text, item)
    w.bullets("To decide before the meeting", page.to_decide)
    w.heading("Executive summary", 1)
    w.para(synthesis.executive_summary)
    w.heading("Plan across the three dimensions", 2)
    w.table(["Dimension", "Steps"], [[name.capitalize(), "\n".join(f"{i}. {s}" for i, s in enumerate(getattr(synthesis.plan, name), 1))]
                                     for name in ("process", "relationship", "substance")])
    w.heading("Next wise moves", 2)
    for m in synthesis.next_moves:
        w.para(f" ({m.dimension}) \u2014 {m.why}", "List Number", bold_prefix=m.move)
    w.bullets("Questions to ask", synthesis.questions_to_ask)
    w.bullets("Verify before the meeting", synthesis.verify_before_meeting)


AGENT = Agent(
    name="merger", prompt=PROMPT, node="merge", report_field="synthesis", stage=3, output=Synthesis,
    title="Briefing", run=merge, word=word, lead=True, anchor="briefing", groups=first_page_lists,
    titles={"first_page.gap": "The gap", "first_page.dates": "Dates", "first_page.latest": "Newest",
            "first_page.alternatives": "Alternatives"},
    texts=("executive_summary", "plan.process", "plan.relationship", "plan.substance", "next_moves[move,why]",
           "questions_to_ask", "verify_before_meeting", "first_page.to_decide"),
)
