"""Which exercises the article reports on, and which of its sentences speak of each.

Named exercises are found by the shape of a name with its year (Joint Sea-2019, North/Interaction –
2023, Marine Security Belt 2024, Peace Mission 2005) and by the recurring series kept in vocab.yaml
(Vostok, Joint Sea...); two names of one series and year are one exercise (Naval Interaction-2013 is
called Joint Sea 2013 in China). Unnamed ones are found by their kind (a joint naval patrol, a joint
strategic air patrol) when the article names none, or when a time of their own anchors them.

The main exercise is the one the headline or the lead names. A name in a list of exercises, in a
clause about a past or other edition ("the previous round", "follows", "such as"), or only in a
photo caption is a passing mention: facts are never filed under it, and it is proposed only when
sentences of its own give it facts. A sentence naming one exercise speaks of it; one naming none
speaks of the exercise its paragraph was speaking of, or the main one.
"""

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scripts.read.lexicon import MONTHS, WEEKDAYS, dates

from .article import vocab

MAX_SENTENCES = 60  # sentences read per exercise: a news report says what it says in far fewer
MAX_EXERCISES = 12
YEAR = re.compile(r"(?<![\d.,/])((?:19|20)\d\d)(?!\d|,\d)")
NAME_WORD = re.compile(r"[A-Z][A-Za-z'’.]*$")
STOP = {
    "In",
    "On",
    "The",
    "This",
    "That",
    "Since",
    "By",
    "From",
    "Until",
    "Updated",
    "Source",
    "Photo",
    "Posted",
    "Published",
    "Date",
    "At",
    "For",
    "Of",
    "And",
    "Or",
    "Its",
    "His",
    "Her",
    "Their",
    "A",
    "An",
    "As",
    "To",
    "After",
    "Before",
    "During",
    "Summer",
    "Winter",
    "Spring",
    "Autumn",
    "Fall",
    "Early",
    "Late",
    "Mid",
    "Year",
    "Fiscal",
    "Copyright",
    "Dec",
    "Nov",
    "Oct",
    "Sept",
    "Sep",
    "Aug",
    "Jul",
    "Jun",
    "Apr",
    "Mar",
    "Feb",
    "Jan",
    "Russia",
    "China",
    "Chinese",
    "Russian",
    "Moscow",
    "Beijing",
    "Xinhua",
    "TASS",
    "IST",
    "GMT",
    "UTC",
    "Mr",
    "Ms",
    "President",
    "Minister",
    "Senior",
    "Colonel",
    "General",
    "Admiral",
    "Captain",
    "What",
    "Why",
    "How",
    "When",
    "Where",
    "Who",
    "Explainer",
    "Analysis",
    "Opinion",
    "Comment",
    "Watch",
    "Photos",
    "Video",
    "Live",
    "Amid",
    "Ahead",
    "Despite",
    "Under",
    "With",
    "Without",
    "Unlike",
    "Like",
    "Via",
    "Through",
    "Against",
    "Both",
    "Last",
    "Next",
    "Every",
    "Each",
    "Another",
    "Previous",
    "Upcoming",
    "Annual",
    "Recent",
    "Then",
    "While",
    "Stage",
    "Phase",
    "Round",
    "Edition",
    "Part",
    "First",
    "Second",
    "Third",
    "Final",
    "Opens",
    "Ends",
    "Begins",
    "Starts",
    "Kicks",
    "Wraps",
    "Concludes",
    "Pulls",
    "Out",
    "Joins",
    "Holds",
    "Hold",
    "Launch",
    "Launches",
}
STOP |= set(MONTHS) | set(WEEKDAYS)
STAGE = re.compile(r"\s?\((?:I{1,3}|IV|[1-4])\)")
PASSING = re.compile(
    r"\b(?:follows?|followed|following|previous|predecessor|preceding|last year'?s|earlier|"
    r"such as|like|including|(?<!more )(?<!less )(?<!fewer )(?<!rather )than|since|after|similar|under the name|"
    r"the last|past|rotating|"
    r"series of|editions?|in \d{4}|back in)\b[^.;]{0,60}$",
    re.I,
)
# the words between a name and another name for it: "X (Y)", "X, known in Russia as Y", "X, which Moscow billed as
# Y", "X, also called Y", "X, which the Chinese side calls Y"
ALIAS_LINK = re.compile(
    r"^[\s\"”’]*(?:\(|,?\s*(?:also\s+|otherwise\s+)?(?:known|called|dubbed|billed|code-?named|"
    r"referred to|named)\s+(?:in\s+[\w ]{2,20}?\s+)?(?:as\s+)?|,?\s*(?:which|that)\s+[^.;()]{0,60}?\b"
    r"(?:calls?|called|bills?|billed as|dubs?|dubbed|names?|named|refers? to as|knows? as)\s+)"
    r"[\"“‘]?$"
)
EXERCISE_WORD = re.compile(
    r"\b(?:exercises?|drills?|manoeuvres|maneuvers|war ?games|patrols?|operation|training)\b", re.I
)


