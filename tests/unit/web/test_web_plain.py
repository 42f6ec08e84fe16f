"""The app in a consultant's words: steps named for people with the time left from the run's own speed,
downloads named by format, settings that say where the model runs; token counts and model file names only
under "details"."""

from __future__ import annotations

import re

import pytest

from pipeline.prep.graph import compile_graph
from pipeline.prep.run import NodeEvent
from pipeline.report.render import load_report, write_report
from pipeline.settings import load_settings
from pipeline.testing.stub_server import run_stub
from pipeline.web.steps import STEP_NAMES, Estimate, expected_calls, step_name, time_left_words
from tests.conftest import CASSETTES, run_calls
from tests.unit.web.test_web import _client, _create_telco, _prepare, _stub_settings, _upload


def _visible(html: str) -> str:
    """The page's text a reader sees without opening a disclosure: no tags, attributes or <details>."""
    html = re.sub(r"<details.*?</details>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_node_of_the_graph_has_a_step_name_for_people():
    nodes = [n for n in compile_graph().get_graph().nodes if not n.startswith("__")]
    assert set(nodes) <= set(STEP_NAMES)
    for node in nodes:
        assert "_" not in step_name(node) and step_name(node)[0].isupper(), node
    assert [step_name(n) for n in ("ingest", "extract", "challenge", "profile", "merge", "assemble")] == [
        "Reading the documents", "Finding the deal profile", "Challenging the fixed pie", "Profiling the counterpart",
        "Writing the synthesis", "Assembling the brief"]
    assert "against the materials" in step_name("verify_profile") and "against the materials" in step_name("verify_analysis")


def test_the_time_left_comes_from_the_runs_own_speed():
    from pipeline.case.loading import load_case
    from tests.conftest import DATA

    tiny = load_case(DATA / "cases" / "tiny")
    assert sorted(n for n, k in expected_calls(tiny, prose=True).items() for _ in range(k)) == run_calls()
    estimate = Estimate({"extract": 2, "challenge": 2, "merge": 1})
    assert estimate.seconds_left(NodeEvent("ingest", "done", 1.0, 1.0)) is None
    assert estimate.seconds_left(NodeEvent("extract", "started", 1.0)) is None
    assert estimate.seconds_left(NodeEvent("extract", "done", 41.0, 40.0)) == pytest.approx(41.0 / 2 * 3)
    assert estimate.seconds_left(NodeEvent("challenge", "done", 61.0, 20.0)) == pytest.approx(61.0 / 4 * 1)
    assert estimate.seconds_left(NodeEvent("merge", "done", 80.0, 19.0)) == 0.0
    assert time_left_words(None).startswith("estimating")
    assert time_left_words(30) == "less than a minute left" and time_left_words(185) == "about 3 minutes left"


def test_the_progress_says_steps_and_time_left_not_tokens(tmp_path):
    with run_stub() as stub:
        client = _client(tmp_path, _stub_settings(stub))
        case = _upload(client, [("brief.md", b"# Brief\nTelCo pays 4 million a year.")], name="acme",
                       our_side="TelCo", counterpart="PaySys").headers["location"].rsplit("/", 1)[1]
        events = [e for e in _prepare(client, case) if e["type"] == "node"]
    assert all(e["step"] == step_name(e["node"]) for e in events)
    first_model_step = next(i for i, e in enumerate(events) if e["node"] == "extract" and e["status"] == "done")
    assert all(e["left_s"] is None for e in events[:first_model_step])
    assert events[first_model_step]["left_s"] > 0 and "left" in events[first_model_step]["left"]
    assert next(e for e in events if e["node"] == "merge" and e["status"] == "done")["left_s"] == 0
    page = client.get(f"/cases/{case}").text
    assert "<th>Step</th>" in page and "Tokens" not in page and 'id="time-left"' in page


def test_downloads_are_named_by_format_and_the_model_file_is_under_details(tmp_path):
    client = _client(tmp_path)
    case = _create_telco(client)
    out = client.app.state.workspace.out_dir(case)
    out.mkdir(parents=True, exist_ok=True)
    report = load_report(CASSETTES / "telco-paysys.report.json")
    write_report(report, out, ("json",))
    page = client.get(f"/cases/{case}/report").text
    links = dict(re.findall(r'id="download-(\w+)">([^<]+)</a>', page))
    assert links == {"docx": "Word", "html": "PDF-ready HTML", "md": "Markdown", "json": "Data (JSON)"}
    visible = _visible(page)
    assert report.provenance.model not in visible and ".gguf" not in visible and "token" not in visible.lower()
    assert "qwen2.5 coder 1.5b instruct, on this computer" in visible
    assert report.provenance.model in page  # under details
    for fmt in links:
        assert client.get(f"/cases/{case}/report.{fmt}").status_code == 200
    home = _visible(client.get("/").text)
    assert report.provenance.model not in home and "qwen2.5 coder 1.5b instruct" in home


@pytest.mark.parametrize("overrides, where, model", [
    ({"backend": "local", "model": "small"}, "on this computer", "small"),
    ({"backend": "openai", "base_url": "http://llm.local:8000/v1", "model": "gpt-4o"}, "an API at http://llm.local:8000/v1",
     "gpt-4o"),
])
def test_settings_say_where_the_model_runs_and_which_in_a_few_lines(tmp_path, overrides, where, model):
    text = _client(tmp_path, load_settings(use_cache=False, **overrides)).get("/settings").text
    plain = text.split('id="plain-settings"', 1)[1].split("</dl>", 1)[0]
    assert where in plain and f"<strong>{model}</strong>" in plain
    assert len(re.findall(r"<dt>", plain)) <= 6
    visible = _visible(text)
    assert "NEGOPREP_" not in visible and "NEGOPREP_MAX_FILE_MB" in text  # the full list under details
