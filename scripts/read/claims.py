"""One curated value with the quotes it rests on: read, checked, and each quote given its own basis.

A claim is `"text"` (the value, written in the article exactly so) or
`{value, quote, rule, basis, inference, according_to, note}`. Checked here, with the file and line,
in this order: its type and constraints (the schema's frictionless field: one definition for
curation and for the published CSVs), that a date exists, that each quote is in the seed once, and
then each quote on its own (scripts/read/support.py): a quote that states the value is `stated`;
one that does not makes the claim name a rule (`rule:`, schema/rules.yaml; its check runs once the
whole article is read) and its quote `derived`, or rest on a fact from outside the article
(`basis: outside`), named in the inference.
"""

import datetime
from dataclasses import dataclass, field

from ..errors import PipelineError, short
from .quotes import locate
from .support import Context, unstated
from .text import normalise
from .yaml_safe import LineDict, LineList

CLAIM_KEYS = ("value", "quote", "rule", "basis", "inference", "according_to", "note")
BASES = ("stated", "derived", "outside")  # best first
# Inference wording that admits a guess, or a value the article does not give: refused (after normalising).
HEDGES = (
    "taken to be",
    "presumably",
    "probably",
    "perhaps",
    "possibly",
    "likely",
    "maybe",
    "apparently",
    "seemingly",
    "supposedly",
    "assume",
    "guess",
    "not named",
    "not stated",
    "i think",
    "we think",
)
# Inference wording that names a fact from outside the article: it needs `basis: outside`.
OUTSIDE_MARKERS = (
    "public record",
    "not in the article",
    "outside the article",
    "outside knowledge",
    "dated public event",
    "is known",
    "well known",
    "well-known",
)
NOTE_KEYS = ("inference", "according_to", "note")  # free text of the curator's: checked as text, with its line


@dataclass
class Quote:
    text: str
    start: int
    basis: str = "stated"


@dataclass
class Claim:
    """One value of one field of one record, as one article states it."""

    table: str
    key: tuple  # the record's primary key values
    exercise_id: str  # the exercise the record belongs to (None for sources, some statements)
    field: str
    value: object
    quotes: list  # [Quote]
    source_id: str
    file: object
    line: int
    rule: str = None
    inference: str = None
    note: str = None
    according_to: str = None
    geonameid: int = None  # coordinates: the gazetteer place they were looked up from

    @property
    def record_id(self):
        return "/".join(self.key)

    @property
    def basis(self):
        return min((q.basis for q in self.quotes), key=BASES.index)

    def where(self):
        return dict(file=self.file, record=self.record_id, field=self.field, line=self.line)


def date_problem(value):
    """Why an ISO date at any precision does not exist (2021-02-30), or None."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            datetime.date.fromisoformat(value)
        elif len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
    except ValueError as e:
        return f"{value!r} is not a real date ({e})"
    return None


def text_problem(schema, kind, value):
    """Why a text value breaks its kind's refusals (schema/kinds.yaml), in words; None when it does not."""
    reasons = [why for rx, why in schema.refused(kind) if rx.search(value)]
    return f"{short(value)} {' and '.join(reasons)}" if reasons else None


def constraint_problem(schema, table, field_name, value, element=False):
    """Why value cannot be a value (or an array item) of this column, or None. Type first (YAML
    gives typed values: 10000 is a number, "10000" text), then the constraints, checked by the
    schema's own frictionless field."""
    spec = schema.field(table, field_name)
    kind = (spec.get("arrayItem") or {}).get("type", "string") if element else spec["type"]
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        digits = isinstance(value, str) and value.strip().lstrip("+-").isdigit()
        hint = " written in decimal without leading zeros" if digits else ""
        return f"must be a whole number{hint}, not {short(value)}"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"must be a number, not {short(value)}"
    if kind == "string" and not isinstance(value, str):
        return f"must be text, not {type(value).__name__} {short(value)} (put it in quotes)"
    if kind == "string" and not value.strip():
        return "is empty: leave the field out instead"
    _, notes = schema.cell_readers[(table, field_name)]([value] if element else value)
    if not notes:
        return None
    if "pattern" in notes and spec.get("x-kind") in schema.kinds and schema.kinds[spec["x-kind"]].get("refuse"):
        explained = text_problem(schema, spec["x-kind"], value)
        if explained:
            return explained
    if "maxLength" in notes:
        return f"is {len(value):,} characters long, over the limit of {notes['maxLength'].split()[-1].strip(chr(34))}"
    if "enum" in notes:
        allowed = ((spec.get("arrayItem") or {}) if element else spec).get("constraints", {}).get("enum", [])
        if spec.get("x-kind") == "country":
            return f"{short(value)} is not an ISO 3166-1 alpha-3 country code"
        return f"{short(value)} is not one of: {', '.join(map(str, allowed))}"
    name, note = next(iter(notes.items()))
    return f"{short(value)} breaks the {name} rule ({note})"


