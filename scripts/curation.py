"""Read the curated facts (curation/*.yaml) into claims, checking each against the schema.

Every problem is reported with the file, record, field and line: the curator's side of the
flow. Nothing here knows about CSV or SQLite.
"""
import concurrent.futures
import datetime
import difflib
import functools
import hashlib
import multiprocessing
import os
import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path

import pycountry

from .errors import Collector, PipelineError
from .quotes import locate
from .yaml_lines import LineDict, LineList, load_yaml

CURATION_DIR = "curation"
SEEDS_DIR = "seeds"
REGISTER_FILE = "exercises.yaml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COUNTRY_FIELDS = {"country_code", "host_country"}
CLAIM_KEYS = {"value", "quote", "inference", "note"}
COORDINATE_KEYS = {"geonameid", "quote", "note"}


@dataclass
class Claim:
    """One value of one field of one record, as one article states it."""
    table: str
    record: str
    field: str
    value: object
    quotes: list          # [(quote, start)]
    source_id: str
    file: Path
    line: int
    inference: str = None
    note: str = None
    geonameid: int = None  # coordinates: the gazetteer place the value was looked up from


@dataclass
class Statement:
    statement_id: str
    source_id: str
    exercise_id: str
    quote: str
    start: int
    same_as: str
    file: Path
    line: int
    claims: dict = dc_field(default_factory=dict)


@dataclass
class Article:
    source_id: str
    seed_file: str
    path: Path
    text: str
    sha256: str
    claims: list = dc_field(default_factory=list)
    statements: list = dc_field(default_factory=list)
    exercise_lines: dict = dc_field(default_factory=dict)  # exercise_id -> line
    participant_lines: dict = dc_field(default_factory=dict)  # (exercise_id, code) -> line


@dataclass
class Choice:
    value: object
    because: str
    line: int


def _unknown(key, allowed):
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    return f"unknown field {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "") + f"; allowed: {', '.join(sorted(allowed))}"


class FieldRules:
    """Type and constraint checks for one column, taken from its datapackage.json field."""

    def __init__(self, spec):
        self.spec = spec
        self.name = spec["name"]
        self.type = spec["type"]
        self.constraints = spec.get("constraints", {})
        item = spec.get("arrayItem", {})
        self.item_constraints = item.get("constraints", {})

    def problem(self, value, element=False):
        """Why value cannot go in this column, or None."""
        kind = "string" if element else self.type
        constraints = self.item_constraints if element else self.constraints
        if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            return f"must be a whole number, not {value!r}"
        if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return f"must be a number, not {value!r}"
        if kind == "string" and not isinstance(value, str):
            return f"must be text, not {type(value).__name__} {value!r} (put it in quotes)"
        if kind == "string" and not value.strip():
            return "is empty: leave the field out instead"
        if "enum" in constraints and value not in constraints["enum"]:
            return f"{value!r} is not one of: {', '.join(map(str, constraints['enum']))}"
        if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
            return f"{value!r} does not match the pattern {constraints['pattern']}"
        if "minimum" in constraints and value < constraints["minimum"]:
            return f"{value!r} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and value > constraints["maximum"]:
            return f"{value!r} is above the maximum {constraints['maximum']}"
        if self.name.endswith("_date"):
            return _date_problem(value)
        if self.name in COUNTRY_FIELDS and pycountry.countries.get(alpha_3=value) is None:
            return f"{value!r} is not an ISO 3166-1 alpha-3 country code"
        return None


def _date_problem(value):
    parts = value.split("-")
    try:
        if len(parts) == 3:
            datetime.date.fromisoformat(value)
        elif len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
    except ValueError as e:
        return f"{value!r} is not a real date ({e})"
    return None


