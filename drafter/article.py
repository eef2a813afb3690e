"""The seed as the rules read it: each line with its role (the page's metadata block, navigation, the
headline, a credit or timestamp line, a byline, a photo caption, links to other articles, the body),
the body's sentences, the dateline opening the body, and the article's own date where the page
states it (its metadata, a credit line, a dateline, a date line at the top)."""

import bisect
import datetime
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from scripts.read.lexicon import dates, places

from .text import lines, sentences

VOCAB = Path(__file__).resolve().parent / "vocab.yaml"
META_BLOCK = re.compile(r"\A---\n(?P<body>(?:[a-z]+: [^\n]*\n)+?)---\n")
META_LINE = re.compile(r"^(?P<key>[a-z]+): (?P<value>[^\n]+)$", re.M)
SEPARATORS = re.compile(r"\s*(?:\||›|»|•|·|/|>|:)\s*")
CREDIT = re.compile(
    r"^(?:\([^)]{2,40}\)\s*)?\(?(?:Source|Updated|Published|Posted|Last updated|Date|Time)\b\s*[:|]", re.I
)
BYLINE = re.compile(  # "By Gao Yan in Qingdao | China Daily", "Compiled by A and B", "By Zhao Yiming Source: ..."
    r"^(?:(?:Compiled|Written|Reported|Posted|Edited)\s+by|By)\s+"
    r"(?P<name>[A-Z][\w.'’-]{0,30}(?:\s+[A-Z][\w.'’-]{0,30}){0,3}?)(?:\s+and\s+[A-Z][\w.'’-]{0,30}(?:\s+[A-Z][\w.'’-]{0,30}){0,2})?"
    r"\s*(?:(?:[,|]|\s(?:in|Source|Published|Updated)\b).*)?$"
)
BYLINE_PIPE = re.compile(r"^(?P<name>[A-Z][\w.'’-]{0,30}(?:\s+[A-Z][\w.'’-]{0,30}){1,3})\s*\|")
CAPTION = re.compile(
    r"^(?:Photo(?: caption)?|Caption|Picture|Image|File photo|Video|Cover image)\b\s*[:.-]?"
    r"|\[Photo|\(Photo|\(Picture:|Photo:|Image:|Video screen grab|Credit:|Photo taken on|/Xinhua\]",
    re.I,
)
RELATED = re.compile(
    r"^(?:Related(?: news| articles?| stories| content)?|Read (?:also|more)|Also read|See also|"
    r"More on this|Recommended)\b\s*:?\s*$",
    re.I,
)
RELATED_INLINE = re.compile(
    r"^(?:Related(?: news| articles?| stories| content)?|Read (?:also|more)|Also read|See also|"
    r"More on this|Recommended|Watch|Listen)\s*:\s*\S",
    re.I,
)  # "Related article: Russia Holds ..."
COPYRIGHT = re.compile(r"^(?:\(c\)|©|Copyright\b)", re.I)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}?(?:, [A-Z][A-Za-z .]{1,30}?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}\.?(?: \d{4})?))?\.?\s*"
    r"(?:\((?P<agency>[A-Za-z][\w .-]{1,30})\)|/(?P<agency2>[A-Z][A-Za-z-]{1,20})/\.?)?"
    r"(?:\s*(?:--|—|–|-)|(?<=\))\.)\s*",  # "... (Xinhua) --", "ULAANBAATAR, September 20 (MONTSAME)."
    re.M,
)
DATELINE_TASS = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}?),\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2})\.\s*"
    r"/(?P<agency2>[A-Z][A-Za-z-]{1,20})/\.?\s*",
    re.M,
)
HEADLINE_WORDS = 28


@lru_cache(maxsize=1)
def _agency_re():
    names = sorted(vocab()["agencies"], key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?i:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])")


PAGE_TOOLS = re.compile(r"\b(?:Print|E-?mail|Bookmark|Tweet|Font size|Subscribe|Older posts?|Newer posts?)\b", re.I)


@lru_cache(maxsize=1)
def vocab():
    return yaml.safe_load(VOCAB.read_text(encoding="utf-8"))


@dataclass
class Line:
    start: int
    end: int
    index: int
    role: str = "body"