@dataclass
class Mention:
    start: int
    end: int
    name: str
    year: int = None
    year_span: tuple = None
    series: str = None
    passing: bool = False
    alias_of: object = None  # the Mention this one glosses: "Joint Sea 2015, which Moscow billed as ..."


@dataclass
class Found:
    exercise_id: str
    why: str
    names: list = field(default_factory=list)  # Mention (the exercise's own, not passing)
    passing: list = field(default_factory=list)  # passing Mentions
    year: int = None
    year_span: tuple = None
    kind: str = None  # an unnamed exercise's kind id
    sentences: list = field(default_factory=list)  # Sentences that speak of it
    main: bool = False
    new: bool = True


@lru_cache(maxsize=1)
def _series_forms():
    """[(bare form, series, id, is a gloss)], longest series first: "north interaction" for North/Interaction."""
    series = vocab()["series"]
    out = []
    for s in sorted(series, key=len, reverse=True):
        for form, gloss in ((s, False), (series[s].get("gloss"), True)):  # "East-2018" is the gloss of Vostok-2018
            bare = " ".join(re.findall(r"[a-z0-9]+", (form or "").lower()))
            if bare:
                out.append((bare, s, series[s]["id"], gloss))
    return out


@lru_cache(maxsize=4096)
def _series_of(name):
    """(series name, its id stem) for a name without its year, from vocab.yaml; (None, slug) otherwise."""
    bare = " ".join(re.findall(r"[a-z0-9]+", name.lower()))  # "North. Interaction" is North/Interaction
    for form, s, _, gloss in _series_forms():
        if bare == form or bare.endswith(" " + form) and not gloss:
            return s, vocab()["series"][s]["id"]
    return None, bare.replace(" ", "-")


def _named_with_year(text, start, end):
    """Mentions like Joint Sea-2019 in text[start:end]: a year joined to capitalised words before it."""
    out = []
    for m in YEAR.finditer(text, start, end):
        a = m.start()
        sep = re.search(r"(?:\s?[-‑–—]\s?|\s)$", text[max(start, a - 3) : a])
        if not sep:
            continue
        k = a - len(sep.group(0))
        words = []
        while len(words) < 5:
            w = re.search(r"([A-Za-z][A-Za-z'’.]*)$", text[max(start, k - 40) : k])
            if not w or not (NAME_WORD.match(w.group(1)) or w.group(1).isupper() and len(w.group(1)) > 1):
                break
            if words and (w.group(1) in STOP or w.group(1).title() in STOP):
                break  # a Title Case headline: "Second Stage Of Joint Sea 2017" names Joint Sea 2017
            ws = k - len(w.group(1))
            words.insert(0, (ws, k, w.group(1)))
            if ws - 1 >= start and text[ws - 1] in " /":
                k = ws - 1
            else:
                break
        while words and (
            words[0][2] in STOP
            or words[0][2].title() in STOP
            or re.search(r"['’]s$", words[0][2])
            or len(words) > 1
            and words[0][2].endswith("ing")
        ):  # "Following Zapad/Interaction 2021"
            words.pop(0)  # "In", "Russia's", "JUL": not part of a name
        if not words or words[-1][2] in STOP or words[-1][2].title() in STOP:
            continue
        stage = STAGE.match(text, m.end(), end)
        s, e = words[0][0], stage.end() if stage else m.end()
        name = text[s:e]
        bare = text[s : words[-1][1]]
        out.append(Mention(s, e, name, int(m.group(1)), m.span(), _series_of(bare)[0]))
    return out


