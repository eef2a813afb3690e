"""The schema, written by hand in schema/: the package's metadata (package.yaml), one table schema
per table (<table>.yaml) and the kinds of field (kinds.yaml). Everything else is derived from it:
datapackage.json, the CSV column order, the SQLite tables, the curation checks and the column
descriptions on the site.
"""

import copy
import json
import re
from functools import cached_property, lru_cache
from pathlib import Path

import pycountry

from ..errors import Collector
from .yaml_safe import load_yaml

SCHEMA_DIR = "schema"
PROVENANCES = ("curated", "derived", "computed")
FIELD_KEYS = (
    "name",
    "type",
    "title",
    "description",
    "example",
    "constraints",
    "arrayItem",
    "x-kind",
    "x-provenance",
    "x-words",
    "x-search",
)
REQUIRED_KEYS = ("name", "title", "description", "example", "x-provenance")


class Schema:
    def __init__(self, root):
        self.dir = Path(root) / SCHEMA_DIR
        self.package = load_yaml(self.dir / "package.yaml", root=root)
        kinds = load_yaml(self.dir / "kinds.yaml", root=root)
        self.kinds = {k: v for k, v in kinds.items() if isinstance(v, dict) and "field" in v}
        invisible = kinds["invisible"]
        self.refusals = [
            (re.compile(r["pattern"].replace("{invisible}", invisible)), r["why"], r.get("not_for") or [])
            for r in kinds["refuse"]
        ]
        self.tables = {}
        errors = Collector()
        for name in self.package.get("resources") or []:
            path = self.dir / f"{name}.yaml"
            if not path.exists():
                errors.add(f"no schema for table {name!r} (listed in package.yaml)", file=path)
                continue
            table = load_yaml(path, root=root)
            table["fields"] = [self._expand(field, path, name, errors) for field in table.get("fields") or []]
            self.tables[name] = table
        errors.raise_if_any()

    def _expand(self, own, path, table, errors):
        """A field as datapackage.json states it: its kind's type and constraints under its own."""
        where = dict(file=path, record=table, field=own.get("name"), line=getattr(own, "line", None))
        for key in REQUIRED_KEYS:
            if key not in own:
                errors.add(f"a field needs {key!r}", **where)
        if own.get("x-provenance") not in PROVENANCES:
            errors.add(f"x-provenance must be one of {', '.join(PROVENANCES)}", **where)
        kind = own.get("x-kind")
        if own.get("x-provenance") == "curated" and kind is None:
            errors.add("a curated field needs x-kind (see kinds.yaml)", **where)
        if kind is not None and kind not in self.kinds:
            errors.add(f"unknown x-kind {kind!r}; kinds: {', '.join(self.kinds)}", **where)
            kind = None
        base = copy.deepcopy(self.kinds[kind]["field"]) if kind else {}
        if kind and self.kinds[kind].get("refuse"):
            base.setdefault("constraints", {})["pattern"] = self.pattern(kind)
        if kind == "country":
            base["constraints"]["enum"] = sorted(c.alpha_3 for c in pycountry.countries)
        field = {k: copy.deepcopy(v) for k, v in own.items()}
        if field.get("type") == "array":  # the kind describes each item
            item = field.setdefault("arrayItem", {})
            item.setdefault("type", base.get("type", "string"))
            item["constraints"] = {**base.get("constraints", {}), **item.get("constraints", {})}
        else:
            field.setdefault("type", base.get("type"))
            constraints = {**base.get("constraints", {}), **field.get("constraints", {})}
            if constraints:
                field["constraints"] = constraints
        if not field.get("type"):
            errors.add("a field needs a type (or an x-kind that gives one)", **where)
        words = field.get("x-words")
        enum = (field.get("arrayItem") or field).get("constraints", {}).get("enum")
        words_missing = not words or sorted(words) != sorted(enum or [])
        if kind == "category" and field.get("x-provenance") == "curated" and words_missing:
            errors.add("a curated category needs x-words with an entry for each value of its enum", **where)
        return {k: field[k] for k in FIELD_KEYS if k in field}

    def refused(self, kind):
        """[(regex, why)]: what no value of a text kind may hold."""
        return [(rx, why) for rx, why, not_for in self.refusals if kind not in not_for]

    def pattern(self, kind):
        """The refusals of a text kind as one frictionless pattern (anchored: the whole value must match)."""
        return "(?![\\s\\S]*?(?:" + "|".join(rx.pattern for rx, _ in self.refused(kind)) + "))[\\s\\S]*"

    # -- tables and fields -------------------------------------------------------------------
    def fields(self, table):
        return self.tables[table]["fields"]

    @cached_property
    def _by_name(self):
        return {t: {f["name"]: f for f in self.fields(t)} for t in self.tables}

    def field(self, table, name):
        return self._by_name[table][name]

    def field_names(self, table):
        return [f["name"] for f in self.fields(table)]

    def primary_key(self, table):
        return list(self.tables[table]["primaryKey"])

    def foreign_keys(self, table):
        return self.tables[table].get("foreignKeys") or []

    def unique_keys(self, table):
        return self.tables[table].get("uniqueKeys") or []

    def unique_columns(self, table):
        """The columns that alone tell rows apart: the only ones a table may be sorted on and paged."""
        keys = [self.primary_key(table)] + self.unique_keys(table)
        return [k[0] for k in keys if len(k) == 1]

    def by_provenance(self, table, provenance):
        """Columns filled from curated claims, derived by the build, or computed from the files."""
        return [f["name"] for f in self.fields(table) if f["x-provenance"] == provenance]

    def searchable(self, table):
        """Columns that full-text search indexes (x-search)."""
        return [f["name"] for f in self.fields(table) if f.get("x-search")]

    def rows(self, table):
        """Rows written in the table's schema file itself (the rules)."""
        return [dict(r) for r in self.tables[table].get("rows") or []]

    def is_array(self, table, name):
        return self.field(table, name)["type"] == "array"

    @property
    def version(self):
        return self.package["version"]

    # -- the descriptor -------------------------------------------------------------------------
    def descriptor(self):
        """datapackage.json without each file's bytes and hash (write_package adds them)."""
        d = {k: copy.deepcopy(v) for k, v in self.package.items() if k != "resources"}
        d["resources"] = []
        for name, t in self.tables.items():
            schema = {
                "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
                "fields": copy.deepcopy(t["fields"]),
                "missingValues": [""],
                "primaryKey": list(t["primaryKey"]),
            }
            for key in ("foreignKeys", "uniqueKeys"):
                if t.get(key):
                    schema[key] = copy.deepcopy(t[key])
            d["resources"].append(
                {
                    "name": name,
                    "type": "table",
                    "path": f"data/{name}.csv",
                    "scheme": "file",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": t["title"],
                    "description": t["description"],
                    "schema": schema,
                }
            )
        return _plain(d)

    @cached_property
    def cell_readers(self):
        """{(table, column): frictionless cell reader}: curation checks each value with frictionless
        itself. Made once per column (Field.read_cell makes a new reader on every call)."""
        out = {}
        for table in self.tables:
            for f in self.fields(table):
                desc = {k: v for k, v in f.items() if not k.startswith("x-") and k != "example"}
                out[(table, f["name"])] = _cell_reader(json.dumps(_plain(desc), sort_keys=True))
        return out


@lru_cache(maxsize=1024)
def _cell_reader(descriptor):
    """One frictionless cell reader per field descriptor (JSON), shared by every Schema read in this process."""
    from frictionless import Field

    return Field.from_descriptor(json.loads(descriptor)).create_cell_reader()


def _plain(value):
    """LineDict/LineList -> dict/list, for json.dumps and frictionless."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