@dataclass
class Dated:
    """The article's own date as the page states it: ISO at its precision, and the words stating it."""

    value: str
    start: int
    end: int
    how: str

    @property
    def day(self):
        return datetime.date.fromisoformat(self.value) if len(self.value) == 10 else None


class Article:
    def __init__(self, root, text):
        self.root, self.text = Path(root), text
        self.places = places(str(self.root))
        self.meta, meta_end = {}, 0
        block = META_BLOCK.match(text)
        if block:
            meta_end = block.end()
            for m in META_LINE.finditer(text, block.start("body"), block.end("body")):
                self.meta[m.group("key")] = (m.group("value").strip(), m.start("value"), m.end("value"))
        self.lines = [Line(a, b, i) for i, (a, b) in enumerate(lines(text)) if a >= meta_end]
        self.dateline = None  # (end of the dateline, its match)
        self._roles()
        self.sentences = [
            s
            for ln in self.lines
            if ln.role in ("body", "caption")
            for s in sentences(text, ln.start, ln.end, ln.index)
        ]
        self.role_of = {ln.index: ln.role for ln in self.lines}
        self._line_starts = [ln.start for ln in self.lines]

    def line_text(self, line):
        return self.text[line.start : line.end]

    # -- roles ------------------------------------------------------------------------------------
    def _roles(self):
        nav = set(vocab()["navigation"])
        related = False
        for ln in self.lines:
            t = self.line_text(ln)
            words = [w for w in SEPARATORS.split(t.lower().strip("| ")) if w]
            if len(words) == 1 and "  " in t:
                words = [w for w in re.split(r"\s{2,}", t.lower()) if w]
            if related and len(t.split()) <= 14 and not t.rstrip().endswith("."):
                ln.role = "related"
                continue
            related = False
            if RELATED.match(t):
                ln.role, related = "related", True
            elif RELATED_INLINE.match(t):
                ln.role = "related"
            elif (
                all(w.strip(" .!") in nav for w in words)
                or COPYRIGHT.match(t)
                or t.lower().startswith("tags:")
                or len(PAGE_TOOLS.findall(t)) >= 2
                and len(t.split()) <= 14  # "Print   E-mail   Bookmark"
                or (  # "Share on Facebook   Share on Twitter   Email": short pieces set apart by wide spaces
                    len(pieces := re.split(r"\s{3,}", t.strip())) >= 3 and all(len(x.split()) <= 3 for x in pieces)
                )
                or (
                    len(re.findall(r"\s[|·•›»]\s|\s\|", t)) >= 2
                    and not t.rstrip().endswith(".")
                    and not dates(t)
                    and all(len(w.split()) <= 3 for w in words)
                )
            ):
                ln.role = "nav"
            elif CREDIT.match(t) or self._is_timestamp(t) or self._agency_dated(t):
                ln.role = "credit"
            elif BYLINE.match(t) or (BYLINE_PIPE.match(t) and dates(t)):
                ln.role = "byline"
            elif CAPTION.search(t) and len(t.split()) <= 60:
                ln.role = "caption"
        if len(self.lines) >= 2 and self.lines[0].role == "body" and self.lines[1].role == "nav":
            t = self.line_text(self.lines[0])  # a name above the navigation: the site's, not a headline
            if 1 <= len(t.split()) <= 5 and not re.search(r"[\d.!?:|›»]", t):
                if all(w[0].isupper() or w in ("of", "and", "the") for w in t.split()):
                    self.lines[0].role = "masthead"
            if re.match(r"[A-Z][A-Z&' ]+\s[—–|-]\s", t) and len(t.split()) <= 10:  # "RAILS & ROTORS — notes on ..."
                self.lines[0].role = "masthead"
        body = [ln for ln in self.lines if ln.role == "body"]
        for ln in body:  # the headline: the first short line above the body without a closing full stop
            t = self.line_text(ln)
            masthead = (
                t.isupper()
                or " | " in t
                or len(t.split()) < 3
                or re.search(r"\s[·•›»]\s", t)
                or re.search(r"\s[—–]\s*[A-Z]\w+$", t)  # "Nordic Maritime Review — Feature": a site and section
            )
            if (
                len(t.split()) <= HEADLINE_WORDS
                and not re.search(r"[.:;,]$", t)
                and not DATELINE.match(t + " --")
                and not masthead
            ):
                ln.role = "headline"
                break
            if not self._is_short(t):
                break
        for first in [ln for ln in self.lines if ln.role == "body"][:3]:  # after a standfirst or a time line
            m = DATELINE.match(self.text, first.start, first.end) or DATELINE_TASS.match(
                self.text, first.start, first.end
            )
            if m and m.end() - m.start() <= 80:
                self.dateline = m
                break

    def _is_short(self, t):
        return len(t.split()) <= HEADLINE_WORDS and not t.endswith(".")

    @staticmethod
    def _agency_dated(t):
        """A short line naming a news agency and a dated day: "KYODO NEWS - Oct 23, 2021 - 19:05 | World",
        "Tsugol (Russia) (AFP) - Thu, September 13, 2018"."""
        if len(t.split()) > 16 or t.rstrip().endswith("."):
            return False
        if not any(p[0] and p[2] for d in dates(t) for p in d.points):
            return False
        return re.search(_agency_re(), t) is not None

    @staticmethod
    def _is_timestamp(t):
        """A line that is only a date (and a time): "July 05, 2013, 11:42", "August 10, 2021"."""
        found = dates(t)
        if not found:
            return False
        cuts = [0] + [x for d in found for x in (d.start, d.end)] + [len(t)]
        rest = " ".join(t[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2))
        rest = re.sub(
            r"^[A-Z][A-Za-z .'’-]{2,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?,", " ", rest.lstrip()
        )  # "NEW DELHI, June 15, 2012", "Beijing, 2 August 2005"
        rest = re.sub(
            r"^\s*(?:All news|Latest|Updated|Published|Posted)(?:\s+on)?\b:?", " ", rest, flags=re.I
        )  # "All News 17:31 …", "Updated on Sep 02, 2022 06:45 AM IST"
        rest = re.sub(r"\b(?:JST|KST|IST|MSK|CST|EST|EDT|PST|PDT|BST|CET|CEST|AM|PM)\b", " ", rest)  # time zones
        return re.fullmatch(r"[\s,.\d:|()APMapmGTUTC+IST-]*", rest) is not None and any(
            p[0] for d in found for p in d.points
        )

    # -- the article's own date ------------------------------------------------------------------------
    @cached_property
    def date(self):
        """The page's own date: its metadata, a credit or timestamp line, a dateline with its year, a date line."""
        if "date" in self.meta:
            value, a, b = self.meta["date"]
            m = re.match(r"((?:19|20)\d\d-[01]\d-[0-3]\d)", value)
            if m:
                return Dated(m.group(1), a, a + len(m.group(1)), "the page's metadata")
        for role, how in (("credit", "a credit line"), ("byline", "the byline")):
            for ln in self.lines:
                if ln.role == role:
                    got = self._full_date(ln.start, ln.end, how)
                    if got:
                        return got
        if self.dateline is not None:
            got = self._full_date(self.dateline.start(), self.dateline.end(), "the dateline")
            if got:
                return got
        for ln in self.lines[-3:]:  # a credit at the end: "(Xinhua News Agency August 2, 2005)"
            t = self.line_text(ln)
            if t.startswith("(") and t.endswith(")"):
                got = self._full_date(ln.start, ln.end, "the credit line")
                if got:
                    return got
        return None

    def _full_date(self, a, b, how):
        for d in dates(self.text[a:b]):
            y, m, day = d.points[0]
            if y and m and day and d.kind != "y":
                return Dated(f"{y:04d}-{m:02d}-{day:02d}", a + d.start, a + d.end, how)
        return None

    # -- helpers ------------------------------------------------------------------------------------
    @property
    def body(self):
        return [s for s in self.sentences if self.role_of[s.line] == "body"]

    def countries(self, start, end):
        return [(start + a, start + b, c) for a, b, c in self.places.countries(self.text[start:end])]

    def line_at(self, offset):
        """The index of the line holding offset, or None."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return self.lines[i].index if i >= 0 and offset < self.lines[i].end else None

    def headline(self):
        return next((ln for ln in self.lines if ln.role == "headline"), None)