def lint_inference(inference, basis):
    text = normalise(inference).lower()
    hedge = next((h for h in HEDGES if h in text), None)
    if hedge:
        return (
            f"the inference says {hedge!r}: a value the article does not give, or a guess, is left out "
            "(say what the article does not state in a note, not in a value)"
        )
    marker = next((m for m in OUTSIDE_MARKERS if m in text), None)
    if marker and basis != "outside":
        return f"the inference names a fact from outside the article ({marker!r}): add `basis: outside`"
    return None


@dataclass
class Pending:
    """A claim that names a rule, checked once the whole article is read (a rule may need its date)."""

    claim: Claim
    kind: str
    unstated: list = field(default_factory=list)  # the quotes that do not state the value


class ClaimReader:
    """Reads the claims of one article: knows its text, its date and where its errors go."""

    def __init__(self, schema, root, article, errors):
        self.schema, self.root, self.article, self.errors = schema, root, article, errors
        self.pending = []

    def error(self, message, record=None, field=None, line=None):
        self.errors.add(message, file=self.article.path, record=record, field=field, line=line)

    def locate_all(self, quotes, record, field, line):
        located = []
        for q in quotes:
            limit = self.schema.kinds["quote"]["field"]["constraints"]["maxLength"]
            problem = (
                f"is {len(q):,} characters long, over the limit of {limit:,}"
                if len(q) > limit
                else text_problem(self.schema, "quote", q)
            )
            if problem:  # the seed may hold it; a published quote may not
                self.error(f"the quote {problem}", record, field, line)
                return None
            try:
                located.append((q, locate(self.article.text, q)))
            except PipelineError as e:
                self.error(e.message, record, field, line)
                return None
        return located

    def free_text(self, name, value, record, field, line):
        """A curator's own words (an inference, a note, an attribution): plain text, at most 2,000 characters."""
        if not isinstance(value, str) or not value.strip():
            return f"{name} must be non-empty text, not {short(value)}"
        if len(value) > 2000:
            return f"{name} is {len(value):,} characters long, over the limit of 2,000"
        problem = text_problem(self.schema, "text", value)
        return f"{name}: {problem}" if problem else None

    def parse(self, raw, record, field, line):
        """{value, quotes, rule, basis, inference, according_to, note, line} from the shorthand or the long form, or
        None."""
        if isinstance(raw, LineDict):
            line = raw.line
            for key in raw:
                if key not in CLAIM_KEYS:
                    self.error(unknown_key(key, CLAIM_KEYS), record, field, raw.line_of(key))
                    return None
            value, quotes = raw.get("value"), raw.get("quote")
            if value is None:
                self.error(
                    "a claim needs a value (leave the field out when the article does not state it)",
                    record,
                    field,
                    line,
                )
                return None
            if quotes in (None, [], ""):
                self.error("a claim needs the quote it rests on", record, field, line)
                return None
            quotes = list(quotes) if isinstance(quotes, list) else [quotes]
            for q in quotes:
                if not isinstance(q, str):
                    self.error(f"a quote must be text, not {short(q)}", record, field, raw.line_of("quote"))
                    return None
            out = {"value": value, "quotes": quotes, "line": raw.line_of("value")}
            for name in NOTE_KEYS + ("rule", "basis"):
                extra = raw.get(name)
                if extra is not None:
                    problem = self.free_text(name, extra, record, field, raw.line_of(name))
                    if problem:
                        self.error(problem, record, field, raw.line_of(name))
                        return None
                out[name] = extra
            if out["basis"] is not None and out["basis"] != "outside":
                self.error(
                    f"basis is `outside` (with an inference naming the outside fact), not "
                    f"{short(out['basis'])}; "
                    "a value derived by a rule names it with `rule:`",
                    record,
                    field,
                    raw.line_of("basis"),
                )
                return None
            if out["basis"] and out["rule"]:
                self.error(
                    "a claim either names a rule (derived from the article's words) or rests on outside "
                    "knowledge (basis: outside), not both",
                    record,
                    field,
                    raw.line_of("rule"),
                )
                return None
            if (out["rule"] or out["basis"]) and not out["inference"]:
                self.error(
                    "a derived or outside value needs an inference saying how it follows from the quote "
                    "(and, for outside, which outside fact it needs)",
                    record,
                    field,
                    line,
                )
                return None
            if out["according_to"] and not any(self._near(out["according_to"], q) for q in quotes):
                self.error(
                    f"according_to must be words of the article, in the paragraph of a quote: "
                    f"{short(out['according_to'])}",
                    record,
                    field,
                    raw.line_of("according_to"),
                )
                return None
            return out
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            return {
                "value": raw,
                "quotes": [str(raw)],
                "line": line,
                "rule": None,
                "basis": None,
                "inference": None,
                "according_to": None,
                "note": None,
            }
        self.error(f"expected a value or {{value, quote}}, not {type(raw).__name__} {short(raw)}", record, field, line)
        return None

    def _near(self, words, quote):
        """words occur in the paragraph (line) holding quote."""
        text = self.article.text
        at = text.find(quote)
        if at < 0:
            return False
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at + len(quote))
        return words in text[start : len(text) if end < 0 else end]

    def context(self, table, key, field_name):
        return claim_context(self.schema, self.root, table, key, field_name)

    def claim(self, table, key, exercise_id, field_name, raw, line, element=False, kind=None):
        """Turn one curated value into a Claim, or report why not (and return None)."""
        record = "/".join(key)
        parsed = self.parse(raw, record, field_name, line)
        if parsed is None:
            return None
        value = parsed["value"]
        spec = self.schema.field(table, field_name)
        kind = kind or spec.get("x-kind")
        problem = constraint_problem(self.schema, table, field_name, value, element)
        if problem is None and kind == "date":
            problem = date_problem(value)
        if problem:
            self.error(problem, record, field_name, parsed["line"])
            return None
        located = self.locate_all(parsed["quotes"], record, field_name, line)
        if located is None:
            return None
        ctx = self.context(table, key, field_name)
        quotes, why_not = [], []
        for q, start in located:
            why = unstated(kind, value, q, ctx)
            quotes.append(
                Quote(q, start, "stated" if why is None else "outside" if parsed["basis"] == "outside" else "derived")
            )
            if why:
                why_not.append((q, why))
        if why_not and not (parsed["rule"] or parsed["basis"]):
            q, why = why_not[0]
            self.error(
                f"the quote does not state the value: {why}. Value {short(value)}, quote {short(q, 100)}. "
                "Quote words that state it, or name the rule it follows by (rule:, schema/rules.yaml), "
                "or rest it on outside knowledge (basis: outside), with an inference",
                record,
                field_name,
                line,
            )
            return None
        if not why_not and (parsed["rule"] or parsed["basis"]):
            self.error(
                "every quote states the value: leave out "
                + ("rule" if parsed["rule"] else "basis")
                + " and inference (they are for a value its quote does not state)",
                record,
                field_name,
                line,
            )
            return None
        if parsed["inference"]:
            problem = lint_inference(parsed["inference"], parsed["basis"])
            if problem:
                self.error(problem, record, field_name, line)
                return None
        claim = Claim(
            table,
            key,
            exercise_id,
            field_name,
            value,
            quotes,
            self.article.source_id,
            self.article.path,
            line,
            parsed["rule"],
            parsed["inference"],
            parsed["note"],
            parsed["according_to"],
        )
        if parsed["rule"]:
            self.pending.append(Pending(claim, kind, [q for q, _ in why_not]))
        return claim


def claim_context(schema, root, table, key, field_name):
    """What checking a value of this field of this record needs beside the quote (support.Context)."""
    spec = schema.field(table, field_name)
    kind = spec.get("x-kind")
    party = key[1] if table in ("counts", "participants") else None
    return Context(
        root,
        spec.get("x-words"),
        (schema.kinds.get(kind) or {}).get("words"),
        schema.field("counts", "unit").get("x-words") or {},
        key[2] if table == "counts" else None,
        party,
    )


def unknown_key(key, allowed):
    import difflib

    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    return (
        f"unknown field {short(key)}"
        + (f" (did you mean {close[0]!r}?)" if close else "")
        + f"; allowed: {', '.join(sorted(allowed))}"
    )


def as_list(raw):
    """An array field's items: a YAML list, or one item written alone."""
    return raw if isinstance(raw, LineList) else LineList([raw])
