"""Merge: the briefing that opens the report. Its first page is composed by the pipeline from the materials'
amounts and dates and the model's narrow readings of them (`pipeline.brief`); the executive summary, plan, moves
and questions are written by the model in one answer when it is large enough (`Settings.model_prose`), else
composed from the same facts."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from itertools import islice

from langgraph.runtime import Runtime

from pipeline.agent_kit import (FOR_READING, Agent, as_data, ask, calls_so_far, case_materials, flagged_texts,
                                resources_of, timed)
from pipeline.brief.compose import (Context, amount_options, approvals_of, authority_of, check_line, compose_first_page,
                                    compose_synthesis, date_options, delay_cost, language_code, listing, newest_ask,
                                    ours_line, ranked, resolve, sure, to_question)
from pipeline.brief.facts import CaseFacts
from pipeline.brief.notes import chosen, expected_argument, note_lines, speaks_for, views_on
from pipeline.brief.reckon import alternative_cost, our_view, reckoned
from pipeline.brief.rights import rights_on_page, their_duty
from pipeline.brief.terms import their_terms
from pipeline.case.authorship import is_internal
from pipeline.case.documents import CaseMaterials
from pipeline.checks.advice import dropped_warning, keep_wise
from pipeline.checks.item_checks import check_item
from pipeline.schemas import DealProfile, FirstPage, Item, Pick, Readings, Synthesis, WrittenSynthesis
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


def calls_for(case, prose: bool) -> list[str]:
    """The calls its node makes on `case`: one narrow reading per question whose options a rule cannot decide
    between, and the prose when the model writes it."""
    facts = _facts(RunResources(Settings()), case, TokenCounter("characters", True, len), 10**9)
    return ([name for name in READINGS if facts["options"][name] and not facts["sure"].get(name)]
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
        last = facts["newest"]
        known = resources.case_facts(case)
        flagged = flagged_texts(state)
        # what the readings do not decide, worked out off the loop while their model calls wait
        lines = asyncio.ensure_future(asyncio.to_thread(note_lines, case, deal.counterpart,
                                                        last.date if last else None, flagged))
        offered = asyncio.ensure_future(asyncio.to_thread(_terms_and_views, case, known, deal, facts["ours"], flagged))
        contract = asyncio.ensure_future(asyncio.to_thread(_contract_lines, case, deal))
        try:
            answers = {}
            for name in READINGS:
                if not facts["options"][name]:
                    continue
                if facts["sure"].get(name):
                    answers[name] = facts["sure"][name]
                    continue
                pick, call_update = await ask(
                    runtime, node="merge", prompt_name=BRIEF_PROMPT, output=Pick, spent=[*spent, *update["calls"]],
                    enums={"answer": list(facts["options"][name])}, part=name, options=facts["listing"][name],
                    **values)
                answers[name] = pick.answer
                _add(update, call_update)
            notes, (terms, views), (rights, duty) = await lines, await offered, await contract
        finally:
            for task in (lines, offered, contract):
                task.cancel()  # after a failed reading the result is not wanted (a finished task ignores it)
        readings = Readings(**answers)
        ctx = Context(deal.our_side, deal.counterpart, case.language)
        theirs = next((m for m in reversed(known.messages)
                       if not m.ours and not speaks_for(m.sender, deal.our_side)), None)
        picks = replace(newest_ask(resolve(readings, facts["options"], facts["ours"]), theirs,
                                   known.money),
                        authority=authority_of(list(known.money), facts["ours"]),
                        approvals=approvals_of(list(known.money), facts["ours"]))
        checker = await asyncio.to_thread(resources.claim_checker, case, deal.our_side, deal.counterpart)
        page, picks = await asyncio.to_thread(compose_first_page, picks, last, theirs, notes, deal, ctx,
                                              lambda item, source, written: check_line(
                                                  item, source, written,
                                                  lambda i: check_item(i, checker, "synthesis.first_page"),
                                                  checker.check_on),
                                              facts["upcoming"], facts["ours"], known.messages,
                                              terms, [m for m in known.money if ours_line(m, facts["ours"])],
                                              known.money, views)
        page.rights, going_on, strongest = rights
        insights = reckoned(picks.their_ask, picks.our_limit, terms, known.money,
                            [n.source for found in notes.values() for n in found], ctx)
        page.gap += insights
        if leaving := alternative_cost(notes["alternatives"], picks.our_limit, known.money, ctx, picks.their_ask):
            page.gap.append(leaving)
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
            written = compose_synthesis(page, picks, last, ctx, read_limit=readings.our_limit in facts["options"]["our_limit"],
                                        open_lines=notes["open"], agreed=chosen(notes["agreed"], "agreed"), theirs=theirs,
                                        ideas_lines=chosen(notes["levers"], "levers"), their_lines=notes["their_side"],
                                        all_lines=[n for found in notes.values() for n in found],
                                        position_lines=notes["position"], insights=insights, going_on=going_on,
                                        right=strongest, duty=duty,
                                        clock=delay_cost(facts["upcoming"], known.money, facts["ours"]),
                                        expected=expected_argument(case, deal.counterpart), leaving=leaving)
            moved = {m.move for m in written.next_moves}  # a step or idea made a move is not listed twice
            page.agreed = [i for i in page.agreed if not any(m in i.text for m in moved)]
            page.ideas = [i for i in page.ideas if not any(m in i.text for m in moved)]
            page.open_questions = [i for i in page.open_questions if to_question(i.text) not in written.questions_to_ask]
        # our notes' own figure beside their ask (after the summary, which leaves it out)
        page.gap[1:1] = our_view(picks.their_ask, known.money, facts["ours"], picks.approvals, ctx)
        update["synthesis"] = Synthesis(**written.model_dump(), first_page=page,
                                        composed=not settings.writes_prose(llm.backend))
    return update


READINGS = ("their_ask", "our_limit", "their_deadline", "our_decision", "term")


def _terms_and_views(case: CaseMaterials, known: CaseFacts, deal: DealProfile, ours: frozenset[str],
                     flagged: tuple[str, ...]) -> tuple[list, list]:
    """Their terms on the table and, for each, the sentence of our notes that speaks of it."""
    terms = their_terms(case, known, deal.counterpart, deal.our_side, ours, flagged)
    return terms, views_on([t.text for t in terms], case, (deal.our_side, deal.counterpart))


def _contract_lines(case: CaseMaterials, deal: DealProfile) -> tuple[tuple, Item | None]:
    """Our rights in the contracts (`rights_on_page`) and the counterpart's duty (`their_duty`)."""
    return (rights_on_page(case, deal.our_side, deal.counterpart), their_duty(case, deal.our_side, deal.counterpart))


