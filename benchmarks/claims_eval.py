"""The claim checker on the labelled statements of tests/data/claims/: false-accept (false statements
verified) and false-reject (true statements not verified) per category, per case and per split.

    python -m benchmarks.claims_eval [--old] [--show CASE] [--model | --record | --replay]

`--model` adds the model's verdict (the embedded default) where the rules neither confirm nor rule out a
statement; `--record` does so and writes its answers to tests/cassettes/CASE.claims.json, `--replay` serves
them from there (no model: what the tests run). Run a model under `flock /tmp/negoprep-llama.lock`.

`--old` measures the checker reports used before `pipeline/checks/claims` (a statement is "verified" when
`SourceIndex.supporting_passage` finds a passage for it, the path `recite` takes). The tuning split is what the
rules were designed on; the measure split was read only as the aggregate figures printed here. The tune cases
have a second and a third labelled set (tests/data/claims/second/, third/), each written later, blind to the
checker, in new phrasings to find failure modes that carry over: they are part of the tune split, and their
figures are printed apart as well. The measure cases have a second set too, written blind to the checker and read by
no one who tunes it: it only adds to the measure split's figures.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import yaml

from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.claims.entail import ModelEntailer
from pipeline.checks.evidence import SourceIndex
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "data" / "claims"
TUNE = ("telco-paysys", "delivery-dispute", "licence-renewal", "tiny", "injection", "de-fall", "havbris")
MEASURE = ("mixed-formats", "norsk-leveranse")
DERIVED = "derived"
SETS = ("", "second", "third")
"""The labelled sets: the first in CLAIMS, the later ones in these folders of it (the third for tune cases only)."""
CASSETTES = ROOT / "tests" / "cassettes"


def cassette(name: str) -> Path:
    """The recorded model answers of the checker on a case's labelled statements."""
    return CASSETTES / f"{name}.claims.json"


def entailer(name: str, mode: str) -> ModelEntailer | None:
    """The model step for a case: none (rules only), the model, the model recorded, or the recording replayed."""
    if not mode:
        return None
    extra = {"record": {"record": cassette(name)}, "replay": {"replay": cassette(name)}}.get(mode, {})
    return ModelEntailer(Settings(**extra))


def case_folder(name: str) -> Path:
    for folder in (ROOT / "cases" / name, ROOT / "tests" / "data" / "cases" / name):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(name)


def labelled(name: str) -> dict:
    """A case's labelled statements: the first set (CLAIMS/NAME.yaml) and, where written, the later ones
    (CLAIMS/second/NAME.yaml, CLAIMS/third/NAME.yaml); each claim carries its `set` (1, 2, 3)."""
    data = yaml.safe_load((CLAIMS / f"{name}.yaml").read_text(encoding="utf-8"))
    data["claims"] = [{**c, "set": 1} for c in data["claims"]]
    for number, folder in enumerate(SETS[1:], start=2):
        later = CLAIMS / folder / f"{name}.yaml"
        if later.is_file():
            data["claims"] += [{**c, "set": number}
                               for c in yaml.safe_load(later.read_text(encoding="utf-8"))["claims"]]
    return data


def states(name: str, old: bool = False, mode: str = "") -> list[tuple[dict, str]]:
    """Each labelled claim of the case with the state the checker gives it (`mode`: see `entailer`)."""
    data = labelled(name)
    case = load_case(case_folder(name))
    if old:
        index = SourceIndex(case)
        return [(c, "verified" if not index.unknown_numbers(c["claim"]) and index.supporting_passage(c["claim"])
                 else "unverified") for c in data["claims"]]
    entail = entailer(name, mode)
    try:
        checker = ClaimChecker(case, our_side=data.get("our_side", ""), counterpart=data.get("counterpart", ""),
                               language=data.get("language", ""), entail=entail)
        return [(c, checker.check(c["claim"]).state) for c in data["claims"]]
    finally:
        if entail is not None:
            entail.close()


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
    parser.add_argument("--split", choices=("tune", "measure"), help="one split only")
    for mode in ("model", "record", "replay"):
        parser.add_argument(f"--{mode}", dest="mode", action="store_const", const=mode, default="")
    args = parser.parse_args()
    print(f"checker: {'old (supporting_passage, as recite)' if args.old else 'pipeline/checks/claims'}")
    print(f"tuned on: {', '.join(TUNE)}; measured on: {', '.join(MEASURE)}")
    for split, names in (("tune", TUNE), ("measure", MEASURE)):
        if args.split and split != args.split:
            continue
        total = Tally()
        by_set = {number: Tally() for number in range(1, len(SETS) + 1)}
        for name in names:
            started = time.perf_counter()
            results = states(name, args.old, args.mode)
            case_tally = Tally()
            for claim, state in results:
                case_tally.add(claim, state)
                total.add(claim, state)
                by_set[claim["set"]].add(claim, state)
                if args.show == name and name not in MEASURE:
                    mark = "ok " if (state == "verified") == claim["truth"] else "BAD"
                    print(f"  {mark} {claim['category']:<12} {claim['expect']:<13} {state:<12} {claim['claim']}")
            print(f"  {split} · {name} ({len(results)} claims, {time.perf_counter() - started:.1f}s)")
            print("\n".join(case_tally.lines()))
        print(f"{split} split, all cases")
        print("\n".join(total.lines()))
        if any(tally.counts for number, tally in by_set.items() if number > 1):
            for number, tally in by_set.items():
                if tally.counts:
                    print(f"{split} split, {('first', *SETS[1:])[number - 1]} set"
                          f"{f' ({SETS[number - 1]}/)' if number > 1 else ''}")
                    print("\n".join(tally.lines()))


if __name__ == "__main__":
    main()
