"""Turn a file or a case folder into `CaseMaterials`, or fail with a clear `InputError`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from pipeline.case.documents import CaseMaterials, Document, InputError
from pipeline.case.language import detect_language
from pipeline.case.readers import READERS, read_text, reader_for

CASE_FILE = "case.yaml"
CASE_KEYS = ("title", "our_side", "counterpart", "language")


def load_case(path: Path | str, *, max_file_mb: float = 20.0) -> CaseMaterials:
    """Read every supported document under `path` (a file or a folder)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    files = _list_files(path) if path.is_dir() else [path]
    meta: dict[str, str] = {}
    case_file = (path if path.is_dir() else path.parent) / CASE_FILE
    if case_file.is_file() and (path.is_dir() or path == case_file):
        meta = _read_case_yaml(case_file)
    if path.is_file() and reader_for(path) is None:
        raise InputError(f"{path}: unsupported file type '{path.suffix or '(none)'}'; supported: {_supported()}")
    documents: list[Document] = []
    problems: list[str] = []
    for file in files:
        if reader_for(file) is None:
            continue
        try:
            documents.extend(_read_one(file, path, max_file_mb))
        except InputError as exc:
            if path.is_file():
                raise
            problems.append(str(exc))
    if not documents:
        detail = f" ({problems[0]})" if problems else f" (supported: {_supported()})"
        raise InputError(f"{path}: no readable document{detail}")
    for doc in documents:
        meta = _front_matter(doc, meta)
    return CaseMaterials(
        name=case_name(path), documents=documents, skipped=problems, **{k: meta.get(k, "") for k in CASE_KEYS}
    )


def case_name(path: Path | str) -> str:
    """A case's name: its folder's, or its file's without the suffix."""
    path = Path(path)
    return (path if path.is_dir() else path.with_suffix("")).name


def _supported() -> str:
    return ", ".join(sorted(READERS))


def _list_files(folder: Path) -> list[Path]:
    """Supported files below `folder`, sorted, following no symlink twice."""
    seen: set[Path] = set()
    found: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=True, onerror=_walk_error):
        real = Path(root).resolve()
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / n for n in sorted(names) if not n.startswith(".") and n != CASE_FILE]
    return found


def _walk_error(error: OSError) -> None:
    raise InputError(f"{error.filename}: cannot read folder ({error.strerror})")


def _read_one(file: Path, root: Path, max_file_mb: float) -> list[Document]:
    """The documents in one file: usually one; an e-mail also yields its attachments."""
    name = str(file.relative_to(root)) if root.is_dir() else file.name
    try:
        size = file.stat().st_size
        if size > max_file_mb * 1024 * 1024:
            raise InputError(f"{name}: {size / 1048576:.1f} MiB is over the {max_file_mb:g} MiB limit per file")
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    reader = reader_for(file)
    result = reader(name, data)
    docs = [result] if isinstance(result, Document) else list(result)
    kept = [doc for doc in docs if doc.text.strip()]
    if not kept:
        raise InputError(f"{name}: the file is empty (no text)")
    for doc in docs:
        if not any(doc is k for k in kept):
            kept[0].warnings.append(f"{doc.name}: the file is empty (no text); left out")
    return kept


def _read_case_yaml(case_file: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(case_file.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{case_file}: invalid case file ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise InputError(f"{case_file}: expected keys {', '.join(CASE_KEYS)}")
    return {k: str(data[k]) for k in CASE_KEYS if data.get(k)}


def _front_matter(doc: Document, meta: dict[str, str]) -> dict[str, str]:
    """Case keys from a Markdown document's front matter fill what case.yaml left open."""
    if doc.kind not in ("md", "markdown") or not doc.text.startswith("---"):
        return meta
    try:
        post = frontmatter.loads(doc.text)
    except Exception:  # noqa: BLE001 - malformed front matter is just text
        return meta
    extra = {k: str(post.metadata[k]) for k in CASE_KEYS if post.metadata.get(k)}
    return {**extra, **meta}


def case_from_input(given: Mapping[str, Any], *, max_file_mb: float, language: str | None) -> CaseMaterials:
    """The case a graph input names: a `path` to read, or the `documents` themselves (name and text), with
    the sides and language it gives over case.yaml's, and `language` over both; else the materials' language."""
    if given.get("path"):
        case = load_case(given["path"], max_file_mb=max_file_mb)
    elif given.get("documents"):
        docs: list[Document] = [read_text(d["name"], d["text"].encode("utf-8")) for d in given["documents"]]
        if not any(d.text.strip() for d in docs):
            raise InputError("the documents given are empty")
        case = CaseMaterials(name=given.get("name") or "case", documents=docs)
    else:
        raise InputError("give a `path` or `documents`")
    overrides = {k: given[k] for k in ("our_side", "counterpart", "language") if given.get(k)}
    if language:
        overrides["language"] = language
    case = case.model_copy(update=overrides)
    if not case.language:
        case.language = detect_language("\n".join(d.text for d in case.documents))
    return case