@lru_cache(maxsize=1)
def _series_alone_re():
    names = [s for s, spec in vocab()["series"].items() if spec.get("alone") is not False]
    alternation = "|".join(re.escape(s) for s in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![A-Za-z/-])(?:" + alternation + r")(?![A-Za-z/-]|[-‑ ]?(?:19|20)\d\d)")


def _series_alone(text, start, end, taken):
    out = []
    for m in _series_alone_re().finditer(text, start, end):
        a, b = m.span()
        if not any(x < b and a < y for x, y in taken):
            lead = re.search(r"(?<![\w-])((?:19|20)\d\d)\s+$", text[max(start, a - 6) : a])
            if lead:  # "the 2022 Marine Security Belt": the year written before the series
                y = a - len(lead.group(0))
                out.append(Mention(y, b, text[y:b], int(lead.group(1)), (y, y + 4), m.group(0)))
            else:
                out.append(Mention(a, b, m.group(0), series=m.group(0)))
            taken.append((a, b))
    return out


def _mentions(article, sentence):
    text = article.text
    found = _named_with_year(text, sentence.start, sentence.end)
    taken = [(m.start, m.end) for m in found]
    found += _series_alone(text, sentence.start, sentence.end, taken)
    found.sort(key=lambda m: m.start)
    for prev, m in zip(found, found[1:]):  # another name for the same exercise, glossed right after it
        if m.year is not None and m.year == prev.year and ALIAS_LINK.search(text[prev.end : m.start]):
            m.alias_of = prev.alias_of or prev
    names = {_key(m) for m in found}
    for m in found:
        before = text[sentence.start : m.start]
        m.passing = (
            len(names) >= 3
            or PASSING.search(before) is not None
            or m.year is None
            or article.role_of[sentence.line] == "caption"
            and m.year is None
        )
    return found


def _segment(article, sentence, m, mentions):
    """A past or other edition named in passing owns the words right after its name, up to the next name
    ("after Naval Interaction-2012 in the Yellow Sea and ..."), when they give it a place or a date."""
    ends = [o.start for o in mentions if o.start > m.start] + [sentence.end]
    end = min(ends)
    rest = article.text[m.end : end]
    has_place = article.places.sea_areas(rest) or re.search(r"\b(?:in|at|near|off) (?:the )?[A-Z][a-z]+", rest)
    has_date = any(d.kind != "y" and any(p[1] for p in d.points) for d in dates(rest))
    if not (has_place or has_date) or article.role_of[sentence.line] != "body":
        return None
    from .text import Sentence

    return Sentence(
        m.start, end, sentence.line, [q for q in sentence.quotes if m.start <= q.outer_start and q.outer_end <= end]
    )


def _key(m):
    if m.alias_of is not None:
        return _key(m.alias_of)
    bare = m.name
    if m.year is not None:  # its name without the year, written after it or (more rarely) before it
        bare = STAGE.sub("", m.name)
        bare = bare[:-4].rstrip(" -‑–—") if bare.endswith(str(m.year)) else bare[4:].lstrip(" -‑–—")
    series, stem = _series_of(bare)
    stage = STAGE.search(m.name)
    stage = "-" + re.sub(r"[^a-z0-9]", "", stage.group(0).lower()) if stage else ""
    return stem + (f"-{m.year}" if m.year else "") + stage