def _facts(resources, case, counter, room: int) -> dict:
    """Each reading's options (`options`: those the words around them point to, strongest first) and their listing
    for the prompt (`listing`), as many as fit in `room` tokens; the reading a rule can name without asking
    (`sure`); our own documents (`ours`) and the newest message. Dates are offered from the newest message's day on
    (a deadline or decision to prepare for lies ahead: `upcoming`); our limit and our decision among our own lines,
    their deadline among the other documents' (all dates where they have none)."""
    facts: CaseFacts = resources.case_facts(case)
    ours = frozenset(doc.name for doc in case.documents if is_internal(doc))
    newest = facts.newest
    upcoming = facts.upcoming
    ahead = upcoming or list(facts.dated)
    theirs = [d for d in ahead if d.source.document not in ours]
    options = {"their_ask": amount_options(list(facts.money)),
               "our_limit": amount_options([m for m in facts.money if ours_line(m, ours)]),
               "their_deadline": date_options(theirs or ahead),
               "our_decision": date_options([d for d in ahead if ours_line(d, ours)]),
               "term": {d.written: d for d in facts.durations}}
    options = {name: ranked(name, offered) for name, offered in options.items()}
    for name, offered in options.items():
        fit = longest_fitting(len(offered), lambda k: counter.count(listing(dict(islice(offered.items(), k)), ours)) <= room)
        options[name] = dict(islice(offered.items(), fit))
    return {"options": options, "listing": {name: listing(o, ours) for name, o in options.items()},
            "sure": {name: sure(name, o) for name, o in options.items() if o},
            "newest": newest, "ours": ours, "upcoming": upcoming}


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


PAGE_GROUPS = {"gap": "The gap", "position": "Our position (your notes)",
               "rights": "What the contract gives us (its own words)", "ideas": "Ideas for a trade (your notes)",
               "their_side": "Their side (your notes)", "alternatives": "Our alternatives", "dates": "Dates ahead",
               "their_terms": "Their terms on the table (their papers)", "latest": "Newest",
               "agreed": "Steps in your notes, still ahead", "open_questions": "Open in your notes"}
"""The first page's groups in the order a reader meets them: the numbers, where we stand and what we can trade,
their side, the dates, their terms and newest word, what is still to do."""


