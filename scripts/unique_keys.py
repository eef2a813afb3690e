"""What frictionless 5 accepts in a descriptor but does not enforce: Data Package v2
`uniqueKeys` (and `categories`, which this package repeats as constraints.enum, checked here
to agree). Checked on the written CSVs."""
from .errors import PipelineError, PipelineErrors
from .provenance import read_rows


def check_unique_keys(package, package_dir):
    problems = []
    for name, resource in package.resources.items():
        keys = package.unique_keys(name)
        for f in package.fields(name):
            cats = f.get("categories")
            if cats is not None and [c if isinstance(c, str) else c.get("value") for c in cats] != f.get("constraints", {}).get("enum"):
                problems.append(PipelineError("categories must be repeated as constraints.enum (frictionless enforces only the enum)",
                                              file="datapackage.json", record=name, field=f["name"]))
        if not keys:
            continue
        rows = read_rows(package_dir / resource["path"])
        for key in keys:
            seen = {}
            for i, row in enumerate(rows, start=2):
                values = tuple(row[k] for k in key)
                if values in seen:
                    problems.append(PipelineError(f"unique key ({', '.join(key)}) repeats row {seen[values]}: {values}",
                                                  file=resource["path"], record=f"row {i}", field=", ".join(key)))
                seen.setdefault(values, i)
    if problems:
        raise PipelineErrors(problems)
