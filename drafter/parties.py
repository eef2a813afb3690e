"""Which countries take part in an exercise, host it or observe it, from the sentences about it.

Countries are read in groups (a list: "China, Iran and Russia"; a pair: "Sino-Russian", "Chinese and
Russian"), and a group takes part only when the words right around it say so: a verb of taking part
after it ("China, Iran and Russia have commenced", "China will send"), a military noun it qualifies
("Chinese and Russian warships", "Russia's Pacific Fleet"), or a word that introduces it ("troops from",
"Taking part are", "a joint exercise between", "together with"). A group is an observer's when the words
around it say observing ("as observers"), and a country that reacted ("South Korean jets fired warning
shots"), that does not take part ("has decided not to take part"), that is a place ("near Japan", "the
Iranian port of") or the one an exercise is not aimed at is none of these.
"""

import bisect
import re

LIST_SEP = re.compile(
    r"^(?:\s*,\s*(?:and\s+|as well as\s+)?(?:the\s+)?|\s+and\s+|\s+as well as\s+|\s*-\s*|\s*–\s*|/|"
    r"\s*[,—–]?\s*and,\s+[^,.;]{2,30},\s+)$"
)  # "..., Uzbekistan — and, for the first time, Belarus"
# a line introducing a list on the next line: "Taking part, according to the district:"
LIST_INTRO = re.compile(
    r"\b(?:taking part|take part|took part|participants?|participating|participation|involved|"
    r"line-?up|contingents? from|countries)\b[^.]{0,60}:\s*$",
    re.I,
)
WINDOW = 45  # characters around a group in which the words saying what it does are looked for
NOT_PARTY = re.compile(
    r"\b(?:near|off|close to|off the coast of|the coast of|towards?|against|aimed at|"
    r"approach(?:ing|ed)? to|waters of|territory of|port of|border with|zone of|invasion of|"
    r"war in|war with|conflict in|crisis in|tensions with|dispute with|annexation of|"
    r"sanctions on|sanctions against|leaders of|summit of|airspace of|islands of)\s+(?:the\s+)?$|"
    r"\b(?:withdraw\w*|pull\w* out|pullout)\b[^.;]{0,40}\bfrom\s+(?:the\s+)?$",
    re.I,
)
PLACE_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:port|coast|waters|airspace|city|town|province|region|border|island|"
    r"islands|capital|territory|zone|side of|archipelago|prefecture|mainland|coastline)\b",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:not|decided not|will not|won't|didn't|did not|declined|refused|no longer)\b[^.;]{0,30}"
    r"\b(?:take part|taking part|participate|join|attend|send)|\b(?:pulled out|withdrew|"
    r"has withdrawn|stayed away|staying away|stays away|will stay away|boycott\w*|had no troops|"
    r"has no troops|no troops|observer status|observer states?|an observer that)\b",
    re.I,
)
REACTED = re.compile(
    r"^[^.;]{0,50}?\b(?:scrambled|scramble[sd]?|fired|protest\w*|condemn\w*|criticis\w+|criticiz\w+|"
    r"warned|tracked|monitored|shadow\w*|intercept\w*|said it|responded|complained|summoned|"
    r"expressed|voiced|lodged)\b",
    re.I,
)
HYPOTHETICAL = re.compile(r"\b(?:would|could|might|may|future|hopes? to|considering|wants? to)\b", re.I)
OBSERVERS = re.compile(
    r"\b(?:as observers?|observers? (?:from|to|of)|(?:send|sends|sent|sending) (?:\w+ )?observers|"
    r"to observe|will observe|observing|observed|observer delegations?|"
    r"follow(?:ing)? the (?:exercise|drills?) as)\b",
    re.I,
)
ACTS_AFTER = re.compile(
    r"^(?:'s|’s)?(?:\s+(?:also|alone|will|would|have|has|had|are|is|were|was|jointly|together|"
    r"both|each|then|later|again|now|first|to))*\s+(?:wraps? up|wrapping up|kicks? off|kicking off|"
    r"starts?|started|starting|ends?|ending|concludes?|concluding|opens?|opening|closes?|closing|"
    r"finish\w*|completes?|completing|stag(?:es|ing)|launch(?:es|ing)|carry out|carries out|"
    r"held|hold|holds|holding|began|begin|begins|"
    r"commenced|commence|launched|launch|kicked off|staged?|conduct\w*|take part|took part|takes part|"
    r"taking part|participat\w+|join\w*|sen[dt]\w*|dispatch\w*|contribut\w+|deploy\w*|flew|fly|sailed|"
    r"completed|wrapped up|concluded|ended|closed|opened|carried out|practi[cs]\w*|drill\w*|"
    r"train\w*|field\w*|committed|provided|put|brought|exercis\w+|patroll\w*|led|(?:was|were|is|are|will be) "
    r"represented)\b",
    re.I,
)
FORCE_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:(?:an?|its|their|some|about|\d[\d,]*)\s+)?(?:(?:(?-i:[A-Z][\w-]*)|naval|air|ground|armed|military|special|marine|escort|airborne|"
    r"strategic|combat|task|surface|missile|guided-missile|long-range|joint|bilateral|trilateral|"
    r"multilateral|annual|large-scale|maritime|anti-terror\w*|counter-terror\w*|combined|tactical|"
    r"aerial|sea|land|field|command-and-staff|assault|infantry|motori[sz]ed|mechani[sz]ed|artillery|"
    r"engineering|medical|reconnaissance|staff|\d+)\s+){0,3}(?:forces?|navy|navies|"
    r"army|armies|troops|soldiers|units?|contingents?|warships?|ships?|vessels?|frigates?|"
    r"destroyers?|cruisers?|corvettes?|submarines?|aircraft|bombers?|fighters?|jets?|helicopters?|"
    r"fleets?|flotillas?|groups?|detachments?|sailors|servicemen|personnel|marines|paratroopers|"
    r"militar(?:y|ies)|crews?|air force|navy's|drills?|exercises?|manoeuvres|maneuvers|patrols?|"
    r"war games|delegation|side|companies|company|platoons?|battalions?|brigades?|regiments?|divisions?|"
    r"squadrons?|teams?|officers)\b",
    re.I,
)
INTRODUCED = re.compile(
    r"\b(?:troops|forces|units|contingents?|servicemen|soldiers|navies|warships|ships|vessels|tanks|jets|"
    r"aircraft|helicopters|bombers|personnel|delegations?|exercises?|drills?|patrols?|manoeuvres|maneuvers|war games|"
    r"participants?|members?)\s+(?:\w+\s+){0,2}(?:from|of|between|by|involving|including|with)\s+(?:the\s+)?$|"
    r"\b(?:taking part (?:are|were|will be)|participants (?:are|were|include)|joined by|together with|"
    r"alongside|involving|including)\s+(?:the\s+)?(?:\w+\s+){0,1}$|"  # not "relations between": a drill's words
    r"\b(?:troops|forces|units|contingents|servicemen|soldiers|navies|warships|ships|personnel|delegations|"
    r"participants)\s+(?:from|of)\s+(?:the\s+)?(?:\w+\s+){0,2}(?:states|countries|nations|members)\s*[,:(]\s*$",
    re.I,
)


ADJECTIVE_END = r"(?:ian|ese|ish|an|i|ic)$"  # a country's adjective: Russian, Chinese, Turkish, Iraqi


def _groups(article, said):
    """Lists of country mentions: [[(start, end, code)]], consecutive ones joined by ', ', 'and', '-'."""
    groups = []
    for m in article.places.countries(said):
        if groups and LIST_SEP.match(said[groups[-1][-1][1] : m[0]]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _is_name(word, code):
    """The word names the country as a noun (China, Russia, Moscow), not as an adjective or a possessive
    (Chinese, Sino, Yemen's), which names a party only before a military noun."""
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    if c is not None and word in {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")}:
        return True
    return not re.search(ADJECTIVE_END + r"|[Ss]ino$|[Rr]usso$|['’]s$", word)


def _read(said, group, names_in, listed=False):
    """What the words around a group say it does: 'party', 'observer', 'reacted', or None. A sentence that
    says observers are sent makes the countries it names observers, unless they are read taking part."""
    a, b = group[0][0], group[-1][1]
    before, after = said[max(0, a - WINDOW) : a], said[b : b + WINDOW]
    around = said[max(0, a - WINDOW) : b + WINDOW]
    observing = (
        OBSERVERS.search(said)
        and not FORCE_AFTER.match(after)
        and not ACTS_AFTER.match(after)
        or OBSERVERS.search(after[:30])
    )  # "... and Sri Lanka sent observers"
    if observing and not re.search(r"\b(?:not|no)\b", around):
        return "observer"
    if NEGATION.search(after) or NEGATION.search(before[-20:]):
        return "declined"
    if REACTED.match(after):
        return "reacted"
    if NOT_PARTY.search(before[-30:]) or PLACE_AFTER.match(after):
        return None
    if HYPOTHETICAL.search(around):
        return None
    nouns = all(_is_name(said[x:y], c) for x, y, c in group)
    if FORCE_AFTER.match(after):
        return "party"
    pair = re.match(r"\s+and\s+(?:[\w-]+\s+)?([A-Z][\w-]+)", after)  # "Four Chinese and four Russian aircraft"
    if pair and re.search(ADJECTIVE_END, pair.group(1)) and FORCE_AFTER.match(after[pair.end() :]):
        return "party"
    if nouns and (ACTS_AFTER.match(after) or INTRODUCED.search(before) or listed and a < 3):
        return "party"
    if names_in and nouns and len(group) >= 2 and re.search(r"\b(?:joint|jointly|together)\b", around, re.I):
        return "party"
    return None


def propose_parties(p, article, ex, result):
    from .facts import _body, _unquoted

    found, observers, reacted = {}, {}, set()
    host = result.facts.get("host_country")
    host = host.value if host else None
    headline = [s for s in ex.sentences if article.role_of.get(s.line) == "headline"]
    if ex.main and not headline and article.headline() is not None:
        from .text import sentences as split

        h = article.headline()
        headline = split(article.text, h.start, h.end, h.index)
    for s in _body(article, ex) + headline:
        said = _unquoted(article, s)
        names_in = any(s.start <= n.start < s.end for n in ex.names)
        intro = _intro_line(article, s)
        for group in _groups(article, said):
            what = _read(said, group, names_in, listed=intro is not None)
            # the sentence: it names the country and says how it takes part; where markup in it ("<u>") stops
            # a quote, the words around the group
            a, b = group[0][0], group[-1][1]
            lo, hi = max(0, a - WINDOW), min(len(said), b + WINDOW)
            lo = max(lo, said.rfind(">", lo, a) + 1)
            cut = said.find("<", b, hi)
            # (quotes to try for the country, quote for its role: None for the same)
            span = ([[(s.start, s.end)], [(s.start + lo, s.start + (cut if cut >= 0 else hi))]], None)
            if intro is not None and what == "party":  # the list names them; the line introducing it, their role
                span = ([[(s.start, s.end)]], [intro])
            for _, _, code in group:  # every sentence that says so, in order: the first whose quote holds
                if what == "party":
                    found.setdefault(code, []).append(span)
                elif what == "observer":
                    observers.setdefault(code, []).append(span)
                elif what in ("reacted", "declined") and code not in ("CHN", "RUS"):
                    reacted.add(code)  # a country that reacted to it, or says it does not take part
    for code in list(found):  # a country named taking part anywhere is a participant
        observers.pop(code, None)
        if code in reacted:
            found.pop(code)
    for group, role_of in (
        (found, lambda c: "host" if c == host else "participant"),
        (observers, lambda c: "observer"),
    ):
        for code, sayings in group.items():
            for tries, role_spans in sayings:
                got = _party_row(p, article, ex, result, code, role_of(code), tries, role_spans)
                if got is not None:
                    result.participants[code] = got
                    break
    if host and host not in result.participants:  # "China will host": the host takes part (checks/one_host.sql)
        spans = host_spans(result)
        named = p("participants", "country_code", host, spans, "the country that hosts it", key=(ex.exercise_id, host))
        role = named and (
            p("participants", "role", "host", spans, "the words say it hosts it", key=(ex.exercise_id, host))
            or p(
                "participants",
                "role",
                "host",
                spans,
                "the country that hosts it",
                key=(ex.exercise_id, host),
                rule="host-is-where-held",
                inference="the country the article says holds it",
            )
        )
        if role:
            result.participants[host] = {"quote": named, "role": role}
        else:
            result.facts.pop("host_country")  # a host that is not a participant would not build


def _party_row(p, article, ex, result, code, role, tries, role_spans):
    """{'quote', 'role'} of one country from one sentence saying it takes part (or observes), or None when
    no quote of it holds."""
    named = None
    for spans in tries:
        spans = [_words(article.text, a, b) for a, b in spans]
        named = p(
            "participants",
            "country_code",
            code,
            spans,
            "a sentence about it names the country " + ("as an observer" if role == "observer" else "as taking part"),
            key=(ex.exercise_id, code),
        )
        if named is not None:
            break
    if named is None:
        return None
    why = f"the words around it say it is {'observing' if role == 'observer' else 'taking part'}"
    got = p("participants", "role", role, role_spans or spans, why, key=(ex.exercise_id, code))
    if got is None and role == "host":
        got = p(
            "participants",
            "role",
            "host",
            host_spans(result),
            "the country that hosts it",
            key=(ex.exercise_id, code),
            rule="host-is-where-held",
            inference="the country the article says holds it",
        ) or p("participants", "role", "participant", spans, why, key=(ex.exercise_id, code))
    return None if got is None else {"quote": named, "role": got}


def _intro_line(article, s):
    """(start, end) of the line before s, when s opens its line and that line introduces a list of who takes
    part ("Taking part, according to the district:"); else None."""
    at = bisect.bisect_right(article._line_starts, s.start) - 1
    if at <= 0 or s.start != article.lines[at].start:
        return None
    prev = article.lines[at - 1]
    return (prev.start, prev.end) if LIST_INTRO.search(article.text[prev.start : prev.end]) else None


def _words(text, a, b):
    """The span widened to whole words."""
    while a > 0 and text[a - 1].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum():
        b += 1
    return a, b


def host_spans(result):
    h = result.facts.get("host_country")
    return h.spans if h else []