def _known(root):
    """{normalised name: [(exercise id, year)]} from the published data/exercises.csv (names and aliases)."""
    path = Path(root) / "data" / "exercises.csv"
    out = {}
    if not path.exists():
        return out
    import json

    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = [row.get("name") or ""] + (json.loads(row["aliases"]) if row.get("aliases") else [])
            for n in names:
                if n:
                    out.setdefault(_norm(n), []).append((row["exercise_id"], row.get("year")))
    return out


def _norm(name):
    return re.sub(r"[\s\-/–—‑_]+", " ", name.lower()).strip()


def _registered(root):
    from scripts.read.yaml_safe import load_yaml

    path = Path(root) / "curation" / "exercises.yaml"
    try:
        return set(load_yaml(path, root=root) or {}) if path.exists() else set()
    except Exception:  # noqa: BLE001 - a register mid-edit: every id is then proposed as new
        return set()


@lru_cache(maxsize=1)
def _unnamed_res():
    # a word may come between the words of a kind: "joint Pacific patrol", "joint naval drills"
    def phrase(w):
        return r"\s+(?:[a-z-]{2,20}\s+)?".join(map(re.escape, w.split()))

    return [
        (
            re.compile(
                r"(?<![a-z])(?:"
                + "|".join(phrase(w) for w in sorted(e["words"], key=len, reverse=True))
                + r")(?![a-z])"
            ),
            e["id"],
        )
        for e in vocab()["unnamed"]
    ]


def _unnamed_kind(text, article_text=""):
    """(start, end, kind id) of the first unnamed kind of drill named in text, most specific first; a "joint
    patrol" is the air or naval one by the words of the article (bombers, or warships)."""
    low = text.lower()
    for rx, kind in _unnamed_res():
        m = rx.search(low)
        if m:
            if isinstance(kind, dict):
                kind = _patrol_domain(article_text or text, kind)
            return m.start(), m.end(), kind
    return None


def _patrol_domain(text, ids):
    words = vocab()["patrol_domains"]
    hits = {
        d: len(re.findall(r"(?<![a-z])(?:" + "|".join(map(re.escape, words[d])) + r")(?![a-z])", text.lower()))
        for d in ids
    }
    best = max(hits.values())
    top = [d for d, n in hits.items() if n == best]
    return ids[top[0]] if best and len(top) == 1 else "joint-patrol"


NAMING = re.compile(
    r"\b(?:code-?named|named|called|dubbed|known as|titled)\s+(?:(?:the|it|this)\s+(?:\w+\s+)?)?[\"“‘']?$", re.I
)


