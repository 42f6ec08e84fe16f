"""What one run builds once and every node of it shares: the model client (and its token counter), its prompts,
the knowledge base, the case's source index and claim checker, the materials cut to a budget and the languages of its
texts.

A run's `RunResources` travel on its settings, the graph's `context` (`resources_of(runtime)`): whoever invokes
the graph may attach them (`attach`), else the first node that needs them builds them. Nothing is kept in the
state (they do not serialise) or in the process: a run resumed from its checkpoint builds them again. Only the
knowledge base and the prompt files, the same for every run, are read once per process (`KnowledgeBase.load`,
`load_prompt`). What is of the case alone (its source index and facts, its claim checker once the sides are settled)
is built ahead in a worker thread while the run's model calls wait (`prefetch`).
"""

from __future__ import annotations

import asyncio
import threading

from langgraph.runtime import Runtime

from pipeline.case.chunking import chunk_documents
from pipeline.case.documents import CaseMaterials, Document
from pipeline.case.injection import Cues
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.claims.entail import ModelEntailer
from pipeline.checks.evidence import SourceIndex
from pipeline.brief.facts import CaseFacts
from pipeline.errors import SettingsMissing
from pipeline.knowledge import KnowledgeBase
from pipeline.llm.client import LLM, make_llm
from pipeline.llm.prompts import Prompt, load_prompt
from pipeline.settings import Settings


