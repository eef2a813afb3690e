"""Claims -> the tables: one row per record with the published value of each field, one evidence
row per quote behind every value (published or not), and one differences row per field the
articles state differently (the curator's choice, classified, from the register).

Rules about the assembled rows (dates in order, one host, ...) are not checked here: they live
once each in checks/*.sql and run on the database.
"""
import hashlib
import json
import operator
from collections import defaultdict

import pycountry

from ..read.claims import Claim
from ..errors import Collector, short

BASIS_ORDER = ("stated", "derived", "outside")  # a value's basis: the best of its published evidence
PRECISION_RULE = "the dates differ only in precision: the most precise is published"


def best_basis(bases):
    """A published value rests on the best of its evidence: stated, else derived, else outside."""
    return min(bases, key=BASIS_ORDER.index)


def cell(value):
    """The one text form of a value, used in the CSVs and in evidence.value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"  # as SQLite and Datasette give it back
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _compatible_dates(values):
    """True when the dates differ only in precision (2021-08 and 2021-08-09)."""
    return all(a.startswith(b) or b.startswith(a) for a in values for b in values)


class Assembler:
    def __init__(self, schema, articles, register, register_path):
        self.schema, self.articles, self.register, self.register_path = schema, articles, register, register_path
        self.errors = Collector()
        self.claims = defaultdict(list)  # (table, key, field) -> [Claim]
        for article in articles:
            for c in article.claims:
                self.claims[(c.table, c.key, c.field)].append(c)
        self.article_dates = {a.source_id: a.date for a in articles}
        self.derived = []      # claims made here (year from start_date, country names, date precision)
        self.published = {}    # (table, key, field) -> published value
        self.differences = []
        self.choices_used = set()

    def keys(self, table):
        return sorted({k[1] for k in self.claims if k[0] == table})

    # -- one field ------------------------------------------------------------------------------
    def resolve(self, table, key, field, exercise_id, choice_key=None, by=None):
        """The published value of one field: the value the articles agree on, the most precise of
        compatible dates, or the curator's choice; records a differences row where they differ."""
        claims = self.claims.get((table, key, field), [])
        if not claims:
            return None
        by = by or (lambda c: cell(c.value))
        values = {}
        for c in claims:
            values.setdefault(by(c), c.value)
        choice_key = choice_key or field
        choice = self.register.get(exercise_id, {}).get(choice_key) if exercise_id else None
        record = "/".join(key)
        if choice is not None:
            self.choices_used.add((exercise_id, choice_key))
        if len(values) == 1:
            if choice is not None:
                self.errors.add(f"a choice is recorded but the articles agree ({short(next(iter(values)))}): remove it",
                                file=self.register_path, record=exercise_id, field=choice_key, line=choice.line)
            return next(iter(values.values()))
        if choice is None:
            if field.endswith("_date") and _compatible_dates(values):
                value = values[max(values, key=len)]
                self.difference(table, key, exercise_id, field, "precision", len(values), value, PRECISION_RULE)
                return value
            versions = "; ".join(f"{short(c.value, 60)} in {c.file.name} line {c.line}" for c in claims)
            self.errors.add(f"articles disagree ({versions}): record the value to publish under `choose:` in "
                            f"{self.register_path.parent.name}/{self.register_path.name}, with why and what kind of difference",
                            **claims[0].where())
            return None
        if cell(choice.value) not in values:
            self.errors.add(f"the chosen value {short(choice.value)} is not among the values the articles state: "
                            + ", ".join(short(v, 60) for v in values), file=self.register_path, record=record,
                            field=choice_key, line=choice.line)
            return None
        if choice.difference == "change over time":
            dates = {self.article_dates[c.source_id] for c in claims if self.article_dates[c.source_id]}
            if len(dates) < 2:
                self.errors.add("a change over time needs versions from articles of different dates; these articles "
                                f"give {len(dates)} date(s): classify the difference otherwise",
                                file=self.register_path, record=record, field=choice_key, line=choice.line)
        value = values[cell(choice.value)]
        self.difference(table, key, exercise_id, field, choice.difference, len(values), value, choice.because)
        return value

    def difference(self, table, key, exercise_id, field, kind, versions, value, because):
        self.differences.append({"table_name": table, "record_id": "/".join(key), "exercise_id": exercise_id,
                                 "field": field, "difference": kind, "versions": versions, "value": cell(value),
                                 "because": because})

    def derive(self, table, key, exercise_id, field, value, basis, inference, inherit=False):
        """Evidence for a value the build derives: it rests on the quotes of the claims in basis;
        inherit: it is their value in another form (a year from a date), so it rests on outside
        knowledge whenever they do."""
        for c in basis:
            how = c.basis if inherit and c.basis == "outside" else "derived"
            self.derived.append(Claim(table, key, exercise_id, field, value, c.quotes, c.source_id, c.file, c.line,
                                      how, inference))

    def publish(self, table, row):
        key = tuple(row[k] for k in self.schema.primary_key(table))
        for f, v in row.items():
            self.published[(table, key, f)] = v
        return {f: row.get(f) for f in self.schema.field_names(table)}

    # -- the tables -----------------------------------------------------------------------------
    def run(self):
        tables = {"sources": self.sources(), "exercises": self.exercises(), "participants": self.participants(),
                  "people": self.people(), "statements": self.statements()}
        for (eid, key), choice in {(e, k): c for e, cs in self.register.items() for k, c in cs.items()}.items():
            if (eid, key) not in self.choices_used:
                self.errors.add("a choice for a field no article states", file=self.register_path, record=eid,
                                field=key, line=choice.line)
        tables["evidence"] = self.evidence_rows()
        tables["differences"] = self.differences
        self.errors.raise_if_any()
        self.outside_knowledge(tables)
        for name, rows in tables.items():
            # Evidence's primary key is a hash: its natural key reads better in the CSV.
            key = self.schema.unique_keys(name)[0] if name == "evidence" else self.schema.primary_key(name)
            rows.sort(key=operator.itemgetter(*key))  # key columns are never empty
        return tables

    def sources(self):
        rows = []
        for a in self.articles:
            key = (a.source_id,)
            row = {"source_id": a.source_id, "seed_file": a.seed_file, "sha256": a.sha256}
            for f in self.schema.by_provenance("sources", "curated"):
                row[f] = self.resolve("sources", key, f, None)
            row["label"] = row.get("title") or a.source_id
            rows.append(self.publish("sources", row))
        return rows

    def exercises(self):
        rows = []
        mentioned = {k[1][0] for k in self.claims if k[0] == "exercises"}
        for eid in self.register:
            key = (eid,)
            if eid not in mentioned:
                self.errors.add("registered, but no article says anything about this exercise",
                                file=self.register_path, record=eid)
                continue
            row = {"exercise_id": eid}
            for f in self.schema.by_provenance("exercises", "curated"):
                if self.schema.is_array("exercises", f):
                    row[f] = sorted({c.value for c in self.claims.get(("exercises", key, f), [])}) or None
                else:
                    row[f] = self.resolve("exercises", key, f, eid)
            for f in ("latitude", "longitude"):  # one choice for both: the gazetteer place
                row[f] = self.resolve("exercises", key, f, eid, "coordinates", by=lambda c: cell(c.geonameid))
            self.dates(key, row)
            row["label"] = row.get("name") or eid
            rows.append(self.publish("exercises", row))
        return rows

    def dates(self, key, row):
        eid, start, year = key[0], row.get("start_date"), row.get("year")
        start_claims = [c for c in self.claims.get(("exercises", key, "start_date"), []) if cell(c.value) == start]
        if year is None and start:
            row["year"] = year = int(start[:4])
            self.derive("exercises", key, eid, "year", year, start_claims, f"the year of start_date {start}", inherit=True)
        if year is None:
            self.errors.add("no article gives the year (year is always filled: add a year claim, with an inference "
                            "if it is derived)", file=self.register_path, record=eid, field="year")
            return
        row["date_precision"] = {10: "day", 7: "month", 4: "year"}[len(start)] if start else "year"
        basis = start_claims or [c for c in self.claims.get(("exercises", key, "year"), []) if c.value == year] \
            or [d for d in self.derived if d.key == key and d.field == "year"]
        what = f"start_date {start}" if start else f"only the year {year} is known"
        self.derive("exercises", key, eid, "date_precision", row["date_precision"], basis, f"the precision of {what}")

    def participants(self):
        rows = []
        for key in self.keys("participants"):
            eid, code = key
            row = {"exercise_id": eid, "country_code": code}
            for f in self.schema.by_provenance("participants", "curated"):
                if f != "country_code":
                    row[f] = self.resolve("participants", key, f, eid, f"participants.{code}.{f}")
            named = self.claims[("participants", key, "country_code")]
            if not self.claims.get(("participants", key, "role")):
                self.errors.add("a participant needs a role (host, participant, observer)", **dict(named[0].where(), field="role"))
            row["country_name"] = pycountry.countries.get(alpha_3=code).name
            self.derive("participants", key, eid, "country_name", row["country_name"], named,
                        f"the ISO 3166-1 name of {code} (pycountry)")
            rows.append(self.publish("participants", row))
        return rows

    def people(self):
        rows = []
        for key in self.keys("people"):
            eid, pid = key
            row = {"exercise_id": eid, "person_id": pid}
            for f in self.schema.by_provenance("people", "curated"):
                row[f] = self.resolve("people", key, f, eid, f"people.{pid}.{f}")
            rows.append(self.publish("people", row))
        return rows

    def statements(self):
        rows, by_id, at = [], {}, {}
        for s in (s for a in self.articles for s in a.statements):
            if s.statement_id in by_id:
                other = by_id[s.statement_id]
                self.errors.add(f"duplicate statement_id (also in {other.file.name} line {other.line})", file=s.file,
                                record=s.statement_id, field="statement_id", line=s.line)
                continue
            if (s.source_id, s.start) in at:
                self.errors.add(f"the same quote is already statement {at[(s.source_id, s.start)]}", file=s.file,
                                record=s.statement_id, field="quote", line=s.line)
                continue
            by_id[s.statement_id], at[(s.source_id, s.start)] = s, s.statement_id
            row = {"statement_id": s.statement_id, "source_id": s.source_id, "exercise_id": s.exercise_id,
                   "quote": s.quote, "quote_start": s.start, "quote_end": s.start + len(s.quote), "same_as": s.same_as}
            row.update({f: c.value for f, c in s.claims.items()})
            rows.append(self.publish("statements", row))
        return rows

    def evidence_rows(self):
        rows, ids = [], set()
        for c in [c for cl in self.claims.values() for c in cl] + self.derived:
            published = self.published.get((c.table, c.key, c.field))
            in_table = c.value in published if isinstance(published, list) else cell(c.value) == cell(published)
            value = cell(c.value)
            for quote, start in c.quotes:
                natural = (c.table, c.record_id, c.field, value, c.source_id, start, start + len(quote))
                if natural in ids:
                    continue  # the same quote given twice for the same value
                ids.add(natural)
                digest = hashlib.sha256("\x1f".join(map(str, natural)).encode()).hexdigest()
                rows.append({"evidence_id": f"ev-{digest[:12]}", "table_name": c.table, "record_id": c.record_id,
                             "exercise_id": c.exercise_id, "field": c.field, "value": value, "source_id": c.source_id,
                             "quote": quote, "quote_start": start, "quote_end": start + len(quote), "basis": c.basis,
                             "inference": c.inference, "in_table": in_table, "note": c.note})
        return rows

    def outside_knowledge(self, tables):
        """Each row's fields whose published value rests only on outside knowledge."""
        best = {}
        for e in tables["evidence"]:
            if e["in_table"]:
                k = (e["table_name"], e["record_id"], e["field"], e["value"])
                best[k] = best_basis([best.get(k, "outside"), e["basis"]])
        outside = defaultdict(set)
        for (table, record, field, _), basis in best.items():
            if basis == "outside":
                outside[(table, record)].add(field)
        for table, rows in tables.items():
            if "outside_knowledge" in self.schema.field_names(table):
                for row in rows:
                    record = "/".join(str(row[k]) for k in self.schema.primary_key(table))
                    row["outside_knowledge"] = sorted(outside[(table, record)]) or None


def assemble(schema, articles, register, register_path):
    return Assembler(schema, articles, register, register_path).run()
