"""One reader per file type: bytes on disk to a `Document` of locatable units."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.documents import Document, InputError, Unit

Reader = Callable[[str, bytes], Document]
_PREFERRED = ["cp1252", "latin_1", "iso8859_15", "cp1250"]


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    results = list(from_bytes(data))
    if not results:
        raise InputError(f"{name}: not UTF-8 and no text encoding could be detected")
    best = results[0]
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    return str(min(tied, key=lambda r: _PREFERRED.index(r.encoding) if r.encoding in _PREFERRED else len(_PREFERRED)))


def read_text(name: str, data: bytes) -> Document:
    """Plain text and Markdown: one unit per line."""
    text = decode_text(name, data).replace("\r\n", "\n").replace("\r", "\n")
    units = [Unit(locator=f"line {i}", text=line) for i, line in enumerate(text.split("\n"), 1)]
    return Document(name=name, kind=Path(name).suffix.lstrip(".").lower() or "txt", units=units)


READERS: dict[str, Reader] = {".md": read_text, ".markdown": read_text, ".txt": read_text}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())
