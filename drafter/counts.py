"""Numbers of troops, ships, submarines, aircraft, helicopters and vehicles, from the sentences about
an exercise: each a whole number (never one inside a name or a length) with a word of its unit after
it. A number a clause gives to one country ("China will send 3,200 troops", "of the Chinese Navy",
"China's part ... five vessels") is that country's contingent; one it gives to both sides, or to no
country, is the whole exercise's. The two are never added together."""
import re

from scripts.read.lexicon import numbers
from scripts.read.support import _unit_of

from .article import vocab

QUALIFIER_WINDOW = 24   # characters before a number in which its qualifier is looked for


def _qualifier(p, before):
    words = p.schema.field("counts", "qualifier").get("x-words") or {}
    tail = before.lower()[-QUALIFIER_WINDOW:]
    for value, ws in words.items():
        for w in sorted(ws, key=len, reverse=True):
            if re.search(r"(?<![a-z])" + re.escape(w) + r"\s*$", tail):
                return value
    return None


def _party(article, said, clause_start, number, total_cues, contingent_cues):
    """'all', or the ISO code of the one country whose contingent the number counts."""
    before = said[clause_start:number.start]
    after = said[number.end:number.end + 60]
    if any(re.search(r"(?<![a-z])" + re.escape(c) + r"(?![a-z])", (before[-40:] + " " + after[:30]).lower())
           for c in total_cues):
        return "all"
    named = [c for a, b, c in article.places.countries(before)]
    owner = re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:of|from) the (?P<c>[A-Z][a-z]+) (?:Navy|Army|Air Force|navy|army|side)",
                     after)
    if owner:
        found = article.places.countries(owner.group("c"))
        if found:
            return found[0][2]
    if len(set(named)) == 1 and (any(re.search(r"(?<![a-z])" + re.escape(c) + r"(?![a-z])", before.lower())
                                     for c in contingent_cues) or re.search(r"['’]s\b", before)):
        return named[0]
    return "all" if not named else None


def propose_counts(p, article, ex, result):
    from .facts import _body, _unquoted

    v = vocab()
    units = p.schema.field("counts", "unit").get("x-words") or {}
    for s in _body(article, ex):
        said = _unquoted(article, s)
        for n in numbers(said):
            if n.name_part or n.length or not isinstance(n.value, int) or n.value < 1:
                continue
            unit = _unit_of(said, n, units)
            if unit is None:
                continue
            clause_start = max(said.rfind(";", 0, n.start), said.rfind(":", 0, n.start), 0)
            party = _party(article, said, clause_start, n, v["total_cues"], v["contingent_cues"])
            if party is None or unit in result.counts.get(party, {}):
                continue
            if party != "all" and party not in result.participants:
                continue
            a = s.start + max(clause_start, n.start - 60)
            b = s.start + min(len(said), n.end + 40)
            number = p("counts", "number", n.value, [(a, b)], f"a number of {unit} in a sentence about it",
                       key=(ex.exercise_id, party, unit))
            if number is None:
                continue
            entry = result.counts.setdefault(party, {}).setdefault(unit, {"number": number})
            q = _qualifier(p, said[:n.start])
            if q:
                got = p("counts", "qualifier", q, [(a, b)], f"{q!r} before the number", key=(ex.exercise_id, party, unit))
                if got:
                    entry["qualifier"] = got
