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
