"""Numbers of troops, ships, submarines, aircraft, helicopters and vehicles, from the sentences about
an exercise: each a whole number (never one inside a name, a date or a length) with a word of its unit
within a few words after it ("14 vessels", "Over 30 Chinese and Russian naval aircraft"), and never a
civilian one ("18 merchant ships").

Whose number it is: a number a clause gives to one country ("China will send 3,200 troops", "4,000
Chinese officers", "of the Chinese Navy", "China's part ... five vessels", "... and Russia two", "it
has" after "The Chinese group") is that country's contingent; one given to each side separately is
nobody's total and is left out; any other is the whole exercise's. The two are never added together."""

import re

from scripts.read.lexicon import dates, numbers

from .article import vocab

QUALIFIER_WINDOW = 24  # characters before a number in which its qualifier is looked for
UNIT_WINDOW = 5  # words after a number within which its unit is looked for
CIVILIAN = re.compile(r"\b(?:merchant|cargo|civilian|commercial|fishing|container|passenger)\s+$", re.I)
NOT_THE_DRILLS = re.compile(
    r"\b(?:awards?|awarded|medals?|decorated|honou?red|killed|wounded|injured|died|dead|arrested|detained|"
    r"casualties)\b[^.;]*$",
    re.I,
)
LOST_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,4}(?:were|was|had been)\s+(?:killed|wounded|injured|arrested|detained)\b")
EACH_AFTER = re.compile(r"\s+(?:from|for|of|by)\s+each\s+(?:side|country|navy|army|nation|party)\b", re.I)
EACH = re.compile(r"\b(?:each|every)\s+(?:side|country|navy|army|nation|party)\b", re.I)
OWNER_VERB = re.compile(
    r"(?:(?:also|alone|itself|already) )?(?:will |would |has |have |had |is |are |was |were )?"
    r"(?:(?:also|alone|itself|already) )?(?:(?:due |set |expected |going |planning |scheduled )?to )?"
    r"(?:(?:send|sends|sent|sending|contribut\w+|dispatch\w*|deploy\w*|field\w*|provid\w+|bring\w*|"
    r"brought|commit\w*|assign\w*|supplied|consists of|comprises|came with|arrived with|made up of|composed of|"
    r"is represented by|was represented by|take part with|takes part with)\b[^.;]{0,50}|"
    r"(?:has|have|had|includes|including|included)\s+(?:about |some |more than |over |nearly |"
    r"around |up to |at least )?)$"
)
GROUP = (
    r"(?i:group|contingent|detachment|force|forces|side|flotilla|task force|fleet|navy|army|delegation|part|share|"
    r"units?)"
)


# "Four Chinese and four Russian aircraft": each number its own country's, sharing the unit
SHARED_UNIT = r"\s*[A-Z][\w-]+\s+and\s+(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s"


def _units(p):
    return p.schema.field("counts", "unit").get("x-words") or {}


def _unit_after(said, end, units):
    """The unit of a number ending at `end`: the first unit word within a few words after it, before any
    other number ("two navies fielded 14 surface ships": 14 counts the ships, not two)."""
    window = re.split(r"[,;:.()]", said[end : end + 120])[0]  # "the two groups, then send helicopters": no unit
    stop = re.search(
        r"(?<![\w-])\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|hundred)\b",
        window[1:],
        re.I,  # a number, not the digits of a model ("two Tu-95 bombers")
    )
    if stop and re.fullmatch(r"\s+[A-Z][\w-]+\s+and\s+", window[: stop.start() + 1]):
        # "Four Chinese and four Russian aircraft": the unit after the next number is this one's too
        nxt = re.match(r"[\w-]+", window[stop.start() + 1 :])
        return _unit_after(said, end + stop.start() + 1 + nxt.end(), units) if nxt else None
    words = list(re.finditer(r"[A-Za-z][\w-]*", window[: stop.start() + 1] if stop else window))[: UNIT_WINDOW + 1]
    low = said.lower()
    for w in words:
        at = end + w.start()
        for unit, ws in units.items():
            for u in sorted(ws, key=len, reverse=True):
                u = u.lower()
                if low.startswith(u, at) and (
                    at + len(u) >= len(low) or not (low[at + len(u)].isalpha() or low[at + len(u)] == "-")
                ):
                    return None if CIVILIAN.search(said[:at]) else (unit, at + len(u))
        if w.group(0).lower() in ("of", "in", "at", "by", "from", "to", "on", "than"):
            return None  # "20 of the", "10,000 in all": no unit after these
    return None


