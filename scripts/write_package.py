"""Write the tables as CSV and the descriptor with each file's size and hash.

Deterministic: columns in datapackage.json order, rows already sorted, LF line endings,
one text form per value (assemble.cell), and a descriptor serialised the same way each time.
"""
import copy
import csv
import hashlib
import io
import json

from .assemble import cell


def csv_bytes(fields, rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([cell(row.get(f)) for f in fields])
    return buf.getvalue().encode("utf-8")


def descriptor_bytes(descriptor):
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_package(package, tables, out_dir):
    """Write data/*.csv and datapackage.json under out_dir; returns the paths written, relative."""
    descriptor = copy.deepcopy(package.descriptor)
    written = []
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    for resource in descriptor["resources"]:
        name = resource["name"]
        data = csv_bytes(package.field_names(name), tables[name])
        (out_dir / resource["path"]).write_bytes(data)
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        written.append(resource["path"])
    (out_dir / "datapackage.json").write_bytes(descriptor_bytes(descriptor))
    written.append("datapackage.json")
    return written
