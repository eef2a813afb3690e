"""One curated value with the quotes it rests on: read, checked and given its basis.

A claim is `"text"` (the value, written in the article exactly so) or
`{value, quote, inference, basis, note}`. Checked here, with the file and line, in this order:
its type and constraints (the schema's frictionless field: one definition for curation and
for the published CSVs), that a date exists, that its quotes are in the seed once, that the
quotes support the value for the field's kind (scripts/support.py), and the inference's wording.
Its basis follows: `stated` when the quotes support it and no inference is given; otherwise
`derived`, or `outside` when the curator says the inference needs a fact from outside the article.
"""
import datetime
import re
from dataclasses import dataclass

from ..errors import PipelineError, short
from .quotes import locate
from .support import unsupported
from .yaml_safe import LineDict, LineList

CLAIM_KEYS = ("value", "quote", "inference", "basis", "note")
BASES = ("derived", "outside")  # what a curator may declare; `stated` is never declared, it is checked
# Inference wording that admits a guess, or a value the article does not give: refused.
HEDGES = ("taken to be", "presumably", "probably", "perhaps", "possibly", "assume", "guess", "not named", "not stated")
# Inference wording that names a fact from outside the article: it needs `basis: outside`.
OUTSIDE_MARKERS = ("public record", "not in the article", "outside the article", "outside knowledge", "dated public event")


@dataclass
class Claim:
    """One value of one field of one record, as one article states it."""
    table: str
    key: tuple            # the record's primary key values
    exercise_id: str      # the exercise the record belongs to (None for sources, some statements)
    field: str
    value: object
    quotes: list          # [(quote, start)]
    source_id: str
    file: object
    line: int
    basis: str = "stated"
    inference: str = None
    note: str = None
    geonameid: int = None  # coordinates: the gazetteer place they were looked up from

    @property
    def record_id(self):
        return "/".join(self.key)

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


