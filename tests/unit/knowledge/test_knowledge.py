"""The knowledge base: `kb` commands, entry checks, retrieval, prompt context and citation grounding."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.checks.citations import ground_citations
from pipeline.errors import InputError
from pipeline.knowledge import KnowledgeBase, check_kb, context_block, read_kb
from pipeline.schemas import ChallengeReport, HiddenTrade, Suggestion
from pipeline.tokens import counter_for

from tests.conftest import ROOT
KB_DIR = ROOT / "knowledge_base"
QUERIES = ROOT / "tests" / "data" / "kb_queries.yaml"

runner = CliRunner()


def kb(*args: str):
    return runner.invoke(app, ["kb", *args])


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.load(KB_DIR)


@pytest.fixture
def kb_copy(tmp_path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(KB_DIR, folder)
    return folder


# -- kb check -----------------------------------------------------------------------


def test_kb_check_passes_on_shipped_knowledge_base():
    entry_files = [p for p in KB_DIR.glob("*.md") if p.name.lower() != "readme.md"]

    result = kb("check")  # default folder from settings
    explicit = kb("check", "--kb", str(KB_DIR))

    assert result.exit_code == 0, result.output
    assert explicit.exit_code == 0, explicit.output
    assert f"{len(entry_files)} entries ok" in result.output
    assert len(entry_files) == 38


def test_kb_check_passes_on_an_unchanged_copy(kb_copy):
    result = kb("check", "--kb", str(kb_copy))
    assert result.exit_code == 0, result.output
    assert "38 entries ok" in result.output


def _rewrite_front_matter(path: Path, edit) -> None:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    meta, body = edit(meta, body)
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---" + body, encoding="utf-8")


def break_missing_field(folder: Path) -> tuple[str, str]:
    def edit(meta, body):
        del meta["sources"]
        return meta, body
    _rewrite_front_matter(folder / "anchoring.md", edit)
    return "anchoring.md", "missing or empty 'sources'"


def break_empty_field(folder: Path) -> tuple[str, str]:
    def edit(meta, body):
        meta["tags"] = []
        return meta, body
    _rewrite_front_matter(folder / "framing.md", edit)
    return "framing.md", "missing or empty 'tags'"


def break_empty_body(folder: Path) -> tuple[str, str]:
    def edit(meta, body):
        return meta, "\n"
    _rewrite_front_matter(folder / "zopa.md", edit)
    return "zopa.md", "body is empty or too short"


def break_id_mismatch(folder: Path) -> tuple[str, str]:
    def edit(meta, body):
        meta["id"] = "best-alternative"
        return meta, body
    _rewrite_front_matter(folder / "batna.md", edit)
    return "batna.md", "does not match the file name"


def break_duplicate_id(folder: Path) -> tuple[str, str]:
    # a second file that claims the id of an existing entry
    shutil.copy(folder / "logrolling.md", folder / "logrolling-copy.md")
    return "logrolling-copy.md", "id 'logrolling'"


def break_yaml(folder: Path) -> tuple[str, str]:
    path = folder / "coalitions.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^tags: \[(.*)\]$", r"tags: [\1", text, count=1, flags=re.M)  # unclosed flow list
    assert "tags: [" in text and "]\napplies_when" not in text
    path.write_text(text, encoding="utf-8")
    return "coalitions.md", "unreadable front matter"


def break_kebab_id(folder: Path) -> tuple[str, str]:
    # id and file name agree, so only the kebab-case rule is broken
    source = folder / "use-inertia.md"
    target = folder / "Use_Inertia.md"
    source.rename(target)

    def edit(meta, body):
        meta["id"] = "Use_Inertia"
        return meta, body
    _rewrite_front_matter(target, edit)
    return "Use_Inertia.md", "not lowercase kebab-case"


BREAKAGES = {
    "missing-field": break_missing_field,
    "empty-field": break_empty_field,
    "empty-body": break_empty_body,
    "id-mismatch": break_id_mismatch,
    "duplicate-id": break_duplicate_id,
    "malformed-yaml": break_yaml,
    "non-kebab-id": break_kebab_id,
}


@pytest.mark.parametrize("kind", list(BREAKAGES))
def test_kb_check_fails_on_broken_entry(kind, kb_copy):
    offending, reason = BREAKAGES[kind](kb_copy)

    result = kb("check", "--kb", str(kb_copy))

    assert result.exit_code == 2, result.output
    problems = [line for line in result.output.splitlines() if line.strip()]
    assert problems, "kb check printed no problem"
    assert "entries ok" not in result.output
    # every problem printed is about the file we broke, and names it
    for line in problems:
        assert Path(line.split(":", 1)[0]).name == offending, line
    assert any(reason in line for line in problems), problems


def test_duplicate_id_is_reported_once_and_original_kept(kb_copy):
    shutil.copy(kb_copy / "logrolling.md", kb_copy / "logrolling-copy.md")

    entries, problems = check_kb(kb_copy)

    assert len(problems) == 1
    assert "logrolling-copy.md" in problems[0]
    assert [e.path.name for e in entries if e.id == "logrolling"] == ["logrolling.md"]


def test_broken_kb_cannot_be_loaded_for_search(kb_copy):
    break_empty_body(kb_copy)

    result = kb("search", "anchoring", "--kb", str(kb_copy))

    assert result.exit_code == 2
    assert "zopa.md" in result.output


def test_a_folder_is_indexed_once_until_an_entry_changes(kb_copy):
    first = KnowledgeBase.load(kb_copy)
    assert KnowledgeBase.load(kb_copy) is first
    assert read_kb(kb_copy)[0] == tuple(first.entries)

    batna = kb_copy / "batna.md"
    batna.write_text(batna.read_text(encoding="utf-8") + "\nA sentence added after the first read.\n", encoding="utf-8")
    edited = KnowledgeBase.load(kb_copy)

    assert edited is not first
    assert edited.by_id["batna"].body.endswith("A sentence added after the first read.")
    assert read_kb(kb_copy)[0] == tuple(edited.entries)

    (kb_copy / "zopa.md").unlink()
    assert "zopa" not in KnowledgeBase.load(kb_copy).by_id


def test_an_entry_broken_after_the_first_read_stops_the_load(kb_copy):
    KnowledgeBase.load(kb_copy)
    break_empty_body(kb_copy)

    with pytest.raises(InputError, match="zopa.md"):
        KnowledgeBase.load(kb_copy)


def test_missing_kb_folder_fails(tmp_path):
    result = kb("check", "--kb", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "not found" in result.output


# -- retrieval ----------------------------------------------------------------------


def test_first_hit_rate_on_query_set(knowledge):
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    assert len(queries) >= 50
    known = set(knowledge.by_id)
    misses = []
    for q in queries:
        assert set(q["expect"]) <= known, f"query set names unknown ids: {q['expect']}"
        results = knowledge.search(q["query"], k=3)
        if not results or results[0][0].id not in q["expect"]:
            misses.append((q["query"], [e.id for e, _ in results], q["expect"]))
    rate = 1 - len(misses) / len(queries)
    print(f"\nknowledge-base first-hit rate: {rate:.3f} ({len(queries) - len(misses)}/{len(queries)})")
    for miss in misses:
        print("  miss:", miss)
    assert rate >= 0.9, misses


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("no alternative supplier", {"partial-alternatives", "perceived-alternative"}),
        ("they threatened to stop delivery", {"warnings-vs-threats"}),
    ],
)
def test_must_pass_queries(knowledge, query, expected):
    results = knowledge.search(query, k=3)
    assert results, query
    assert results[0][0].id in expected, [e.id for e, _ in results]


def test_search_results_are_ranked_and_bounded(knowledge):
    results = knowledge.search("the supplier threatens to stop delivery unless we pay", k=3)
    assert 1 <= len(results) <= 3
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)
    assert knowledge.search("", k=3) == []
    assert knowledge.search("the and of", k=3) == []  # stopwords only


def test_kb_search_cli_lists_ranked_ids_with_scores():
    result = kb("search", "they threatened to stop delivery", "-k", "3")

    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines() if line.strip()]
    assert 1 <= len(rows) <= 3
    assert all(len(row) == 3 for row in rows)
    scores = [float(row[0]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0][1] == "warnings-vs-threats"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row[1]) for row in rows)


def test_kb_show_prints_the_entry():
    result = kb("show", "warnings-vs-threats")

    assert result.exit_code == 0, result.output
    body = (KB_DIR / "warnings-vs-threats.md").read_text(encoding="utf-8").split("---", 2)[2].strip()
    assert result.output.startswith("# Warnings versus threats (warnings-vs-threats)")
    assert "sources: Thomas Schelling" in result.output
    assert body in result.output


def test_kb_show_unknown_id_exits_2():
    result = kb("show", "nosuch")
    assert result.exit_code == 2
    assert "nosuch" in result.output


def test_kb_list_lists_all_ids():
    result = kb("list")

    assert result.exit_code == 0, result.output
    ids = [line.split("\t")[0] for line in result.output.splitlines() if line.strip()]
    assert len(ids) >= 30
    assert len(ids) == len(set(ids))
    assert {"batna", "warnings-vs-threats", "partial-alternatives"} <= set(ids)
    assert set(ids) == {p.stem for p in KB_DIR.glob("*.md")}


# -- context block ------------------------------------------------------------------


@pytest.fixture(scope="module")
def counter():
    return counter_for("openai", "gpt-4", None)


def full_text(entry) -> str:
    return f"[{entry.id}] {entry.title}\n{entry.body}"


def gist_text(entry) -> str:
    return f"[{entry.id}] {entry.title}\n{entry.gist}"


def test_context_block_uses_full_bodies_when_they_fit(knowledge, counter):
    entries = [knowledge.by_id[i] for i in ("batna", "anchoring", "zopa")]

    text, used = context_block(entries, 100_000, counter)

    assert used == entries
    for entry in entries:
        assert full_text(entry) in text


def test_context_block_respects_the_budget(knowledge, counter):
    entries = knowledge.retrieve_for(["no alternative supplier", "they threatened to stop delivery"], k=6)
    assert len(entries) == 6
    total_full = sum(counter.count(full_text(e)) for e in entries)

    for budget in (0, 50, 200, 500, 1000, total_full // 2):
        text, used = context_block(entries, budget, counter)
        assert counter.count(text) <= budget, budget
        assert len(used) <= len(entries)
        for entry in used:
            assert f"[{entry.id}]" in text
        for entry in entries:
            if entry not in used:
                assert f"[{entry.id}]" not in text

    text, used = context_block(entries, 0, counter)
    assert (text, used) == ("", [])


def test_context_block_falls_back_to_first_paragraph(knowledge, counter):
    first, second = knowledge.by_id["batna"], knowledge.by_id["warnings-vs-threats"]
    first_cost = counter.count(full_text(first))
    second_full = counter.count(full_text(second))
    second_gist = counter.count(gist_text(second))
    assert second_gist < second_full
    # room for the first body and the second gist, but not for the second body
    budget = first_cost + second_gist + 2
    assert first_cost + second_full > budget

    text, used = context_block([first, second], budget, counter)

    assert used == [first, second]
    assert full_text(first) in text
    assert gist_text(second) in text
    assert "## How to use it" not in text.split(f"[{second.id}]", 1)[1]
    assert counter.count(text) <= budget


def test_context_block_skips_an_entry_whose_gist_does_not_fit(knowledge, counter):
    entry = knowledge.by_id["batna"]
    gist_cost = counter.count(gist_text(entry))

    text, used = context_block([entry], gist_cost - 1, counter)

    assert (text, used) == ("", [])
    text, used = context_block([entry], gist_cost, counter)
    assert used == [entry] and text == gist_text(entry)


# -- grounding ----------------------------------------------------------------------


def challenge_fixture() -> ChallengeReport:
    """Hand-written fixture, not model output."""
    return ChallengeReport(
        reframe="How do we keep operations stable while the price question is settled?",
        widened_elements=[
            Suggestion(text="Add contract length and service levels to the table.", dimension="substance",
                       citations=["widen-the-field"]),
            Suggestion(text="Trade payment timing against price.", dimension="substance",
                       citations=["made-up-principle", "logrolling"]),
        ],
        hidden_trades=[
            HiddenTrade(text="Longer term for a lower rate.", dimension="substance", we_give="a two-year term",
                        we_get="a lower rate", citations=["logrolling", "logrolling"]),
        ],
        partial_alternatives=[
            Suggestion(text="Pretend a rival has already made an offer.", dimension="substance",
                       citations=["imaginary-leverage"]),
        ],
        warnings=[
            Suggestion(text="Open with a very low number.", dimension="process", citations=["anchoring"]),
        ],
        process_moves=[
            Suggestion(text="Ask consent to a short joint fact-finding step.", dimension="process",
                       citations=["tactical-consent", "anchoring"]),
        ],
    )


RETRIEVED = ["widen-the-field", "logrolling", "tactical-consent", "partial-alternatives"]


def test_grounding_removes_invented_and_unretrieved_citations():
    report = challenge_fixture()
    assert "anchoring" in KnowledgeBase.load(KB_DIR).by_id  # exists, but is not retrieved below

    grounded, warnings = ground_citations(report, RETRIEVED, KnowledgeBase.load(KB_DIR))
    messages = [w.message for w in warnings]

    # valid suggestions kept, with only their valid citations
    assert [s.citations for s in grounded.widened_elements] == [["widen-the-field"], ["logrolling"]]
    assert grounded.hidden_trades[0].citations == ["logrolling"]  # duplicate collapsed, no warning
    assert isinstance(grounded.hidden_trades[0], HiddenTrade) and grounded.hidden_trades[0].we_give == "a two-year term"
    assert grounded.process_moves[0].citations == ["tactical-consent"]

    # suggestions left with no citation are dropped
    assert grounded.partial_alternatives == []
    assert grounded.warnings == []

    # every removal is named, with the reason
    assert any("'made-up-principle'" in m and "does not exist" in m and "widened_elements" in m for m in messages)
    assert any("'imaginary-leverage'" in m and "does not exist" in m for m in messages)
    assert any("'anchoring'" in m and "was not retrieved" in m and "challenge.warnings" in m for m in messages)
    assert any("'anchoring'" in m and "was not retrieved" in m and "process_moves" in m for m in messages)
    assert any("dropped" in m and "Pretend a rival" in m and "partial_alternatives" in m for m in messages)
    assert any("dropped" in m and "Open with a very low number" in m for m in messages)
    assert not any("widen-the-field" in m or "tactical-consent" in m for m in messages)
    assert all(w.code == "citation" for w in warnings)
    assert len(warnings) == 6  # 4 removed citations + 2 dropped suggestions


def test_grounding_does_not_modify_the_input():
    report = challenge_fixture()
    before = report.model_dump()

    ground_citations(report, RETRIEVED, KnowledgeBase.load(KB_DIR))

    assert report.model_dump() == before


def test_grounding_keeps_a_clean_report_unchanged():
    report = ChallengeReport(
        reframe="A wider question.",
        widened_elements=[Suggestion(text="Widen.", dimension="substance", citations=["widen-the-field"])],
    )

    grounded, warnings = ground_citations(report, ["widen-the-field"], KnowledgeBase.load(KB_DIR))

    assert warnings == []
    assert grounded.model_dump() == report.model_dump()
