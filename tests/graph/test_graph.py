"""Graph wiring with a synthetic transport (labelled synthetic answers, no model)."""

from __future__ import annotations

import json

import httpx
import pytest

from agents.extractor import PARTS
from pipeline.deal_profiles import list_limit
from pipeline.prep.graph import compile_graph
from pipeline.llm.client import make_llm
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.resources import attach
from pipeline.schemas import DealProfile, PrepReport
from pipeline.settings import load_settings
from tests.conftest import DATA, run_prep


async def _run(transport: httpx.AsyncBaseTransport, case=DATA / "cases" / "tiny", **overrides) -> PrepReport:
    return await run_prep(case, transport, **overrides)


async def test_challenge_and_profile_run_concurrently():
    transport = SyntheticTransport(delay=lambda node: 1.5 if node in ("challenge", "profile") else 0.0)
    report = await _run(transport)
    spans: dict[str, tuple[float, float]] = {}
    for node, start, end in transport.log:  # a node's calls, first start to last end
        first, last = spans.get(node, (start, end))
        spans[node] = (min(first, start), max(last, end))
    assert {"extract", "challenge", "profile", "merge"} <= set(spans)
    (c_start, c_end), (p_start, p_end) = spans["challenge"], spans["profile"]
    assert c_start < p_end and p_start < c_end, "both branches must start before either ends"
    assert spans["merge"][0] >= max(c_end, p_end)
    assert spans["extract"][1] <= min(c_start, p_start)
    assert isinstance(report, PrepReport)


async def test_report_has_exactly_the_contract_keys_and_provenance():
    report = await _run(SyntheticTransport())
    data = report.model_dump(mode="json")
    assert list(data) == ["case", "deal_profile", "challenge", "counterpart", "synthesis", "provenance", "warnings"]
    prov = report.provenance
    assert set(prov.prompts) == {"extract", "challenge", "profile", "merge"}
    assert all(len(p.sha256) == 64 and p.version for p in prov.prompts.values())
    assert [c.node for c in prov.calls].count("extract") == len(PARTS)
    assert {"ingest", "extract", "challenge", "profile", "merge"} <= set(prov.node_seconds)
    assert report.case.token_count > 50 and report.case.documents[0].name == "brief.md"
    assert report.case.our_side == "Lena Novak Design"


async def test_the_profile_names_the_counterpart_of_the_deal_profile_not_the_model():
    """The profiler's answer names the counterpart `synthetic name …`; the report names the side the deal
    profile settled (a small model has written a sentence of its instructions there)."""
    report = await _run(SyntheticTransport())
    assert report.counterpart.name == report.deal_profile.counterpart == report.case.counterpart
    assert "synthetic" not in report.counterpart.name


