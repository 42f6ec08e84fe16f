"""The negotiation knowledge base: entries on disk, their checks, and a BM25 index over them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from pipeline.errors import InputError
from pipeline.tokens import TokenCounter

REQUIRED = ("id", "title", "tags", "applies_when", "sources")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    tags: tuple[str, ...]
    applies_when: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    path: Path

    @property
    def gist(self) -> str:
        """The entry's first paragraph."""
        return self.body.strip().split("\n\n", 1)[0].strip()

    def searchable(self) -> str:
        return " ".join([self.title, self.title, " ".join(self.tags), " ".join(self.applies_when), self.body])


def _as_list(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value or ())


def check_entry(path: Path) -> tuple[Entry | None, list[str]]:
    """Parse one entry file; the problems found, if any, each naming the file."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        return None, [f"{path}: unreadable front matter ({type(exc).__name__})"]
    meta, problems = post.metadata, []
    for key in REQUIRED:
        if not meta.get(key):
            problems.append(f"{path}: missing or empty '{key}'")
    entry_id = str(meta.get("id", ""))
    if entry_id and not _ID.match(entry_id):
        problems.append(f"{path}: id '{entry_id}' is not lowercase kebab-case")
    if entry_id and entry_id != path.stem:
        problems.append(f"{path}: id '{entry_id}' does not match the file name")
    for key in ("tags", "applies_when", "sources"):
        if meta.get(key) is not None and not isinstance(meta.get(key), (list, str)):
            problems.append(f"{path}: '{key}' must be a list")
    if len(post.content.split()) < 20:
        problems.append(f"{path}: body is empty or too short")
    if problems:
        return None, problems
    entry = Entry(entry_id, str(meta["title"]), _as_list(meta["tags"]), _as_list(meta["applies_when"]),
                  _as_list(meta["sources"]), post.content.strip(), path)
    return entry, []


def check_kb(kb_dir: Path) -> tuple[list[Entry], list[str]]:
    """All entries of a knowledge base and every problem found (duplicates included)."""
    kb_dir = Path(kb_dir)
    if not kb_dir.is_dir():
        return [], [f"{kb_dir}: knowledge base folder not found"]
    entries, problems, seen = [], [], {}
    for path in sorted(kb_dir.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        entry, found = check_entry(path)
        problems += found
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(f"{path}: duplicate id '{entry.id}' (also in {seen[entry.id]})")
            continue
        seen[entry.id] = path
        entries.append(entry)
    if not entries and not problems:
        problems.append(f"{kb_dir}: no entries (*.md)")
    return entries, problems


class KnowledgeBase:
    """Entries plus a BM25 index (bm25s, English stemming and stopwords)."""

    def __init__(self, entries: list[Entry]):
        import bm25s
        import Stemmer

        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever = bm25s.BM25()
        tokens = bm25s.tokenize([e.searchable() for e in entries], stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._retriever.index(tokens, show_progress=False)

    @classmethod
    def load(cls, kb_dir: Path) -> KnowledgeBase:
        """The entries of `kb_dir`, indexed (a run loads them once: `RunResources.knowledge_base`)."""
        entries, problems = check_kb(Path(kb_dir))
        if problems:
            raise InputError(f"knowledge base: {problems[0]}" + (f" (+{len(problems) - 1} more; run `negoprep kb check`)"
                                                                if len(problems) > 1 else ""))
        return cls(entries)

    def search(self, query: str, k: int = 5) -> list[tuple[Entry, float]]:
        """The top-k entries for `query`, best first, with their BM25 scores (zero scores dropped)."""
        import bm25s

        if not query.strip() or not self.entries:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        k = min(k, len(self.entries))
        docs, scores = self._retriever.retrieve(tokens, k=k, show_progress=False)
        return [(self.entries[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def retrieve_for(self, queries: list[str], k: int) -> list[Entry]:
        """Fuse several queries (reciprocal rank) into one ranked list of k entries."""
        fused: dict[str, float] = {}
        for query in queries:
            for rank, (entry, _) in enumerate(self.search(query, k=k * 2)):
                fused[entry.id] = fused.get(entry.id, 0.0) + 1.0 / (10 + rank)
        ranked = sorted(fused, key=lambda i: (-fused[i], i))
        return [self.by_id[i] for i in ranked[:k]]


def context_block(entries: list[Entry], budget_tokens: int, counter: TokenCounter) -> tuple[str, list[Entry]]:
    """Entries rendered for the challenger prompt within a token budget: full bodies while
    they fit, then only the first paragraph, then nothing. Returns the text and the entries used."""
    parts: list[str] = []
    used: list[Entry] = []
    spent = 0
    for entry in entries:
        for text in (f"[{entry.id}] {entry.title}\n{entry.body}", f"[{entry.id}] {entry.title}\n{entry.gist}"):
            cost = counter.count(text)
            if spent + cost <= budget_tokens:
                parts.append(text)
                used.append(entry)
                spent += cost
                break
    return "\n\n".join(parts), used
