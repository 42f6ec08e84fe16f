"""A long, deterministic, negotiation-like case for the input-size curve.

Not real material and not model output: sentences are drawn by `random.Random(seed)`
from templates (parties, amounts, dates, issues), so the same seed gives the same text.
One Markdown file per `PAGES_PER_FILE` pages; a case of n pages is the first n/PAGES_PER_FILE files.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS_PER_PAGE = 500
PAGES_PER_FILE = 5

OUR_SIDE, COUNTERPART = "Northwind Logistics", "Harbor Freight Systems"
_PEOPLE = ["Anna Berg", "Marco Ruiz", "Priya Shah", "Tom Keller", "Lena Novak", "Omar Haddad", "Ines Duarte"]
_ISSUES = ["the service levels", "the price per shipment", "the volume commitment", "the exit clause",
           "the penalty regime", "the payment terms", "the data migration", "the warehouse lease",
           "the onboarding timeline", "the liability cap", "the renewal option", "the IT integration"]
_MOVES = ["proposed", "rejected", "asked to revisit", "suggested deferring", "insisted on", "offered to trade",
          "questioned", "accepted in principle", "raised concerns about", "wants written confirmation of"]
_REASONS = ["because the board meets in {month}", "since their budget closes at the end of {month}",
            "as the current contract expires on {day} {month} {year}", "given the volume drop of {pct}% last quarter",
            "because a competitor quoted EUR {amount} per year", "as their CFO needs savings of {pct}%",
            "since the pilot showed {pct}% fewer delays", "because switching would take {weeks} weeks"]
_NOTES = ["Our alternative is to extend the current supplier for {weeks} weeks at EUR {amount}.",
          "{person} said they cannot go below EUR {amount} without approval from headquarters.",
          "The draft term sheet caps liability at EUR {amount} and sets a {weeks}-week notice period.",
          "We estimate the switching cost at EUR {amount}, spread over {weeks} weeks.",
          "{person} mentioned that the {month} deadline is firm for them, not for us.",
          "Open question: who carries the risk if volumes fall by more than {pct}%?",
          "Action: {person} to send the revised schedule by {day} {month} {year}."]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        month=rng.choice(_MONTHS), day=rng.randint(1, 28), year=rng.choice([2025, 2026, 2027]),
        pct=rng.randint(2, 40), amount=f"{rng.randint(20, 2400) * 500:,}", weeks=rng.randint(2, 26),
        person=rng.choice(_PEOPLE),
    )


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return _fill(rng, rng.choice(_NOTES))
    side = rng.choice([OUR_SIDE, COUNTERPART, rng.choice(_PEOPLE)])
    return _fill(rng, f"{side} {rng.choice(_MOVES)} {rng.choice(_ISSUES)} {rng.choice(_REASONS)}.")


def page_text(rng: random.Random, number: int) -> str:
    """About WORDS_PER_PAGE words: a heading and paragraphs of four to seven sentences."""
    lines, words = [f"## Page {number}: meeting notes and correspondence", ""], 0
    while words < WORDS_PER_PAGE:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(4, 7)))
        lines += [paragraph, ""]
        words += len(paragraph.split())
    return "\n".join(lines)


def write_case(folder: Path, pages: int, seed: int = 7) -> Path:
    """Write a case of `pages` pages (rounded up to whole files) into `folder`; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(
        f'title: "Synthetic logistics tender ({pages} pages)"\nour_side: "{OUR_SIDE}"\n'
        f'counterpart: "{COUNTERPART}"\nlanguage: en\n', encoding="utf-8")
    rng = random.Random(seed)
    for file_no in range(-(-pages // PAGES_PER_FILE)):
        first = file_no * PAGES_PER_FILE + 1
        text = "\n".join(page_text(rng, n) for n in range(first, first + PAGES_PER_FILE))
        (folder / f"notes_{file_no + 1:03d}.md").write_text(f"# Tender file {file_no + 1}\n\n{text}", encoding="utf-8")
    return folder
