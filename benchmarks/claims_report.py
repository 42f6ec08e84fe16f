"""What checking a whole report by the claim checker costs and changes, per recorded sample case.

    python -m benchmarks.claims_report [--ref main] [--entail] [NAME ...]

For each cassette's report (as `--ref` recorded it: the old checks' report) the sections are checked again, every
item reset to unchecked, the key facts read from our notes again and the flagged passages found again, once by the
old checks (`verify_item` on each item, `recite` on those set apart, the synthesis's numbers) and once by the new
(`ground_premises` with the run's `ClaimChecker`, the free texts' sentences, the synthesis's numbers), each timed
from the materials (the source index, and the checker, built inside the timing; best of `--repeat`). The table gives
the old report's support beside the new support of the model's statements, the lines quoted from our notes and the
items the materials contradict: from the re-assembled cassette report when it is newer than `--ref`'s, else from
this re-check (marked `re-checked`).

`--entail` adds the model step (`check_entailment`: the embedded default, no call cache, its own client as in a
run that checks before its first call) to the new checks, once, and gives the questions it asked and the seconds
they took (run it under `flock /tmp/negoprep-llama.lock`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

from agents import registry
from pipeline.case.injection import instruction_cue
from pipeline.case.loading import case_from_input
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.claims.entail import ModelEntailer
from pipeline.checks.echoes import EchoCheck, remove_echoes
from pipeline.checks.evidence import SourceIndex, recite, support, support_with_quoted, verify_item
from pipeline.checks.item_checks import check_synthesis_numbers, ground_premises, remove_contradicted
from pipeline.deal_profiles import list_limit
from pipeline.note_figures import figures_of_notes
from pipeline.prep.graph import _quarantined
from pipeline.schemas import CHECKED, PrepReport
from pipeline.settings import Settings
from tests.record import CASSETTES, ROOT, case_flags, case_path


def recorded(name: str, ref: str) -> PrepReport:
    text = subprocess.run(["git", "show", f"{ref}:tests/cassettes/{name}.report.json"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    return PrepReport.model_validate_json(text)


def sections_of(report: PrepReport, case) -> dict:
    """The report's sections as the agents left them: every item unchecked, the key facts read again."""
    sections = {a.report_field: getattr(report, a.report_field).model_copy(deep=True) for a in registry.PREPARATION}
    for premise in registry.premises(sections):
        premise.item.verification, premise.item.evidence, premise.item.issues_found = "pending", [], []
    sections["deal_profile"].key_facts = figures_of_notes(list(case.documents), list_limit("key_facts"))
    return sections


def old_checks(case, sections, flagged) -> list:
    index = SourceIndex(case)
    premises = registry.premises(sections)
    for where, item, as_fact in premises:
        verify_item(item, index, where, as_fact=as_fact)
    for _, item, as_fact in premises:
        recite(item, index, as_fact=as_fact)
    remove_echoes(EchoCheck(case, flagged), premises, registry.PREPARATION.free_texts(sections))
    check_synthesis_numbers(index, sections["synthesis"])
    return [p.item for p in premises]


def new_checks(case, sections, flagged, sides, entail=None) -> tuple[list, int, int]:
    checker = ClaimChecker(case, SourceIndex(case), our_side=sides[0], counterpart=sides[1], entail=entail)
    premises = registry.premises(sections)
    ground_premises(checker, premises)
    remove_echoes(EchoCheck(case, flagged), premises, registry.PREPARATION.free_texts(sections))
    sentences = remove_contradicted(checker, registry.PREPARATION.free_texts(sections))
    check_synthesis_numbers(checker.index, sections["synthesis"])
    return [p.item for p in premises], sentences.checked, sentences.removed


