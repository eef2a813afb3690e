"""The draft as YAML in the curation format, each proposal preceded by `# why: …`.

Written by hand rather than by a YAML library, to keep the comments: every string is emitted as
a JSON string, which is a valid YAML double-quoted scalar (quotes keep their exact characters)."""

import datetime
import json

from .draft import Proposal

HEADER = """\
# DRAFT made by `make draft` from seeds/{stem}.txt on {today} (drafter/, rule-based).
# Every value below is a proposal, with the rule that made it in `# why: ...`; each already passes the
# build's check of its value against its quotes. Check each one against the article: correct it, delete
# it, or add what the rules missed (people, coordinates, reactions, notes). New exercise ids must be
# registered in curation/exercises.yaml. The build refuses this file until the `draft:` line is deleted.
"""
DRAFT_LINE = 'draft: "unreviewed: delete this line once every proposal has been checked"'


def s(value):
    if isinstance(value, bool) or value is None:
        return "null" if value is None else str(value).lower()
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _quotes(quotes):
    return s(quotes[0]) if len(quotes) == 1 else "[" + ", ".join(s(q) for q in quotes) + "]"


def _claim(lines, indent, key, c, dash=False):
    pad = " " * indent
    lines.append(f"{pad}# why: {c.why}")
    lead = f"{pad}- " if dash else f"{pad}{key}:\n{pad}  "
    body = [f"value: {s(c.value)}", "quote: " + _quotes(c.quotes)]
    for name in ("rule", "basis", "inference", "according_to", "note"):
        if getattr(c, name):
            body.append(f"{name}: {s(getattr(c, name))}")
    lines.append(lead + body[0])
    lines.extend(pad + "  " + b for b in body[1:])


def _field(lines, indent, key, v):
    if isinstance(v, Proposal):
        _claim(lines, indent, key, v)
    elif isinstance(v, list) and v:
        lines.append(" " * indent + f"{key}:")
        for item in v:
            _claim(lines, indent + 2, None, item, dash=True)


def _counts(lines, indent, counts):
    pad = " " * indent
    lines.append(f"{pad}counts:")
    for unit, c in counts.items():
        lines.append(f"{pad}  {unit}:")
        for key in ("number", "qualifier"):
            if key in c:
                _field(lines, indent + 4, key, c[key])


def render(draft):
    lines = [
        HEADER.format(stem=draft.stem, today=datetime.date.today().isoformat()).rstrip("\n"),
        DRAFT_LINE,
        f"seed_sha256: {draft.sha256}",
        "",
        "source:" if draft.source else "source: {}",
    ]
    for key, v in draft.source.items():
        _field(lines, 2, key, v)
    lines += ["", "exercises:" if draft.exercises else "exercises: {}"]
    for eid, ex in draft.exercises.items():
        lines.append(f"  # why: {ex.why}" + ("; a NEW id: register it in curation/exercises.yaml" if ex.new else ""))
        lines.append(f"  {eid}:")
        for key, v in ex.facts.items():
            _field(lines, 4, key, v)
        if "all" in ex.counts:
            _counts(lines, 4, ex.counts["all"])
        if "year" not in ex.facts and "start_date" not in ex.facts:
            lines.append(
                "    # no year found: every exercise needs one (add it with its quote, or a rule, or basis: outside"
                " with the fact it needs)"
            )
        if len(ex.participants) < 2:  # say it here, rather than leave the curator to meet it in the build
            lines.append(
                f"    # {len(ex.participants)} participant(s) found: every exercise needs two, each with its quote "
                "(checks/two_participants.sql); add them, or delete this exercise if the article only mentions it"
            )
        if ex.participants:
            lines.append("    participants:")
            for code, row in ex.participants.items():
                q = row["quote"]
                lines.append(f"      # why: {q.why}")
                lines.append(f"      {code}:")
                lines.append("        quote: " + _quotes(q.quotes))
                for key in ("role", "units", "formation", "equipment"):
                    if key in row:
                        _field(lines, 8, key, row[key])
                if code in ex.counts:
                    _counts(lines, 8, ex.counts[code])
        if not ex.facts and not ex.participants and not ex.counts:
            lines[-1] += " {}"
    lines += ["", "statements:" if draft.statements else "statements: []"]
    for st in draft.statements:
        lines.append(f"  # why: {st['_why']}")
        lines.append(f"  - statement_id: {st['statement_id']}")
        lines.append(f"    exercise_id: {st['exercise_id'] or 'null'}")
        lines.append(f"    quote: {s(st['quote'])}")
        if st.get("within"):
            lines.append(f"    within: {s(st['within'])}")
        for key in ("speaker", "speaker_title", "organization", "country_code", "statement_date"):
            if st.get(key) is not None:
                _field(lines, 4, key, st[key])
    return "\n".join(lines) + "\n"
