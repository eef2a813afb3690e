"""Which countries take part in an exercise, host it or observe it, from the sentences about it.

A country is a participant when a sentence about the exercise names it (a name, a demonym, Sino- or
Russo-) beside a word of taking part (joint, take part, hold, send, navies...), and not as a place
("near Japan", "the Iranian port of"), as an observer ("as observers"), as one that reacted ("South
Korea said it scrambled jets"), as one that does not take part, or as the one an exercise is not aimed at.
"""
import re

from .article import vocab

NOT_PARTY = re.compile(r"\b(?:near|off|close to|off the coast of|the coast of|towards?|against|aimed at|"
                       r"approach(?:ing|ed)? to|waters of|territory of|port of|border with|zone of|invasion of|"
                       r"war in|war with|conflict in|crisis in|tensions with|dispute with|annexation of|"
                       r"sanctions on|sanctions against)\s+(?:the\s+)?$", re.I)
NEGATION = re.compile(r"\b(?:not|decided not|will not|won't|didn't|did not|declined|refused|no longer)\b[^.;]{0,30}"
                      r"\b(?:take part|taking part|participate|join|attend|send)|\b(?:pulled out|withdrew|"
                      r"has withdrawn|stayed away|staying away|stays away|will stay away|boycott\w*|had no troops|"
                      r"has no troops|no troops|observer status|observer states?|an observer that)\b", re.I)
MILITARY = re.compile(r"^\s*(?:and\s+\w+\s+|-\w+\s+)?(?:(?:naval|air|ground|armed|military|special|marine|escort|"
                      r"airborne|strategic|combat|task)\s+)?(?:forces?|navy|navies|army|armies|troops|soldiers|units?|"
                      r"contingents?|warships?|ships?|vessels?|frigates?|destroyers?|cruisers?|corvettes?|submarines?|"
                      r"aircraft|bombers?|fighters?|jets?|helicopters?|fleets?|flotillas?|groups?|detachments?|sailors|"
                      r"servicemen|personnel|marines|paratroopers|militar(?:y|ies)|side|crews?|officers|air force|"
                      r"defen[cs]e|navy's|drills?|exercises?|manoeuvres|maneuvers|patrols?|war games|[A-Z])", re.I)
HYPOTHETICAL = re.compile(r"\b(?:would|could|might|may|future|hopes? to|plans? to|considering|wants? to)\b", re.I)
OBSERVERS = re.compile(r"\b(?:as observers?|observers? (?:from|to|of)|send(?:ing)? observers|to observe|will observe|"
                       r"observing|observed|observer delegations?|follow(?:ing)? the (?:exercise|drills?) as)\b", re.I)
PLACE_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:port|coast|waters|airspace|city|town|province|region|border|island|"
                         r"capital|territory|zone|side of)\b", re.I)
EXERCISE = re.compile(r"\b(?:exercises?|drills?|manoeuvres|maneuvers|war games|patrols?|operations?|training|"
                      r"round|episodes?|phase|stage|escort|flotilla|contingents?|units?|troops|forces|warships|ships|"
                      r"navies|aircraft|bombers|taking part|take part|took part|participat\w+)\b", re.I)
PARTY_WORDS = re.compile(r"\b(?:joint|jointly|together|take part|takes part|taking part|took part|participat\w*|"
                         r"join\w*|hold|holds|held|holding|conduct\w*|stage[sd]?|staging|send\w*|sent|dispatch\w*|"
                         r"contribut\w*|navies|navy|armies|army|forces|militaries|military|troops|warships|ships|"
                         r"aircraft|bombers|fleets?|contingent|detachment|flotilla|sides|between|with|alongside|"
                         r"commenced|began|begin|launched|flew|drill(?:ed|s)?|exercis\w*|manoeuvres|maneuvers|"
                         r"patrol\w*|sailors|servicemen|units)\b", re.I)


def _clauses(text):
    """(start, end) of the clauses of a sentence: split at semicolons and at ", but"."""
    out, at = [], 0
    for m in re.finditer(r";|,\s+(?:but|while|whereas)\b", text):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(text)))
    return out


def propose_parties(p, article, ex, result):
    from .facts import _body, _unquoted

    v = vocab()
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
        for a0, b0 in _clauses(said):
            clause = said[a0:b0]
            mentions = [(a0 + a, a0 + b, c) for a, b, c in article.places.countries(clause)]
            if not mentions:
                continue
            is_observer = OBSERVERS.search(clause)
            if HYPOTHETICAL.search(clause) and not is_observer:
                continue
            if not (is_observer or EXERCISE.search(clause) or any(s.start + a0 <= n.start < s.start + b0 for n in ex.names)):
                continue
            is_reaction = re.search(r"\b(?:" + "|".join(re.escape(w) for w in v["reaction_cues"]) + r")\b", clause, re.I)
            negated = NEGATION.search(clause)
            if not PARTY_WORDS.search(clause) and not is_observer:
                continue
            for a, b, code in mentions:
                if NOT_PARTY.search(said[max(0, a - 30):a]) or PLACE_AFTER.match(said[b:b + 20]):
                    continue
                if not _is_name(said[a:b], code) and not MILITARY.match(said[b:b + 40]) and not is_observer:
                    continue  # "Syrian chemical weapons", "Yemen's Houthi rebels": an adjective, not a party
                if is_reaction and code not in ("CHN", "RUS"):
                    reacted.add(code)
                    continue
                if negated and a < a0 + negated.start():  # "Uzbekistan ... has decided not to take part"
                    continue
                span = (s.start + a0, s.start + b0)
                if is_observer:
                    observers.setdefault(code, span)
                else:
                    found.setdefault(code, span)
    for code in list(found):  # a country named taking part anywhere is a participant
        observers.pop(code, None)
        if code in reacted:
            found.pop(code)
    for group, role_of in ((found, lambda c: "host" if c == host else "participant"), (observers, lambda c: "observer")):
        for code, (a, b) in group.items():
            named = p("participants", "country_code", code, [(a, b)], "a sentence about it names the country "
                      + ("as an observer" if role_of(code) == "observer" else "as taking part"), key=(ex.exercise_id, code))
            if named is None:
                continue
            role = role_of(code)
            why = f"the sentence names it {'observing' if role == 'observer' else 'taking part'}"
            got = p("participants", "role", role, [(a, b)], why, key=(ex.exercise_id, code))
            if got is None and role == "host":
                got = p("participants", "role", "host", host_spans(result), "the country that hosts it",
                        key=(ex.exercise_id, code), rule="host-is-where-held",
                        inference="the country the article says holds it") or \
                    p("participants", "role", "participant", [(a, b)], why, key=(ex.exercise_id, code))
            if got is not None:
                result.participants[code] = {"quote": named, "role": got}


def _is_name(word, code):
    """The word names the country as a noun (China, Russia, Moscow), not as an adjective or a possessive
    (Chinese, Sino, Yemen's), which names a party only before a military noun."""
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    if c is not None and word in {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")}:
        return True
    return not re.search(r"(?:ian|ese|ish|an|i|ic|[Ss]ino|[Rr]usso)$|['’]s$", word)


def host_spans(result):
    h = result.facts.get("host_country")
    return h.spans if h else []
