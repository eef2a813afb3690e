"""Which exercises the article mentions, and which of its sentences speak of each.

Named exercises are found by the register's names (other articles' curation), by a known series
(Vostok, Joint Sea…) and by the shape of a name (a capitalised name with a year: Tsentr-2019,
West/Interaction-2021). Unnamed ones are "joint … exercises" anchored in a time of their own ("In
May, the two countries had organized…"), matched to the register by the places they name. The
article's main exercise (the one named most, else the first mentioned) takes the sentences that
speak of "the drills" without naming one.
"""
import dataclasses
import re
from dataclasses import dataclass, field

from . import vocab
from .dates import MONTH_RE

NAME_WITH_YEAR = re.compile(r"\b(?P<name>[A-Z][a-z]+(?:/[A-Z][a-z]+)+[- ](?P<y1>(?:19|20)\d\d)|"
                            r"[A-Z][a-z]+-(?P<y2>(?:19|20)\d\d))\b")
SERIES_RE = re.compile(r"(?<![A-Za-z])(?P<name>" + "|".join(re.escape(s) for s in vocab.SERIES) +
                       r")(?:[- ](?P<year>(?:19|20)\d\d))?(?![A-Za-z])")
EXERCISE_RE = re.compile(rf"\b{vocab.EXERCISE_NOUN}\b|\bdrill\b", re.IGNORECASE)
# A time of its own: "In May, …", "in September", "In 2016, …" (not "since 2005", "for several years").
ANCHOR = re.compile(rf"\b[Ii]n (?:(?P<month>{MONTH_RE})|(?P<year>(?:19|20)\d\d))\b")
GENERIC = re.compile(r"\bsince (?:(?:19|20)\d\d|then)\b|\bfor (?:several|many) years\b|\bregularly\b|\bfor decades\b|"
                     r"\bin recent years\b|\bpreviously\b", re.IGNORECASE)
REFERENCE = re.compile(r"\b(?:Following|After|Before|Unlike|Like)\s+$")
ACRONYM = re.compile(r"\((?P<acronym>[A-Z]{2,6})\)")
NEAR = re.compile(r"\b(?:near|close to|off)\b(?: the coast of)?(?P<place>[^,.;]*)")
PLACE_WORDS_GENERIC = {"Autonomous", "Region", "Province", "District", "Oblast", "Krai", "Military", "The", "Sea"}


def slug(s):
    return "-".join(re.findall(r"[a-z0-9]+", s.lower()))