def timed(run, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def entailed(name: str, ref: str) -> dict:
    """The new checks once with the model step: the questions it asked and their seconds beside the whole check's."""
    report = recorded(name, ref)
    case = case_from_input({"path": str(case_path(name))}, max_file_mb=20.0, language=None)
    case, flagged, _ = _quarantined(case, "--keep-flagged" in case_flags(name), 1)
    sides = (report.deal_profile.our_side, report.deal_profile.counterpart)
    with ModelEntailer(Settings(check_entailment=True, use_cache=False)) as entail:
        seconds, (items, checked, _) = timed(lambda: new_checks(case, sections_of(report, case), flagged, sides,
                                                                entail), 1)
        return {"case": name, "statements": len(items) + checked, "asked": entail.asked,
                "model_seconds": round(entail.seconds, 1), "check_seconds": round(seconds, 1),
                "support": support(items)}


def measure(name: str, ref: str, repeat: int, recheck: bool = False) -> dict:
    old_report = recorded(name, ref)
    flags = case_flags(name)
    case = case_from_input({"path": str(case_path(name))}, max_file_mb=20.0, language=None)
    case, flagged, _ = _quarantined(case, "--keep-flagged" in flags, 1, instruction_cue)
    sides = (old_report.deal_profile.our_side, old_report.deal_profile.counterpart)
    old_s, _ = timed(lambda: old_checks(case, sections_of(old_report, case), flagged), repeat)
    new_s, (items, checked, removed) = timed(lambda: new_checks(case, sections_of(old_report, case), flagged, sides),
                                             repeat)
    row = {"case": name, "old_seconds": round(old_s, 2), "new_seconds": round(new_s, 2),
           "old_support": old_report.provenance.support, "source": "re-checked",
           "support": support(items), "support_with_quoted": support_with_quoted(items),
           "quoted": sum(i.verification == "quoted" for i in items),
           "factual": sum(i.verification in CHECKED for i in items),
           "contradicted_items": sum(i.verification == "contradicted" for i in items),
           "removed_sentences": removed, "checked_sentences": checked}
    current = PrepReport.model_validate_json((CASSETTES / f"{name}.report.json").read_text())
    if not recheck and current.model_dump() != old_report.model_dump():  # re-assembled by the new checks: its own figures
        items = registry.report_items(current)
        prov = current.provenance
        row.update(source="re-assembled", support=prov.support, support_with_quoted=prov.support_with_quoted,
                   quoted=prov.quoted, factual=sum(i.verification in CHECKED for i in items),
                   contradicted_items=sum(i.verification == "contradicted" for i in items),
                   removed_sentences=sum(w.code == "contradicted-removed" for w in current.warnings),
                   checked_sentences=prov.checked_sentences)
    return row


def table(rows: list[dict]) -> str:
    lines = ["| case | old support | new support (model's statements) | quoted lines (share of facts) | "
             "contradicted items | sentences checked / removed | checks: old s -> new s | figures from |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        share = r["quoted"] / (r["quoted"] + r["factual"]) if r["quoted"] + r["factual"] else 0.0
        lines.append(f"| {r['case']} | {r['old_support']} | {r['support']} ({r['factual']} statements) | "
                     f"{r['quoted']} ({share:.0%}) | {r['contradicted_items']} | {r['checked_sentences']} / "
                     f"{r['removed_sentences']} | {r['old_seconds']} -> {r['new_seconds']} (+{r['new_seconds'] - r['old_seconds']:.2f}) "
                     f"| {r['source']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--ref", default="main", help="the git ref whose recorded reports are the old ones")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--recheck", action="store_true", help="the re-check's figures even where a re-assembled report is")
    parser.add_argument("--entail", action="store_true", help="time the model step on each report instead")
    args = parser.parse_args()
    names = args.names or sorted(p.name.removesuffix(".report.json") for p in CASSETTES.glob("*.report.json"))
    if args.entail:
        for name in names:
            print(json.dumps(entailed(name, args.ref)), flush=True)
        return
    rows = [measure(name, args.ref, args.repeat, args.recheck) for name in names]
    print(json.dumps(rows, indent=2) if args.json else table(rows))


if __name__ == "__main__":
    main()