class ArticleReader:
    """Parses one curation/<stem>.yaml against its seed."""

    def __init__(self, package, path, seed_path, collector):
        self.package = package
        self.path = path
        self.seed_path = seed_path
        self.errors = collector
        self.rules = {t: {f["name"]: FieldRules(f) for f in package.fields(t)} for t in ("sources", "exercises", "participants", "statements")}

    def error(self, message, record=None, field=None, line=None):
        self.errors.add(message, file=self.path, record=record, field=field, line=line)

    def read(self):
        stem = self.path.stem
        data = load_yaml(self.path)
        if not isinstance(data, LineDict):
            raise PipelineError("the file must be a mapping with seed_sha256, source, exercises, statements", file=self.path)
        try:
            raw = self.seed_path.read_bytes()
        except OSError:
            raise PipelineError(f"no seed file {self.seed_path.name} in seeds/ for this curation file", file=self.path) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise PipelineError(f"seed is not UTF-8 (byte {e.start})", file=self.seed_path) from None
        if not text.strip():
            raise PipelineError("seed is empty", file=self.seed_path)
        article = Article(stem, self.seed_path.name, self.path, text, hashlib.sha256(raw).hexdigest())
        self.article = article
        allowed = {"seed_sha256", "source", "exercises", "statements"}
        for key in data:
            if key not in allowed:
                self.error(_unknown(key, allowed), line=data.line_of(key))
        recorded = data.get("seed_sha256")
        if recorded != article.sha256:
            self.error(
                f"the seed changed since it was curated: seed_sha256 is {recorded!r} but seeds/{article.seed_file} "
                f"has sha256 {article.sha256}; re-read the article, check every quote, then update seed_sha256",
                field="seed_sha256", line=data.line_of("seed_sha256"),
            )
        self._source(data.get("source"), data.line_of("source"))
        self._exercises(data.get("exercises") or LineDict(), data.line_of("exercises"))
        self._statements(data.get("statements") or LineList(), data.line_of("statements"))
        return article

    # -- claims ---------------------------------------------------------------------------
    def claim(self, table, record, field, raw, line, element=False):
        """Turn one curated value (shorthand or long form) into a Claim, or report why not."""
        rules = self.rules[table][field]
        if raw is None:
            return None
        if isinstance(raw, LineDict):
            line = raw.line
            for key in raw:
                if key not in CLAIM_KEYS:
                    self.error(_unknown(key, CLAIM_KEYS), record, field, raw.line_of(key))
                    return None
            if "value" not in raw or raw["value"] is None:
                self.error("a claim needs a value (leave the field out when the article does not state it)", record, field, line)
                return None
            if "quote" not in raw or raw["quote"] in (None, [], ""):
                self.error("a claim needs the quote it rests on", record, field, line)
                return None
            value, quotes = raw["value"], raw["quote"]
            quotes = list(quotes) if isinstance(quotes, list) else [quotes]
            inference, note = raw.get("inference"), raw.get("note")
            for name, extra in (("inference", inference), ("note", note)):
                if extra is not None and (not isinstance(extra, str) or not extra.strip()):
                    self.error(f"{name} must be non-empty text", record, field, raw.line_of(name))
                    return None
        elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            value, quotes, inference, note = raw, [str(raw)], None, None
        else:
            self.error(f"expected a value or {{value, quote}}, not {type(raw).__name__}", record, field, line)
            return None
        value_line = raw.line_of("value") if isinstance(raw, LineDict) else line
        quote_line = raw.line_of("quote") if isinstance(raw, LineDict) else line
        problem = rules.problem(value, element=element)
        if problem:
            self.error(problem, record, field, value_line)
            return None
        located = self.locate_all(quotes, record, field, quote_line)
        if located is None:
            return None
        return Claim(table, record, field, value, located, self.article.source_id, self.path, line, inference, note)

    def locate_all(self, quotes, record, field, line):
        located = []
        for q in quotes:
            try:
                located.append((q, locate(self.article.text, q)))
            except PipelineError as e:
                self.error(e.message, record, field, line)
                return None
        return located

    def claims(self, table, record, mapping, fields, skip=()):
        for key, raw in mapping.items():
            if key in skip:
                continue
            if key not in fields:
                self.error(_unknown(key, set(fields) | set(skip)), record, None, mapping.line_of(key))
                continue
            line = mapping.line_of(key)
            if self.rules[table][key].type == "array":
                items = raw if isinstance(raw, list) else [raw]
                for item in items:
                    c = self.claim(table, record, key, item, getattr(items, "line", line) or line, element=True)
                    if c:
                        self.article.claims.append(c)
            else:
                c = self.claim(table, record, key, raw, line)
                if c:
                    self.article.claims.append(c)

    # -- sections -------------------------------------------------------------------------
    def _source(self, source, line):
        if source is None:
            return
        if not isinstance(source, LineDict):
            self.error("source must be a mapping of the article's title, publisher, author, published_date, url", line=line)
            return
        fields = self.package.fields_by_provenance("sources", "curated")
        self.claims("sources", self.article.source_id, source, fields)

    def _exercises(self, exercises, line):
        if not isinstance(exercises, LineDict):
            self.error("exercises must be a mapping from exercise_id to what the article says about it", line=line)
            return
        fields = self.package.fields_by_provenance("exercises", "curated")
        for eid, facts in exercises.items():
            eline = exercises.line_of(eid)
            if not isinstance(eid, str) or not SLUG.match(eid):
                self.error(f"exercise_id {eid!r} is not a slug like 'vostok-2022'", eid, "exercise_id", eline)
                continue
            self.article.exercise_lines[eid] = eline
            if facts is None:
                continue
            if not isinstance(facts, LineDict):
                self.error("an exercise must be a mapping of fields", eid, None, eline)
                continue
            self.claims("exercises", eid, facts, fields, skip=("coordinates", "participants"))
            if "coordinates" in facts:
                self._coordinates(eid, facts["coordinates"], facts.line_of("coordinates"))
            if facts.get("participants") is not None:
                self._participants(eid, facts["participants"], facts.line_of("participants"))

    def _coordinates(self, eid, raw, line):
        if not isinstance(raw, LineDict):
            self.error("coordinates must be {geonameid: N, quote: ...}", eid, "coordinates", line)
            return
        for key in raw:
            if key not in COORDINATE_KEYS:
                self.error(_unknown(key, COORDINATE_KEYS), eid, "coordinates", raw.line_of(key))
                return
        gid = raw.get("geonameid")
        if isinstance(gid, bool) or not isinstance(gid, int):
            self.error(f"geonameid must be a GeoNames id (a whole number), not {gid!r}", eid, "coordinates", line)
            return
        quotes = raw.get("quote")
        if not quotes:
            self.error("coordinates need the quote naming the place", eid, "coordinates", line)
            return
        located = self.locate_all(quotes if isinstance(quotes, list) else [quotes], eid, "coordinates", line)
        if located:
            self.article.claims.append(Claim("exercises", eid, "coordinates", gid, located, self.article.source_id,
                                             self.path, line, None, raw.get("note"), geonameid=gid))

    def _participants(self, eid, parts, line):
        if not isinstance(parts, LineDict):
            self.error("participants must be a mapping from ISO alpha-3 code to role, forces, quote", eid, "participants", line)
            return
        fields = [f for f in self.package.fields_by_provenance("participants", "curated") if f != "country_code"]
        for code, facts in parts.items():
            pline = parts.line_of(code)
            record = f"{eid}/{code}"
            problem = self.rules["participants"]["country_code"].problem(code)
            if problem:
                self.error(problem, record, "country_code", pline)
                continue
            if not isinstance(facts, LineDict) or "quote" not in facts:
                self.error("a participant needs `quote`: the words naming the country as taking part", record, None, pline)
                continue
            quotes = facts["quote"] if isinstance(facts["quote"], list) else [facts["quote"]]
            located = self.locate_all(quotes, record, "quote", facts.line_of("quote"))
            if located is None:
                continue
            self.article.participant_lines[(eid, code)] = pline
            self.article.claims.append(Claim("participants", record, "country_code", code, located,
                                             self.article.source_id, self.path, pline))
            self.claims("participants", record, facts, fields, skip=("quote",))

    def _statements(self, statements, line):
        if not isinstance(statements, LineList):
            self.error("statements must be a list", line=line)
            return
        plain = {"statement_id", "exercise_id", "quote", "within", "same_as"}
        claim_fields = [f for f in self.package.fields_by_provenance("statements", "curated") if f not in plain]
        for item in statements:
            if not isinstance(item, LineDict):
                self.error("a statement must be a mapping", line=getattr(item, "line", line))
                continue
            sid = item.get("statement_id")
            if not isinstance(sid, str) or not SLUG.match(sid):
                self.error(f"statement_id {sid!r} is missing or not a slug", None, "statement_id", item.line)
                continue
            exercise = item.get("exercise_id")
            if exercise is not None and (not isinstance(exercise, str) or not SLUG.match(exercise)):
                self.error(f"exercise_id {exercise!r} is not a slug", sid, "exercise_id", item.line_of("exercise_id"))
                continue
            same_as = item.get("same_as")
            if same_as is not None and (not isinstance(same_as, str) or not SLUG.match(same_as)):
                self.error(f"same_as {same_as!r} is not a statement_id", sid, "same_as", item.line_of("same_as"))
                continue
            quote = item.get("quote")
            if quote is None:
                self.error("a statement needs its quote", sid, "quote", item.line)
                continue
            within = item.get("within")
            if within is not None:
                # The quote's words occur elsewhere too: `within` is a longer run, found once, that
                # contains them once (e.g. with the quotation marks around them).
                located = self.locate_all([within], sid, "within", item.line_of("within"))
                if located is None:
                    continue
                if not isinstance(quote, str) or within.count(quote) != 1:
                    self.error(f"`within` must contain the quote exactly once: {within!r}", sid, "within", item.line_of("within"))
                    continue
                located = [(quote, located[0][1] + within.index(quote))]
            else:
                located = self.locate_all([quote], sid, "quote", item.line_of("quote"))
            if located is None:
                continue
            st = Statement(sid, self.article.source_id, exercise, quote, located[0][1], same_as, self.path, item.line)
            before = len(self.article.claims)
            self.claims("statements", sid, item, claim_fields, skip=tuple(plain))
            for c in self.article.claims[before:]:
                st.claims[c.field] = c
            self.article.statements.append(st)