class RunResources:
    """One run's client, knowledge base, source index, claim checker and chunked materials, each built at most
    once."""

    def __init__(self, settings: Settings, llm: LLM | None = None):
        self.settings = settings
        self._llm = llm
        self._owns_llm = llm is None
        self._building: asyncio.Lock | None = None
        self._kb: KnowledgeBase | None = None
        self._case: CaseMaterials | None = None
        self._index: SourceIndex | None = None
        self._checker: tuple[tuple[str, str], ClaimChecker] | None = None
        self._chunks: dict[int, list[list[Document]]] = {}
        self._facts: CaseFacts | None = None
        self._part_locks = {name: threading.Lock() for name in ("index", "facts", "checker")}
        """Each held while its part is built: a second reader waits for it, not builds it again."""
        self._prefetched: list[asyncio.Future] = []
        self._prompts: dict[str, Prompt] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.entailer: ModelEntailer | None = None
        """The claim checker's model step (`settings.check_entailment`), on the run's client."""
        self.languages: dict[str, str] = {}
        """What the language detector said of each text of the brief it read (`checks.language_mix`)."""
        self.cues = Cues()
        """Which texts of the materials read like an instruction to the model (ingest's, then the claim checker's)."""

    async def llm(self) -> LLM:
        """The run's model client (built off the loop on first use: it reads files)."""
        self._loop = asyncio.get_running_loop()
        if self._llm is None:
            self._building = self._building or asyncio.Lock()
            async with self._building:
                if self._llm is None:
                    self._llm = await asyncio.to_thread(make_llm, self.settings)
        return self._llm

    async def prompt(self, name: str) -> Prompt:
        """The prompt `name` of `settings.prompts_dir`, read once per run (off the loop)."""
        if name not in self._prompts:
            self._prompts[name] = await asyncio.to_thread(load_prompt, self.settings.prompts_dir, name)
        return self._prompts[name]

    def writes_prose(self) -> bool:
        """Whether the run's model writes free prose (`Settings.writes_prose` of the run's backend: the recorded
        one when replaying)."""
        backend = self._llm.backend if self._llm is not None else self.settings.resolved_backend()
        return self.settings.writes_prose(backend)

    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base of `settings.kb_dir` (read and indexed once per process while its files stay as they
        are; blocking: call off the loop)."""
        if self._kb is None:
            self._kb = KnowledgeBase.load(self.settings.kb_dir)
        return self._kb

    def _for(self, case: CaseMaterials | None) -> None:
        """Forget what was built for another case (a graph that runs on again with new materials)."""
        if case is not self._case:
            self._case, self._index, self._checker, self._chunks, self._facts = case, None, None, {}, None

    def prefetch(self, case: CaseMaterials, sides: tuple[str, str] | None = None) -> None:
        """Start building in a worker thread what the run reads of the case alone, its source index and facts, and
        with `sides` its claim checker for them, while the run's next model calls wait (whoever needs one first waits
        for it). An error is left to the reader that needs it."""
        job = asyncio.ensure_future(asyncio.to_thread(self._read_case, case, sides))
        job.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._prefetched.append(job)

    def _read_case(self, case: CaseMaterials, sides: tuple[str, str] | None) -> None:
        if sides:
            self.claim_checker(case, *sides)
        else:
            self.source_index(case)
            self.case_facts(case)

    def source_index(self, case: CaseMaterials) -> SourceIndex:
        """The case's source index, built once per run (blocking: call off the loop)."""
        with self._part_locks["index"]:
            self._for(case)
            if self._index is None:
                self._index = SourceIndex(case)
            return self._index

    def claim_checker(self, case: CaseMaterials, our_side: str = "", counterpart: str = "") -> ClaimChecker:
        """The case's claim checker for these sides (the deal profile's), over its source index, built once per
        run (blocking: call off the loop)."""
        index = self.source_index(case)
        with self._part_locks["checker"]:
            sides = (our_side, counterpart)
            if self._checker is None or self._checker[0] != sides:
                self._checker = sides, ClaimChecker(case, index, our_side=our_side, counterpart=counterpart,
                                                    entail=self._entailer(), cue=self.cues)
            return self._checker[1]

    def case_facts(self, case: CaseMaterials) -> CaseFacts:
        """The case's amounts, dated lines and messages, read once per run (blocking: call off the loop)."""
        with self._part_locks["facts"]:
            self._for(case)
            if self._facts is None:
                self._facts = CaseFacts.of(case)
            return self._facts

    def _entailer(self) -> ModelEntailer | None:
        """The model step of the claim checker when the settings ask for it, on the run's client and loop (a run
        that has not called its model yet has no loop to share: its entailer starts its own)."""
        if not self.settings.check_entailment:
            return None
        if self.entailer is None:
            self.entailer = ModelEntailer(self.settings, client=self.llm, loop=self._loop)
        return self.entailer

    async def chunks(self, case: CaseMaterials, budget: int) -> list[list[Document]]:
        """The case's documents in chunks of at most `budget` tokens, cut once per budget and run."""
        self._for(case)
        if budget not in self._chunks:
            counter = (await self.llm()).counter
            self._chunks[budget] = await asyncio.to_thread(chunk_documents, case, budget, counter)
        return self._chunks[budget]

    async def aclose(self) -> None:
        """Close the client if this run built it (a client given to the run is its giver's to close), and let go
        of what the run built (the settings that carry these resources are held by them: what they hold would
        otherwise wait for the garbage collector's full collection)."""
        if self._prefetched:
            await asyncio.wait(self._prefetched)  # their threads end before the run lets go of the case
            self._prefetched = []
        self._for(None)
        self._kb, self._prompts = None, {}
        if self.entailer is not None:
            await asyncio.to_thread(self.entailer.close)
            self.entailer = None
        if self._llm is not None and self._owns_llm:
            llm, self._llm = self._llm, None
            await llm.aclose()


def attach(settings: Settings, llm: LLM | None = None) -> Settings:
    """A copy of `settings` carrying new resources for one run (with `llm` as its client, when given)."""
    context = settings.model_copy()
    context.run_resources = RunResources(context, llm)
    return context


def resources_for(settings: Settings) -> RunResources:
    """The resources `settings` carry, built on first use (those of another settings object, left by a copy,
    are not reused)."""
    found = settings.run_resources
    if not isinstance(found, RunResources) or found.settings is not settings:
        found = settings.run_resources = RunResources(settings)
    return found


def resources_of(runtime: Runtime[Settings]) -> RunResources:
    """The run's resources, carried by its settings (the graph's `context`)."""
    if not isinstance(runtime.context, Settings):
        raise SettingsMissing(
            "the graph ran without its settings: invoke it with context=Settings(...) (`load_settings()` reads the "
            "environment's); over LangGraph Server, give the run a `context` (`{}` takes the server's environment)")
    return resources_for(runtime.context)
