"""What the figures of the first page come to when they are set against each other: a term of theirs that alone
is above our limit, their ask after the discount they offer, today's price with the indexation our notes expect.
Each is computed in code from lines of the materials, and shown with its inputs; a line that could mean two
things (two percentages, a percentage in points) gives nothing."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pipeline.brief.compose import (CLOSE, Context, _item, _stretch, _words_around, comparable, language_code,
                                    ours_line, rounded, with_period, written_amount)
from pipeline.case.notes import plain_line
from pipeline.brief.facts import Money, Source
from pipeline.brief.notes import count_words
from pipeline.brief.terms import MONEY, PERCENT, Term
from pipeline.schemas import Item

DISCOUNT = (r"discount\w*|off|rebates?|reduc\w*|rabatt\w*|avslag|reduksjon|nedsett\w*|nachlass\w*|ermäßig\w*|"
            r"preisnachlass\w*|abschlag\w*")
INDEX = r"index\w*|cpi|rpi|hicp|kpi|vpi|inflation\w*|indeks\w*|prisjuster\w*|teuerung\w*"
INCREASE = r"increase\w*|rise|uplift|økning\w*|øke\w*|erhöhung\w*|steiger\w*"
CURRENT = (r"current\w*|today'?s?|existing|passing|present|now|dagens|nåværende|i dag|gjeldende|nå|derzeit\w*|"
           r"aktuell\w*|bisher\w*|heutig\w*|jetzig\w*")
POINTS = re.compile(r"percentage points?|prosentpoeng|prozentpunkte?|\bpp\b|%-?points?", re.IGNORECASE)
_PERCENT_VALUE = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:%|per ?cent|prosent|prozent)", re.IGNORECASE)
FIRST_YEAR = (r"year 1|year one|first year|1st year|første år\w*|år 1|det første året|erstes jahr|ersten jahr\w*|"
              r"jahr 1|im ersten")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SHOWN_AT_MOST = 2
ASSESS = (r"defensible|justified|justifiable|fair|reasonable|legitimate|warranted|forsvarlig\w*|rimelig\w*|"
          r"berettiget|begrunnet|vertretbar\w*|angemessen\w*|berechtigt\w*|gerechtfertigt\w*")
"""Words by which our notes judge how much of their ask is owed or fair (`EUR 0.8–1.2m of that item is defensible`)."""


def our_view(ask: Money | None, money: Sequence[Money], ours: frozenset[str], approvals: Sequence[Money],
             ctx: Context) -> list[Item]:
    """The amount our notes judge owed or fair (a range: both ends), in its sentence's own words, set against their
    ask (the share of it) and against our approval thresholds (within, above, or one falls inside it): computed."""
    if ask is None:
        return []
    found: dict[str, list[Money]] = {}
    for m in money:
        near = _stretch(m.source.text, m.written)
        if (ours_line(m, ours) and m.currency == ask.currency and m.period == ask.period
                and not m.unit and m.value < ask.value and count_words(ASSESS, near)):
            found.setdefault(m.written, []).append(m)
    if not found:
        return []
    written, ends = next(iter(found.items()))
    low, high = min(e.value for e in ends), max(e.value for e in ends)
    line = _words_around(plain_line(ends[0].source.text), written)
    parts = []
    for a in approvals:
        if a.currency != ask.currency or a.period:
            continue
        shown = with_period(a, "", a.currency, ctx.language)
        parts.append(ctx.say("view_within" if high <= a.value else "view_above" if low > a.value else "view_inside",
                             threshold=shown))
    share = _percent(math.ceil(high / ask.value * 100) / 100, ctx)  # "at most": rounded up, never down
    return [_item(ctx.say("view", figure=written, line=line, where=_where(ends[0].source), share=share, ask=ask.written,
                          thresholds="".join(f"; {p}" for p in parts)),
                  basis=f"{written} ({_where(ends[0].source)}) ÷ {ask.written} ({_where(ask.source)})"
                        + "".join(f"; {a.written} ({_where(a.source)})" for a in approvals))]


def _where(source: Source) -> str:
    return f"{source.document}, {source.locator}"


def _one_percent(text: str) -> float | None:
    """The one percentage of a line, as a fraction; None for none, several, or points on top of an index."""
    found = _PERCENT_VALUE.findall(text)
    if len(found) != 1 or len(PERCENT.findall(text)) != 1 or POINTS.search(text):
        return None
    return float(found[0].replace(",", ".")) / 100


def terms_above(ask: Money, limit: Money, terms: Sequence[Term], money: Sequence[Money], ctx: Context) -> list[Item]:
    """Each yearly figure of their terms that alone is above our limit, though below their ask (a minimum
    commitment, their other offer): the deal within our limit needs it to come down too."""
    places = {(t.source.document, t.source.locator): t for t in terms}
    lines, seen = [], {ask.value}
    for m in money:
        term = places.get((m.source.document, m.source.locator))
        if (term is None or m.value in seen or comparable(m, limit) is None or comparable(m, ask) is None
                or not limit.value < m.value < ask.value):
            continue
        seen.add(m.value)
        amount = with_period(m.value - limit.value, comparable(m, limit), m.currency, ctx.language, m.unit)
        lines.append(_item(ctx.say("term_above", what=term.text, amount=amount, b=limit.written),
                           basis=f"{m.written} ({_where(m.source)}) − {limit.written} ({_where(limit.source)})"))
    return lines[:SHOWN_AT_MOST]


def after_discount(ask: Money, limit: Money, terms: Sequence[Term], ctx: Context) -> list[Item]:
    """Their ask less the one discount a term of theirs offers (a percentage off, no amount of its own on the
    line), against our limit."""
    for term in terms:
        text = term.source.text
        share = _one_percent(text)
        if share is None or not count_words(DISCOUNT, text) or count_words(INCREASE, text) or _has_amount(text):
            continue
        value = ask.value * (1 - share)
        first = count_words(FIRST_YEAR, text) > 0  # a discount on the first year: a figure for that year alone
        period = "" if first else comparable(ask, limit)
        after = with_period(value, period, ask.currency, ctx.language, ask.unit)
        amount = with_period(abs(value - limit.value), period, ask.currency, ctx.language, ask.unit)
        line = ("discount_first_" if first else "discount_") + ("above" if value > limit.value else "within")
        lines = [_item(ctx.say(line, share=_percent(share, ctx), after=after, amount=amount, b=limit.written),
                       basis=f"{ask.written} ({_where(ask.source)}) × (1 − {_percent(share, ctx)}) "
                             f"({_where(term.source)}) − {limit.written} ({_where(limit.source)})")]
        return lines
    return []


def indexed_today(ask: Money, limit: Money, money: Sequence[Money], ours: Sequence[Source], ctx: Context) -> list[Item]:
    """Today's price with the one indexation rate a line of our notes expects, against our limit: what keeping
    the present terms would cost (an option at the contract's terms, a renewal at index)."""
    rate = next(((share, s) for s in ours if count_words(INDEX, s.text) and (share := _one_percent(s.text)) is not None),
                None)
    today = next((m for m in money if m.value < ask.value and comparable(m, limit) is not None
                  and comparable(m, ask) is not None and _current(m, ask)), None)
    if rate is None or today is None:
        return []
    share, source = rate
    value = today.value * (1 + share)
    period = comparable(today, limit)
    after = with_period(rounded(value, 3), period, today.currency, ctx.language, today.unit)
    amount = with_period(rounded(abs(limit.value - value), 3), period, today.currency, ctx.language, today.unit)
    line = "indexed_within" if value <= limit.value else "indexed_above"
    return [_item(ctx.say(line, today=today.written, share=_percent(share, ctx), after=after, amount=amount,
                          b=limit.written),
                  basis=f"{today.written} ({_where(today.source)}) × (1 + {_percent(share, ctx)}) ({_where(source)}) "
                        f"− {limit.written} ({_where(limit.source)})")]


ONE_OFF = (r"one-?off|one-?time|upfront|up-?front|implement\w*|relocat\w*|migrat\w*|moving costs?|fit-?out|"
           r"set-?up costs?|dilapidation\w*|engangs\w*|implementer\w*|flyttekostnad\w*|einmalig\w*|umzug\w*|"
           r"einführung\w*")
"""Words by which an amount on our alternative's line is paid once to take it up (`about GBP 2.1m to implement`)."""


GENERIC_NAME = r"(?:our |the |a )?(?:alternatives?|alternativ\w*|options?|fallback|plan b|batna|partial option)"
"""A label that names no alternative (`Alternative: CleanCore quoted …`): the line's figures then speak for it."""


def alternative_cost(lines: Sequence, limit: Money | None, money: Sequence[Money], ctx: Context,
                     ask: Money | None = None) -> Item | None:
    """What leaving for our alternative would cost, from its line of our notes (`lines`: its NoteLines): its
    yearly price against their ask and our limit, and what it costs once to take up: computed. None where the line
    gives no yearly price of our limit's kind."""
    if limit is None:
        return None
    for line in lines:
        on_line = [m for m in money if m.source.document == line.source.document
                   and m.source.locator == line.source.locator and m.currency == limit.currency and not m.unit]
        once = [m for m in on_line if count_words(ONE_OFF, _stretch(m.source.text, m.written))]
        yearly = sorted((m for m in on_line if m not in once and comparable(m, limit) is not None
                         and max(m.value, limit.value) <= CLOSE * min(m.value, limit.value)),
                        key=lambda m: abs(m.value - limit.value))
        if not yearly:
            continue
        price, period = yearly[0], comparable(yearly[0], limit)
        difference = limit.value - price.value
        name = re.sub(r"\s*\((?:an? )?alternativ\w*\)", "", re.split(r" · |: |, ", plain_line(line.text), maxsplit=1)[0])
        name = "" if re.fullmatch(GENERIC_NAME, name.strip(), re.IGNORECASE) else f" {name.strip()[:80]}"
        below = with_period(abs(difference), period, price.currency, ctx.language)
        once = [min((o for o in once if o.written == w), key=lambda o: o.value)  # a range once: its lower end
                for w in dict.fromkeys(o.written for o in once)]
        cost = sum(m.value for m in once)
        basis = f"{limit.written} ({_where(limit.source)}) − {price.written} ({_where(price.source)})"
        saved = ask.value - price.value if ask is not None and comparable(ask, price) is not None else 0
        if once and difference > 0:
            values = dict(alt=name, price=price.written, amount=below,
                          once=written_amount(cost, price.currency, ctx.language))
            if saved > difference:  # against what they ask too
                text = ctx.say("leaving_back_ask", asked=with_period(saved, period, price.currency, ctx.language),
                               **values)
                basis += f"; {ask.written} ({_where(ask.source)}) − {price.written}"
            else:
                text = ctx.say("leaving_back", **values)
            basis += "; " + " + ".join(f"{m.written} ({_where(m.source)})" for m in once)
        else:
            text = ctx.say("leaving_below" if difference > 0 else "leaving_above", alt=name, price=price.written,
                           amount=below)
        return _item(text, basis=basis)
    return None


def reckoned(ask: Money | None, limit: Money | None, terms: Sequence[Term], money: Sequence[Money],
             ours: Sequence[Source], ctx: Context) -> list[Item]:
    """The first page's computed lines beyond the gap, for an ask and a limit that can be compared."""
    if ask is None or limit is None or comparable(ask, limit) is None:
        return []
    return [*terms_above(ask, limit, terms, money, ctx), *after_discount(ask, limit, terms, ctx),
            *indexed_today(ask, limit, money, ours, ctx)]


def _current(m: Money, ask: Money) -> bool:
    """A figure that is today's price: named so beside it, or set for a year before the one their ask starts."""
    near = _stretch(m.source.text, m.written)
    if count_words(CURRENT, near):
        return True
    years, asked = YEAR.findall(near), YEAR.findall(ask.source.text)
    return bool(years and asked) and max(map(int, years)) < min(map(int, asked))


def _has_amount(text: str) -> bool:
    return MONEY.search(text) is not None


def _percent(share: float, ctx: Context) -> str:
    if language_code(ctx.language) == "en":
        return f"{share * 100:g}%"
    return f"{share * 100:g} %".replace(".", ",")