def read_register(path, package, collector):
    """curation/exercises.yaml: every exercise id, and the curator's choices where articles disagree."""
    data = load_yaml(path)
    register = {}
    if not isinstance(data, LineDict):
        raise PipelineError("the register must map each exercise_id to {} or {choose: ...}", file=path)
    fields = set(package.fields_by_provenance("exercises", "curated")) | {"latitude", "longitude"}
    pfields = set(package.fields_by_provenance("participants", "curated"))
    for eid, entry in data.items():
        line = data.line_of(eid)
        if not isinstance(eid, str) or not SLUG.match(eid):
            collector.add(f"exercise_id {eid!r} is not a slug like 'vostok-2022'", file=path, record=eid, line=line)
            continue
        choices = {}
        register[eid] = choices
        if entry is None:
            continue
        if not isinstance(entry, LineDict) or any(k != "choose" for k in entry):
            collector.add("an exercise entry may only hold `choose`", file=path, record=eid, line=line)
            continue
        for key, choice in (entry.get("choose") or {}).items():
            cline = entry["choose"].line_of(key)
            parts = str(key).split(".")
            valid = (len(parts) == 1 and key in fields) or (
                len(parts) == 3 and parts[0] == "participants" and parts[2] in pfields)
            if not valid:
                collector.add(_unknown(key, fields | {"participants.<CODE>.<field>"}), file=path, record=eid, field=key, line=cline)
                continue
            if not isinstance(choice, LineDict) or set(choice) != {"value", "because"} or not str(choice["because"]).strip():
                collector.add("a choice is {value: ..., because: \"why this value\"}", file=path, record=eid, field=key, line=cline)
                continue
            choices[key] = Choice(choice["value"], choice["because"], cline)
    return register


