"""Prompt files: front matter (id, version) and `# system` / `# user` sections (Jinja2)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import frontmatter
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.errors import InputError
from pipeline.case.language import language_name
from pipeline.schemas import PromptInfo

_SECTION = re.compile(r"^#\s*(system|user)\s*$", re.I | re.M)
_CONDITIONAL = re.compile(r"\{%-?\s*if\b(?:(?!\{%-?\s*if\b).)*?\{%-?\s*endif\s*-?%\}", re.S)
"""A conditional block with no other inside it (removed innermost first, so nested blocks go whole)."""
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_INCLUDE_TAG = re.compile(r"""\{%-?\s*include\s+["']([^"']+)["'].*?%\}""", re.S)


@lru_cache(maxsize=8)
def _environment(prompts_dir: Path) -> Environment:
    """The Jinja environment of one prompts folder: its sections may `{% include %}` shared parts
    (`_case.md`: the case materials every reading agent starts with, so their calls share a prefix)."""
    env = Environment(loader=FileSystemLoader(str(prompts_dir)), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=False)
    env.filters["language_name"] = language_name
    return env


@lru_cache(maxsize=64)
def _template(prompts_dir: Path, source: str):
    """A prompt section compiled once per distinct text."""
    return _environment(prompts_dir).from_string(source)


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    path: Path
    sha256: str
    folder: Path
    system: str
    user: str

    @property
    def info(self) -> PromptInfo:
        return PromptInfo(id=self.id, version=self.version, sha256=self.sha256, path=str(self.path))

    @property
    def tag(self) -> str:
        """`id@vVERSION@path`, sent as a header so a replay miss can name the file."""
        return f"{self.id} v{self.version}@{self.path}"

    def wording(self) -> str:
        """The prompt's own words whatever its values: both sections and the parts they include, every
        branch kept, template code removed."""
        return _TEMPLATE_CODE.sub(" ", _expanded(self.folder, f"{self.system}\n{self.user}"))

    def messages(self, **values) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": _template(self.folder, self.system).render(**values).strip()},
            {"role": "user", "content": _template(self.folder, self.user).render(**values).strip()},
        ]


def _expanded(folder: Path, source: str) -> str:
    """`source` with each `{% include %}` replaced by the included file's own (expanded) text."""
    return _INCLUDE_TAG.sub(lambda m: _expanded(folder, (folder / m.group(1)).read_text(encoding="utf-8")), source)


def _digest(path: Path, raw: str) -> str:
    """sha256 of the prompt file with the shared parts it includes, so a change to either shows."""
    digest = hashlib.sha256(raw.encode("utf-8"))
    for name in _INCLUDE_TAG.findall(raw):
        try:
            digest.update((path.parent / name).read_bytes())
        except OSError as exc:
            raise InputError(f"{path}: cannot read the included prompt part {name} ({exc.strerror or exc})") from None
    return digest.hexdigest()


_KEPT = 32
"""Prompts a process keeps read (the first read is the first forgotten)."""
_READ: dict[tuple[Path, Path], tuple[list[Path], tuple, Prompt]] = {}


def _stamps(paths: list[Path]) -> tuple:
    """Each file's size and modification time (None for one that cannot be read)."""
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            found.append(None)
            continue
        found.append((stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def load_prompt(prompts_dir: Path, name: str) -> Prompt:
    """Read `<prompts_dir>/<name>.md`: once per process while the file and the parts it includes stay as they are."""
    path = Path(prompts_dir) / f"{name}.md"
    key = (path, Path.cwd())  # the prompt's path is told relative to the working folder
    kept = _READ.get(key)
    if kept is not None and _stamps(kept[0]) == kept[1]:
        return kept[2]
    prompt, raw = _read_prompt(path, prompts_dir)
    files = [path, *(path.parent / included for included in _INCLUDE_TAG.findall(raw))]
    while len(_READ) >= _KEPT:
        _READ.pop(next(iter(_READ)), None)
    _READ[key] = (files, _stamps(files), prompt)
    return prompt


def _read_prompt(path: Path, prompts_dir: Path) -> tuple[Prompt, str]:
    """The prompt of `path` and the file's text."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read prompt file ({exc.strerror or exc})") from None
    post = frontmatter.loads(raw)
    sections = _SECTION.split(post.content)
    parts = {sections[i].lower(): sections[i + 1] for i in range(1, len(sections) - 1, 2)}
    if "system" not in parts or "user" not in parts or not post.metadata.get("id"):
        raise InputError(f"{path}: a prompt file needs front matter `id`/`version` and `# system` and `# user` sections")
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        rel = path
    prompt = Prompt(
        id=str(post.metadata["id"]), version=str(post.metadata.get("version", "0")), path=rel,
        sha256=_digest(path, raw), system=parts["system"], user=parts["user"],
        folder=Path(prompts_dir).resolve(),
    )
    return prompt, raw


def fixed_text(path: Path, shortest: int = 12) -> list[str]:
    """The text a prompt file sends whatever its values: runs of at least `shortest` characters between its
    template code, outside its conditional blocks (a block inside a sentence splits it; empty if the file
    cannot be read)."""
    try:
        body = frontmatter.loads(path.read_text(encoding="utf-8")).content
    except (OSError, ValueError):
        return []
    while (unconditional := _CONDITIONAL.sub("\n", body)) != body:
        body = unconditional
    lines = [line.strip() for line in body.splitlines() if not _SECTION.match(line)]
    fragments = [f.strip() for line in lines for f in _TEMPLATE_CODE.split(line)]
    return [f for f in fragments if len(f) >= shortest]
