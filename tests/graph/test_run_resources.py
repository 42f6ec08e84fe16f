"""Computed once, carried: a run reads each document once, builds its source index and knowledge base once,
verifies each item once, and shares none of it with another run; the inverted index finds what the full scan
of the passages finds."""

from __future__ import annotations

import gc
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from agents import registry
from pipeline.case import loading
from pipeline.case.loading import load_case
from pipeline.checks import evidence, item_checks
from pipeline.checks.claims import CANDIDATES, ClaimChecker
from pipeline.checks.evidence import (PAIR_CANDIDATES, Claim, PAIR_PASSAGE_CHARS, PAIR_THRESHOLD, SourceIndex, figures_held,
                                      shared_share, statement, unsupported)
from pipeline.checks.free_texts import sentences
from pipeline.checks.language_mix import model_texts
from pipeline.checks.quantities import Stated, missing_quantities
from pipeline.llm.client import make_llm
from pipeline.report.render import load_report
from pipeline.resources import attach, resources_for
from pipeline.settings import load_settings
from pipeline.testing.synthetic import SyntheticTransport
from tests.conftest import CASSETTES, DATA, ROOT
from tests.record import case_path
from tests.graph.test_replay import replay

SAMPLES = sorted(p.name for p in (ROOT / "cases").iterdir() if p.is_dir())


def test_every_document_of_a_case_is_read_once_per_prepare(tmp_path, monkeypatch):
    read: Counter[str] = Counter()
    original = loading.reader_for

    def counting(path: Path):
        reader = original(path)

        def read_once(name, data):
            read[name] += 1
            return reader(name, data)
        return read_once if reader else None

    monkeypatch.setattr(loading, "reader_for", counting)
    assert replay("mixed-formats", tmp_path).exit_code == 0
    files = {p.name for p in case_path("mixed-formats").iterdir() if p.suffix in (".pdf", ".docx", ".eml")}
    assert {".pdf", ".docx"} <= {Path(f).suffix for f in files}
    assert set(read) == files and set(read.values()) == {1}, read


def test_every_item_is_verified_once_per_prepare(tmp_path, monkeypatch):
    verified: Counter[tuple[str, str]] = Counter()
    original = item_checks.check_item

    def counting(item, checker, where, *, as_fact=False):
        verified[(where, item.text)] += 1
        return original(item, checker, where, as_fact=as_fact)

    monkeypatch.setattr(item_checks, "check_item", counting)
    assert replay("delivery-dispute", tmp_path).exit_code == 0
    report = load_report(tmp_path / "report.json")
    assert not report.provenance.translations  # no item reworded after its first check
    premises = registry.premises(registry.report_sections(report))
    assert len(premises) > 20
    assert set(verified.values()) == {1}, [k for k, n in verified.items() if n > 1]
    said = [p for p in premises if p.item.verification in ("quoted", "excerpt")]
    assert said and not any((p.where, p.item.text) in verified for p in said), \
        "lines of the materials shown in their own words are not checked as statements"
    statements = [p for p in premises if p.item.verification not in ("quoted", "excerpt")
                  and not p.where.startswith("synthesis.first_page")  # the first page: checked on its own line
                  and not p.where.startswith(("counterpart.pressures", "counterpart.tomorrow_morning"))]
    # a pressure or a "tomorrow morning" problem is kept by the profiler's own check (the line that suggests it)
    assert len(statements) > 10 and all((p.where, p.item.text) in verified for p in statements), \
        "every statement of the model is checked"


def test_a_run_builds_its_source_index_claim_checker_and_knowledge_base_once(tmp_path, monkeypatch):
    from pipeline import knowledge, resources

    built: Counter[str] = Counter()
    index_class, checker_class, load = resources.SourceIndex, resources.ClaimChecker, knowledge.KnowledgeBase.load.__func__

    def counted_index(case):
        built["index"] += 1
        return index_class(case)

    def counted_checker(case, index, **sides):
        built["checker"] += 1
        return checker_class(case, index, **sides)

    def counted_load(cls, kb_dir):
        built["kb"] += 1
        return load(cls, kb_dir)

    monkeypatch.setattr(resources, "SourceIndex", counted_index)
    monkeypatch.setattr(resources, "ClaimChecker", counted_checker)
    monkeypatch.setattr(knowledge.KnowledgeBase, "load", classmethod(counted_load))
    assert replay("delivery-dispute", tmp_path).exit_code == 0
    assert built == {"index": 1, "checker": 1, "kb": 1}


