"""The schema layer on the written package: frictionless (types, constraints, primary and foreign
keys, each file's hash), and the Data Package v2 uniqueKeys that frictionless accepts but does
not enforce (checked on the rows in memory, in their CSV text form)."""

from ..errors import PipelineError, PipelineErrors
from ..package.assemble import cell


def validate_package(package_dir, tables):
    """Raise PipelineErrors naming the file, row and field of every problem."""
    from frictionless import Package, system

    with system.use_context(trusted=False):
        package = Package(str(package_dir / "datapackage.json"))
        report = package.validate()
    errors = []
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            errors.append(
                PipelineError(
                    f"{err.type}: {err.message}",
                    file=task.place,
                    record=row and f"row {row}",
                    field=getattr(err, "field_name", None),
                )
            )
    errors += [PipelineError(f"{err.type}: {err.message}", file="datapackage.json") for err in report.errors]
    if not errors:
        errors = unique_key_errors(package, tables)
    if errors:
        raise PipelineErrors(errors)


def unique_key_errors(package, tables):
    errors = []
    for resource in package.resources:
        for key in resource.schema.custom.get("uniqueKeys") or []:
            seen = {}
            for i, row in enumerate(tables[resource.name], start=2):
                values = tuple(cell(row[k]) for k in key)
                if values in seen:
                    errors.append(
                        PipelineError(
                            f"unique key ({', '.join(key)}) repeats row {seen[values]}: {values}",
                            file=resource.path,
                            record=f"row {i}",
                            field=", ".join(key),
                        )
                    )
                seen.setdefault(values, i)
    return errors
