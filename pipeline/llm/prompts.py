"""Prompt files: front matter (id, version) and `# system` / `# user` sections (Jinja2)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import frontmatter
from jinja2 import Environment, StrictUndefined

from pipeline.errors import InputError
from pipeline.case.language import language_name
from pipeline.schemas import PromptInfo

_SECTION = re.compile(r"^#\s*(system|user)\s*$", re.I | re.M)
_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_ENV.filters["language_name"] = language_name


@lru_cache(maxsize=64)
def _template(source: str):
    """A prompt section compiled once per distinct text."""
    return _ENV.from_string(source)


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    path: Path
    sha256: str
    system: str
    user: str

    @property
    def info(self) -> PromptInfo:
        return PromptInfo(id=self.id, version=self.version, sha256=self.sha256, path=str(self.path))

    @property
    def tag(self) -> str:
        """`id@vVERSION@path`, sent as a header so a replay miss can name the file."""
        return f"{self.id} v{self.version}@{self.path}"

    def messages(self, **values) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": _template(self.system).render(**values).strip()},
            {"role": "user", "content": _template(self.user).render(**values).strip()},
        ]


def load_prompt(prompts_dir: Path, name: str) -> Prompt:
    """Read `<prompts_dir>/<name>.md`."""
    path = Path(prompts_dir) / f"{name}.md"
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
    return Prompt(
        id=str(post.metadata["id"]), version=str(post.metadata.get("version", "0")), path=rel,
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(), system=parts["system"], user=parts["user"],
    )
