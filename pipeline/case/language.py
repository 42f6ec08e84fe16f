"""The brief's language: detected from the materials when neither case.yaml nor --language names it."""

from __future__ import annotations

import threading
from itertools import chain

import numpy as np
from langdetect import DetectorFactory, LangDetectException, detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode

DetectorFactory.seed = 0  # langdetect samples at random; a fixed seed makes a case's answer repeatable

NAMES = {
    "en": "English", "no": "Norwegian (bokmål)", "nb": "Norwegian (bokmål)", "nn": "Norwegian (nynorsk)",
    "da": "Danish", "sv": "Swedish", "fi": "Finnish", "de": "German", "nl": "Dutch", "fr": "French",
    "es": "Spanish", "pt": "Portuguese", "it": "Italian", "pl": "Polish", "cs": "Czech", "et": "Estonian",
}
SAMPLE_CHARS = 20_000
_LOADING = threading.Lock()
"""langdetect's `init_factory` publishes its factory before the profiles are loaded: runs in other threads must wait."""


class _Detector(Detector):
    """langdetect's detector with each trial's languages updated as one array: the same operations on the same
    numbers in the same order as `Detector._detect_block` (so the same answer), several times faster."""

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        grams = list(dict.fromkeys(ngrams))
        row = {gram: i for i, gram in enumerate(grams)}
        rows = [row[gram] for gram in ngrams]  # drawn by position, as `random.choice(ngrams)` draws
        width = len(self.langlist)
        table = np.fromiter(chain.from_iterable(self.word_lang_prob_map[gram] for gram in grams), np.float64,
                            len(grams) * width).reshape(len(grams), width)
        langprob = np.zeros(width)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            factors = alpha / self.BASE_FREQ + table
            i = 0
            while True:
                prob *= factors[self.random.choice(rows)]
                if i % 5 == 0:
                    prob /= sum(prob.tolist())  # the builtin sum, in order, as `_normalize_prob` adds
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


def language_probabilities(text: str) -> list:
    """langdetect's `detect_langs(text)`: the languages of `text` most likely first (`.lang`, `.prob`)."""
    with _LOADING:
        detector_factory.init_factory()
    detector = _Detector(detector_factory._factory)
    detector.append(text)
    return detector.get_probabilities()


def detect_language(text: str, confidence: float = 0.5) -> str:
    """The ISO 639-1 code of the language most of `text` is written in ("" if it cannot tell with
    `confidence`)."""
    try:
        best = language_probabilities(text[:SAMPLE_CHARS])[0]
    except LangDetectException:
        return ""
    return best.lang if best.prob >= confidence else ""


def language_name(code: str) -> str:
    """`no` -> `Norwegian (bokmål)`; an unknown code is returned as it is."""
    return NAMES.get(code.strip().lower(), code)