async def test_two_runs_share_no_client_or_index_but_the_knowledge_base_read_once():
    settings = load_settings(use_cache=False)
    other = settings.model_copy(update={"kb_top_k": 3})
    first, second = attach(settings), attach(settings)
    assert first.run_resources is not second.run_resources
    assert resources_for(first) is first.run_resources, "a run finds its own resources again"
    assert resources_for(other) is not resources_for(settings), "a copy of settings builds its own"
    assert (resources_for(other).settings, resources_for(settings).settings) == (other, settings)
    case = load_case(DATA / "cases" / "tiny")
    assert first.run_resources.source_index(case) is first.run_resources.source_index(case)
    assert second.run_resources.source_index(case) is not first.run_resources.source_index(case)
    assert first.run_resources.knowledge_base() is second.run_resources.knowledge_base(), "the same files, read once"
    llm = make_llm(settings, base_transport=SyntheticTransport())
    given, built = attach(settings, llm), attach(settings)
    assert await given.run_resources.llm() is llm
    assert await built.run_resources.llm() is not llm
    await built.run_resources.aclose()
    await given.run_resources.aclose()
    assert not llm.client.is_closed(), "a client given to a run is its giver's to close"
    await llm.aclose()
    assert not any(name in vars(module) for module in (evidence, item_checks) for name in ("_INDEXES", "source_index"))


def test_what_a_process_loaded_before_its_first_run_is_left_out_of_the_collectors_walks(tmp_path):
    import gc

    assert replay("tiny", tmp_path).exit_code == 0
    assert gc.get_freeze_count() > 10_000


def full_scan(index: SourceIndex, text: str):
    """`supporting_passage` as it was before the inverted index: every passage read and ranked."""
    best, best_share, ranked = None, 0.0, []
    for doc, offset, passage in index.passages():
        share = shared_share(text, passage, index.common) or 0.0
        ranked.append((share, doc, offset, passage))
        if unsupported(text, passage, index.common):
            continue
        if best is None or share > best_share:
            best, best_share = (doc, offset, passage), share
    if best is not None:
        return [best]
    top = [r for r in sorted(ranked, key=lambda r: -r[0]) if r[0] > 0 and len(r[3]) <= PAIR_PASSAGE_CHARS]
    top = top[:PAIR_CANDIDATES]
    held = {id(r): figures_held(text, r[3]) for r in top}
    for i, first in enumerate(top):
        for second in top[i + 1:]:
            a, b = held[id(first)], held[id(second)]
            both = f"{first[3]}\n{second[3]}"
            if (first[1] is second[1] and a - b and b - a and not unsupported(text, both, index.common)
                    and (shared_share(text, both, index.common) or 0.0) >= PAIR_THRESHOLD):
                return sorted([first[1:], second[1:]], key=lambda p: p[1])
    return []


@pytest.mark.parametrize("name", SAMPLES)
def test_the_inverted_index_finds_the_passage_the_full_scan_finds(name):
    """On the recorded items of each sample case (and their texts cut short, which share fewer words)."""
    index = SourceIndex(load_case(case_path(name)))
    report = load_report(CASSETTES / f"{name}.report.json")
    stated = [statement(p.item) for p in registry.premises(registry.report_sections(report))]
    stated += [" ".join(text.split()[:4]) for text in stated]
    found = 0
    for text in stated:
        expected = full_scan(index, text)
        assert index.supporting_passage(text) == expected, text
        if expected:
            found += 1
            shape = index.candidates(text, limit=50)
            assert all(isinstance(c, tuple) and len(c) == 3 for c in shape)
            if Claim.of(text).words or any(ch.isdigit() for ch in text):  # else nothing to look a passage up by
                assert expected[0] in index.candidates(text), "a supporting passage is always a candidate"
    assert found, "some items are supported"


def test_candidates_rank_the_passages_holding_a_statements_figures_first():
    index = SourceIndex(load_case(case_path("telco-paysys")))
    report = json.loads((CASSETTES / "telco-paysys.report.json").read_text())
    facts = [i["text"] for i in report["deal_profile"]["key_facts"] if any(ch.isdigit() for ch in i["text"])]
    assert facts
    for text in facts[:5]:
        top = index.candidates(text, limit=3)
        assert 0 < len(top) <= 3
        assert not unsupported(text, top[0][2], index.common) or index.supporting_passage(text) == []


