"""The seed as the rules read it: its sentences, which lines are body text (not captions, credits
or links to other articles), the article's own date, and the countries each sentence names."""
import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from . import vocab
from .dates import FULL_DATE, full_date
from .text import sentences

# Lines that are not the article's own reporting: links to other articles, image credits.
RELATED = re.compile(r"^\s*(?:Related(?: News| article| Articles?)?\b|Read more\b|See also\b)", re.IGNORECASE)
CREDIT = re.compile(r"\b(?:Image|Photo|Picture|Cover image|Video screen grab|Credit)\s*[:.]|\(Picture:|screen grab",
                    re.IGNORECASE)
DATELINE_LINES = 6   # the article's date is stated near its top, before the body


@dataclass
class DatedAt:
    date: object          # datetime.date
    start: int
    end: int


# The metadata block trafilatura writes above a page's text (scripts/draft/page.py).
META_BLOCK = re.compile(r"\A---\n(?P<body>(?:[a-z]+:.*\n)+?)---\n")
META_LINE = re.compile(r"^(?P<key>[a-z]+): (?P<value>.+)$", re.MULTILINE)


class Article:
    def __init__(self, root, text):
        self.root, self.text = root, text
        self.meta = {}            # key -> (value, start, end of the line)
        self.meta_end = 0
        block = META_BLOCK.match(text)
        if block:
            self.meta_end = block.end()
            for m in META_LINE.finditer(text, block.start("body"), block.end("body")):
                self.meta[m.group("key")] = (m.group("value").strip().strip('"'), m.start(), m.end())
        self.sentences = [s for s in sentences(text) if s.start >= self.meta_end]
        self._mark_lines()

    def _mark_lines(self):
        """Sentence.skip: a link to another article or a list under such a heading; Sentence.caption:
        a line carrying an image credit."""
        related_block = False
        lines = {}
        for s in self.sentences:
            lines.setdefault(s.paragraph, []).append(s)
        for p in sorted(lines):
            line = self.text[lines[p][0].start:lines[p][-1].end]
            starts_related = bool(RELATED.match(line))
            if starts_related:
                related_block = True
            elif related_block and not line.lstrip().startswith(("-", "•", "*")):
                related_block = False
            caption = bool(CREDIT.search(line))
            for s in lines[p]:
                s.skip = starts_related or related_block
                s.caption = caption

    @property
    def body(self):
        """Sentences of the article's own reporting, in order."""
        return [s for s in self.sentences if not s.skip]

    @cached_property
    def dated(self):
        """The article's date: the page's metadata date, or a full date opening one of its first lines
        (a dateline), or None."""
        if "date" in self.meta:
            value, start, end = self.meta["date"]
            try:
                return DatedAt(datetime.date.fromisoformat(value), start, end)
            except ValueError:
                pass
        first = sorted({s.paragraph for s in self.sentences})[:DATELINE_LINES]
        for s in [s for s in self.sentences if s.paragraph in first]:
            m = FULL_DATE.match(self.text, s.start)
            if m:
                return DatedAt(full_date(m), m.start(), m.end())
        return None

    @property
    def date(self):
        return self.dated.date if self.dated else None

    def countries(self, start, end):
        """[(start, end, ISO3)] of the words naming countries in text[start:end]."""
        return vocab.find_countries(str(self.root), self.text, start, end)

    def sentence_at(self, offset):
        return next((s for s in self.sentences if s.start <= offset < s.end), None)

    def paragraph_of(self, sentence):
        return [s for s in self.sentences if s.paragraph == sentence.paragraph]