def find_exercises(root, article):
    """[Found], the main exercise first; each with the sentences that speak of it."""
    text = article.text
    known, registered = _known(root), _registered(root)
    exercises, mentions_of = {}, {}
    headline = article.headline()
    scan = article.sentences
    if headline is not None:
        from .text import sentences as split

        scan = split(text, headline.start, headline.end, headline.index) + scan
    for s in scan:
        mentions_of[(s.start, s.end)] = _mentions(article, s)

    def exercise(m):
        if m.alias_of is not None:
            return exercise(m.alias_of)
        key = _key(m)
        hits = [eid for eid, y in known.get(_norm(m.name), []) if m.year is None or str(y) == str(m.year)]
        eid = hits[0] if len(set(hits)) == 1 else key
        ex = exercises.get(eid)
        if ex is None:
            known_one = eid in registered or bool(hits)
            why = f"named {m.name!r}" + (
                f"; the register knows it as {eid}"
                if known_one
                else "; a NEW id from its name" + (" and year" if m.year else "")
            )
            ex = exercises[eid] = Found(eid, why, new=not known_one)
        if m.year and not ex.year:
            ex.year, ex.year_span = m.year, m.year_span
        return ex

    # The main exercise: named in the headline, else in the lead, else the most named.
    main = None
    if headline is not None:
        own = [m for m in mentions_of[(scan[0].start, scan[0].end)] if not m.passing] if scan else []
        if own:
            main = exercise(own[0])
    body = article.body
    if main is None:
        for s in body[:3]:
            own = [m for m in mentions_of[(s.start, s.end)] if not m.passing]
            kind = _unnamed_kind(text[s.start : s.end], text) if own else None
            if own and kind and kind[2] != "joint-exercise" and s.start + kind[1] <= own[0].start:
                # "... began their second joint maritime patrol ..., a week after ... Vostok-2022": the patrol
                main = _unnamed_main(article, [s], exercises, registered, generic=False)
                break
            if own:
                main = exercise(own[0])
                break
    if main is None:  # "The drill, named Maritime Security Belt 2022, ...": the drill the article is about
        named = [
            m
            for s in body
            for m in mentions_of[(s.start, s.end)]
            if NAMING.search(text[max(s.start, m.start - 40) : m.start])
        ]
        if named:  # a series named so is this drill's name, even without its year
            named[0].passing = False
            main = exercise(named[0])
    if main is None:  # the lead tells of an unnamed patrol or naval drill: that one, not a name further down
        main = _unnamed_main(article, scan[:4], exercises, registered, generic=False)
    if main is None:
        counts = {}
        for s in body:
            for m in mentions_of[(s.start, s.end)]:
                if not m.passing:
                    counts[_key(m)] = counts.get(_key(m), 0) + 1
        if counts:
            best = max(counts, key=counts.get)
            first = next(m for s in body for m in mentions_of[(s.start, s.end)] if _key(m) == best)
            main = exercise(first)
    if main is None:  # a series named without its year in the headline or lead: "Russia's annual Vostok exercises"
        for s in scan[:4]:
            ms = mentions_of[(s.start, s.end)]
            alone = [
                m
                for m in ms
                if m.year is None and len({_key(o) for o in ms}) < 3 and not PASSING.search(text[s.start : m.start])
            ]
            if alone:
                main = exercise(alone[0])
                alone[0].passing = False
                break
    if main is None:  # no name: an unnamed exercise of the kind the headline or lead names
        main = _unnamed_main(article, scan[:4], exercises, registered, generic=True)
    if main is None:  # or a patrol or naval drill named further down ("... staged their sixth joint air patrol")
        main = _unnamed_main(article, scan[4:], exercises, registered, generic=False)
    if main is None:
        return []
    main.main = True

    # Every sentence: the exercise it speaks of.
    for s in scan:
        ms = mentions_of[(s.start, s.end)]
        for m in ms:
            ex = exercise(m)
            (ex.passing if m.passing else ex.names).append(m)
    current = {}
    for s in article.sentences:
        role = article.role_of[s.line]
        for m in mentions_of[(s.start, s.end)]:
            seg = _segment(article, s, m, mentions_of[(s.start, s.end)]) if m.passing and m.year else None
            if seg is not None and exercise(m) is not main:
                ex = exercise(m)
                ex.sentences.append(seg)
                ex.passing.remove(m)
                ex.names.append(m)
        own = [m for m in mentions_of[(s.start, s.end)] if not m.passing]
        keys = {_key(m) for m in own}
        target = None
        if len(keys) == 1 and main.kind and _kind_first(text[s.start : s.end], main.kind, own[0].start - s.start):
            target = main  # "... began their second joint maritime patrol ..., a week after ... Vostok-2022"
        elif len(keys) == 1:
            target = exercise(own[0])
        elif not keys and role == "body":
            anchored = _anchored_unnamed(article, s, main, exercises, registered)
            target = anchored or current.get(s.line) or (main if not mentions_of[(s.start, s.end)] else None)
        if target is not None:
            target.sentences.append(s)
            if role == "body":
                current[s.line] = target
    # Exercises named only in passing, with no sentence of their own giving facts, are not proposed.
    out = [main] + [
        e
        for e in exercises.values()
        if e is not main and e.sentences and any(article.role_of[s.line] != "headline" for s in e.sentences)
    ]
    for ex in out:
        _date_the_id(article, ex, registered)
        ex.sentences = ex.sentences[:MAX_SENTENCES]
    return out[:MAX_EXERCISES]