def claim_full_scan(checker: ClaimChecker, statement: str, stems: set[str]) -> list:
    """`ClaimChecker.candidates` as it was before its inverted indexes: every passage scored."""
    stated = Stated.of(statement)
    scored = []
    for passage in checker.passages:
        score = math.fsum(checker.idf.get(s, 0.0) for s in stems & passage.stems)
        if stated.numbers or stated.dates:
            missing_dates, missing = missing_quantities(statement, passage.text)
            score += 2.0 * (len(stated.numbers) - len(missing) + len(stated.dates) - len(missing_dates))
        if score > 0:
            scored.append((score, passage))
    scored.sort(key=lambda s: -s[0])
    return [p for _, p in scored[:CANDIDATES]]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_claim_checkers_indexes_offer_what_its_full_scan_finds(name):
    """On the recorded items and free-text sentences of each sample case (and their texts cut short)."""
    report = load_report(CASSETTES / f"{name}.report.json")
    checker = ClaimChecker(load_case(case_path(name)), our_side=report.deal_profile.our_side,
                           counterpart=report.deal_profile.counterpart)
    sections = registry.report_sections(report)
    texts = [statement(p.item) for p in registry.premises(sections)]
    texts += [s for _, model in sections.items() for _, text in model_texts(model) for s in sentences(text)]
    texts += [" ".join(text.split()[:4]) for text in texts]
    offered = 0
    for text in dict.fromkeys(texts):
        stems = checker.stems.content(text) - checker.side_words
        expected = claim_full_scan(checker, text, stems)
        assert checker.candidates(text, stems) == expected, text
        offered += bool(expected)
    assert offered, "some statements have candidates"


def test_what_a_run_built_is_freed_when_it_ends_not_left_to_the_full_garbage_collection(tmp_path):
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert replay("telco-paysys", tmp_path).exit_code == 0
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left & {"ClaimChecker", "SourceIndex", "CaseFacts", "CaseMaterials", "KnowledgeBase"}, left


def test_a_pure_reading_is_worked_out_once_per_run_in_its_threads_too_and_forgotten_with_it():
    import contextvars
    import threading

    from pipeline.memo import per_run, run_memo

    calls: Counter[str] = Counter()

    @per_run
    def read(text: str) -> tuple[str, ...]:
        calls[text] += 1
        return tuple(text.split())

    assert read("a b") == ("a", "b") and read("a b") == ("a", "b") and calls["a b"] == 2, "outside a run: every time"
    with run_memo():
        first = read("c d")
        seen = []
        worker = threading.Thread(target=contextvars.copy_context().run, args=(lambda: seen.append(read("c d")),))
        worker.start()
        worker.join()
        assert seen == [first] and seen[0] is first and read("c d") is first
    assert calls["c d"] == 1
    with run_memo():
        read("c d")
    assert calls["c d"] == 2, "the next run reads again"


async def test_what_a_run_builds_ahead_is_built_once_and_is_what_its_readers_get(monkeypatch):
    import asyncio

    from pipeline import resources

    built: Counter[str] = Counter()
    index_class, checker_class, facts_of = resources.SourceIndex, resources.ClaimChecker, resources.CaseFacts.of

    def counted(name, make):
        def build(*args, **kwargs):
            built[name] += 1
            return make(*args, **kwargs)
        return build

    monkeypatch.setattr(resources, "SourceIndex", counted("index", index_class))
    monkeypatch.setattr(resources, "ClaimChecker", counted("checker", checker_class))
    monkeypatch.setattr(resources.CaseFacts, "of", counted("facts", facts_of))
    run = attach(load_settings(use_cache=False)).run_resources
    case = load_case(DATA / "cases" / "tiny")
    run.prefetch(case)
    run.prefetch(case, ("Buyer AS", "Seller Ltd"))
    checker = await asyncio.to_thread(run.claim_checker, case, "Buyer AS", "Seller Ltd")  # waits if still building
    facts = await asyncio.to_thread(run.case_facts, case)
    assert checker is run.claim_checker(case, "Buyer AS", "Seller Ltd") and checker.index is run.source_index(case)
    assert facts is run.case_facts(case)
    await run.aclose()  # waits for the threads building ahead
    assert built == {"index": 1, "facts": 1, "checker": 1}
