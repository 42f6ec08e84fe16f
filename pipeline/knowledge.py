"""The negotiation knowledge base: entries on disk, their checks, and a BM25 index over them.

A folder's entries are read and indexed once per process for as long as its files stay as they are
(`KnowledgeBase.load`, `read_kb`: keyed by each entry file's name, size and modification time, so an edited,
added or removed entry is read again)."""

from __future__ import annotations

import re
import threading
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


_KEPT = 4
"""Folders a process keeps read (the first read is the first forgotten when a fifth is read)."""
_READ: dict[tuple, tuple[tuple[Entry, ...], tuple[str, ...]]] = {}
_LOADED: dict[tuple, KnowledgeBase] = {}
_READING = threading.Lock()


def _files(kb_dir: Path) -> tuple:
    """What identifies the folder's entries as they are on disk: its path and each entry file's name, size and
    modification time."""
    found = []
    for path in sorted(kb_dir.glob("*.md")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return (str(kb_dir.resolve()), tuple(found))


def _kept(table: dict, key: tuple, make):
    """`table[key]`, made by `make()` when missing (at most `_KEPT` keys kept; call holding `_READING`)."""
    if key not in table:
        while len(table) >= _KEPT:
            table.pop(next(iter(table)))
        table[key] = make()
    return table[key]


def _read(kb_dir: Path) -> tuple[tuple, tuple[Entry, ...], tuple[str, ...]]:
    """The folder's files (`_files`), entries and problems, read once while the files stay as they are (call
    holding `_READING`)."""
    files = _files(kb_dir)
    entries, problems = _kept(_READ, files, lambda: tuple(map(tuple, check_kb(kb_dir))))
    return files, entries, problems


def read_kb(kb_dir: Path) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """`check_kb(kb_dir)`, read once per process while the folder's files stay as they are."""
    with _READING:
        return _read(Path(kb_dir))[1:]


class KnowledgeBase:
    """Entries plus a BM25 index (bm25s, English stemming and stopwords). Shared by the runs of a process
    (`load`): its searches take turns, as the stemmer keeps a cache of its own."""

    def __init__(self, entries: list[Entry]):
        import bm25s
        import Stemmer

        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever = bm25s.BM25()
        self._searching = threading.Lock()
        tokens = bm25s.tokenize([e.searchable() for e in entries], stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._retriever.index(tokens, show_progress=False)

    @classmethod
    def load(cls, kb_dir: Path) -> KnowledgeBase:
        """The entries of `kb_dir`, indexed once per process while the folder's files stay as they are."""
        with _READING:
            files, entries, problems = _read(Path(kb_dir))
            if not problems:
                return _kept(_LOADED, files, lambda: cls(list(entries)))
        raise InputError(f"knowledge base: {problems[0]}" + (f" (+{len(problems) - 1} more; run `negoprep kb check`)"
                                                            if len(problems) > 1 else ""))

    def search(self, query: str, k: int = 5) -> list[tuple[Entry, float]]:
        """The top-k entries for `query`, best first, with their BM25 scores (zero scores dropped)."""
        import bm25s

        if not query.strip() or not self.entries:
            return []
        with self._searching:
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
