"""What the project already knows about exercises: the register's ids (curation/exercises.yaml) and,
from the other articles' curation, each exercise's names, aliases, locations, year and dates.

`exclude` leaves articles out (the leave-one-out evaluation drafts an article without its own
curation: then only ids some other article uses are known)."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.read.yaml_safe import load_yaml


@dataclass
class Known:
    exercise_id: str
    names: set = field(default_factory=set)       # names and aliases, as written
    locations: set = field(default_factory=set)
    years: set = field(default_factory=set)
    dates: set = field(default_factory=set)        # start and end dates, ISO
    sources: set = field(default_factory=set)      # article stems


def _value(claim):
    if isinstance(claim, dict):
        return claim.get("value")
    return claim


def read_knowledge(root, exclude=()):
    """{exercise_id: Known}."""
    root = Path(root)
    cdir = root / "curation"
    out = {}
    for path in sorted(cdir.glob("*.yaml")):
        if path.name == "exercises.yaml" or path.stem in exclude:
            continue
        try:
            data = load_yaml(path) or {}
        except Exception:
            continue
        for eid, facts in (data.get("exercises") or {}).items():
            k = out.setdefault(eid, Known(eid))
            k.sources.add(path.stem)
            facts = facts or {}
            for name in ("name", "series"):
                if facts.get(name) is not None and name == "name":
                    k.names.add(str(_value(facts[name])))
            aliases = facts.get("aliases") or []
            for a in aliases if isinstance(aliases, list) else [aliases]:
                k.names.add(str(_value(a)))
            if facts.get("location") is not None:
                k.locations.add(str(_value(facts["location"])))
            if facts.get("year") is not None:
                k.years.add(int(_value(facts["year"])))
            for d in ("start_date", "end_date"):
                if facts.get(d) is not None:
                    k.dates.add(str(_value(facts[d])))
    register = cdir / "exercises.yaml"
    if register.exists():
        for eid in (load_yaml(register) or {}):
            if not exclude:
                out.setdefault(eid, Known(eid))
    for k in out.values():
        m = re.search(r"-((?:19|20)\d\d)$", k.exercise_id)
        if m and not k.years:
            k.years.add(int(m.group(1)))
    return out
