"""Does one quote state a value? The check for each kind of field (schema/kinds.yaml `states`),
always on one quote alone: a value its quote does not state needs a rule or `basis: outside`.

  text      the value is written in the quote exactly, as whole words
  count     the number is a whole number of the quote, with a word of its unit beside it
  date/year the quote writes a date (or year) giving the value's year, month and day
  ordinal   the quote writes the ordinal
  country   a word of the quote names the country (whole words, never inside a sea's name)
  category  a word of the quote names the category (the field's x-words)
  series    the value is written in the quote beside a word saying that it recurs

`unstated(...)` returns why the quote does not state the value, or None when it does.
"""

import re
from dataclasses import dataclass

from .lexicon import numbers, ordinals, places, states_date
from .text import at_word_bounds, find_words, fold

UNIT_BEFORE, UNIT_AFTER = 3, 5  # words between a number and its unit ("Over 30 Chinese and Russian naval aircraft")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass
class Context:
    """What a check needs beyond the value and the quote: the project (its country and sea words), the
    field's x-words, the kind's own words, and for a count its unit's words and whose count it is."""

    root: object
    words: dict = None  # the field's x-words
    kind_words: list = None  # the kind's own words (series: words of recurrence)
    unit_words: dict = None  # counts.unit's x-words: {unit: [words]}
    unit: str = None
    party: str = None


def written(value, quote):
    """value occurs in quote exactly, not starting or ending inside a word."""
    at = quote.find(value)
    while at >= 0:
        if at_word_bounds(quote, at, at + len(value)):
            return True
        at = quote.find(value, at + 1)
    return False


def _unit_of(quote, number, unit_words):
    """The unit a number of the quote counts: the first unit word after it (within a few words), else
    the last one just before it ("troops numbering 3,000")."""
    after = _WORDS.finditer(quote, number.end)
    for i, w in enumerate(after):
        if i >= UNIT_AFTER:
            break
        for unit in _units_at(quote, w.start(), unit_words):
            return unit
    before = [w for w in _WORDS.finditer(quote, 0, number.start)][-UNIT_BEFORE:]
    for w in reversed(before):
        for unit in _units_at(quote, w.start(), unit_words):
            return unit
    return None


def _units_at(quote, at, unit_words):
    folded = fold(quote).lower()
    for unit, words in unit_words.items():
        for w in sorted(words, key=len, reverse=True):
            w = fold(w).lower()
            if folded.startswith(w, at) and at_word_bounds(folded, at, at + len(w)):
                yield unit
                break


def _count(value, quote, ctx):
    found = [n for n in numbers(quote) if n.value == value and isinstance(n.value, int)]  # 2.000 is not 2
    if not found:
        return f"the number {value:,} is not written in the quote as a whole number, in digits or words"
    plain = [n for n in found if not n.name_part and not n.length]
    if not plain:
        return f"{value:,} is written only inside a name or a length (Su-30, Vostok-2018, five-day), not as a count"
    if not any(_unit_of(quote, n, ctx.unit_words) == ctx.unit for n in plain):
        return f"the quote does not say that {value:,} counts {ctx.unit} (a word of that unit beside the number)"
    if ctx.party and ctx.party != "all" and ctx.party not in {c for *_, c in places(ctx.root).countries(quote)}:
        return f"the quote does not name {ctx.party}, whose contingent this number counts"
    return None


def _category(value, quote, ctx):
    names = (ctx.words or {}).get(value, [])
    if "{country}" in names and places(ctx.root).countries(quote):
        return None
    if "{sea}" in names and places(ctx.root).sea_areas(quote):
        return None
    if find_words(quote, [w for w in names if not w.startswith("{")]):
        return None
    return f"no word of the quote names {value!r}" + (f" ({', '.join(names)})" if names else "")


def unstated(kind, value, quote, ctx):
    """Why this one quote does not state value for a field of this kind; None when it does."""
    if kind == "text":
        return None if written(str(value), quote) else "the value is not written in the quote (as whole words)"
    if kind == "count":
        return _count(value, quote, ctx)
    if kind == "date":
        return None if states_date(value, quote) else "the quote does not write this date's year, month and day"
    if kind == "year":
        return None if states_date(str(value), quote) else f"the quote does not write the year {value}"
    if kind == "ordinal":
        return None if any(n == value for *_, n in ordinals(quote)) else f"the quote does not write the ordinal {value}"
    if kind == "country":
        if value in {c for *_, c in places(ctx.root).countries(quote)}:
            return None
        return f"no word of the quote names {value} (schema/countries.yaml lists the words that do)"
    if kind == "category":
        return _category(value, quote, ctx)
    if kind == "series":
        if not written(str(value), quote):
            return "the series' name is not written in the quote"
        if not find_words(quote, ctx.kind_words or []):
            return (
                "the quote does not say that the exercise recurs (annual, series, regular...): name the rule "
                "series-from-name for a name like Vostok-2018, or rest it on outside knowledge"
            )
        return None
    return None  # ids and links are not claims about the text
