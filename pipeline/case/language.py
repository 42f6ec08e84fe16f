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


_ROWS: dict[str, np.ndarray] = {}
"""Each n-gram's probabilities per language in langdetect's profiles, as an array (read from them once)."""


def _row(profiles: dict, gram: str) -> np.ndarray:
    row = _ROWS.get(gram)
    if row is None:
        row = _ROWS[gram] = np.array(profiles[gram], dtype=np.float64)
    return row


class _Draws:
    """The positions `random.choice` of a sequence of length `n` draws from `rnd`, one after the other, drawn in
    blocks: `getrandbits(32 * m)` is the next m words of the generator (the first the lowest), of which
    `getrandbits(k)` takes one word's top k bits, and `_randbelow(n)` draws k = n.bit_length() bits until they are
    below n. `settle(used)` leaves `rnd` where `used` draws one by one would have left it."""

    BLOCK = 128
    AHEAD = 64
    """Draws taken ahead of those needed (their factors gathered in one step)."""

    def __init__(self, rnd, n: int):
        self.rnd, self.n, self.shift = rnd, n, 32 - n.bit_length()
        self.state = rnd.getstate()
        self.values: list[np.ndarray] = []
        self.ends: list[np.ndarray] = []
        self.count = self.words = 0
        self.drawn = np.empty(0, dtype=np.int64)

    def take(self, start: int, count: int) -> np.ndarray:
        """Draws `start` to `start + count` (drawing more blocks when needed)."""
        while self.count < start + count:
            raw = np.frombuffer(self.rnd.getrandbits(32 * self.BLOCK).to_bytes(4 * self.BLOCK, "little"),
                                dtype="<u4") >> self.shift
            kept = np.flatnonzero(raw < self.n)
            self.values.append(raw[kept].astype(np.int64))
            self.ends.append(self.words + kept + 1)
            self.count += len(kept)
            self.words += self.BLOCK
            self.drawn = np.concatenate(self.values)
        return self.drawn[start:start + count]

    def settle(self, used: int) -> None:
        self.rnd.setstate(self.state)
        self.rnd.getrandbits(32 * int(np.concatenate(self.ends)[used - 1]))


class _OneByOne:
    """`random.choice`'s positions drawn one at a time (where `_Draws` would not give them)."""

    AHEAD = 0

    def __init__(self, rnd, n: int):
        self.rnd, self.n, self.drawn = rnd, n, []

    def take(self, start: int, count: int) -> list[int]:
        while len(self.drawn) < start + count:
            self.drawn.append(self.rnd.choice(range(self.n)))
        return self.drawn[start:start + count]

    def settle(self, used: int) -> None:
        pass


def _same_draws() -> bool:
    """Whether `_Draws` gives `random.choice`'s positions on this Python (checked once per process)."""
    import random

    for n in (1, 2, 3, 5, 100, 129, 1000, 70_000):
        one, block = random.Random(n), random.Random(n)
        draws = _Draws(block, n)
        if list(draws.take(0, 300)) != [one.choice(range(n)) for _ in range(300)]:
            return False
        draws.settle(300)
        if block.random() != one.random():
            return False
    return True


_BLOCKS_OK: list[bool] = []


class _Detector(Detector):
    """langdetect's detector with each trial's languages updated as arrays, five n-grams at a time, the n-grams
    drawn in blocks (`_Draws`): the same operations on the same numbers in the same order as
    `Detector._detect_block` (so the same answer), several times faster."""

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        if not _BLOCKS_OK:
            _BLOCKS_OK.append(_same_draws())
        grams = list(dict.fromkeys(ngrams))
        row = {gram: i for i, gram in enumerate(grams)}
        rows = np.array([row[gram] for gram in ngrams])  # drawn by position, as `random.choice(ngrams)` draws
        table = np.stack([_row(self.word_lang_prob_map, gram) for gram in grams])
        langprob = np.zeros(len(self.langlist))
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            factors = alpha / self.BASE_FREQ + table
            draws = (_Draws if _BLOCKS_OK[0] and len(rows) < 2**32 else _OneByOne)(self.random, len(rows))
            used = start = 0
            window = None  # row 0 the probabilities after draw `start - 1`, row 1 + j the factors of draw `start + j`
            while True:  # the draws of iterations 0, 1-5, 6-10, ...: normalised and checked after each
                count = 1 if used == 0 else 5
                if window is None or used + count >= start + len(window):
                    window = np.concatenate((prob[None], factors[rows[draws.take(used, max(count, draws.AHEAD))]]))
                    start = used
                window[used - start] = prob
                prob = np.multiply.reduce(window[used - start:used - start + count + 1], axis=0)
                used += count
                values = prob.tolist()
                total = sum(values)  # the builtin sum, in order, as `_normalize_prob` adds
                prob /= total
                if max(values) / total > self.CONV_THRESHOLD or used - 1 >= self.ITERATION_LIMIT:  # = prob.max()
                    break
            draws.settle(used)
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


def _loaded() -> None:
    """langdetect's profiles, loaded once per process (call holding `_LOADING`); each n-gram's probabilities then
    held as a tuple, not a list: the ~90,000 lists would be walked by every full pass of the garbage collector,
    the tuples of numbers it leaves alone."""
    detector_factory.init_factory()
    if _SETTLED != [detector_factory._factory]:
        profiles = detector_factory._factory.word_lang_prob_map
        for gram, row in profiles.items():
            profiles[gram] = tuple(row)
        _SETTLED[:] = [detector_factory._factory]


_SETTLED: list = []
"""The factory whose profiles `_loaded` holds as tuples."""


def language_probabilities(text: str) -> list:
    """langdetect's `detect_langs(text)`: the languages of `text` most likely first (`.lang`, `.prob`)."""
    with _LOADING:
        _loaded()
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
