"""What a run of an article's text says, found with its offsets: numbers (digits and words), dates
(days, ranges, months, years, weekdays), countries and sea areas. One home for the build's check of
a value against its quote (scripts/read/support.py) and for the drafter's proposals (drafter/).

Every finder is linear in the text (no pattern that backtracks on a long word) and case-sensitive
where a word is a proper noun: "May" is a month only in "in May", "May 4", "May 2022"; "Turkey" is
a country, "turkey" is not; "India" is not named by "Indian Ocean", nor "Guinea" by "Papua New Guinea".
"""

import bisect
import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text import at_word_bounds, fold
from .yaml_safe import load_yaml

# -- numbers ---------------------------------------------------------------------------------------
ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
SCALES_SMALL = {"dozen": 12}
WORD_VALUES = {w: i for i, w in enumerate(ONES)} | {w: 10 * i for i, w in enumerate(TENS) if w != "_"}
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
# "five-day", "13-hour": a number inside a compound adjective is a length, not a count; so is a fraction
# ("two-thirds").
LENGTH_WORDS = {
    "day",
    "days",
    "hour",
    "hours",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "minute",
    "minutes",
    "kilometre",
    "kilometer",
    "km",
    "mile",
    "nautical",
    "meter",
    "metre",
    "stage",
    "phase",
    "third",
    "thirds",
    "quarter",
    "quarters",
    "half",
    "halves",
    "fifth",
    "fifths",
    "tenth",
    "tenths",
}
# "20%", "20 percent": a share, not a count
SHARE = re.compile(r"\s?%|\s+(?:percent|per cent)\b", re.I)
# thousands grouped by a comma, a no-break or thin space ("10,000", "10 000"), or a plain space
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,.])|\d+(?:\.\d+)?")
_MONTH_BEFORE = re.compile(
    r"\b(?:" + "|".join(calendar.month_name[1:] + calendar.month_abbr[1:] + ["Sept"]) + r")\.?\s+$"
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Number:
    start: int
    end: int
    value: object  # int, or float for "1.5"
    name_part: bool  # inside a name: "Su-30", "Vostok-2018", "Tu-95MS"
    length: str = None  # a measure, not a count: "day" in "five-day", "thirds", "share" for "20%"


def number_words(n):
    """English words for n (up to the billions), as newspapers write them: 13 -> thirteen."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    for size, name in ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {name}" + ("" if rest == 0 else " " + number_words(rest))
    return str(n)


def _after(text, end):
    """(compound word after a hyphen, or None; the next word after spaces, or None)."""
    if end < len(text) and text[end] in "-‑–":
        m = _WORD.match(text, end + 1)
        return (m.group(0).lower() if m else None), None
    m = re.compile(r"\s+([A-Za-z]+)").match(text, end)
    return None, (m.group(1).lower() if m else None)


def numbers(text):
    """Every number written in text, in digits ("10,000", "1.5 million") or words ("two thousand five
    hundred", "twenty-five", "a dozen"), with whether it is part of a name or of a length."""
    out = []
    pos = 0
    while (m := _DIGITS.search(text, pos)) is not None:
        start, end = m.span()
        pos = end
        if " " in m.group(0) and _MONTH_BEFORE.search(text[max(0, start - 12) : start]):
            end = pos = start + m.group(0).index(" ")  # "May 4 100 ships": a day, then a number
        before = text[start - 1] if start else " "
        if before.isdigit() or before in ".,":  # the tail of a longer number
            continue
        raw = re.sub(r"[,\s\u00a0\u2009\u202f]", "", text[start:end])
        value = float(raw) if "." in raw else int(raw)
        scale = re.compile(r"\s+(thousand|million|billion)\b").match(text, end)
        if scale:
            value, end = value * SCALES[scale.group(1)], scale.end()
            value = int(value) if float(value).is_integer() else value
        name_part = (
            (start >= 2 and text[start - 1] in "-‑" and text[start - 2].isalpha())
            or before.isalpha()
            or (end < len(text) and text[end].isalpha())
        )
        compound, _ = _after(text, end)
        share = SHARE.match(text, end)
        out.append(
            Number(start, end, value, name_part, "share" if share else compound if compound in LENGTH_WORDS else None)
        )
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i].group(0).lower()
        if w not in WORD_VALUES and not (
            w == "a"
            and i + 1 < len(words)
            and words[i + 1].group(0).lower() in ("dozen", "hundred", "thousand", "million")
        ):
            i += 1
            continue
        total, current, j, last = 0, 0, i, None
        while j < len(words):
            wj = words[j].group(0).lower()
            gap = text[words[j - 1].end() : words[j].start()] if j > i else ""
            if j > i and gap not in (" ", "-", " and ", "-and-"):
                break
            if wj in WORD_VALUES:
                current += WORD_VALUES[wj]
            elif wj == "a" and j == i:
                current = 1
            elif wj in SCALES_SMALL and (current or j > i):
                current = max(current, 1) * SCALES_SMALL[wj]
            elif wj in SCALES and (current or j > i):
                current = max(current, 1) * SCALES[wj]
                if SCALES[wj] >= 1000:
                    total, current = total + current, 0
            elif wj == "and" and j > i:
                pass
            else:
                break
            last = j
            j += 1
        if last is None or (last == i and words[i].group(0).lower() == "a"):
            i += 1
            continue
        if words[last].group(0).lower() == "and":
            last -= 1
        start, end = words[i].start(), words[last].end()
        value = total + current
        compound, _ = _after(text, end)
        if value or words[i].group(0).lower() == "zero":
            out.append(
                Number(
                    start,
                    end,
                    value,
                    False,
                    "share" if SHARE.match(text, end) else compound if compound in LENGTH_WORDS else None,
                )
            )
        i = last + 1
    return sorted(out, key=lambda n: n.start)


def ordinals(text):
    """[(start, end, n)] of ordinals: "second", "21st"."""
    out = [
        (m.start(), m.end(), ORDINALS.index(m.group(0).lower()) + 1)
        for m in re.finditer(r"\b(?:" + "|".join(ORDINALS) + r")\b", text, re.IGNORECASE)
    ]
    out += [(m.start(), m.end(), int(m.group(1))) for m in re.finditer(r"\b(\d{1,3})(?:st|nd|rd|th)\b", text)]
    return sorted(out)


# -- dates -----------------------------------------------------------------------------------------
MONTHS = list(calendar.month_name)[1:]
WEEKDAYS = list(calendar.day_name)
_ABBR = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
MONTH_NUMBER = {m: i + 1 for i, m in enumerate(MONTHS)} | _ABBR | {a + ".": n for a, n in _ABBR.items()}
MONTH_NUMBER |= {k.upper(): n for k, n in MONTH_NUMBER.items() if not k.endswith(".")}  # "23 JUL 2023", "AUGUST 10"
_M = "(?:" + "|".join(sorted((re.escape(k) for k in MONTH_NUMBER), key=len, reverse=True)) + r")(?![A-Za-z])"
_D = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_Y = r"(?:19|20)\d\d(?!\d)"
_TO = r"\s*(?:-|–|—|‑|to|until|till|through|and)\s*"


def _p(name, pattern):
    return f"(?P<{name}>{pattern})"


DATE_PATTERNS = [  # most specific first; each gives up to two points (a range)
    (
        "iso",
        re.compile(rf"(?<![\d-]){_p('y', _Y)}-{_p('m', '0[1-9]|1[0-2]')}-{_p('d', '0[1-9]|[12][0-9]|3[01]')}(?!\d)"),
    ),
    (
        "slashed",
        re.compile(
            rf"(?<![\d/]){_p('y', _Y)}/{_p('m', '0?[1-9]|1[0-2]')}/{_p('d', '0?[1-9]|[12][0-9]|3[01]')}(?![\d/])"
        ),
    ),
    (
        "dotted",
        re.compile(rf"(?<![\d.]){_p('d', '0[1-9]|[12][0-9]|3[01]')}\.{_p('m', '0[1-9]|1[0-2]')}\.{_p('y', _Y)}"),
    ),
    (
        "between",
        re.compile(
            rf"\b(?:between|from) the {_p('d', _D)} (?:and|to|until|till) the {_p('d2', _D)} of {_p('m', _M)}"
            rf"(?:,? {_p('y', _Y)})?"
        ),
    ),
    ("md-md", re.compile(rf"\b{_p('m', _M)} {_p('d', _D)}{_TO}{_p('m2', _M)} {_p('d2', _D)}(?:,? {_p('y', _Y)})?")),
    ("dm-dm", re.compile(rf"\b{_p('d', _D)} {_p('m', _M)}{_TO}{_p('d2', _D)} {_p('m2', _M)}(?:,? {_p('y', _Y)})?")),
    ("md-d", re.compile(rf"\b{_p('m', _M)} {_p('d', _D)}{_TO}{_p('d2', _D)}(?:,? {_p('y', _Y)})?")),
    ("d-dm", re.compile(rf"\b{_p('d', _D)}{_TO}{_p('d2', _D)} {_p('m', _M)}(?:,? {_p('y', _Y)})?")),
    ("md", re.compile(rf"\b{_p('m', _M)} {_p('d', _D)}(?:,? {_p('y', _Y)})?")),
    ("dm", re.compile(rf"\b(?:the )?{_p('d', _D)} (?:of )?{_p('m', _M)}(?:,? {_p('y', _Y)})?")),
    ("my", re.compile(rf"\b{_p('m', _M)},? (?:of )?{_p('y', _Y)}")),
    # A month alone is a date only after a word of time: "in May", not "May continue".
    (
        "m",
        re.compile(
            r"\b(?i:in|since|until|till|by|during|from|through|of|before|after|this|next|last|early|late|"
            r"mid|end of|beginning of|middle of|half of)[ -](?:(?i:early|late|mid)[ -])?"
            + _p("m", "|".join(MONTHS))
            + r"\b"
        ),
    ),
    ("y", re.compile(rf"(?<![\d,.]){_p('y', _Y)}(?!\d|,\d|-strong)")),
]
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


@dataclass
class DateMention:
    start: int
    end: int
    kind: str
    points: list = field(default_factory=list)  # [(year|None, month|None, day|None)]: one, or two for a range


def _num(s):
    return int(re.match(r"\d+", s).group(0)) if s else None


def dates(text):
    """Every date in text, longest first where they overlap: a range gives its first and last day, a
    missing month or year of its first day taken from its last ("April 29 to May 4, 2019")."""
    found = []
    for rank, (kind, pattern) in enumerate(DATE_PATTERNS):
        for m in pattern.finditer(text):
            if kind == "y" and not at_word_bounds(text, m.start(), m.end()) and text[m.start() - 1] not in "-‑ ":
                continue
            g = m.groupdict()
            y = _num(g.get("y"))
            month = MONTH_NUMBER.get(g["m"]) if g.get("m") and not g["m"].isdigit() else _num(g.get("m"))
            month2 = MONTH_NUMBER.get(g["m2"]) if g.get("m2") else month
            first = (y, month, _num(g.get("d")))
            points = [first]
            if g.get("d2"):
                points.append((y, month2, _num(g.get("d2"))))
            start = m.start("m") if kind == "m" else m.start()  # "in May": the month's words
            found.append((rank, DateMention(start, m.end(), kind, points)))
    found.sort(key=lambda r: (r[0], -(r[1].end - r[1].start), r[1].start))  # the most specific form wins
    starts, out = [], []  # accepted mentions, by start: each new one is checked against its neighbours only
    for _, d in found:
        i = bisect.bisect_left(starts, d.start)
        if (i > 0 and out[i - 1].end > d.start) or (i < len(out) and out[i].start < d.end):
            continue
        starts.insert(i, d.start)
        out.insert(i, d)
    return out


def weekdays(text):
    return [(m.start(), m.end(), m.group(1)) for m in WEEKDAY_RE.finditer(text)]


def iso_parts(value):
    parts = [int(p) for p in str(value).split("-")]
    return tuple(parts + [None] * (3 - len(parts)))


def states_date(value, text, need_year=True):
    """A date of `text` gives value's year, month and day (as many as value has)."""
    want = iso_parts(value)
    for d in dates(text):
        for point in d.points:
            if all(w is None or w == p for w, p in zip(want, point)) and all(
                p is not None for w, p in zip(want, point) if w is not None and (need_year or w != want[0])
            ):
                if need_year or point[1] is not None:
                    return True
    return False


# -- countries and seas ----------------------------------------------------------------------------
_TOKEN = re.compile(r"[^\W\d_][\w.']*")


def _key(token):
    return token.rstrip(".'-")


class Places:
    """Country words (pycountry's names plus schema/countries.yaml), sea areas (schema/seas.yaml) and places
    named like a country but not one (countries.yaml's not_countries), looked up by their first word: linear
    in the text, however many names there are."""

    def __init__(self, root):
        import pycountry

        root = Path(root)
        extra = load_yaml(root / "schema" / "countries.yaml") or {}
        words = {}
        for c in pycountry.countries:
            names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
            for w in names | set(extra.get(c.alpha_3, [])):
                words.setdefault(fold(w), c.alpha_3)
        self.countries_index = _index(words)
        self.seas_index = _index({fold(s): s for s in (load_yaml(root / "schema" / "seas.yaml") or [])})
        self.not_countries_index = _index({fold(s): s for s in extra.get("not_countries") or []})

    def sea_areas(self, text):
        """[(start, end, name as written)] of the sea areas named in text."""
        return [(a, b, text[a:b]) for a, b, _ in _lookup(fold(text), self.seas_index)[0]]

    def countries(self, text):
        """[(start, end, ISO alpha-3)] of the words naming countries, outside the names of seas."""
        seas, not_countries, found = _lookup(
            fold(text), self.seas_index, self.not_countries_index, self.countries_index
        )
        masked = seas + not_countries
        return [(a, b, code) for a, b, code in found if not any(x < b and a < y for x, y, _ in masked)]


def _index(names):
    """{first word: [(name, value)], longest first}."""
    index = {}
    for name, value in names.items():
        m = _TOKEN.match(name)
        if m:
            index.setdefault(_key(m.group(0)), []).append((name, value))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _lookup(folded, *indexes):
    """For each index, [(start, end, value)] of the names it holds that the text writes: one pass over the
    text's words for all of them."""
    outs, until = [[] for _ in indexes], [0] * len(indexes)
    for m in _TOKEN.finditer(folded):
        a, token = m.start(), m.group(0)
        keys = (_key(token), _key(token[:-2])) if token.endswith("'s") else (_key(token),)  # "China's"
        for i, index in enumerate(indexes):
            if a < until[i]:
                continue
            for key in keys:
                for name, value in index.get(key, ()):
                    b = a + len(name)
                    if folded.startswith(name, a) and at_word_bounds(folded, a, b):
                        outs[i].append((a, b, value))
                        until[i] = b
                        break
                else:
                    continue
                break
    return outs


@lru_cache(maxsize=4)
def places(root):
    return Places(str(root))
