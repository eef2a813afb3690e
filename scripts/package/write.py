"""Write the tables as CSV, and datapackage.json (the schema's descriptor with each file's size
and hash, so that frictionless checks the files against it).

Deterministic: columns in schema order, rows already sorted, LF line endings, one text form per
value (assemble.cell), and the descriptor serialised the same way each time.
"""

import csv
import hashlib
import io
import json

from .assemble import cell


def text_rows(fields, rows):
    """Each row's cells in their one text form (assemble.cell), in the columns' order."""
    return [[cell(row.get(f)) for f in fields] for row in rows]


def text_tables(schema, tables):
    """{table: its rows as text}: what the CSVs hold, and so what SQLite is loaded with."""
    return {name: text_rows(schema.field_names(name), tables[name]) for name in schema.tables}


def csv_bytes(fields, texts):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows(texts)
    return buf.getvalue().encode("utf-8")


def descriptor_bytes(descriptor):
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_package(schema, texts, out_dir):
    """data/*.csv (from the rows as text: text_tables) and datapackage.json under out_dir."""
    descriptor = schema.descriptor()
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    for resource in descriptor["resources"]:
        data = csv_bytes(schema.field_names(resource["name"]), texts[resource["name"]])
        (out_dir / resource["path"]).write_bytes(data)
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    (out_dir / "datapackage.json").write_bytes(descriptor_bytes(descriptor))
