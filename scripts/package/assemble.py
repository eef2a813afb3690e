"""Claims -> the tables: one row per record with the published value of each field, one evidence row
per quote behind every value (published or not, each with its own basis), one differences row per
field the articles state differently (the curator's choice, classified, from the register), and the
published values (one per value, with the basis of its best evidence: computed here once, loaded into
the database as they are).

Computed columns (labels, country names, date precision, the troops copied from counts, the
chronology, outside_knowledge) are made here from other values: they are not claims of the articles
and have no evidence. Rules about the assembled rows (dates in order, one host, ...) are not checked
here: they live once each in checks/*.sql and run on the database.
"""

import hashlib
import json
import operator
from collections import defaultdict

import pycountry

from ..errors import Collector, short
from ..read.claims import BASES, Claim, Quote

PRECISION_RULE = "the dates differ only in precision: the most precise is published"
EVIDENCED = ("sources", "exercises", "participants", "counts", "reactions", "people", "statements")
# The register's choice key for a field of a record of each table (exercises: the field itself).
CHOICE_KEY = {
    "participants": lambda key, f: f"participants.{key[1]}.{f}",
    "reactions": lambda key, f: f"reactions.{key[1]}.{f}",
    "people": lambda key, f: f"people.{key[1]}.{f}",
    "counts": lambda key, f: f"counts.{key[1]}.{key[2]}.{f}",
}


def best_basis(bases):
    """A published value rests on the best of its evidence: stated, else derived, else outside."""
    return min(bases, key=BASES.index)


