"""The language detector gives langdetect's own answer, probabilities and all."""

from pathlib import Path

import pytest
from langdetect import LangDetectException, detect_langs

from pipeline.case.language import detect_language, language_probabilities

CASES = Path(__file__).resolve().parents[3] / "cases"


def _paragraphs() -> list[str]:
    found = []
    for path in sorted(CASES.glob("*/*.md")):
        found += [p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 4][:12]
    return found + ["Rent per sq ft: our side proposes £9.00, counterpart suggests £10.20.", "Hei, går det bra?"]


def test_probabilities_are_langdetects_own():
    texts = _paragraphs()
    assert len(texts) > 50
    for text in texts:
        ours = [(lang.lang, lang.prob) for lang in language_probabilities(text)]
        assert ours == [(lang.lang, lang.prob) for lang in detect_langs(text)], text


def test_text_without_features():
    with pytest.raises(LangDetectException):
        language_probabilities("12345 678")
    assert detect_language("12345 678") == ""


def test_threads_that_detect_at_once_while_the_profiles_load_all_get_an_answer(monkeypatch):
    """langdetect publishes its factory before it has loaded the profiles; a run in another thread must wait."""
    from concurrent.futures import ThreadPoolExecutor

    from langdetect import detector_factory

    from pipeline.case.language import detect_language

    monkeypatch.setattr(detector_factory, "_factory", None)
    texts = ["The supplier asks for a higher price from next year."] * 4 + ["Leverandøren krever høyere pris fra neste år."] * 4
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(detect_language, texts))
    assert found == ["en"] * 4 + ["no"] * 4


def test_blocks_of_draws_are_random_choices_own():
    """The n-grams drawn in blocks are those `random.choice` draws one by one, and leave the generator where
    they would have left it."""
    import random

    from pipeline.case.language import _Draws

    for n in (1, 3, 64, 65, 1000):
        one, block = random.Random(7), random.Random(7)
        one.gauss(0.0, 1.0), block.gauss(0.0, 1.0)
        draws = _Draws(block, n)
        taken = list(draws.take(0, 5)) + list(draws.take(5, 200))
        assert taken == [one.choice(range(n)) for _ in range(205)]
        draws.settle(150)
        one.setstate(random.Random(7).getstate())
        one.gauss(0.0, 1.0)
        for _ in range(150):
            one.choice(range(n))
        assert block.gauss(0.0, 1.0) == one.gauss(0.0, 1.0)
        assert block.random() == one.random()


def test_the_profiles_are_left_out_of_the_garbage_collectors_walks():
    import gc

    from langdetect import detector_factory

    detect_language("The supplier asks for a higher price from next year.")
    gc.collect()
    rows = list(detector_factory._factory.word_lang_prob_map.values())
    assert len(rows) > 10_000
    assert not any(gc.is_tracked(row) for row in rows)
