"""The claim checker on the labelled statements of tests/data/claims/: false-accept (false statements
verified) and false-reject (true statements not verified) per category, per case and per split.

    python -m benchmarks.claims_eval [--old] [--show CASE] [--time]

`--old` measures the checker reports used before `pipeline/checks/claims` (a statement is "verified" when
`SourceIndex.supporting_passage` finds a passage for it, the path `recite` takes). The tuning split is what the
rules were designed on; the measure split was read only as the aggregate figures printed here.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import yaml

from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.evidence import SourceIndex

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "data" / "claims"
TUNE = ("telco-paysys", "delivery-dispute", "licence-renewal", "tiny", "injection")
MEASURE = ("mixed-formats", "norsk-leveranse")
DERIVED = "derived"


def case_folder(name: str) -> Path:
    for folder in (ROOT / "cases" / name, ROOT / "tests" / "data" / "cases" / name):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(name)


def labelled(name: str) -> dict:
    return yaml.safe_load((CLAIMS / f"{name}.yaml").read_text(encoding="utf-8"))


def states(name: str, old: bool = False) -> list[tuple[dict, str]]:
    """Each labelled claim of the case with the state the checker gives it."""
    data = labelled(name)
    case = load_case(case_folder(name))
    if old:
        index = SourceIndex(case)
        return [(c, "verified" if not index.unknown_numbers(c["claim"]) and index.supporting_passage(c["claim"])
                 else "unverified") for c in data["claims"]]
    checker = ClaimChecker(case, our_side=data.get("our_side", ""), counterpart=data.get("counterpart", ""),
                           language=data.get("language", ""))
    return [(c, checker.check(c["claim"]).state) for c in data["claims"]]


class Tally:
    def __init__(self):
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # category -> [errors, total]

    def add(self, claim: dict, state: str) -> None:
        wrong = state == "verified" if not claim["truth"] else state != "verified"
        entry = self.counts[claim["category"]]
        entry[0] += wrong
        entry[1] += 1

    def rate(self, categories) -> tuple[int, int]:
        errors = sum(self.counts[c][0] for c in categories if c in self.counts)
        total = sum(self.counts[c][1] for c in categories if c in self.counts)
        return errors, total

    def lines(self) -> list[str]:
        false = [c for c in self.counts if c not in ("paraphrase", DERIVED)]
        out = []
        for label, cats in (("false-accept (false statements verified)", false),
                            ("false-reject (true paraphrases not verified)", ["paraphrase"]),
                            ("false-reject (true derived figures not verified)", [DERIVED])):
            e, t = self.rate(cats)
            out.append(f"    {label}: {e}/{t} = {e / t:.0%}" if t else f"    {label}: -")
        for cat in sorted(self.counts):
            e, t = self.counts[cat]
            out.append(f"      {cat:<12} {e}/{t} wrong")
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", action="store_true", help="measure the checker of before (supporting_passage)")
    parser.add_argument("--show", help="print every claim of this (tuning) case with its state")
    args = parser.parse_args()
    print(f"checker: {'old (supporting_passage, as recite)' if args.old else 'pipeline/checks/claims'}")
    print(f"tuned on: {', '.join(TUNE)}; measured on: {', '.join(MEASURE)}")
    for split, names in (("tune", TUNE), ("measure", MEASURE)):
        total = Tally()
        for name in names:
            started = time.perf_counter()
            results = states(name, args.old)
            case_tally = Tally()
            for claim, state in results:
                case_tally.add(claim, state)
                total.add(claim, state)
                if args.show == name and name not in MEASURE:
                    mark = "ok " if (state == "verified") == claim["truth"] else "BAD"
                    print(f"  {mark} {claim['category']:<12} {claim['expect']:<13} {state:<12} {claim['claim']}")
            print(f"  {split} · {name} ({len(results)} claims, {time.perf_counter() - started:.1f}s)")
            print("\n".join(case_tally.lines()))
        print(f"{split} split, all cases")
        print("\n".join(total.lines()))


if __name__ == "__main__":
    main()
