"""Uploaded case documents: safe names, supported types, size limits, and readable by the CLI's readers."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.case.documents import InputError
from pipeline.case.loading import load_case
from pipeline.files import atomic_write_bytes
from pipeline.case.readers import READERS, _safe_filename, reader_for

MAX_NAME_CHARS = 120
ACCEPT = ",".join(sorted(READERS))
"""The file input's `accept` list: the extensions the CLI reads."""


class UploadRejected(InputError):
    """One or more uploaded files cannot become case documents; the messages say why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the browser sent it."""

    filename: str
    data: bytes


def safe_name(filename: str) -> str:
    """The file's own name, never a path: no directories, no leading dots, printable, not too long."""
    name = _safe_filename(filename.replace("\\", "/")).lstrip(".")
    stem, dot, suffix = name.rpartition(".")
    if len(name) > MAX_NAME_CHARS and dot:
        name = stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix
    return name


def check_uploads(uploads: list[Upload], max_file_mb: float) -> list[Upload]:
    """The uploads under safe names, each read once by the CLI's readers; UploadRejected otherwise."""
    if not uploads:
        raise UploadRejected(["Choose at least one document (" + ", ".join(sorted(READERS)) + ")."])
    problems: list[str] = []
    kept: list[Upload] = []
    with tempfile.TemporaryDirectory(prefix="negoprep-upload-") as staging:
        for upload in uploads:
            name = safe_name(upload.filename)
            shown = upload.filename or "(no name)"
            if not name:
                problems.append(f"{shown}: not a usable file name")
            elif reader_for(Path(name)) is None:
                problems.append(f"{shown}: unsupported file type '{Path(name).suffix or '(none)'}'; "
                                f"supported: {', '.join(sorted(READERS))}")
            elif any(k.filename == name for k in kept):
                problems.append(f"{shown}: two files are named {name}")
            else:
                problems += _readable(Path(staging) / name, upload.data, max_file_mb)
                kept.append(Upload(name, upload.data))
    if problems:
        raise UploadRejected(problems)
    return kept


def _readable(path: Path, data: bytes, max_file_mb: float) -> list[str]:
    """[] when the readers accept `data` (size limit included) and get text out of it, else the reason."""
    path.write_bytes(data)
    try:
        load_case(path, max_file_mb=max_file_mb)
    except InputError as exc:
        return [str(exc)]
    finally:
        path.unlink()
    return []


def store(uploads: list[Upload], folder: Path) -> list[Path]:
    """Write checked uploads into `folder` (replacing same-named documents); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for upload in uploads:
        target = folder / upload.filename
        if target.resolve().parent != folder.resolve():
            raise UploadRejected([f"{upload.filename}: not a usable file name"])
        atomic_write_bytes(target, upload.data)
        written.append(target)
    return written
