"""Calibrate `SUPPORT_THRESHOLD`: how many of an item's content words its cited unit must hold.

Positive pairs: the facts of the hand-written reference brief (tests/data/reference), each with
the quote a person chose as its evidence. Negative pairs: the same facts, each given the quote of
another fact of the same brief (the failure issue 13 describes: one line cited for unrelated items).
Prints, per threshold, the share of positives kept and of negatives let through, and the word-overlap
distribution; run `python benchmarks/support_calibration.py`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.case.loading import load_case  # noqa: E402
from pipeline.report.render import load_report  # noqa: E402
from agents.registry import report_items  # noqa: E402
from pipeline.checks import evidence  # noqa: E402
from pipeline.checks.evidence import SourceIndex, content_words, unsupported  # noqa: E402


def cited(index: SourceIndex, quote: str, document: str) -> str | None:
    hit = index.find(quote, document)
    if hit is None:
        return None
    doc, span, offset, _ = hit
    return index.cited_text(doc, offset, offset + len(span))


def overlap(text: str, source: str) -> float:
    words = content_words(text)
    return len(words & content_words(source)) / len(words) if words else 1.0


def main() -> None:
    report = load_report(ROOT / "tests" / "data" / "reference" / "telco-paysys.report.json")
    index = SourceIndex(load_case(ROOT / "cases" / "telco-paysys"))
    items = [i for i in report_items(report) if i.evidence]
    pairs = [(i.text, cited(index, i.evidence[0].quote, i.evidence[0].document)) for i in items]
    positives = [(t, c) for t, c in pairs if c]
    rng = random.Random(13)
    negatives = []
    for text, source in positives:
        other = rng.choice([c for t, c in positives if c != source])
        negatives.append((text, other))
    print(f"pairs: {len(positives)} supported, {len(negatives)} mismatched")
    pos = sorted(overlap(t, c) for t, c in positives)
    neg = sorted(overlap(t, c) for t, c in negatives)
    print("overlap supported :", " ".join(f"{v:.2f}" for v in pos))
    print("overlap mismatched:", " ".join(f"{v:.2f}" for v in neg))
    shipped = evidence.SUPPORT_THRESHOLD
    print("the full rule (numbers, dates and shared words) at each threshold:")
    print("threshold  kept(supported)  let-through(mismatched)")
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        evidence.SUPPORT_THRESHOLD = threshold
        kept = sum(not unsupported(t, c, index.common) for t, c in positives) / len(positives)
        through = sum(not unsupported(t, c, index.common) for t, c in negatives) / len(negatives)
        print(f"{threshold:<10} {kept:.2f}             {through:.2f}{'   <- shipped' if threshold == shipped else ''}")
    evidence.SUPPORT_THRESHOLD = shipped


if __name__ == "__main__":
    main()
