"""The simulated counterpart, built from a prepared report (no model call).

Public: who they are, their style, the case as their side sees it (issues, deadlines, their
positions, what they said). Private, numbered for the review: their pressures, their "tomorrow
morning" problems, their interests and alternatives, and what they could concede (our side's
gains in the challenger's hidden trades). Items the checker set apart are left out when others remain.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.deal_profiles import same_party
from pipeline.rehearsal.schemas import Persona, PrivateItem, PrivateKind
from pipeline.schemas import Item, PrepReport

MAX_FACTS = 8
MAX_PRIVATE = 8
VALUE_ORDER: tuple[PrivateKind, ...] = ("interest", "pressure", "tomorrow_morning", "concession", "alternative")
"""The order in which the user earns private items: what they want first, their walk-away last."""
_THEM = {"they", "their", "them", "theirs"}
_ROLE_WORDS = {"counterpart", "our side", "their side", "third party", "our_side", "third_party"}


def _usable(items: Iterable[Item]) -> list[Item]:
    """The items not set apart by the checker; all of them if that leaves none."""
    items = list(items)
    return [i for i in items if not i.set_apart] or items


def about_them(item: Item, counterpart: str) -> bool:
    """Theirs by the report's side label, or a text whose subject is the counterpart ("PaySys is ...",
    "Their ..."), whatever side a weak model gave it."""
    if getattr(item, "side", "") in ("theirs", "both"):
        return True
    words = item.text.split()
    first = words[0].removesuffix("'s").strip(",.:") if words else ""
    return first.casefold() in _THEM or same_party(first, counterpart)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))


def organisation_of(report: PrepReport) -> str:
    """The counterpart organisation: the case's, else the deal profile's, else the profile's name."""
    return report.case.counterpart or report.deal_profile.counterpart or report.counterpart.name


def ours(name: str, report: PrepReport) -> bool:
    """`name` (or a party's description) names our side or a unit of it."""
    dp = report.deal_profile
    our_names = [n for n in (dp.our_side, *(p.name for p in dp.parties if p.role == "our_side")) if n]
    folded = name.casefold()
    return any(same_party(name, n) or n.casefold() in folded for n in our_names)


def speaker(report: PrepReport) -> tuple[str, str]:
    """Who speaks for the counterpart and their role: a named party of theirs (not the organisation itself,
    not a role word, not a unit of our side), else the organisation."""
    organisation = organisation_of(report)
    for party in report.deal_profile.parties:
        if (party.role == "counterpart" and party.name.casefold() not in _ROLE_WORDS
                and not same_party(party.name, organisation)
                and not ours(party.name, report) and not ours(party.text, report)):
            return party.name, party.text
    return organisation, ""


def persona_from_report(report: PrepReport) -> Persona:
    dp, cp, challenge = report.deal_profile, report.counterpart, report.challenge
    organisation = organisation_of(report)
    name, role = speaker(report)
    theirs = [i for i in _usable(dp.positions) if about_them(i, organisation)]
    private: list[tuple[PrivateKind, str]] = [
        *(("pressure", i.text) for i in _usable(cp.pressures)),
        *(("tomorrow_morning", i.text) for i in _usable(cp.tomorrow_morning)),
        *(("interest", i.text) for i in _usable(dp.interests) if about_them(i, organisation)),
        *(("alternative", i.text) for i in _usable(dp.alternatives) if about_them(i, organisation)),
        *(("concession", t.we_get) for t in _usable(challenge.hidden_trades)),
    ]
    seen: set[str] = set()
    items: list[PrivateItem] = []
    for kind, text in private:
        key = " ".join(text.casefold().split())
        if key in seen or len(items) == MAX_PRIVATE:
            continue
        seen.add(key)
        items.append(PrivateItem(id=f"{kind[0].upper()}{sum(i.kind == kind for i in items) + 1}", kind=kind, text=text))
    items.sort(key=lambda i: VALUE_ORDER.index(i.kind))
    secret = {" ".join(i.text.split()) for i in items}
    facts = [t for t in _unique(i.text for i in [*_usable(dp.issues), *_usable(dp.deadlines), *theirs,
                                                 *_usable(cp.observed_behaviour)]) if t not in secret][:MAX_FACTS]
    return Persona(name=name, organisation=organisation, role=role, style=cp.style, our_side=dp.our_side,
                   language=report.case.language, facts=facts, private=items)
