"""The brief's language: detected from the materials when neither case.yaml nor --language names it."""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0  # langdetect samples at random; a fixed seed makes a case's answer repeatable

NAMES = {
    "en": "English", "no": "Norwegian (bokmål)", "nb": "Norwegian (bokmål)", "nn": "Norwegian (nynorsk)",
    "da": "Danish", "sv": "Swedish", "fi": "Finnish", "de": "German", "nl": "Dutch", "fr": "French",
    "es": "Spanish", "pt": "Portuguese", "it": "Italian", "pl": "Polish", "cs": "Czech", "et": "Estonian",
}
SAMPLE_CHARS = 20_000


def detect_language(text: str, confidence: float = 0.5) -> str:
    """The ISO 639-1 code of the language most of `text` is written in ("" if it cannot tell with
    `confidence`)."""
    try:
        best = detect_langs(text[:SAMPLE_CHARS])[0]
    except LangDetectException:
        return ""
    return best.lang if best.prob >= confidence else ""


def language_name(code: str) -> str:
    """`no` -> `Norwegian (bokmål)`; an unknown code is returned as it is."""
    return NAMES.get(code.strip().lower(), code)