WORDING = {
    "en": {"first_page": "First page", "moves": "Next wise moves", "questions": "Questions to ask",
           "to_decide": "To decide before the meeting", "computed": "Computed from", "summary": "Executive summary",
           "where": "synthesis", "plan": "Plan across the three dimensions", "dimension": "Dimension",
           "steps": "Steps", "move": "Move", "why": "Why", "verify": "Verify before the meeting",
           "facts": "The facts behind it", **PAGE_GROUPS},
    "no": {"first_page": "Første side", "moves": "Neste kloke trekk", "questions": "Spørsmål å stille",
           "to_decide": "Avklares før møtet", "computed": "Beregnet fra", "summary": "Sammendrag",
           "title": "Orientering", "where": "orientering", "plan": "Plan i de tre dimensjonene",
           "dimension": "Dimensjon", "steps": "Steg", "move": "Trekk", "why": "Hvorfor", "verify": "Sjekk før møtet", "facts": "Fakta bak",
           "gap": "Gapet", "dates": "Datoer foran oss", "their_terms": "Deres vilkår på bordet (deres dokumenter)",
           "latest": "Nyest", "position": "Vår posisjon (våre notater)", "rights": "Hva avtalen gir oss (avtalens ord)",
           "alternatives": "Våre alternativer", "their_side": "Deres side (våre notater)",
           "ideas": "Ideer til bytte (våre notater)", "agreed": "Steg i våre notater, fortsatt foran oss",
           "open_questions": "Åpent i våre notater"},
    "de": {"first_page": "Erste Seite", "moves": "Nächste kluge Schritte", "questions": "Fragen an die Gegenseite",
           "to_decide": "Vor dem Treffen zu entscheiden", "computed": "Berechnet aus", "summary": "Zusammenfassung",
           "title": "Briefing", "where": "Briefing", "plan": "Plan über die drei Dimensionen",
           "dimension": "Dimension", "steps": "Schritte", "move": "Schritt", "why": "Warum",
           "verify": "Vor dem Treffen prüfen", "facts": "Die Fakten dahinter",
           "gap": "Die Lücke", "dates": "Anstehende Termine",
           "their_terms": "Ihre Bedingungen auf dem Tisch (ihre Unterlagen)", "latest": "Neueste", "position": "Unsere Position (unsere Notizen)",
           "rights": "Was der Vertrag uns gibt (seine Worte)",
           "alternatives": "Unsere Alternativen", "their_side": "Ihre Seite (unsere Notizen)",
           "ideas": "Ideen für einen Tausch (unsere Notizen)", "agreed": "Schritte unserer Notizen, noch offen",
           "open_questions": "Offen in unseren Notizen"},
}


def wording(language: str) -> dict[str, str]:
    """The briefing's headings, labels and first-page group titles (also by group name, `first_page.gap`) in the
    brief's language (English where there are none)."""
    words = {**WORDING["en"], **WORDING.get(language_code(language), {})}
    return {**words, **{f"first_page.{name}": words[name] for name in PAGE_GROUPS}}


def first_page_lists(synthesis: Synthesis) -> dict:
    """The first page's lines the checks verify against the materials, in the order they are shown."""
    page = synthesis.first_page
    return {f"first_page.{name}": getattr(page, name) for name in PAGE_GROUPS}


def word(w, synthesis: Synthesis, number: int) -> None:
    """The first page in Word: the summary and what to do, then the facts behind it."""
    page: FirstPage = synthesis.first_page
    words = wording(w.view.report.case.language)
    w.heading(words["first_page"], 1)
    w.heading(words["summary"], 2)
    w.para(w.words.places(synthesis.executive_summary))
    if synthesis.next_moves:
        w.heading(words["moves"], 2)
    for m in synthesis.next_moves:
        w.para(f" ({w.words.dimensions[m.dimension]}) \u2014 {w.words.places(m.why)}", "List Number", bold_prefix=m.move)
    if not synthesis.composed:  # composed from the moves, the plan would only repeat them
        w.heading(words["plan"], 2)
        w.table([words["dimension"], words["steps"]],
                [[w.words.dimensions[name].capitalize(), "\n".join(f"{i}. {s}" for i, s in enumerate(getattr(synthesis.plan, name), 1))]
                 for name in ("process", "relationship", "substance")])
    w.bullets(words["questions"], synthesis.questions_to_ask)
    w.bullets(words["to_decide"], page.to_decide)
    w.bullets(words["verify"], synthesis.verify_before_meeting)
    if any(getattr(page, name) for name in PAGE_GROUPS):
        w.heading(words["facts"], 1)
    for title, items in ((words[name], getattr(page, name)) for name in PAGE_GROUPS):
        if items:
            w.heading(title, 2)
            for item in items:
                w.item(item.text, item)


AGENT = Agent(
    name="merger", prompt=PROMPT, node="merge", report_field="synthesis", stage=3, output=Synthesis,
    title="Briefing", run=merge, word=word, lead=True, anchor="briefing", groups=first_page_lists,
    titles={f"first_page.{name}": title for name, title in PAGE_GROUPS.items()}, wording=wording,
    texts=("executive_summary", "plan.process", "plan.relationship", "plan.substance", "next_moves[move,why]",
           "questions_to_ask", "verify_before_meeting", "first_page.to_decide"),
)