TEXT_RULES = [  # the text kind's pattern (schema/kinds.yaml), explained one part at a time
    (re.compile(r"^\s|\s$"), "starts or ends with white space"),
    (re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"), "contains a control character"),
    (re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"), "contains an invisible (zero-width or bidi) character"),
    (re.compile(r"\n"), "runs over a line break"),
    (re.compile(r"<[A-Za-z/!?]"), "contains markup"),
    (re.compile(r"^[=+@-](?![0-9][0-9.,]*$)"), "starts with = + - or @, which a spreadsheet runs as a formula"),
]


def constraint_problem(read_cell, value, spec, element=False):
    """Why value cannot be a value (or an array item) of this column, or None. Type first (YAML
    gives typed values: 10000 is a number, "10000" text), then the constraints, checked by the
    schema's own frictionless field."""
    kind = (spec.get("arrayItem") or {}).get("type", "string") if element else spec["type"]
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        hint = " written in decimal without leading zeros" if isinstance(value, str) and value.strip().lstrip("+-").isdigit() else ""
        return f"must be a whole number{hint}, not {short(value)}"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"must be a number, not {short(value)}"
    if kind == "string" and not isinstance(value, str):
        return f"must be text, not {type(value).__name__} {short(value)} (put it in quotes)"
    if kind == "string" and not value.strip():
        return "is empty: leave the field out instead"
    _, notes = read_cell([value] if element else value)
    if not notes:
        return None
    if "pattern" in notes and spec.get("x-kind") in ("text", "quote"):
        reasons = [why for rule, why in TEXT_RULES if rule.search(value)]
        if reasons:
            return f"{short(value)} {' and '.join(reasons)}"
    if "maxLength" in notes:
        return f"is {len(value):,} characters long, over the limit of {notes['maxLength'].split()[-1].strip(chr(34))}"
    if "enum" in notes:
        allowed = ((spec.get("arrayItem") or {}) if element else spec).get("constraints", {}).get("enum", [])
        if spec.get("x-kind") == "country":
            return f"{short(value)} is not an ISO 3166-1 alpha-3 country code"
        return f"{short(value)} is not one of: {', '.join(map(str, allowed))}"
    name, note = next(iter(notes.items()))
    return f"{short(value)} breaks the {name} rule ({note})"


class ClaimReader:
    """Reads the claims of one article: knows its text, its date and where its errors go."""

    def __init__(self, schema, root, article, errors):
        self.schema, self.root, self.article, self.errors = schema, root, article, errors

    def error(self, message, record=None, field=None, line=None):
        self.errors.add(message, file=self.article.path, record=record, field=field, line=line)

    def locate_all(self, quotes, record, field, line):
        located = []
        for q in quotes:
            try:
                located.append((q, locate(self.article.text, q)))
            except PipelineError as e:
                self.error(e.message, record, field, line)
                return None
        return located

    def parse(self, raw, record, field, line):
        """(value, quotes, inference, basis, note, line) from the shorthand or the long form, or None."""
        if isinstance(raw, LineDict):
            line = raw.line
            for key in raw:
                if key not in CLAIM_KEYS:
                    self.error(unknown_key(key, CLAIM_KEYS), record, field, raw.line_of(key))
                    return None
            value, quotes = raw.get("value"), raw.get("quote")
            if value is None:
                self.error("a claim needs a value (leave the field out when the article does not state it)", record, field, line)
                return None
            if quotes in (None, [], ""):
                self.error("a claim needs the quote it rests on", record, field, line)
                return None
            quotes = list(quotes) if isinstance(quotes, list) else [quotes]
            for q in quotes:
                if not isinstance(q, str):
                    self.error(f"a quote must be text, not {short(q)}", record, field, raw.line_of("quote"))
                    return None
            extras = {}
            for name in ("inference", "basis", "note"):
                extra = raw.get(name)
                if extra is not None and (not isinstance(extra, str) or not extra.strip()):
                    self.error(f"{name} must be non-empty text, not {short(extra)}", record, field, raw.line_of(name))
                    return None
                extras[name] = extra
            if extras["basis"] is not None and (extras["basis"] not in BASES or not extras["inference"]):
                self.error(f"basis is {' or '.join(BASES)}, with an inference saying how the value follows "
                           f"(and, for outside, which outside fact it needs); not {short(extras['basis'])}",
                           record, field, raw.line_of("basis"))
                return None
            return value, quotes, extras["inference"], extras["basis"], extras["note"], raw.line_of("value")
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            return raw, [str(raw)], None, None, None, line
        self.error(f"expected a value or {{value, quote}}, not {type(raw).__name__} {short(raw)}", record, field, line)
        return None

    def claim(self, table, key, exercise_id, field, raw, line, element=False):
        """Turn one curated value into a Claim, or report why not (and return None)."""
        record = "/".join(key)
        parsed = self.parse(raw, record, field, line)
        if parsed is None:
            return None
        value, quotes, inference, basis, note, value_line = parsed
        spec = self.schema.field(table, field)
        problem = constraint_problem(self.schema.cell_readers[(table, field)], value, spec, element)
        if problem is None and spec.get("x-kind") == "date":
            problem = date_problem(value)
        if problem:
            self.error(problem, record, field, value_line)
            return None
        located = self.locate_all(quotes, record, field, line)
        if located is None:
            return None
        why = unsupported(spec.get("x-kind"), value, quotes, self.root, spec.get("x-words"))
        if why and not inference:
            self.error(f"the quote does not support the value: {why}. Value {short(value)}, quote "
                       f"{' + '.join(short(q, 100) for q in quotes)}. Quote words that state it, or add an "
                       "inference saying how the value follows from the quote", record, field, line)
            return None
        if inference:
            problem = lint_inference(inference, basis)
            if problem:
                self.error(problem, record, field, line)
                return None
        return Claim(table, key, exercise_id, field, value, located, self.article.source_id, self.article.path, line,
                     basis or ("derived" if inference else "stated"), inference, note)


def lint_inference(inference, basis):
    text = inference.lower()
    hedge = next((h for h in HEDGES if h in text), None)
    if hedge:
        return (f"the inference says {hedge!r}: a value the article does not give, or a guess, is left out "
                "(say what the article does not state in a note, not in a value)")
    marker = next((m for m in OUTSIDE_MARKERS if m in text), None)
    if marker and basis != "outside":
        return f"the inference names a fact from outside the article ({marker!r}): add `basis: outside`"
    return None


def unknown_key(key, allowed):
    import difflib

    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    return (f"unknown field {short(key)}" + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; allowed: {', '.join(sorted(allowed))}")


def as_list(raw):
    """An array field's items: a YAML list, or one item written alone."""
    return raw if isinstance(raw, LineList) else LineList([raw])
