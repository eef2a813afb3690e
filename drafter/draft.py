"""A draft of one article's curation: every proposal the rules make, each checked by the build's own
checks before it is made (scripts/read/support.py for what a quote states, scripts/read/rules.py
for a derivation rule), so that a curator reviews claims the build already accepts.

The steps, each in its own module: the article (its lines, sentences, dateline and date), the source
(title, date, publisher, author, URL), the exercises it reports on (found by name, series or kind,
each with the sentences that speak of it), each exercise's facts (dates, status, places, counts,
participants), and the statements it quotes."""

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scripts.read.claims import claim_context
from scripts.read.rules import Derivation, problem
from scripts.read.schema import Schema
from scripts.read.support import unstated

from .article import Article
from .text import unique_quote


@dataclass
class Proposal:
    value: object
    quotes: list  # verbatim runs of the seed, each occurring exactly once
    why: str  # the `# why:` comment: which rule proposed it
    rule: str = None
    inference: str = None
    basis: str = None  # "outside", or None
    according_to: str = None
    note: str = None
    spans: list = field(default_factory=list)


@dataclass
class Exercise:
    why: str
    new: bool
    facts: dict = field(default_factory=dict)  # field -> Proposal | [Proposal]
    participants: dict = field(default_factory=dict)  # code -> {"quote": Proposal, "role": Proposal, ...}
    counts: dict = field(default_factory=dict)  # party -> unit -> {"number": Proposal, "qualifier": Proposal}
    reactions: dict = field(default_factory=dict)  # code -> {"quote": Proposal, "action": Proposal}


@dataclass
class Draft:
    stem: str
    sha256: str
    source: dict = field(default_factory=dict)  # field -> Proposal
    exercises: dict = field(default_factory=dict)  # id -> Exercise
    statements: list = field(default_factory=list)  # dicts: statement_id, exercise_id, quote, within, field -> Proposal


@lru_cache(maxsize=2)
def schema_of(root):
    return Schema(root)


class Proposer:
    """Makes proposals for one article: a value, the spans of the seed it rests on, and why. A proposal is
    made only when each quote states the value by the build's check for the field's kind, or when the
    named rule's check holds (or the basis is outside); otherwise nothing is proposed."""

    def __init__(self, root, article):
        self.root, self.article, self.text = Path(root), article, article.text
        self.schema = schema_of(str(self.root))
        self.article_date = None  # the date proposed for the source, as the build will read it
        self.start_dates = {}  # exercise id -> proposed start date (for end-from-length)

    def quote(self, start, end):
        got = unique_quote(self.text, start, end)
        return None if got is None else (self.text[got[0] : got[1]], got)

    def __call__(
        self,
        table,
        name,
        value,
        spans,
        why,
        key=(),
        rule=None,
        inference=None,
        basis=None,
        according_to=None,
        note=None,
    ):
        if value is None or value == "":
            return None
        quotes, located = [], []
        for s, e in spans:
            got = self.quote(s, e)
            if got is None:
                return None
            if got[0] not in quotes:
                quotes.append(got[0])
                located.append(got[1])
        if not quotes:
            return None
        spec = self.schema.field(table, name)
        kind = spec.get("x-kind")
        ctx = claim_context(self.schema, self.root, table, tuple(key) or ("x", "x", "x"), name)
        unstated_quotes = [q for q in quotes if unstated(kind, value, q, ctx)]
        if not unstated_quotes:
            return Proposal(value, quotes, why, according_to=according_to, note=note, spans=located)
        if basis == "outside" and inference:
            return Proposal(value, quotes, why, None, inference, "outside", according_to, note, located)
        if not rule or not inference:
            return None
        known = {r["rule_id"] for r in self.schema.rows("rules")}
        d = Derivation(
            rule,
            kind,
            value,
            quotes,
            inference,
            self.text,
            self.article_date,
            self.start_dates.get(key[0]) if key else None,
            ctx,
        )
        if problem(d, known):
            return None
        return Proposal(value, quotes, why, rule, inference, None, according_to, note, located)


def make_draft(root, text, stem):
    """Draft the article whose seed text is `text` (named `stem` in seeds/)."""
    from .exercises import find_exercises
    from .facts import propose_facts
    from .source import propose_source
    from .statements import propose_statements

    root = Path(root)
    article = Article(root, text)
    p = Proposer(root, article)
    draft = Draft(stem, hashlib.sha256(text.encode("utf-8")).hexdigest())
    draft.source = propose_source(p, article)
    if "published_date" in draft.source:
        p.article_date = str(draft.source["published_date"].value)
    found = find_exercises(root, article)
    for ex in found:
        got = propose_facts(p, article, ex, found)
        # Another exercise than the main one is proposed only when the article gives it a place or a date.
        if ex.main or any(f in got.facts for f in ("location", "start_date", "end_date")):
            draft.exercises[ex.exercise_id] = got
    draft.statements = propose_statements(p, article, found, stem)
    return draft
