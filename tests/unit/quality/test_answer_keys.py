"""The answer keys count a point only where a text makes it: not for the prompts' own sentences, not for the
key's keywords in a heap, not for its statements negated or given to the other side; and a must-not catches
its paraphrases and lets its near-misses through.

tests/data/keys/<case>.yaml holds, per key, hand-written test texts (not model output): `right`, a short
reference brief by section that makes every point; `wrong`, the same statements negated or with their sides
swapped; `soup`, lines of the key's topics without their statements; `must_not`, for each must-not id, three
paraphrases that must fire (`fire`) and three near-misses that must not (`miss`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from agents import registry
from pipeline.quality.answer_key import BeforeTerm, NotTerm, load_key
from pipeline.quality.scoring import ScoredText, score_texts
from pipeline.quality.answer_key import fold
from tests.conftest import DATA, ROOT
from tests.record import case_path

KEYS = sorted(p.stem for p in (DATA / "keys").glob("*.yaml"))
ALL_KEYED = sorted(p.parent.name for base in (ROOT / "cases", DATA / "cases") for p in base.glob("*/expected.yaml"))


def data(case: str) -> dict:
    return yaml.safe_load((DATA / "keys" / f"{case}.yaml").read_text(encoding="utf-8"))


def key(case: str):
    return load_key(case_path(case) / "expected.yaml")


def everywhere(texts: list[str]) -> dict[str, list[ScoredText]]:
    """The same texts in every section."""
    return {s: [ScoredText(t, fold(t)) for t in texts] for s in registry.PREPARATION.fields}


def by_section(sections: dict[str, list[str]]) -> dict[str, list[ScoredText]]:
    return {s: [ScoredText(t, fold(t)) for t in sections.get(s, [])] for s in registry.PREPARATION.fields}


def prompt_sentences() -> list[str]:
    """Every sentence and line of the agents' prompts."""
    sentences = []
    for path in sorted((ROOT / "prompts").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"[{}`*#>|]", " ", line).strip(" -")
            sentences += [s.strip() for s in re.split(r"(?<=[.!?;])\s+", line) if len(s.split()) >= 2]
    return sentences


def _terms(value):
    if isinstance(value, list):
        for element in value:
            yield from _terms(element)
    elif isinstance(value, BeforeTerm):
        yield from _terms(value.before)
    elif not isinstance(value, NotTerm):
        yield value


def key_soup(compiled) -> list[str]:
    """The key's own words, point by point, sorted and heaped five to a line; each figure alone."""
    texts = []
    for point in compiled.key.points:
        words, figures = set(), []
        for term in _terms(point.match):
            if isinstance(term, str):
                sources = [term]
            else:
                sources = [getattr(term, "re", None) or "", term.near or ""]
                if getattr(term, "number", None) is not None:
                    figures.append(f"EUR {term.number:,.0f}")
                if getattr(term, "date", None):
                    figures.append(term.date)
            for source in sources:
                words |= set(re.findall(r"[a-z\u00e6\u00f8\u00e5]{3,}", re.sub(r"\\[a-zA-Z]", " ", source.lower())))
        ordered = sorted(words)
        texts += [", ".join(ordered[i:i + 5]) for i in range(0, len(ordered), 5)] + figures
    return texts


def test_every_key_has_its_test_texts():
    assert KEYS == ALL_KEYED


@pytest.mark.parametrize("case", KEYS)
def test_the_prompts_own_sentences_make_no_point(case):
    score = score_texts(everywhere(prompt_sentences()), key(case))
    assert score.recall <= 0.05, [p.id for p in score.points if p.found]


@pytest.mark.parametrize("case", KEYS)
def test_keyword_soup_makes_almost_no_point(case):
    compiled = key(case)
    for soup in (key_soup(compiled), data(case)["soup"]):
        score = score_texts(everywhere(soup), compiled)
        assert score.recall <= 0.15, [(p.id, p.evidence) for p in score.points if p.found]


@pytest.mark.parametrize("case", KEYS)
def test_statements_negated_or_given_to_the_other_side_make_almost_no_point(case):
    score = score_texts(by_section(data(case)["wrong"]), key(case))
    assert score.recall <= 0.15, [(p.id, p.evidence) for p in score.points if p.found]


@pytest.mark.parametrize("case", KEYS)
def test_the_hand_written_reference_makes_the_points(case):
    score = score_texts(by_section(data(case)["right"]), key(case))
    assert score.recall >= 0.85, [p.id for p in score.points if not p.found]
    assert not score.violations, [(v.id, v.evidence) for v in score.violations]


@pytest.mark.parametrize("case", KEYS)
def test_each_must_not_catches_its_paraphrases_and_not_its_near_misses(case):
    compiled = key(case)
    examples = data(case)["must_not"]
    assert set(examples) == {p.point.id for p in compiled.must_not}
    for point in compiled.must_not:
        fire, miss = examples[point.point.id]["fire"], examples[point.point.id]["miss"]
        assert len(fire) >= 3 and len(miss) >= 3
        for text in fire:
            assert point.found_in(text, fold(text)), (point.point.id, "should fire", text)
        for text in miss:
            assert not point.found_in(text, fold(text)), (point.point.id, "should not fire", text)
