"""Does a quote support a value? The check for each kind of field (schema/kinds.yaml):

  text      the value occurs in a quote exactly
  number    the number is written in a quote, in digits (10,000) or words (five)
  date/year the year, month and day the value gives are written in the quotes
  country   a word of a quote names the country (pycountry's names and schema/countries.yaml)
  category  a word of a quote names the category (the field's x-words)

`unsupported(...)` returns why not, or None. A value its quotes do not support needs an
inference (scripts/curation.py decides what that means for its basis).
"""
import calendar
import re
from functools import lru_cache

import pycountry

from .yaml_safe import load_yaml

MONTHS = {i: (calendar.month_name[i], calendar.month_abbr[i]) for i in range(1, 13)}
ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
       "sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _has_word(text, word, case=False):
    """word (or phrase) in text, not inside a longer word; case-insensitive unless case."""
    pattern = r"(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])"
    return re.search(pattern, text, 0 if case else re.IGNORECASE) is not None


def number_words(n):
    """English words for n (up to the millions), as a newspaper writes them: 13 -> thirteen."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    for size, name in ((1_000_000, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {name}" + ("" if rest == 0 else " " + number_words(rest))
    return str(n)


def _number(value, text):
    forms = {str(value), f"{value:,}", f"{value:,}".replace(",", " "), f"{value:,}".replace(",", "."), number_words(value)}
    if value % 1000 == 0 and value >= 1000:
        forms.add(f"{value // 1000},000")
    return any(_has_word(text, form) for form in forms)


def _date(value, text):
    parts = str(value).split("-")
    year, month, day = parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
    if not _has_word(text, year):
        return False
    if month and not any(_has_word(text, name) for name in MONTHS[int(month)] if name):
        return False
    if day and not re.search(rf"(?<![0-9]){int(day)}(st|nd|rd|th)?(?![0-9])", text):
        return False
    return True


@lru_cache(maxsize=None)
def country_words(root):
    """{code: [words naming it]}: pycountry's names plus the project's own (schema/countries.yaml)."""
    extra = load_yaml(root / "schema" / "countries.yaml") or {}
    out = {}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        out[c.alpha_3] = sorted(names | set(extra.get(c.alpha_3, [])))
    return out


def _country(code, text, words):
    # Short forms in capitals ("US") are matched in capitals only: "us" is a pronoun.
    return any(_has_word(text, w, case=w.isupper() or len(w) <= 3) for w in words.get(code, []))


def unsupported(kind, value, quotes, root, words=None):
    """Why the quotes do not support value for a field of this kind; None when they do."""
    text = " ".join(quotes).translate(_FOLD)
    if kind in ("text", "quote"):
        if any(str(value) in q for q in quotes):
            return None
        return "the value is not written in the quote"
    if kind == "number":
        return None if _number(value, text) else f"the number {value:,} is not written in the quote, in digits or words"
    if kind in ("date", "year"):
        return None if _date(value, text) else "the quote does not write this date's year, month and day"
    if kind == "country":
        return None if _country(value, text, country_words(root)) else \
            f"no word of the quote names {value} (schema/countries.yaml lists the words that do)"
    if kind == "category":
        names = (words or {}).get(value, [])
        if "{country}" in names and any(_country(c, text, country_words(root)) for c in country_words(root)):
            return None
        if any(_has_word(text, w.translate(_FOLD)) for w in names if w != "{country}"):
            return None
        return f"no word of the quote names {value!r}" + (f" ({', '.join(names)})" if names else "")
    return None  # ids and links are not claims about the text