def _kind_first(said, kind, before):
    """The sentence names a drill of this kind before the offset."""
    found = _unnamed_kind(said[:before], said)
    return found is not None and found[2] in (kind, "joint-patrol") and found[2] != "joint-exercise"


def _unnamed_main(article, sentences, exercises, registered, generic):
    """The unnamed exercise of the first kind these sentences name (any kind, or only a patrol or naval drill
    when not generic), as a new Found; None when they name none."""
    text = article.text
    for s in sentences:
        kind = _unnamed_kind(text[s.start : s.end], text)
        if kind and (generic or kind[2] != "joint-exercise"):
            year = article.date.value[:4] if article.date else None
            eid = f"{kind[2]}-{year}" if year else kind[2]
            words = text[s.start + kind[0] : s.start + kind[1]]
            exercises[eid] = Found(
                eid,
                f"the lead names an unnamed {words!r}"
                + (
                    "; a NEW id from its kind and the article's year"
                    if year
                    else "; a NEW id from its kind (the article states no year)"
                ),
                kind=kind[2],
                new=eid not in registered,
            )
            return exercises[eid]
    return None


def _date_the_id(article, ex, registered):
    """A series named without its year (the annual "Vostok" drills) takes the year of its own sentences'
    dates, or of the article; an undated one keeps the series' id for the curator to complete."""
    if ex.year or ex.kind or re.search(r"-\d{4}(-|$)", ex.exercise_id):
        return
    for s in ex.sentences:
        years = [p[0] for d in dates(article.text[s.start : s.end]) for p in d.points if p[0]]
        if years:
            ex.exercise_id = f"{ex.exercise_id}-{years[0]}"
            break
    else:
        if article.date:
            ex.exercise_id = f"{ex.exercise_id}-{article.date.value[:4]}"
        else:
            ex.why += "; the article states no year: complete the id"
    ex.new = ex.exercise_id not in registered


def _anchored_unnamed(article, s, main, exercises, registered):
    """An unnamed drill with a time of its own ("On November 29, ... flew their ninth joint strategic air
    patrol", "The first joint patrol ..., in July last year"): a new exercise, not the main one, when the main
    one is named or the time is not the article's own month."""
    from .facts import _unquoted

    text = _unquoted(article, s)
    kind = _unnamed_kind(text, text)
    if kind is None or kind[2] == "joint-exercise":
        return None
    when = [
        d
        for d in dates(text)
        if d.kind != "y" and any(p[1] for p in d.points) and (d.start < kind[0] or d.start - kind[1] <= 60)
    ]
    if not when:
        return None
    last = re.match(r",?\s+(?:of\s+)?last year\b", text[when[0].end : when[0].end + 16])
    ay = int(article.date.value[:4]) if article.date else None
    year = when[0].points[0][0] or (ay - 1 if last and ay else ay)
    if main.kind is not None and (
        article.date is None or (year, when[0].points[0][1]) == (ay, int(article.date.value[5:7] or 0))
    ):
        return None  # the main unnamed drill's own time
    eid = f"{kind[2]}-{year}" if year else kind[2]
    if eid not in exercises:
        exercises[eid] = Found(
            eid,
            f"an unnamed {text[kind[0] : kind[1]]!r} with a date of its own; a NEW id from its kind"
            + (" and year" if year else ""),
            kind=kind[2],
            new=eid not in registered,
        )
    return exercises[eid]
