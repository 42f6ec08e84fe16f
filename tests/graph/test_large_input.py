"""A case far beyond the model's context is extracted in chunks, never silently truncated.

Synthetic transport (labelled synthetic answers); the request bodies are inspected."""

from __future__ import annotations

import json

import httpx

from pipeline.case.loading import load_case
from pipeline.llm.client import make_llm
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.case.chunking import chunk_documents
from pipeline.prep.run import aprepare
from pipeline.settings import load_settings
from pipeline.tokens import counter_for


def _long_case(folder, pages: int):
    folder.mkdir()
    lines = []
    for page in range(pages):
        lines.append(f"## Meeting {page + 1}")
        lines += [f"Item {page + 1}.{i}: the supplier asked for EUR {1000 + page * 7 + i} more per unit; "
                  f"we answered that clause {i + 3}.{page % 9} fixes the price until 30 June 2027." for i in range(12)]
    (folder / "minutes.md").write_text("\n".join(lines))
    return folder


class Capturing(SyntheticTransport):
    def __init__(self):
        super().__init__()
        self.bodies: list[tuple[str, dict]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append((request.headers.get("x-negoprep-node", ""), json.loads(await request.aread())))
        return await super().handle_async_request(request)


async def test_long_case_is_chunked_within_the_context_and_complete(tmp_path):
    case_dir = _long_case(tmp_path / "big", pages=120)
    settings = load_settings(use_cache=False, n_ctx=4096, max_output_tokens=1024, backend="openai")
    counter = counter_for("openai", "custom", None)
    transport = Capturing()
    llm = make_llm(settings, base_transport=transport)
    report = await aprepare(case_dir, settings, llm=llm)

    assert report.case.token_count > 4 * settings.n_ctx
    codes = [w.code for w in report.warnings]
    assert "chunked" in codes
    assert any(w.code == "chunked" and w.message.startswith("the profiler saw") for w in report.warnings)
    extract_bodies = [b for node, b in transport.bodies if node == "extract"]
    assert len(extract_bodies) > 4
    for node, body in transport.bodies:
        prompt = sum(counter.count(m["content"]) for m in body["messages"])
        assert prompt + body["max_tokens"] <= settings.n_ctx, f"every request must fit the context window ({node})"
    sent = "\n".join(m["content"] for b in extract_bodies for m in b["messages"])
    original = load_case(case_dir).documents[0]
    for unit in original.units:
        assert unit.text in sent, f"line lost: {unit.text[:60]}"


def test_chunks_cover_every_unit_once():
    from pipeline.case.documents import CaseMaterials
    from pipeline.case.readers import read_text

    text = "\n".join(f"line {i} " + "word " * (i % 50) for i in range(2000))
    case = CaseMaterials(name="x", documents=[read_text("a.txt", text.encode())])
    counter = counter_for("openai", "gpt-4", None)
    chunks = chunk_documents(case, 800, counter)
    units = [u.text for chunk in chunks for doc in chunk for u in doc.units]
    assert units == [u.text for u in case.documents[0].units]
    assert all(sum(counter.count(d.text) for d in chunk) <= 800 for chunk in chunks)