def name_id(name, year=None):
    """The id a name gives: transliterated series words (West -> zapad), the year last."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if words and words[0] in vocab.GLOSS:
        words[0] = vocab.GLOSS[words[0]]
    if year and str(year) not in words:
        words.append(str(year))
    return "-".join(words)


@dataclass
class Exercise:
    exercise_id: str
    why: str
    names: list = field(default_factory=list)          # (start, end) of each mention of its name
    year: int = None
    year_span: tuple = None
    known: object = None                                # knowledge.Known when matched to the register
    anchor: object = None                               # the sentence anchoring an unnamed exercise
    sentences: list = field(default_factory=list)       # Sentences that speak of it, in order
    main: bool = False

    @property
    def named(self):
        return bool(self.names)


class Finder:
    def __init__(self, article, knowledge):
        self.article, self.text, self.knowledge = article, article.text, knowledge
        self.exercises = {}

    # -- names --------------------------------------------------------------------------------
    def _known_by_name(self, name, year):
        nid = name_id(name, year)
        if nid in self.knowledge:
            return self.knowledge[nid]
        folded = slug(name)
        hits = [k for k in self.knowledge.values() if any(slug(n) == folded for n in k.names)]
        if year:
            hits = [k for k in hits if not k.years or year in k.years]
        elif self.article.date:
            hits = [k for k in hits if not k.years or self.article.date.year in k.years]
        return hits[0] if len(hits) == 1 else None

    def _name_mentions(self):
        """[(start, end, name, year)] of every exercise name in the body."""
        found = {}
        for s in self.article.body:
            if s.caption:
                continue
            shapes = [(m.start(), m.end(), m.group(0), int(m.group("year")) if m.group("year") else None)
                      for m in SERIES_RE.finditer(self.text, s.start, s.end)]
            shapes += [(m.start(), m.end(), m.group(0), int(m.group("y1") or m.group("y2")))
                       for m in NAME_WITH_YEAR.finditer(self.text, s.start, s.end)]
            for a, b, n, y in sorted(shapes, key=lambda x: x[0] - x[1]):  # the longest first: "Joint Sea-2023", not "Sea-2023"
                if not any(x < b and a < z for x, z, *_ in found.values()):
                    found[a] = (a, b, n, y)
            for k in self.knowledge.values():
                for n in k.names:
                    if len(n) < 5 and n not in vocab.SERIES:
                        continue  # a short gloss ("East") names too much else
                    for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])", self.text[s.start:s.end]):
                        a, b = s.start + m.start(), s.start + m.end()
                        if not any(x <= a < y or x < b <= y for x, y, *_ in found.values()):
                            found[a] = (a, b, n, None)
        return [found[k] for k in sorted(found)]

    def _year_near(self, sentence):
        """A year written in the sentence ("In 2016, … “Joint Sea”"), with its offsets."""
        m = re.search(r"\b(?:19|20)\d\d\b", self.text[sentence.start:sentence.end])
        return (int(m.group(0)), (sentence.start + m.start(), sentence.start + m.end())) if m else (None, None)

    def find(self):
        for a, b, name, year in self._name_mentions():
            s = self.article.sentence_at(a)
            base = re.sub(r"[- ](?:19|20)\d\d$", "", name)
            year_span = (a, b) if year else None
            if year is None:
                y, span = self._year_near(s)
                if y and not GENERIC.search(self.text[s.start:s.end]):
                    year, year_span = y, span
            known = self._known_by_name(name, year)
            if known is None and year is None and self.article.date:
                year = self.article.date.year
            eid = known.exercise_id if known else name_id(base, year)
            ex = self.exercises.get(eid)
            if ex is None:
                why = (f"named {name!r}; the register knows it as {eid} (from {', '.join(sorted(known.sources)) or 'the register'})"
                       if known else f"named {name!r}: a new id from the name and year")
                ex = self.exercises[eid] = Exercise(eid, why, known=known)
            ex.names.append((a, b))
            if year and not ex.year:
                ex.year, ex.year_span = year, year_span
            scope = _clause_of(self.text, s, a)
            if scope not in ex.sentences and not s.heading and not REFERENCE.search(self.text[s.start:a]):
                ex.sentences.append(scope)
        self._assign()
        self._rematch()
        return self.exercises

    # -- sentences ----------------------------------------------------------------------------
    def _assign(self):
        named = sorted(self.exercises.values(), key=lambda e: (-len({s.paragraph for s in e.sentences}), e.names[0][0]))
        main = named[0] if named else None
        for s in self.article.body:
            if s.caption or s.heading:
                continue
            stext = self.text[s.start:s.end]
            unquoted = _unquoted(self.text, s)
            if not EXERCISE_RE.search(unquoted) or GENERIC.search(stext):
                continue
            owners = [e for e in self.exercises.values() if any(s.start <= a < s.end for a, _ in e.names)]
            referenced = owners and all(REFERENCE.search(self.text[s.start:a]) for e in owners for a, _ in e.names
                                        if s.start <= a < s.end)
            if owners and not referenced:
                last = max(a for e in owners for a, _ in e.names if s.start <= a < s.end)
                rest = _clause_of(self.text, s, last)
                if rest.end >= s.end or main is None or not EXERCISE_RE.search(self.text[rest.end:s.end]):
                    continue  # already counted with the exercises it names
                s = dataclasses.replace(s, start=rest.end + 1, quotes=[q for q in s.quotes if q.outer_start > rest.end])
                while s.start < s.end and self.text[s.start] in " ,;":
                    s = dataclasses.replace(s, start=s.start + 1)
                unquoted = _unquoted(self.text, s)  # the clause after "…, but" speaks of another
            anchor = ANCHOR.search(unquoted)
            if anchor and not (referenced or anchor.start() == 0):
                anchor = None  # "will hold drills in August": the time of the exercise spoken of, not another's
            if anchor and (referenced or main is None or not self._same_time(main, anchor)):
                ex = self._unnamed(s, anchor)
            elif main is None:
                ex = self._unnamed(s, None)
            else:
                ex = main
            if ex is not None and s not in ex.sentences:
                ex.sentences.append(s)
                ex.sentences.sort(key=lambda x: x.start)
            if main is None and ex is not None:
                main = ex
        if main is not None:
            main.main = True

    def _rematch(self):
        """An unnamed exercise not yet matched to the register: try again with all its sentences."""
        for eid, ex in list(self.exercises.items()):
            if ex.named or ex.known is not None:
                continue
            known = self._known_by_place(ex.sentences)
            if known is not None and known.exercise_id not in self.exercises:
                del self.exercises[eid]
                ex.exercise_id, ex.known = known.exercise_id, known
                ex.why = (f"an unnamed exercise in a place the register's {known.exercise_id} has "
                          f"({', '.join(sorted(known.sources))})")
                self.exercises[known.exercise_id] = ex

    def _same_time(self, ex, anchor):
        if anchor.group("year"):
            return ex.year == int(anchor.group("year"))
        return False

    def _unnamed(self, s, anchor):
        """An exercise not named: matched to the register by the places its sentence names, or new."""
        text = self.text[s.start:s.end]
        known = self._known_by_place([s])
        if known is not None and known.exercise_id not in self.exercises:
            eid = known.exercise_id
            why = f"an unnamed exercise in a place the register's {eid} has ({', '.join(sorted(known.sources))})"
        else:
            known = None
            year = int(anchor.group("year")) if anchor and anchor.group("year") else \
                (self.article.date.year if self.article.date else None)
            acr = ACRONYM.search(text)
            near = NEAR.search(text)
            if acr:
                stem = f"{acr.group('acronym').lower()}-exercises"
            elif near and self.article.countries(s.start + near.start("place"), s.start + near.end("place")):
                c = self.article.countries(s.start + near.start("place"), s.start + near.end("place"))[0]
                stem = f"near-{slug(self.text[c[0]:c[1]])}"
            else:
                stem = "joint-exercise"
            eid = f"{stem}-{year}" if year else stem
            why = "an unnamed exercise with a time of its own: a new id from " + \
                  ("the organisation" if acr else "the place" if stem.startswith("near") else "its kind") + \
                  (" and the year" if year else "")
        ex = self.exercises.get(eid)
        if ex is None:
            ex = self.exercises[eid] = Exercise(eid, why, known=known, anchor=s)
            if anchor and anchor.group("year"):
                ex.year, ex.year_span = int(anchor.group("year")), (s.start + anchor.start(), s.start + anchor.end())
        return ex

    def _known_by_place(self, sentences):
        """The one registered exercise whose location shares a distinctive capitalised word with the
        sentences (Ningxia, Japan), and no year against it."""
        said = " ".join(_unquoted(self.text, x) for x in sentences)
        words = set(re.findall(r"\b[A-Z][a-z]{2,}\b", said)) - PLACE_WORDS_GENERIC
        hits = []
        for k in self.knowledge.values():
            places = {w for loc in k.locations for w in re.findall(r"\b[A-Z][a-z]{2,}\b", loc)} - PLACE_WORDS_GENERIC
            if places & words and not (self.article.date and k.years and self.article.date.year not in k.years):
                hits.append(k)
        return hits[0] if len(hits) == 1 else None

    def exercise_of(self, sentence):
        """The id of the exercise a sentence (or, failing that, its paragraph) speaks of, or None."""
        for ex in self.exercises.values():
            if sentence in ex.sentences:
                return ex.exercise_id
        for ex in self.exercises.values():
            if any(x.paragraph == sentence.paragraph for x in ex.sentences):
                return ex.exercise_id
        if EXERCISE_RE.search(self.text[sentence.start:sentence.end]):  # "the exercise" in a speaker's words
            return next((ex.exercise_id for ex in self.exercises.values() if ex.main), None)
        return None


def _unquoted(text, s):
    """The sentence with its quotations (of more than three words) blanked: their words are a
    speaker's, not the article's account."""
    out = list(text[s.start:s.end])
    for q in s.quotes:
        if len(text[q.start:q.end].split()) > 3:
            for k in range(q.outer_start - s.start, q.outer_end - s.start):
                out[k] = " "
    return "".join(out)


CLAUSE_END = re.compile(r",? but |; ")


def _clause_of(text, s, at):
    """The sentence cut after the clause holding offset at ("…, including Vostok-2018, but experts say
    this is the first…": the clause naming Vostok-2018 ends before "but")."""
    m = CLAUSE_END.search(text, at, s.end)
    return dataclasses.replace(s, end=m.start(), quotes=[q for q in s.quotes if q.outer_end <= m.start()]) if m else s