PARALLEL_FROM = 200  # articles; below this, starting worker processes costs more than it saves


def _read_article(package, job):
    path, seed_path = job
    collector = Collector()
    try:
        article = ArticleReader(package, path, seed_path, collector).read()
    except PipelineError as e:
        article = None
        collector.add(e)
    return article, collector.errors


def _read_articles(package, paths, seeds_dir):
    """(article, errors) per curation file, in file order; on all cores when there are many."""
    jobs = [(path, seeds_dir / f"{path.stem}.txt") for path in paths]
    workers = min(os.cpu_count() or 1, 8)
    read = functools.partial(_read_article, package)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [read(job) for job in jobs]
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(read, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def read_curation(root, package):
    """All curated facts: (articles, register). Raises PipelineError(s) naming file, record, field, line."""
    root = Path(root)
    cdir, sdir = root / CURATION_DIR, root / SEEDS_DIR
    collector = Collector()
    register_path = cdir / REGISTER_FILE
    if not register_path.exists():
        raise PipelineError("missing: the register of exercise ids", file=register_path)
    register = read_register(register_path, package, collector)
    articles = []
    paths = sorted(p for p in cdir.glob("*.yaml") if p.name != REGISTER_FILE)
    for stray in sorted(cdir.glob("*.yml")):
        collector.add("curation files end in .yaml", file=stray)
    for article, errors in _read_articles(package, paths, sdir):
        collector.errors.extend(errors)
        if article is not None:
            articles.append(article)
    curated = {p.stem for p in paths}
    for seed in sorted(sdir.glob("*")):
        if seed.suffix != ".txt":
            collector.add("seeds are .txt files", file=seed)
        elif seed.stem not in curated:
            collector.add(f"seed has no curation file (expected {CURATION_DIR}/{seed.stem}.yaml)", file=seed)
    for article in articles:
        for eid, line in article.exercise_lines.items():
            if eid not in register:
                close = difflib.get_close_matches(eid, sorted(register), n=1)
                collector.add(f"unknown exercise {eid!r}: register it in {CURATION_DIR}/{REGISTER_FILE}"
                              + (f" (did you mean {close[0]!r}?)" if close else ""), file=article.path, record=eid, line=line)
    collector.raise_if_any()
    return articles, register
