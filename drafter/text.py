"""The seed's text as the rules read it: lines, sentences (a quotation never splits one), quotations,
and the one job every proposal depends on: a verbatim quote that occurs exactly once.

Everything is kept as character offsets into the seed, so a quote is always `text[start:end]`
(lengthened, when needed, until it is unique): never retyped, never normalised. Every pass is linear
in the text's length.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

OPEN_CLOSE = {"“": "”", '"': '"', "«": "»"}
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "adm",
    "sen",
    "rep",
    "st",
    "no",
    "vs",
    "u.s",
    "u.k",
    "maj",
    "capt",
    "cmdr",
    "sgt",
    "brig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "co",
    "corp",
    "gov",
    "pres",
    "approx",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "u.n",
}
MAX_SENTENCE = 1000  # characters: a longer run without a full stop is cut at a space (a page of no prose)
QUOTE_LIMIT = 600  # characters a quote may grow to while being made unique
GROWTH_STEPS = 24  # words added at most: each step searches the whole text, so a page of repeated text stays fast
_WORD_AFTER = re.compile(r"\s*\S+")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Quoted(Span):
    """Words inside quotation marks: start/end exclude the marks, outer_* include them."""

    outer_start: int = 0
    outer_end: int = 0


@dataclass
class Sentence(Span):
    line: int = 0  # index of its line (paragraph)
    quotes: list = field(default_factory=list)  # Quoted spans inside it


def lines(text):
    """(start, end) of each non-empty line, without its surrounding white space."""
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(raw) + 1
    return out


def quoted_spans(text, start, end):
    """Quotations in text[start:end] (one line): curly and guillemet pairs, straight quotes paired in order."""
    spans, i = [], start
    while i < end:
        ch = text[i]
        if ch in OPEN_CLOSE:
            close = text.find(OPEN_CLOSE[ch], i + 1, end)
            if close > i + 1:
                spans.append(Quoted(i + 1, close, i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def sentences(text, start, end, line_no):
    """The sentences of one line; a full stop inside a quotation, or after an abbreviation or an
    initial, ends none."""
    quotes = quoted_spans(text, start, end)
    inside = [(q.start, q.end - 1) for q in quotes]
    cuts = [start]
    for m in _END.finditer(text, start, end):
        at = m.start()
        if any(a <= at < b for a, b in inside):
            continue
        word = re.search(r"([A-Za-z.]+)$", text[max(start, at - 12) : at])
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        after = re.match(r"[A-Za-z]+", text[m.end() : m.end() + 40])
        if word and after and (word.group(1).lower(), after.group(0).lower()) in _series_pairs():
            continue  # "North. Interaction-2023": a series name some outlets write with a full stop
        cuts.append(m.end())
    cuts.append(end)
    cuts = _bounded(text, cuts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Sentence(a, b, line_no, [q for q in quotes if a <= q.outer_start and q.outer_end <= b]))
    return out


def _bounded(text, cuts):
    """The cuts, with a cut at a space at least every MAX_SENTENCE characters: no news sentence is that long,
    and every rule reads a sentence in time linear in its length at most once per word."""
    out = [cuts[0]]
    for b in cuts[1:]:
        while b - out[-1] > MAX_SENTENCE:
            space = text.rfind(" ", out[-1] + 1, out[-1] + MAX_SENTENCE)
            out.append(space + 1 if space > out[-1] else out[-1] + MAX_SENTENCE)
        out.append(b)
    return out


@lru_cache(maxsize=1)
def _series_pairs():
    """(first word, second word) of the two-word series names in vocab.yaml, lower case."""
    from .article import vocab

    return {
        tuple(w.lower() for w in re.findall(r"[A-Za-z]+", name))
        for name in vocab()["series"]
        if len(re.findall(r"[A-Za-z]+", name)) == 2
    }


def occurs_once(text, s):
    first = text.find(s)
    return first >= 0 and text.find(s, first + 1) < 0


def unique_quote(text, start, end):
    """(start, end) of the shortest run of the seed containing text[start:end] that occurs exactly once
    and holds no markup: grown a word at a time, to the right and then the left, within its line while it
    can; never starting with = + - or @, which a spreadsheet would run. None when impossible."""
    start, end = max(0, start), min(end, len(text))
    while 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1  # whole words: a quote never starts or ends inside one
    while start < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or "<" in text[start:end] or ">" in text[start:end]:
        return None
    a, b, right = start, end, True
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    steps = 0
    while not occurs_once(text, text[a:b]):
        steps += 1
        if b - a > QUOTE_LIMIT or steps > GROWTH_STEPS:
            return None
        grow_right = right and b < line_end or a <= line_start
        if grow_right and b < len(text):
            m = _WORD_AFTER.match(text, b)
            b = m.end() if m else len(text)
        elif a > 0:
            j = a
            while j > 0 and text[j - 1].isspace():
                j -= 1
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            a = j
        else:
            return None
        right = not right
        if "<" in text[a:b] or ">" in text[a:b]:
            return None
    while a < b and (text[a] in "=+-@" or text[a].isspace()):
        a += 1  # "-- The drill ..." after a dateline, "- 10,000 troops" in a list: a spreadsheet formula
    t = b
    while t > a and text[t - 1] in " ,;:":
        t -= 1
    return next(((s, e) for s, e in ((a, t), (a, b)) if s < e and occurs_once(text, text[s:e])), None)
