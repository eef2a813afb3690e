"""curation/exercises.yaml, the register: every exercise id, and where articles give different
values for a field, the curator's choice: the value to publish, why, and what kind of
difference it is (differences.difference in the schema)."""

from dataclasses import dataclass

from ..errors import PipelineError, short
from .claims import text_problem, unknown_key
from .yaml_safe import REGISTER_MAX_BYTES, LineDict, load_yaml

CHOICE_KEYS = ("value", "because", "difference")


@dataclass
class Choice:
    value: object
    because: str
    difference: str
    line: int


def choice_fields(schema):
    """What `choose` may name: an exercise field, coordinates, participants.<CODE>.<field>, people.<id>.<field>,
    reactions.<CODE>.<field>, counts.<party>.<unit>.<field>."""
    return (
        set(schema.by_provenance("exercises", "curated")) | {"coordinates"},
        {
            "participants": set(schema.by_provenance("participants", "curated")) - {"country_code"},
            "people": set(schema.by_provenance("people", "curated")),
            "reactions": set(schema.by_provenance("reactions", "curated")) - {"country_code"},
            "counts": set(schema.by_provenance("counts", "curated")),
        },
    )


def read_register(path, schema, errors):
    """{exercise_id: {choice key: Choice}}; problems go to errors (None when unreadable)."""
    if not path.exists():
        errors.add("missing: the register of exercise ids", file=path)
        return None
    try:
        data = load_yaml(path, REGISTER_MAX_BYTES, root=path.parent.parent)
    except PipelineError as e:
        errors.add(e)
        return None
    if not isinstance(data, LineDict):
        errors.add("the register must map each exercise_id to {} or {choose: ...}", file=path)
        return None
    fields, nested = choice_fields(schema)
    kinds = schema.field("differences", "difference")["constraints"]["enum"]
    register = {}
    for eid, entry in data.items():
        where = dict(file=path, record=str(eid), line=data.line_of(eid))
        slug_problem = schema.cell_readers[("exercises", "exercise_id")](eid)[1] if isinstance(eid, str) else True
        if slug_problem:
            errors.add(f"exercise_id {short(eid)} is not a slug like 'vostok-2022'", **where)
            continue
        register[eid] = choices = {}
        if entry is None or entry == {}:
            continue
        if (
            not isinstance(entry, LineDict)
            or any(k != "choose" for k in entry)
            or not isinstance(entry.get("choose"), LineDict)
        ):
            errors.add(
                "an exercise entry may only hold `choose:`, a mapping from field to {value, because, difference}",
                **where,
            )
            continue
        for key, choice in entry["choose"].items():
            where = dict(file=path, record=eid, field=str(key), line=entry["choose"].line_of(key))
            parts = str(key).split(".")
            size = 4 if parts[0] == "counts" else 3
            if not (
                (len(parts) == 1 and key in fields)
                or (len(parts) == size and parts[0] in nested and parts[-1] in nested[parts[0]])
            ):
                errors.add(
                    unknown_key(
                        key,
                        fields
                        | {
                            "participants.<CODE>.<field>",
                            "people.<person_id>.<field>",
                            "reactions.<CODE>.<field>",
                            "counts.<party>.<unit>.<field>",
                        },
                    ),
                    **where,
                )
                continue
            if not isinstance(choice, LineDict) or set(choice) != set(CHOICE_KEYS):
                errors.add(
                    'a choice is {value: ..., because: "why this value", difference: ' + " | ".join(kinds) + "}",
                    **where,
                )
                continue
            if not isinstance(choice["because"], str) or not choice["because"].strip():
                errors.add(f"`because` must say, in words, why this value: not {short(choice['because'])}", **where)
                continue
            problem = text_problem(schema, "text", choice["because"]) or (
                len(choice["because"]) > 2000
                and f"is {len(choice['because']):,} characters long, over the limit of 2,000"
            )
            if problem:
                errors.add(f"`because` {problem}", **where)
                continue
            if choice["difference"] not in kinds:
                errors.add(f"`difference` is one of: {', '.join(kinds)}; not {short(choice['difference'])}", **where)
                continue
            if choice["value"] is None or isinstance(choice["value"], (LineDict, list)):
                errors.add(
                    f"`value` must be one of the values the articles state, not {short(choice['value'])}", **where
                )
                continue
            choices[key] = Choice(choice["value"], choice["because"], choice["difference"], where["line"])
    return register