def cell(value):
    """The one text form of a value, used in the CSVs and in evidence.value."""
    if type(value) is str:  # most cells: the one test millions of cells need
        return value
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
        self.derived = []  # claims made here (a year from the start date)
        self.published = {}  # (table, key, field) -> published value
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
        choice_key = choice_key or (CHOICE_KEY[table](key, field) if table in CHOICE_KEY else field)
        choice = self.register.get(exercise_id, {}).get(choice_key) if exercise_id else None
        record = "/".join(key)
        if choice is not None:
            self.choices_used.add((exercise_id, choice_key))
        if len(values) == 1:
            if choice is not None:
                self.errors.add(
                    f"a choice is recorded but the articles agree ({short(next(iter(values)))}): remove it",
                    file=self.register_path,
                    record=exercise_id,
                    field=choice_key,
                    line=choice.line,
                )
            return next(iter(values.values()))
        dates = field.endswith("_date") and _compatible_dates(values)
        if choice is None:
            if dates:
                value = values[max(values, key=len)]
                self.difference(table, key, exercise_id, field, "precision", len(values), value, PRECISION_RULE)
                return value
            versions = "; ".join(f"{short(c.value, 60)} in {c.file.name} line {c.line}" for c in claims)
            self.errors.add(
                f"articles disagree ({versions}): record the value to publish under `choose:` in "
                f"{self.register_path.parent.name}/{self.register_path.name}, with why and what kind of "
                "difference",
                **claims[0].where(),
            )
            return None
        where = dict(file=self.register_path, record=record, field=choice_key, line=choice.line)
        if cell(choice.value) not in values:
            self.errors.add(
                f"the chosen value {short(choice.value)} is not among the values the articles state: "
                + ", ".join(short(v, 60) for v in values),
                **where,
            )
            return None
        if dates:
            self.errors.add(
                "these dates differ only in precision, which the build settles itself: remove the choice", **where
            )
        elif field.endswith("_date") and choice.difference == "precision":
            self.errors.add(
                "these dates are not a difference of precision (neither refines the other): classify it as "
                "a disagreement or a change over time",
                **where,
            )
        if choice.difference == "change over time":
            sources = {c.source_id for c in claims}
            dates_given = [self.article_dates[s] for s in sources if self.article_dates[s]]
            if len(sources) < 2 or (len(dates_given) == len(sources) and len(set(dates_given)) < 2):
                self.errors.add(
                    "a change over time needs versions from articles of different dates (an undated "
                    "article may be one of them); these are not: classify the difference otherwise",
                    **where,
                )
        value = values[cell(choice.value)]
        self.difference(table, key, exercise_id, field, choice.difference, len(values), value, choice.because)
        return value

    def difference(self, table, key, exercise_id, field, kind, versions, value, because):
        self.differences.append(
            {
                "table_name": table,
                "record_id": "/".join(key),
                "exercise_id": exercise_id,
                "field": field,
                "difference": kind,
                "versions": versions,
                "value": cell(value),
                "because": because,
            }
        )

    def publish(self, table, row):
        key = tuple(row[k] for k in self.schema.primary_key(table))
        for f, v in row.items():
            self.published[(table, key, f)] = v
        return {f: row.get(f) for f in self.schema.field_names(table)}

    def curated(self, table, key, exercise_id, row):
        """Every curated field of a record: arrays as the union of their items, the rest resolved."""
        for f in self.schema.by_provenance(table, "curated"):
            if f in row:
                continue
            if self.schema.is_array(table, f):
                row[f] = sorted({c.value for c in self.claims.get((table, key, f), [])}) or None
            else:
                row[f] = self.resolve(table, key, f, exercise_id)
        return row

    # -- the tables -----------------------------------------------------------------------------
    def run(self):
        tables = {
            "sources": self.sources(),
            "counts": self.counts(),
            "participants": self.participants(),
            "reactions": self.reactions(),
            "people": self.people(),
            "statements": self.statements(),
        }
        tables["exercises"] = self.exercises(tables["counts"])
        tables["rules"] = self.schema.rows("rules")
        for (eid, key), choice in {(e, k): c for e, cs in self.register.items() for k, c in cs.items()}.items():
            if (eid, key) not in self.choices_used:
                self.errors.add(
                    "a choice for a field no article states",
                    file=self.register_path,
                    record=eid,
                    field=key,
                    line=choice.line,
                )
        tables["evidence"] = self.evidence_rows()
        tables["differences"] = self.differences
        self.errors.raise_if_any()
        tables["published_values"] = self.published_values(tables)
        self.outside_knowledge(tables)
        for name, rows in tables.items():
            if name == "published_values":
                continue
            # Evidence's primary key is a hash: its natural key reads better in the CSV.
            key = self.schema.unique_keys(name)[0] if name == "evidence" else self.schema.primary_key(name)
            rows.sort(key=operator.itemgetter(*key))  # key columns are never empty
        return tables

    def sources(self):
        rows = []
        for a in self.articles:
            key = (a.source_id,)
            row = self.curated(
                "sources", key, None, {"source_id": a.source_id, "seed_file": a.seed_file, "sha256": a.sha256}
            )
            row["label"] = row.get("title") or a.source_id
            rows.append(self.publish("sources", row))
        return rows

    def exercises(self, counts):
        rows = []
        mentioned = {
            k[1][0] for k in self.claims if k[0] in EVIDENCED and k[1] and k[0] != "sources" and k[0] != "statements"
        }
        totals = {(c["exercise_id"], c["unit"]): c for c in counts if c["party"] == "all"}
        for eid in self.register:
            key = (eid,)
            if eid not in mentioned:
                self.errors.add(
                    "registered, but no article says anything about this exercise", file=self.register_path, record=eid
                )
                continue
            row = {"exercise_id": eid}
            for f in ("latitude", "longitude"):  # one choice for both: the gazetteer place
                row[f] = self.resolve("exercises", key, f, eid, "coordinates", by=lambda c: cell(c.geonameid))
            self.curated("exercises", key, eid, row)
            self.dates(key, row)
            troops = totals.get((eid, "troops"), {})
            row["troops"], row["troops_qualifier"] = troops.get("number"), troops.get("qualifier")
            row["label"] = row.get("name") or eid
            row["chronology"] = f"{row.get('start_date') or row.get('year') or '0000'} {eid}"
            rows.append(self.publish("exercises", row))
        return rows

    def dates(self, key, row):
        eid, start, year = key[0], row.get("start_date"), row.get("year")
        if year is None and start:
            row["year"] = year = int(start[:4])
            for c in self.claims.get(("exercises", key, "start_date"), []):
                if cell(c.value) == start:  # the year of the start date, resting on what the start date rests on
                    quotes = [
                        Quote(q.text, q.start, "outside" if q.basis == "outside" else "derived") for q in c.quotes
                    ]
                    self.derived.append(
                        Claim(
                            "exercises",
                            key,
                            eid,
                            "year",
                            year,
                            quotes,
                            c.source_id,
                            c.file,
                            c.line,
                            "year-of-date",
                            f"the year of start_date {start}",
                        )
                    )
        if year is None:
            self.errors.add(
                "no article gives the year (year is always filled: add a year claim, with a rule or "
                "basis: outside if no quote writes it)",
                file=self.register_path,
                record=eid,
                field="year",
            )
            return
        row["date_precision"] = {10: "day", 7: "month", 4: "year"}[len(start)] if start else "year"

    def participants(self):
        rows = []
        for key in self.keys("participants"):
            eid, code = key
            row = self.curated("participants", key, eid, {"exercise_id": eid, "country_code": code})
            row["country_name"] = pycountry.countries.get(alpha_3=code).name
            rows.append(self.publish("participants", row))
        return rows

    def reactions(self):
        rows = []
        for key in self.keys("reactions"):
            eid, code = key
            row = self.curated("reactions", key, eid, {"exercise_id": eid, "country_code": code})
            row["country_name"] = pycountry.countries.get(alpha_3=code).name
            rows.append(self.publish("reactions", row))
        return rows

    def counts(self):
        rows = []
        for key in self.keys("counts"):
            eid, party, unit = key
            rows.append(
                self.publish(
                    "counts", self.curated("counts", key, eid, {"exercise_id": eid, "party": party, "unit": unit})
                )
            )
        return rows

    def people(self):
        rows = []
        for key in self.keys("people"):
            eid, pid = key
            row = self.curated("people", key, eid, {"exercise_id": eid, "person_id": pid})
            rows.append(self.publish("people", row))
        return rows

    def statements(self):
        rows, by_id, at = [], {}, {}
        for s in (s for a in self.articles for s in a.statements):
            if s.statement_id in by_id:
                other = by_id[s.statement_id]
                self.errors.add(
                    f"duplicate statement_id (also in {other.file.name} line {other.line})",
                    file=s.file,
                    record=s.statement_id,
                    field="statement_id",
                    line=s.line,
                )
                continue
            if (s.source_id, s.start) in at:
                self.errors.add(
                    f"the same quote is already statement {at[(s.source_id, s.start)]}",
                    file=s.file,
                    record=s.statement_id,
                    field="quote",
                    line=s.line,
                )
                continue
            by_id[s.statement_id], at[(s.source_id, s.start)] = s, s.statement_id
            row = {
                "statement_id": s.statement_id,
                "source_id": s.source_id,
                "exercise_id": s.exercise_id,
                "quote": s.quote,
                "quote_start": s.start,
                "quote_end": s.start + len(s.quote),
                "same_as": s.same_as,
            }
            row.update({f: c.value for f, c in s.claims.items()})
            rows.append(self.publish("statements", row))
        return rows

    def evidence_rows(self):
        rows, ids = [], set()
        for c in [c for cl in self.claims.values() for c in cl] + self.derived:
            published = self.published.get((c.table, c.key, c.field))
            in_table = c.value in published if isinstance(published, list) else cell(c.value) == cell(published)
            value = cell(c.value)
            for q in c.quotes:
                natural = (c.table, c.record_id, c.field, value, c.source_id, q.start, q.start + len(q.text))
                if natural in ids:
                    continue  # the same quote given twice for the same value
                ids.add(natural)
                digest = hashlib.sha256("\x1f".join(map(str, natural)).encode()).hexdigest()
                stated = q.basis == "stated"
                rows.append(
                    {
                        "evidence_id": f"ev-{digest[:12]}",
                        "table_name": c.table,
                        "record_id": c.record_id,
                        "exercise_id": c.exercise_id,
                        "field": c.field,
                        "value": value,
                        "source_id": c.source_id,
                        "quote": q.text,
                        "quote_start": q.start,
                        "quote_end": q.start + len(q.text),
                        "basis": q.basis,
                        "rule": None if stated or q.basis == "outside" else c.rule,
                        "inference": None if stated else c.inference,
                        "according_to": c.according_to,
                        "in_table": in_table,
                        "note": c.note,
                    }
                )
        return rows

    def published_values(self, tables):
        """One row per published value of a curated or derived field (an array's items one by one), with
        the basis of its best published evidence and how many evidence rows support it."""
        bases = defaultdict(list)
        for e in tables["evidence"]:
            if e["in_table"]:
                bases[(e["table_name"], e["record_id"], e["field"], e["value"])].append(e["basis"])
        out = []
        for table in EVIDENCED:
            links = {f for fk in self.schema.foreign_keys(table) for f in fk["fields"]}
            fields = [
                f for f in self.schema.fields(table) if f["x-provenance"] != "computed" and f["name"] not in links
            ]
            pk = self.schema.primary_key(table)
            for row in tables[table]:
                record = "/".join(cell(row[k]) for k in pk)
                for f in fields:
                    raw = row.get(f["name"])
                    for value in (raw if isinstance(raw, list) else [raw]) if raw is not None else ():
                        found = bases.get((table, record, f["name"], cell(value)), [])
                        out.append(
                            {
                                "table_name": table,
                                "record_id": record,
                                "exercise_id": row.get("exercise_id"),
                                "field": f["name"],
                                "value": cell(value),
                                "basis": best_basis(found) if found else None,
                                "evidence": len(found),
                            }
                        )
        return out

    def outside_knowledge(self, tables):
        """Each row's fields whose published value rests only on outside knowledge."""
        outside = defaultdict(set)
        for v in tables["published_values"]:
            if v["basis"] == "outside":
                outside[(v["table_name"], v["record_id"])].add(v["field"])
        for table, rows in tables.items():
            if table in self.schema.tables and "outside_knowledge" in self.schema.field_names(table):
                for row in rows:
                    record = "/".join(cell(row[k]) for k in self.schema.primary_key(table))
                    row["outside_knowledge"] = sorted(outside[(table, record)]) or None


def assemble(schema, articles, register, register_path):
    return Assembler(schema, articles, register, register_path).run()
