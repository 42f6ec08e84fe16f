"""What the figures of the first page come to when they are set against each other: a term of theirs that alone
is above our limit, their ask after the discount they offer, today's price with the indexation our notes expect.
Each is computed in code from lines of the materials, and shown with its inputs; a line that could mean two
things (two percentages, a percentage in points) gives nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.brief.compose import Context, _item, _stretch, comparable, language_code, rounded, with_period
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