async def test_invalid_answer_is_repaired_then_fails_naming_the_node():
    """Hand-written malformed answers (not model output) exercise the repair loop."""
    from pipeline.errors import BackendError
    from pipeline.testing.synthetic import completion_for

    calls = []

    class Broken(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            import json

            body = json.loads(await request.aread())
            calls.append(body)
            return httpx.Response(200, json=completion_for(body, content='{"summary": "cut off'))

    with pytest.raises(BackendError) as info:
        await _run(Broken(), repair_attempts=1)
    assert str(info.value).startswith("extract:")
    assert len(calls) == 2
    assert "did not match the required JSON schema" in calls[1]["messages"][-1]["content"]


async def test_the_language_reaches_every_agent():
    """--language overrides case.yaml; every agent is told to write in it."""
    seen: dict[str, list[dict]] = {}

    class Recording(SyntheticTransport):
        async def handle_async_request(self, request):
            import json

            seen[request.headers.get("x-negoprep-node", "")] = json.loads(request.content)["messages"]
            return await super().handle_async_request(request)

    report = await _run(Recording(), language="de")
    assert set(seen) >= {"extract", "challenge", "profile", "merge"}
    for node, messages in seen.items():
        told = "into German" if node == "translate" else "Write every text value in German"
        assert told in messages[0]["content"], node
    assert report.case.language == "de"


class Seeing(SyntheticTransport):
    """Synthetic answers; keeps each node's request messages (the last, and every one in `calls`)."""

    def __init__(self):
        super().__init__()
        self.seen: dict[str, list[dict]] = {}
        self.calls: dict[str, list[list[dict]]] = {}

    async def handle_async_request(self, request):
        import json

        node = request.headers.get("x-negoprep-node", "")
        self.seen[node] = json.loads(request.content)["messages"]
        self.calls.setdefault(node, []).append(self.seen[node])
        return await super().handle_async_request(request)


def _shared_prefix(a: str, b: str) -> str:
    import os

    return os.path.commonprefix([a, b])


async def test_the_reading_agents_start_with_the_same_materials_so_the_model_reuses_them():
    """Extract, profile, challenge and merge send one identical system message holding the materials: a local
    model evaluates that prefix once (its state is cached) instead of once per call. The challenger's two
    calls differ only in their task, after the deal profile and the knowledge entries."""
    transport = Seeing()
    await _run(transport)
    systems = {node: transport.seen[node][0]["content"] for node in ("extract", "profile", "challenge", "merge")}
    assert len(set(systems.values())) == 1
    assert "<materials>" in systems["extract"] and "Harbour & Pine" in systems["extract"]
    assert "sides" not in transport.seen, "case.yaml names both sides: no call asks for them"
    field, moves = transport.calls["challenge"]
    shared = _shared_prefix(field[1]["content"], moves[1]["content"])
    assert shared.index("Deal profile:") < shared.index("Knowledge-base entries") < shared.rindex("Task:")
    assert "widened_elements" in field[1]["content"][len(shared):]
    assert "process_moves" in moves[1]["content"][len(shared):]


async def test_the_challenger_reads_the_whole_materials_where_they_fit_beside_an_answer_s_room():
    """mixed-formats (about 1,300 tokens of materials) in a 4,608-token context: reserving all of max_output_tokens
    (3,000) for the answer, or giving the knowledge entries their room first, left the challenger a first part of
    the materials; the answer's room (1,500) and the entries after the materials leave it all of them, the same
    system message the extractor sent."""
    from tests.conftest import ROOT

    transport = Seeing()
    report = await _run(transport, case=ROOT / "cases" / "mixed-formats", n_ctx=4608)
    systems = {node: transport.seen[node][0]["content"] for node in ("extract", "profile", "challenge", "merge")}
    assert len(set(systems.values())) == 1
    assert all(name in systems["challenge"] for name in ("01_lease_excerpt.pdf", "02_internal_meeting_note.docx",
                                                         "03_landlord_email.eml"))
    assert not [w for w in report.warnings if w.code == "chunked"]
    assert report.provenance.knowledge_base, "the knowledge entries still fit after the materials"


async def test_without_named_sides_they_are_asked_first_over_the_same_materials(tmp_path):
    """No case.yaml: one short call names the sides before extraction, over the same prefix; the internal
    notes' letterhead turns a swapped answer round (the sides answer here is hand-written, swapped on purpose)."""
    import json

    import httpx

    from pipeline.testing.synthetic import completion_for

    class SwappedSides(Seeing):
        async def handle_async_request(self, request):
            if request.headers.get("x-negoprep-node") == "sides":
                self.seen["sides"] = json.loads(request.content)["messages"]
                answer = json.dumps({"our_side": "Vendor Oy", "counterpart": "Buyer AB"})
                return httpx.Response(200, json=completion_for(json.loads(request.content), answer))
            return await super().handle_async_request(request)

    (tmp_path / "01_mail.txt").write_text("From: sales@vendor.example\n\nWe at Vendor Oy need a higher price.\n")
    (tmp_path / "02_internal_notes.md").write_text("# Internal notes\n**Buyer AB, purchasing**\n\n- We pay 12,000 now.\n")
    transport = SwappedSides()
    settings = load_settings(use_cache=False)
    llm = make_llm(settings, base_transport=transport)
    settings = attach(settings, llm)
    try:
        result = await compile_graph().ainvoke({"path": str(tmp_path)}, context=settings)
    finally:
        await llm.aclose()
    assert transport.seen["sides"][0] == transport.seen["extract"][0]
    profile = result["report"].deal_profile
    assert (profile.our_side, profile.counterpart) == ("Buyer AB", "Vendor Oy")
    assert "Our side: Buyer AB" in transport.seen["extract"][1]["content"]


def test_the_materials_language_is_detected_when_no_one_names_it():
    """Without case.yaml or --language, the brief is asked for in the materials' language, by name."""
    from pipeline.case.loading import case_from_input
    from pipeline.llm.prompts import load_prompt

    text = ("Leverandøren krever en økning på 14 prosent fra 1. januar 2027. Vi har ikke fått dokumentasjon fra "
            "lisensgiver, og styret må godkjenne opsjonen før fristen 30. juni.")
    case = case_from_input({"documents": [{"name": "notat.md", "text": text}]}, max_file_mb=20, language=None)
    assert case.language == "no"
    system = load_prompt(load_settings().prompts_dir, "extractor").messages(
        language=case.language, materials=text, our_side="", counterpart="", part="facts", feedback="")[0]["content"]
    assert "Write every text value in Norwegian (bokmål)" in system


async def test_a_run_without_settings_stops_with_a_clear_error_instead_of_reading_the_environment():
    from pipeline.errors import SettingsMissing

    with pytest.raises(SettingsMissing, match="context=Settings"):
        await compile_graph().ainvoke({"path": str(DATA / "cases" / "tiny")})


async def test_settings_given_as_a_dict_are_validated_into_settings():
    """What LangGraph Server passes: the run's `context` as JSON."""
    from pipeline.testing.stub_server import StubConfig, run_stub

    with run_stub(StubConfig()) as stub:
        result = await compile_graph().ainvoke({"path": str(DATA / "cases" / "tiny")}, context={
            "backend": "openai", "base_url": stub.base_url, "api_key": "test", "use_cache": False})
    assert isinstance(result["report"], PrepReport)


def test_the_extractor_parts_ask_for_every_deal_profile_field_but_the_key_facts_once():
    fields = [name for output in PARTS.values() for name in output.model_fields]
    assert sorted(fields + ["key_facts"]) == sorted(DealProfile.model_fields)
    assert len(fields) == len(set(fields))


async def test_the_key_facts_are_our_notes_figure_lines_read_without_a_model_call(tmp_path):
    """The extractor makes its two calls only; the key facts are the lines of our side's own documents that
    state a figure, and the counterpart's letter gives none."""
    (tmp_path / "01_offer_letter.md").write_text("Dear Lena,\nOur offer is EUR 40,000 for the redesign.\n")
    (tmp_path / "02_internal_notes.md").write_text("Internal notes\nOur budget ceiling is EUR 32,000 this year.\n")
    (tmp_path / "03_board.md").write_text("Board memo\nThe board approves up to EUR 35,000 in total.\n")
    transport = Seeing()
    report = await _run(transport, case=tmp_path)
    assert len(transport.calls["extract"]) == len(PARTS)
    assert [f.text for f in report.deal_profile.key_facts] == [
        "Our budget ceiling is EUR 32,000 this year.", "The board approves up to EUR 35,000 in total."]
    notes = {"02_internal_notes.md": 2, "03_board.md": 2}
    assert [(f.verification, f.evidence[0].document, f.evidence[0].locator) for f in report.deal_profile.key_facts] == [
        ("quoted", name, f"line {line}") for name, line in notes.items()]
    page = report.synthesis.first_page
    on_page = [i for name in type(page).model_fields for i in getattr(page, name)
               if getattr(i, "verification", "") == "quoted"]
    assert report.provenance.quoted == 2 + len(on_page), "the key facts and the first page's lines of our notes"


async def test_the_key_facts_of_long_notes_stay_within_the_deal_profiles_bound(tmp_path):
    """Two notes documents with more figure lines than the list holds: the report keeps the bound, and so reads back."""
    for name in ("01_internal_notes.md", "02_minutes.md"):
        (tmp_path / name).write_text("Notes\n" + "".join(f"Line {n} costs EUR {n}00 a month.\n" for n in range(1, 30)))
    report = await _run(SyntheticTransport(), case=tmp_path)
    assert len(report.deal_profile.key_facts) == list_limit("key_facts") == 16
    assert PrepReport.model_validate_json(report.model_dump_json()).deal_profile.key_facts == report.deal_profile.key_facts