def _qualifier(p, before):
    words = p.schema.field("counts", "qualifier").get("x-words") or {}
    tail = before.lower()[-QUALIFIER_WINDOW:]
    for value, ws in words.items():
        for w in sorted(ws, key=len, reverse=True):
            if re.search(r"(?<![a-z])" + re.escape(w) + r"\s*$", tail):
                return value
    return None


def _owner_before(article, before):
    """The country a clause gives the number to, or None."""
    named = article.places.countries(before)
    if not named:
        return None
    a, b, code = named[-1]
    between = re.sub(r"^,\s*(?:which|who)\b[^,]{0,60},", "", before[b:])  # "Iran, which hosts it, has sent"
    if re.fullmatch(r"\s+", between) and re.search(r"\band\s*$", before[:a]):
        return code  # "China contributed two H-6K bombers and Russia two Tu-95MS"
    # "China will send", "China's Pacific Fleet has sent", "Russia's part was", "the Chinese group consists of"
    rest = re.sub(r"^(?:'s|’s)?\s*(?:[\w'’-]+\s+){0,3}?(?=" + GROUP + r"\b)", "", between)
    rest = re.sub(r"^" + GROUP + r"\b\s*", "", rest) if rest != between or re.match(GROUP, between.strip()) else between
    if OWNER_VERB.match(rest.lstrip(" ,")) or OWNER_VERB.match(between.lstrip(" ,")) or not rest.strip(" ,"):
        return code
    if re.fullmatch(r"(?:'s|’s)?\s*(?:[\w-]+\s+){0,4}?" + GROUP + r"\s+(?:is|are|was|were)(?:\s+also)?\s*", between):
        return code  # "the Russian task force is also three vessels"
    if re.match(r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?" + GROUP, between):
        return code
    return None


def _party(article, said, clause_start, number, unit_at, total_cues, previous_owner):
    """(whose number it is: 'all', the ISO code of the one country whose contingent it counts, or None for
    each side's; where the words saying so end)."""
    before = said[clause_start : number.start]
    between = said[number.end : unit_at]
    found = article.places.countries(between)  # "4,000 Chinese officers"
    if len({c for *_, c in found}) == 1 or found and re.match(SHARED_UNIT, between):
        return found[0][2], unit_at  # "Four Chinese and four Russian aircraft": the first is this number's
    if re.search(r"\b(?:the|all|all the|a total of)\s+$", before, re.I):
        return "all", unit_at  # "The eight aircraft": all of them
    if EACH.search(before):
        return None, unit_at
    after = said[unit_at : unit_at + 60]
    if EACH_AFTER.match(after):  # "About 1,300 personnel from each side": each side's, nobody's total
        return None, unit_at
    owner = re.match(
        r"\s*(?:[\w-]{1,30}\s+){0,3}?(?:of|from) (?:the )?(?P<c>[A-Z][a-z]{1,30})(?:'s)? (?:Navy|Army|Air Force|navy|"
        r"army|side|contingent|forces|troops)",
        after,
    )
    if owner and article.places.countries(owner.group("c")):
        return article.places.countries(owner.group("c"))[0][2], unit_at + owner.end()
    window = re.sub(r"together with", " ", (before[-40:] + " " + after).lower())[: len(before[-40:]) + 31]
    if any(re.search(r"(?<![a-z])" + re.escape(c) + r"(?![a-z])", window) for c in total_cues):  # not "together with"
        return "all", unit_at
    code = _owner_before(article, before)
    if code:
        return code, unit_at
    rest = re.split(r"[;.]", said[unit_at : unit_at + 150])[0]  # "... and 200 marines will go with them"
    if re.search(r"\b(?:it|they|its|their|them)\b", before + " " + rest, re.I) and previous_owner:
        return previous_owner, unit_at
    return "all", unit_at


def _group_owner(article, said):
    """'The Chinese group is ...': the country a sentence introduces a contingent of, for 'it has ...' next."""
    m = re.search(
        r"(?<![\w’'.-])(?P<c>[A-Z][\w’'.-]{0,30}(?: [A-Z][\w’'.-]{0,30}){0,4})(?:'s|’s)? " + GROUP + r"\b", said
    )
    found = article.places.countries(m.group("c")) if m else []
    return found[-1][2] if found else None


def propose_counts(p, article, ex, result):
    from .facts import _body, _unquoted, other_time

    units, total_cues = _units(p), vocab()["total_cues"]
    previous_owner, previous = None, None
    for s in _body(article, ex):
        if other_time(article, s, result.facts):
            continue
        said = _unquoted(article, s)
        masked = [(d.start, d.end) for d in dates(said)]
        owner_here, clause_owner, counted_before = None, (None, -1), len(said)
        named_at = {c: a for a, b, c in article.places.countries(said)}  # where each country is first named
        for n in numbers(said):
            if (
                n.name_part
                or n.length
                or not isinstance(n.value, int)
                or n.value < 1
                or any(a <= n.start < b for a, b in masked)
            ):
                continue
            if NOT_THE_DRILLS.search(said[max(0, n.start - 40) : n.start]) or LOST_AFTER.match(said, n.end):
                continue  # "presented awards to ten servicemen", "40 personnel were killed": not the drill's forces
            got = _unit_after(said, n.end, units)
            if got is None:
                continue
            unit, unit_at = got
            clause_start = max(said.rfind(";", 0, n.start), said.rfind(":", 0, n.start), 0)
            if said[clause_start : clause_start + 1] == ":" and counted_before < clause_start:
                continue  # "sent seven vessels: the cruiser Varyag, three large anti-submarine ships ...": a breakdown
            counted_before = n.start
            party, said_end = _party(article, said, clause_start, n, unit_at, total_cues, previous_owner)
            owner, owner_clause = clause_owner
            if (
                party == "all"
                and owner
                and owner_clause == clause_start
                and not {c for *_, c in article.places.countries(said[clause_start : n.start][-80:])} - {owner}
            ):
                party = owner  # "China has committed 10 ships, ..., together with 11 fixed-wing aircraft"
            if party not in (None, "all"):
                clause_owner = (party, clause_start)
            if party is None or unit in result.counts.get(party, {}):
                continue
            if party != "all":
                owner_here = party
                if party not in result.participants:
                    continue
            a = s.start + _word_start(said, max(clause_start, n.start - 60))
            if party not in ("all", None):  # the quote names the country whose number it is
                if party in named_at and named_at[party] < n.start:
                    a = min(a, s.start + named_at[party])
                elif previous is not None and previous.line == s.line and party == previous_owner:
                    a = previous.start
            b = s.start + said_end
            number = p(
                "counts",
                "number",
                n.value,
                [(a, b)],
                f"a number of {unit} in a sentence about it",
                key=(ex.exercise_id, party, unit),
            )
            if number is None:
                continue
            entry = result.counts.setdefault(party, {}).setdefault(unit, {"number": number})
            q = _qualifier(p, said[: n.start])
            if q:
                got = p(
                    "counts", "qualifier", q, [(a, b)], f"{q!r} before the number", key=(ex.exercise_id, party, unit)
                )
                if got:
                    entry["qualifier"] = got
        previous_owner, previous = owner_here or _group_owner(article, said), s


def _word_start(text, i):
    while 0 < i < len(text) and text[i - 1].isalnum():
        i -= 1
    return i
