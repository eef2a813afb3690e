"""Read datapackage.json, the one source of truth for tables, columns, types and constraints."""
import json
from pathlib import Path

from .errors import PipelineError

PACKAGE_FILE = "datapackage.json"
TABLES = ("sources", "exercises", "participants", "statements", "evidence")


class Package:
    def __init__(self, root):
        self.root = Path(root)
        self.path = self.root / PACKAGE_FILE
        try:
            self.descriptor = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise PipelineError(f"cannot read the package descriptor: {e}", file=self.path) from None
        self.resources = {r["name"]: r for r in self.descriptor.get("resources", [])}
        missing = [t for t in TABLES if t not in self.resources]
        if missing:
            raise PipelineError(f"resources missing: {', '.join(missing)}", file=self.path)

    def fields(self, table):
        return self.resources[table]["schema"]["fields"]

    def field(self, table, name):
        for f in self.fields(table):
            if f["name"] == name:
                return f
        raise KeyError(f"{table}.{name}")

    def field_names(self, table):
        return [f["name"] for f in self.fields(table)]

    def primary_key(self, table):
        return self.resources[table]["schema"]["primaryKey"]

    def foreign_keys(self, table):
        return self.resources[table]["schema"].get("foreignKeys", [])

    def unique_keys(self, table):
        return self.resources[table]["schema"].get("uniqueKeys", [])

    def fields_by_provenance(self, table, provenance):
        """Columns filled from curated claims ('curated'), derived by the build ('derived'),
        or computed from the files themselves ('computed'): see each field's x-provenance."""
        return [f["name"] for f in self.fields(table) if f.get("x-provenance") == provenance]

    @property
    def version(self):
        return self.descriptor["version"]
