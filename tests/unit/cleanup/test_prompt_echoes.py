"""Items that only repeat the prompt's own words are dropped; items about the case stay.

The echoed texts below are hand-written here, copied from what the embedded model wrote in recorded runs
(the challenger's widened elements "Timing", "Documentation", "Buy time", an instruction line given back
as an item)."""

from pathlib import Path

from pipeline.cleanup.prompt_echoes import without_prompt_echoes
from pipeline.llm.prompts import load_prompt
from pipeline.schemas import ChallengeReport, Suggestion
from pipeline.settings import bundled

ECHOES = ["Timing", "Documentation", "Buy time", "Plan B",
          "hidden_trades: issues the two sides value differently, so we give what is cheap for us and get what matters to us"]
ABOUT_THE_CASE = ["Internal workarounds", "The risk of dilapidations for the mezzanine of £250,000",
                  "Time the offer to land before Harbourside's year-end", "Timing: 3 April"]


def _suggestion(text: str) -> Suggestion:
    return Suggestion(text=text, dimension="process", citations=["expand-the-pie"])


def test_items_that_only_echo_the_prompt_are_dropped_and_case_items_stay():
    wording = load_prompt(bundled("prompts"), "challenger").wording()
    report = ChallengeReport.model_construct(
        reframe="Timing", widened_elements=[_suggestion(t) for t in ECHOES + ABOUT_THE_CASE],
        warnings=[_suggestion("A warning, never a threat.")])
    cleaned = without_prompt_echoes(report, wording)
    assert [s.text for s in cleaned.widened_elements] == ABOUT_THE_CASE
    assert cleaned.warnings == []
    assert cleaned.reframe == "Timing", "only list items are dropped"
    assert len(report.widened_elements) == len(ECHOES + ABOUT_THE_CASE), "the original is left as it was"


def test_the_prompt_wording_includes_its_shared_parts_and_every_branch(tmp_path: Path):
    (tmp_path / "_part.md").write_text("Shared zebra words.", encoding="utf-8")
    (tmp_path / "p.md").write_text('---\nid: p\nversion: "1"\n---\n# system\n{% include "_part.md" %}\n# user\n'
                                   '{% if x %}Giraffe branch{% else %}Okapi branch {{ y }}{% endif %}\n', encoding="utf-8")
    wording = load_prompt(tmp_path, "p").wording()
    assert all(word in wording for word in ("zebra", "Giraffe", "Okapi")) and "{{" not in wording and "{%" not in wording


def test_a_conditional_inside_a_sentence_splits_the_prompts_fixed_text(tmp_path: Path):
    """The replay-miss diagnosis looks for each fixed fragment in the recorded request: the words around an inline
    `{% if %}` block are two fragments, not one joined sentence no request ever held."""
    from pipeline.llm.prompts import fixed_text

    path = tmp_path / "p.md"
    path.write_text('---\nid: p\nversion: "1"\n---\n# system\nx\n# user\nEach item is one sentence that '
                    '{% if a %}restates the facts{% else %}keeps the wording{% endif %}. Never repeat an item.\n',
                    encoding="utf-8")
    assert fixed_text(path) == ["Each item is one sentence that", ". Never repeat an item."]
