"""Texts of a brief written in another language than the brief's. A small model asked for a Norwegian brief
writes much of it in English, and copies Norwegian sentences into an English one: the reader is told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import BaseModel, ValidationError

from pipeline.case.language import detect_language, language_name
from pipeline.schemas import PIPELINE, Evidence, FirstPage, ReportWarning

MIN_WORDS = 8  # shorter texts (names, figures, labels) are read unreliably
TRANSLATED_MIN_WORDS = 4  # a short text misread costs the translate step one call, not a false count
CONFIDENCE = 0.9
MIN_SHARE = 0.1  # the detector misreads a short text now and then ("Rent per sq ft: our side proposes £9.00,
# counterpart suggests £10.20." is French to it): one such text in a brief is noise, not a mix
KIN = ({"no", "nb", "nn", "da"},)  # languages a detector confuses with each other, taken as one


OWN_WORDS = ("quoted", "excerpt")
"""Item states of lines shown in the materials' own words (our notes' lines, their message's sentences)."""


def model_texts(value, where: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) of every text a model wrote in `value`: evidence, pipeline fields, the lines shown in
    the materials' own words and what the pipeline composed (the first page; a briefing it composed) left out."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from model_texts(v, f"{where}[{i}]")
    elif isinstance(value, BaseModel) and not isinstance(value, Evidence):
        if getattr(value, "verification", "") in OWN_WORDS:
            return  # a line of the materials shown in its own words: no model wrote it
        if isinstance(value, FirstPage) or getattr(value, "composed", False) is True:
            return  # composed by the pipeline in the brief's words around the materials' own: no model wrote it
        for name, field in type(value).model_fields.items():
            if (field.json_schema_extra or {}) != PIPELINE:
                yield from model_texts(getattr(value, name), f"{where}.{name}" if where else name)


def _same(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in KIN)


def written_in(text: str, min_words: int = MIN_WORDS, read: dict[str, str] | None = None) -> str:
    """The language `text` is written in, when it has `min_words` and a detector is sure of it ("" otherwise);
    `read` holds what the detector said of texts read before (a run reads its texts once)."""
    if len(text.split()) < min_words:
        return ""
    if read is None:
        return detect_language(text, CONFIDENCE)
    if text not in read:
        read[text] = detect_language(text, CONFIDENCE)
    return read[text]


def foreign_in(text: str, language: str, min_words: int = MIN_WORDS, read: dict[str, str] | None = None) -> str:
    """The language `text` is written in when a detector is sure it is not `language` ("" otherwise)."""
    found = written_in(text, min_words, read)
    return found if found and not _same(found, (language or "").strip().lower()) else ""


def foreign_texts(sections: dict[str, BaseModel], language: str, read: dict[str, str] | None = None) -> list[str]:
    """The texts of `sections` (of `TRANSLATED_MIN_WORDS` or more) written in another language than
    `language`, each once, in report order."""
    if not (language or "").strip():
        return []
    texts = (text for model in sections.values() for _, text in model_texts(model))
    return list(dict.fromkeys(text for text in texts if foreign_in(text, language, TRANSLATED_MIN_WORDS, read)))


def with_texts(value, table: dict[str, str]):
    """`value` with each text a model wrote that is a key of `table` replaced by its value; a field keeps
    its text where the new one breaks the model's limits (a translation longer than the field allows)."""
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, list):
        return [with_texts(v, table) for v in value]
    if not isinstance(value, BaseModel) or isinstance(value, Evidence):
        return value
    result = value.model_copy()
    for name, field in type(value).model_fields.items():
        old = getattr(value, name)
        if (field.json_schema_extra or {}) == PIPELINE:
            continue
        new = with_texts(old, table)
        if new != old:
            try:
                result = type(value).__pydantic_validator__.validate_assignment(result, name, new)
            except ValidationError:
                if isinstance(old, list):  # each text of a list on its own
                    kept = [_kept(type(value), result, name, old, i, n) for i, n in enumerate(new)]
                    result = type(value).__pydantic_validator__.validate_assignment(result, name, kept)
    return result


def _kept(model: type[BaseModel], current: BaseModel, name: str, old: list, index: int, new):
    """The `index`th element of list field `name`: `new` when the list with it alone replaced is valid."""
    trial = [new if i == index else v for i, v in enumerate(old)]
    try:
        model.__pydantic_validator__.validate_assignment(current.model_copy(), name, trial)
        return new
    except ValidationError:
        return old[index]


def check_language(sections: dict[str, BaseModel], language: str,
                   read: dict[str, str] | None = None) -> list[ReportWarning]:
    """One warning when texts of the brief are written in another language than `language` (at least two,
    and `MIN_SHARE` of the texts the detector could read)."""
    code = (language or "").strip().lower()
    if not code:
        return []
    texts = [(f"{section}.{where}", text) for section, model in sections.items()
             for where, text in model_texts(model)]
    found_in = [(where, text, written_in(text, MIN_WORDS, read)) for where, text in texts]
    found_in = [r for r in found_in if r[2]]
    other = [r for r in found_in if not _same(r[2], code)]
    if len(other) < max(2, MIN_SHARE * len(found_in)):
        return []
    found = Counter(lang for _, _, lang in other).most_common()
    where, text, _ = other[0]
    return [ReportWarning(code="language", message=(
        f"{len(other)} of {len(found_in)} texts of this brief are not in {language_name(code)} but "
        f"{', '.join(language_name(lang) for lang, _ in found)} (e.g. {where}: \u201c{text[:80]}\u201d); "
        "a larger model writes the asked language more reliably"))]
