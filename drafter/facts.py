"""What the article says about one exercise, from the sentences that speak of it: its names, year,
dates, status, host, place, length and domains; its counts and participants (counts.py, parties.py).
Each rule proposes a value with the words it rests on, or nothing; the Proposer refuses any value its
quotes do not state (or that its named rule does not derive)."""

import datetime
import re

from scripts.read.lexicon import WEEKDAYS, DateMention, dates, weekdays

from .article import vocab
from .counts import propose_counts
from .draft import Exercise
from .parties import propose_parties

PATROLS = ("joint-air-patrol", "joint-naval-patrol", "joint-patrol")
CUE_WINDOW = 100  # characters before a date in which a start or end cue is looked for
EVENT_CUES = (
    "stage",
    "staged",
    "hold",
    "held",
    "holding",
    "conduct",
    "conducted",
    "flew",
    "fly",
    "flown",
    "took place",
    "take place",
    "takes place",
    "is held",
    "was held",
    "will be held",
    "scheduled for",
    "set for",
)
SITE = re.compile(
    r"(?<![\w’'-])(?P<name>(?:(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|People's|Liberation|Army|"
    r"Navy|Command|Forces|Fleet|The|A|An)\b)[A-Z][\w’'-]{0,30} ){1,3}(?:and (?:[A-Z][\w’'-]{0,30} ){1,3})?"
    r"(?:(?!(?:at|in|of|on|near|the|a|and)\b)[a-z-]+ ){0,2}(?:training ranges?|training grounds?|ranges?|"
    r"polygon|proving ground|firing range|air base|naval base|training base|base))\b"
)
SITE_IN = re.compile(
    r"\b(?:training|tactical|naval|air|military|army|firing)\s+(?:base|range|ground|centre|center)\b"
    r"[^,.;]{0,60}?\b(?:in|at|near)\s+(?P<name>[A-Z][a-z]+)\b"
)
REGION = re.compile(
    r"(?<![\w’'-])(?P<name>(?:[A-Z][\w’'-]{0,30} ){1,3}(?:and (?:[A-Z][\w’'-]{0,30} ){1,3})?"
    r"(?:[Aa]utonomous [Rr]egions?|[Rr]egions?|[Pp]rovinces?|[Oo]blasts?|[Kk]rais?|[Tt]erritory|"
    r"[Pp]eninsula|[Rr]epublic|Military Districts?))\b"
)
PLACE_CUE = re.compile(r"\b(?:in|at|near|off|around|outside|to|of|into|over|across|on)\s+(?:the\s+)?$")
DURATION = re.compile(
    r"\b(?P<d>(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen)-(?:day|week|hour|month))\b(?=\s+(?:[\w-]+\s+){0,3}?(?:exercises?|drills?|"
    r"war ?games?|manoeuvres|maneuvers|patrols?|training|operation|flight|mission)\b)"
)  # not a "73-day standoff"


def _words(table, field, p):
    return p.schema.field(table, field).get("x-words") or {}


def _unquoted(article, s):
    """The sentence with the words inside its quotations (over three words) blanked: a speaker's words,
    not the article's account."""
    text = list(article.text[s.start : s.end])
    if article.dateline is not None and s.start <= article.dateline.start() < s.end:
        for k in range(article.dateline.start() - s.start, min(article.dateline.end(), s.end) - s.start):
            text[k] = " "
    for q in s.quotes:
        if len(article.text[q.start : q.end].split()) > 3:
            for k in range(q.outer_start - s.start, q.outer_end - s.start):
                text[k] = " "
    return "".join(text)


def _body(article, ex):
    """The sentences whose facts are the exercise's: the body's, and for an edition other than the main one
    a photo caption naming it ("... during the Naval Interaction-2012 exercise, April 2012")."""
    roles = ("body",) if ex.main else ("body", "caption")
    return [s for s in ex.sentences if article.role_of[s.line] in roles]


def other_time(article, s, facts):
    """The sentence opens on a time that is not the exercise's ("In July, ... intercepted two bombers" in an
    article on a patrol of October): its numbers and countries are another event's."""
    said = _unquoted(article, s)
    lead = re.match(r"\s*(?:In|Last|Back in|Earlier,? in|Since)\s+", said)
    found = [d for d in dates(said[:40]) if lead and d.start == lead.end() and d.points[0][1]] if lead else []
    if not found:
        return False
    y, m, _ = found[0].points[0]
    own = facts.get("start_date") or facts.get("end_date")
    ref = str(own.value) if own is not None else article.date.value if article.date is not None else None
    if ref is None or len(ref) < 7:
        return False
    return int(ref[5:7]) != m or (y is not None and int(ref[:4]) != y)


# -- names and year ----------------------------------------------------------------------------------
def names(p, article, ex, out):
    # the form the article uses most, else its body's first: "Sever. Vzaimodeistviye-2023 (North.
    # Interaction-2023)" under a headline saying "North. Interaction-2023" is North. Interaction-2023
    uses = {}
    for m in ex.names:
        uses[m.name] = uses.get(m.name, 0) + 1
    own = sorted(
        ex.names, key=lambda m: (-uses[m.name], article.role_of.get(_line_of(article, m.start)) != "body", m.start)
    )
    if not own:
        return
    first = own[0]
    _say(
        out,
        "name",
        p("exercises", "name", first.name, [(first.start, first.end)], "the exercise's name as the article writes it"),
    )
    aliases, seen = [], {first.name}
    dated = any(m.year for m in ex.names)
    for m in sorted(ex.names, key=lambda m: m.start):
        if m.name not in seen and (m.year or not dated):  # "Joint Sea" alone is the series, not a spelling
            seen.add(m.name)
            got = p("exercises", "aliases", m.name, [(m.start, m.end)], "a spelling of its name in the article")
            if got:
                aliases.append(got)
    if aliases:
        out["aliases"] = aliases


def _line_of(article, offset):
    return article.line_at(offset)


def year(p, article, ex, out):
    if ex.year_span:
        m = next((m for m in ex.names if m.year_span == ex.year_span), None)
        span = (m.start, m.end) if m else ex.year_span
        return _say(out, "year", p("exercises", "year", ex.year, [span], "the year in its name"))
    for s in _body(article, ex):
        for d in dates(_unquoted(article, s)):
            y = d.points[0][0]
            if y and d.kind != "y":
                return _say(
                    out,
                    "year",
                    p(
                        "exercises",
                        "year",
                        y,
                        [(s.start + d.start, s.start + d.end)],
                        "the year of a date in a sentence about it",
                    ),
                )
    start = out.get("start_date")
    if start is not None and start.rule == "article-year":
        return _say(
            out,
            "year",
            p(
                "exercises",
                "year",
                int(str(start.value)[:4]),
                start.spans,
                "the year of its start date",
                rule="article-year",
                inference=start.inference,
            ),
        )
    return None


def _say(out, field, proposal):
    if proposal is not None:
        out[field] = proposal
    return proposal


# -- dates -------------------------------------------------------------------------------------------
def _cue(before, cues):
    before = before.lower()
    return next(
        (
            c
            for c in sorted(cues, key=len, reverse=True)
            if re.search(r"(?<![a-z])" + re.escape(c) + r"(?![a-z])", before)
        ),
        None,
    )


def _resolve(p, article, ex, point, spans, planned):
    """[(value, spans, rule, inference)] for a point (year, month, day) a sentence writes: its own year, else
    the year of the exercise's name (rule year-of-name), else of the article's date (article-year)."""
    y, m, d = point
    iso = lambda yy: f"{yy:04d}-{m:02d}" + (f"-{d:02d}" if d else "")  # noqa: E731
    if y:
        return [(iso(y), spans, None, None)]
    out = []
    named = next((n for n in ex.names if n.year), None)
    if named is not None:
        out.append(
            (
                iso(named.year),
                spans + [(named.start, named.end)],
                "year-of-name",
                f"{MONTH_NAMES[m - 1]}{' ' + str(d) if d else ''}, of {named.name}: {named.year}",
            )
        )
    if article.date is not None:
        ay, am = int(article.date.value[:4]), int(article.date.value[5:7] or 0)
        last = any(re.search(r"\blast year\b", article.text[a:b]) for a, b in spans)
        yy = ay - 1 if last else ay + 1 if planned and m < am else ay
        out.append(
            (
                iso(yy),
                spans + [(article.date.start, article.date.end)],
                "article-year",
                f"{MONTH_NAMES[m - 1]}{' ' + str(d) if d else ''}, in an article dated {article.date.value}: {yy}",
            )
        )
    return out


MONTH_NAMES = [datetime.date(2000, i, 1).strftime("%B") for i in range(1, 13)]


def _weekday(p, article, s, start, end, name, planned):
    """A weekday resolved against the article's date (rule weekday)."""
    day = article.date.day if article.date else None
    if day is None:
        return None
    target = WEEKDAYS.index(name)
    if planned:
        delta = (target - day.weekday()) % 7
        value = day + datetime.timedelta(days=delta)
    else:
        value = day - datetime.timedelta(days=(day.weekday() - target) % 7)
    return (
        value.isoformat(),
        [(start, end), (article.date.start, article.date.end)],
        "weekday",
        f"'{name}' in an article dated {day:%A %d %B %Y}: {value:%A %d %B %Y}",
    )


# words of a sentence about the drill itself: the drill, what it is done with, what its forces do
DRILL_WORDS = (
    r"\b(?:exercises?|drills?|manoeuvres|maneuvers|patrols?|operation|it|they|warships|ships|vessels|bombers|"
    r"aircraft|troops|servicemen|soldiers|training|sailed|flew|voyage)\b"
)


# "the drill has run since Monday", "had been training together ... since 11 September": its own start
RUNNING_SINCE = re.compile(
    r"\b(?:has|have|had)\s+(?:been\s+)?(?:run|running|under\s?way|going on|held|training|drilling|taking place|"
    r"exercising)\b[^.;]{0,60}\bsince\s+$",
    re.I,
)
STAGE_STARTS, STAGE_ENDS = ("first", "opening", "initial"), ("final", "last", "closing", "concluding")


def _planned_here(before, planned):
    """Whether the words right before a weekday tell of what is still to come: "will open on Friday", or
    ("opened on Thursday") of what is done, whatever the rest of the article tells."""
    if re.search(r"\b(?:will|to be|is to|are to|set to|scheduled|expected|due|planned|plans?)\b", before[-40:]):
        return True
    if re.search(
        r"\b(?:\w+ed|began|begun|held|took|flew|sailed|met|kicked off|wrapped up)\s+(?:\w+\s+){0,3}?$", before
    ):
        return False
    return planned


def dates_of(p, article, ex, out, planned):
    """Its first and last day: a range of dates ("from April 29 to May 4", "between July 20 and 23") first,
    then a date or weekday after a word of starting or ending ("began on", "until July 23", "closed on
    Saturday"), then the day a one-day event is held ("will stage ... on Friday"). A day without its year
    takes it from the exercise's name (rule year-of-name) or the article's date (article-year); a weekday
    is resolved against the article's date (weekday)."""
    v = vocab()
    candidates = []  # (priority, order, field, point or "weekday", spans or resolved, why)
    for order, s in enumerate(_body(article, ex)):
        said = _unquoted(article, s)
        if (
            order > 0
            and not (ex.names and any(s.start <= n.start < s.end for n in ex.names))
            and not re.search(DRILL_WORDS, said, re.I)
        ):
            continue  # past the lead, a sentence naming neither it, a drill nor its forces dates something else
        for d in dates(said):
            if d.kind == "y" or not any(pt[1] for pt in d.points):
                continue
            before = re.split(r"[.;]", said[max(0, d.start - CUE_WINDOW) : d.start])[-1]
            since = re.search(r"\bsince\b[^,;]*$", before, re.I)
            if since and not RUNNING_SINCE.search(before) or re.search(r"\blast\s+$", before, re.I):
                continue  # "since China began sending warships ... last December": another event's time
            span = [(s.start + d.start, s.start + d.end)]
            lead = (
                re.search(
                    r"\b(?:in|since|until|till|by|during|from|through|of|before|after|this|next|last|early|"
                    r"late|mid)[\s-]+$",
                    said[max(0, d.start - 12) : d.start],
                    re.I,
                )
                if d.kind == "m"
                else None
            )
            if lead:  # "in July": a month alone is a date only with its preposition, in the quote as in the text
                span = [(s.start + d.start - len(lead.group(0)), s.start + d.end)]
            last = re.match(r",?\s+(?:of\s+)?last year\b", said[d.end : d.end + 16])  # "in July last year"
            if last and not d.points[0][0]:
                span = [(span[0][0], s.start + d.end + last.end())]
            of_month = re.search(r"\b(?:end|beginning|start|middle|turn)\s+of\s+(?:the\s+)?$", before, re.I)
            if of_month:  # "at the end of July" is a time in July, not an end
                before = before[: of_month.start()]
            stage = re.search(r"\b(\w+)\s+(?:phase|stage)\b", before, re.I)
            part = stage and stage.group(1).lower()  # "the active phase is set for": a part of it, not its span
            if stage and part not in STAGE_STARTS + STAGE_ENDS:
                continue
            if len(d.points) == 2 and not stage:
                candidates.append(
                    (0, order, "start_date", d.points[0], span, "a range of dates in a sentence about it")
                )
                candidates.append((0, order, "end_date", d.points[1], span, "a range of dates in a sentence about it"))
            elif _cue(before, v["end_cues"]) or part in STAGE_ENDS:
                candidates.append(
                    (
                        1,
                        order,
                        "end_date",
                        d.points[0],
                        span,
                        f"an end ({_cue(before, v['end_cues'])!r}) before the date",
                    )
                )
            elif (_cue(before, v["start_cues"]) or part in STAGE_STARTS or since) and part not in STAGE_ENDS:
                candidates.append(
                    (
                        1,
                        order,
                        "start_date",
                        d.points[0],
                        span,
                        f"a start ({_cue(before, v['start_cues'])!r}) before the date",
                    )
                )
            elif _cue(before, EVENT_CUES) and d.points[0][2]:
                candidates.append((2, order, "start_date", d.points[0], span, "the day it is held"))
            elif ex.kind and order == 0:  # an unnamed drill told by its time: "The first joint patrol, in July"
                candidates.append((3, order, "start_date", d.points[0], span, "the time its first sentence gives it"))
        for a, b, name in weekdays(said):
            if re.match(r",?\s+(?:" + "|".join(MONTH_NAMES) + r")\b", said[b : b + 12]):
                continue  # "Monday, December 30": the date says it
            before = re.split(r"[.;]", said[max(0, a - CUE_WINDOW) : a])[-1]
            after = said[b : b + 40]
            if re.search(r"\b(?:said|says|announced|reported|told [\w ]{1,30}?)\s+(?:on\s+)?$", before):
                continue  # "the Coast Guard said Tuesday": the day it was said
            field, priority = None, 1
            if _cue(before, v["end_cues"]):
                field = "end_date"
            elif (
                _cue(before, v["start_cues"])
                or RUNNING_SINCE.search(before)
                or re.match(
                    r"\s+(?:\w+\s+){0,2}?(?:began|begun|opened|launched|kicked off|started|attended the opening)\b",
                    after,
                )
            ):
                field = "start_date"
            elif _cue(before, EVENT_CUES):
                field, priority = "start_date", 2
            elif ex.kind in PATROLS and order == 0:  # "... bombers flew together ... on Tuesday": the patrol's day
                field, priority = "start_date", 3
            if field:
                got = _weekday(
                    p,
                    article,
                    s,
                    s.start + a - len(before),
                    s.start + b + (len(after) if field == "start_date" and not before else 0),
                    name,
                    _planned_here(before, planned),
                )
                if got:
                    candidates.append(
                        (
                            priority,
                            order,
                            field,
                            "weekday",
                            got,
                            f"a weekday ({name}) with a " + ("start" if field == "start_date" else "end") + " word",
                        )
                    )
    for field in ("start_date", "end_date"):
        for _, _, _, point, span, why in sorted(c for c in candidates if c[2] == field):
            if point == "weekday":
                value, spans, rule, inference = span
                prop = p("exercises", field, value, spans, why, key=(ex.exercise_id,), rule=rule, inference=inference)
            else:
                prop = None
                for value, spans, rule, inference in _resolve(p, article, ex, point, span, planned):
                    prop = p(
                        "exercises", field, value, spans, why, key=(ex.exercise_id,), rule=rule, inference=inference
                    )
                    if prop is not None:
                        break
            if prop is not None and ex.year and str(prop.value)[:4] != str(ex.year):
                continue  # a date of another year than its name's: another event's
            if prop is not None:
                out[field] = prop
                if field == "start_date":
                    p.start_dates[ex.exercise_id] = value
                break
    start, end = out.get("start_date"), out.get("end_date")
    if start and end and str(end.value)[: len(str(start.value))] < str(start.value)[: len(str(end.value))]:
        out.pop("end_date")  # an end before the start: one of them belongs to something else
    if start and not end and ex.kind == "joint-air-patrol" and len(str(start.value)) == 10:
        # a joint air patrol is one flight: the day the article says it was flown is its first and last day
        got = p(
            "exercises",
            "end_date",
            start.value,
            start.spans,
            "the day of a one-flight air patrol",
            key=(ex.exercise_id,),
            rule=start.rule,
            inference=start.inference,
        )
        if got is not None:
            out["end_date"] = got


# -- status ------------------------------------------------------------------------------------------
def _by_dates(article, out):
    """held, ongoing or planned as of the article, where its own date and the exercise's days tell."""
    today = article.date.value if article.date else None
    start, end = (str(out[f].value) if f in out else None for f in ("start_date", "end_date"))
    if not today:
        return None
    if end and len(end) == 10 and end < today:
        return "held"
    if start and start[:7] > today[:7] or start and len(start) == 10 and start > today:
        return "planned"
    if start and len(start) == 10 and start <= today and end and len(end) == 10 and today < end:
        return "ongoing"
    return None


def status(p, article, ex, out):
    """The exercise's status as of the article: from its days and the article's date where they tell, else
    from the first word of tense in the lead sentences about it ("will", "began", "concluded"); the quote is a
    sentence holding a word of that status (schema x-words)."""
    words = _words("exercises", "status", p)
    sentences = _body(article, ex)
    headline = [s for s in ex.sentences if article.role_of.get(s.line) == "headline"]
    decided = _by_dates(article, out)
    if decided is None:
        for s in headline + sentences[:3]:
            said = _unquoted(article, s)
            hits = [(_first_word(said, words[v]), v) for v in words]
            # "Since Beijing and Moscow began exercising together": the time of something before it
            hits = [(h[0], v) for h, v in hits if h and not re.search(r"\bsince\b[^,;.]*$", said[: h[0]], re.I)]
            if hits:
                decided = min(hits)[1]
                break
    if decided is None:
        return
    for s in sentences + headline:
        said = _unquoted(article, s)
        hit = _first_word(said, words[decided])
        if hit:
            got = p("exercises", "status", decided, [(s.start, s.end)], f"the wording {said[hit[0] : hit[1]]!r}")
            if got:
                out["status"] = got
                return
    days = [out[f].spans[0] for f in ("start_date", "end_date") if f in out]
    if days and article.date is not None:  # no word of it: the days against the article's own date
        got = p(
            "exercises",
            "status",
            decided,
            days + [(article.date.start, article.date.end)],
            "its days against the article's date",
            rule="status-by-dates",
            inference=f"its days as the article gives them, against the article's date {article.date.value}: {decided}",
        )
        if got:
            out["status"] = got


def _first_word(text, words):
    low = text.lower()
    best = None
    for w in words:
        m = re.search(r"(?<![a-z])" + re.escape(w.lower()) + r"(?![a-z])", low)
        if m and (best is None or m.start() < best[0]):
            best = m.span()
    return best


# -- place -------------------------------------------------------------------------------------------
GOVERNS = re.compile(
    r"\b(?:exercises?|drills?|manoeuvres|maneuvers|war games|patrols?|held|hold|holding|take place|"
    r"takes place|took place|taking place|staged?|run|runs|running|conducted|begins?|began|starts?|started|"
    r"launched|opens?|opened|ends?|ended|closes?|closed|concluded?|concludes|gather|practi[sc](?:e|ed|ing)|trained|"
    r"drilled|exercised|phases?|stages?|"
    r"action)\b"
    r"(?![^.;]{0,70}\b(?:known|called|named)\b)[^.;]{0,70}$",
    re.I,
)
WATERS_OF = re.compile(
    r"\b(?:(?:nearby|coastal|territorial)\s+)?(?:waters|sea areas?|airspace)(?:\s+and\s+(?:airspace|waters|"
    r"sea areas?))?\s+(?:\w+\s+){0,2}?(?:off|near|of|around|outside)\s+(?:the\s+)?(?:coast of\s+)?"
    r"(?:the\s+(?:port|city) of\s+)?[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
)
APPOSITIVE = re.compile(
    r",\s+(?:(?:a|an|the)\s+[^,;.]{0,40}?\s+)?(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:[A-Z][\w-]+(?:'s|’s)\s+)?"
)
ABBREVIATED = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|St|Mt|Col|Gen|Adm|Capt|Lt)\.")


def _governed(before):
    """A word of the exercise governs what follows: "drills ... in the Yellow Sea" ("Aug. 20-28" ends nothing)."""
    return GOVERNS.search(ABBREVIATED.sub(r"\1 ", before)) is not None


# a place where someone speaks or meets, not where the drill is held
SEAT = re.compile(
    r"\b(?:ministry|ministries|office|headquarters|embassy|spokes\w+|officials?|briefing|press conference|"
    r"news conference|reporters|journalists|summit|talks|meeting|visit)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:in|at)\s+(?:the\s+)?$|"
    r"\b(?:press service|press office|spokes\w+|commander|chief|head|ministry|headquarters)\s+of\s+(?:the\s+)?$",
    re.I,
)
NOT_PLACE_AFTER = re.compile(r"^\s*(?:Fleet|Command|Theater|Theatre|Military|Naval|Navy)\b")


def _candidates(article, said, cities):
    """(specificity rank, start, end, precision) of the places a sentence names; 0 is the most specific."""
    out = []
    seas = article.places.sea_areas(said)
    for m in SITE.finditer(said):
        out.append((0, m.start("name"), m.end("name"), "site"))
    for m in SITE_IN.finditer(said):
        out.append((0, m.start("name"), m.end("name"), "site"))
    for m in REGION.finditer(said):
        a = m.start("name")
        poss = re.match(r"(?:[A-Z][\w-]+(?:'s|’s)\s+)", said[a : m.end("name")])
        out.append((2, a + (poss.end() if poss else 0), m.end("name"), "region"))
    for a, b, _ in seas:
        if not NOT_PLACE_AFTER.match(said[b : b + 12]):
            side = re.search(
                r"\b(?:(?:north|south|east|west)(?:ern|-eastern|-western|eastern|western)?|central|the "
                r"(?:northern|southern|eastern|western|central)(?: and (?:northern|southern|eastern|western|"
                r"central))? parts? of the)\s+(?:the\s+)?$",
                said[max(0, a - 50) : a],
                re.I,
            )
            out.append((3, a - (len(side.group(0)) if side else 0), b, "sea area"))
    for m in WATERS_OF.finditer(said):  # "waters off Qingdao", "sea areas and airspace near Zhanjiang"
        end = m.end()
        for a, b, _ in seas:  # "waters and airspace of the Sea of Japan and the Sea of Okhotsk": the seas whole
            if a < end <= b or a == end or (end < a and re.fullmatch(r",?\s+and\s+(?:the\s+)?", said[end:a])):
                end = max(end, b)
        out.append((3, m.start(), end, "sea area"))
    for m in re.finditer(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b", said):
        if (
            m.group(0) in cities
            and PLACE_CUE.search(said[max(0, m.start() - 20) : m.start()])
            and not re.search(r"\baccording to\s+$", said[max(0, m.start() - 20) : m.start()])
            and not NOT_PLACE_AFTER.match(said[m.end() : m.end() + 12])
        ):
            if not any(x <= m.start() < y for _, x, y, _ in out):
                near = re.search(
                    r"\b(?:near|off|outside|around|close to)\s+(?:the\s+)?(?:port of\s+|city of\s+)?$",
                    said[max(0, m.start() - 25) : m.start()],
                )
                out.append((3.5 if near else 1, m.start(), m.end(), "city"))  # "near Vladivostok": a landmark
    for a, b, _ in article.places.countries(said):
        if (
            re.search(r"\b(?:in|to|inside)\s+$", said[max(0, a - 8) : a])
            and not re.search(
                r"\b(?:close|next|due|according|compared|similar|closer)\s+to\s+$", said[max(0, a - 14) : a]
            )
            and said[b : b + 2] not in ("'s", "’s")
        ):
            out.append((4, a, b, "country"))
    # a name inside a longer place is part of it: "Astrakhan" in "the Astrakhan and Chelyabinsk regions"; a
    # region or country only describing the place before it is no place of the exercise ("in and around
    # Qingdao, a port city in east China's Shandong province", "in Urumqi, in China's Xinjiang region")
    return [
        c
        for c in out
        if not any(
            o is not c and o[1] <= c[1] and c[2] <= o[2] and (o[2] - o[1] > c[2] - c[1] or o[0] < c[0]) for o in out
        )
        and not (
            c[3] in ("region", "country")
            and any(o[2] <= c[1] and APPOSITIVE.fullmatch(said[o[2] : c[1]]) for o in out if o[3] in ("city", "site"))
        )
    ]


def places(p, article, ex, out):
    """The place the sentences about it say it is held in: of the places they name, the first one an
    exercise word governs ("drills ... in the Yellow Sea"), else the most precise of the first sentence
    naming any; with its precision."""
    from .places import city_names

    cities, best = city_names(), None
    named = [(m.start, m.end) for m in ex.names]
    patrol = ex.kind in PATROLS  # flown or sailed over the sea: a city is where people met
    for order, s in enumerate(_body(article, ex)[:8]):
        said = _unquoted(article, s)
        for rank, a, b, precision in _candidates(article, said, cities):
            if any(s.start + a < y and x < s.start + b for x, y in named):
                continue  # "Pacific" in "Pacific Patrol-2024": a name, not a place
            if SEAT.search(said[max(0, a - 60) : a]):
                continue  # "the defence ministry in Moscow said", "told reporters in Beijing": who speaks, where
            # an exercise word or the exercise's own name just before it: "Joint Sea-2024 in the waters near Zhanjiang"
            governed = _governed(said[max(0, a - 80) : a]) or any(0 <= s.start + a - y <= 8 for _, y in named)
            score = (
                precision == "country",
                patrol and precision != "sea area",
                not governed,
                order if governed else order + 100,
                rank,
                a,
            )
            if best is None or score < best[0]:
                best = (score, s, said, a, b, precision)
    if best is None:
        return
    _, s, said, a, b, precision = best
    value = said[a:b]
    got = p(
        "exercises",
        "location",
        value,
        [(s.start + a, s.start + b)],
        f"a {precision} a sentence about it names" + (" after a word of the exercise" if not best[0][2] else ""),
    )
    if got:
        out["location"] = got
        wide = [(s.start + max(0, a - 40), s.start + min(len(said), b + 40))]
        prec = (
            p(
                "exercises",
                "location_precision",
                precision,
                [(s.start + a, s.start + b)],
                f"the place named is a {precision}",
            )
            or p("exercises", "location_precision", precision, wide, f"the place named is a {precision}")
            or (
                precision == "city"
                and p(
                    "exercises",
                    "location_precision",
                    "city",
                    [(s.start + a, s.start + b)],
                    "the place named is a city of the gazetteer",
                    rule="gazetteer-city",
                    inference=f"{value} is a city of the GeoNames gazetteer",
                )
            )
        )
        if prec:
            out["location_precision"] = prec


HOSTED = [
    re.compile(
        r"(?<![\w’'.-])(?P<c>[A-Z][\w’'. -]{1,40}?) (?:is hosting|hosts (?:the|this|a)\b|hosted (?:the|this|a)\b|"
        r"will host|is the host|was the host|host country)"
    ),
    re.compile(r"\bhosted by (?:the )?(?P<c>[A-Z][\w’'. -]{1,40})"),
    re.compile(r"(?<![\w’'.])(?P<c>[A-Z][\w’'.]{0,30})-hosted\b"),
    re.compile(
        r"\bon (?P<c>[A-Z][\w’'.]{0,30}) (?:soil|territory)\b|"
        r"\bon the (?:soil|territory) of (?P<c2>[A-Z][\w’'. ]{0,30})"
    ),
    # one country holding it: "the exercise that Russia is to hold", not "China and Russia will hold"
    re.compile(
        r"(?<!\band )(?<!, )(?<![\w’'.-])(?P<c>[A-Z][\w’'.]{2,30}) (?:is to hold|will hold|is holding|"
        r"hosts|is staging|will stage)\b(?! joint\b)"
    ),
]


def host(p, article, ex, out):
    """The host: the country an article says hosts it ("China is hosting", "China-hosted"); else the one
    country its sentences place it in ("drills in Tajikistan", "in China's Inner Mongolia", "Russia's
    Tsentr-2019"), rule host-is-where-held. Two countries, or only a sea, give no host."""
    sentences = _body(article, ex) + [s for s in ex.sentences if article.role_of.get(s.line) == "headline"]
    for s in sentences:
        said = _unquoted(article, s)
        for rx in HOSTED:
            for m in rx.finditer(said):
                g = "c" if m.group("c") else "c2"
                found = article.places.countries(said[m.start(g) : m.end(g)])
                if found:
                    got = p(
                        "exercises",
                        "host_country",
                        found[-1][2],
                        [(s.start + m.start(), s.start + m.end())],
                        "the article says which country hosts it",
                    )
                    if got:
                        out["host_country"] = got
                        return
    precision = out.get("location_precision")
    if precision is not None and precision.value == "sea area" or ex.kind in PATROLS:
        _home_waters(p, article, out)
        return  # a drill at sea or a patrol is held in no country's territory, unless by a city of one
    weak = {}
    names = [(m.start, m.end) for m in ex.names]
    for s in sentences:
        said = _unquoted(article, s)
        for a, b, code in article.places.countries(said):
            after, before = said[b : b + 40], said[max(0, a - 80) : a]
            own = any(s.start + b <= x <= s.start + b + 3 for x, _ in names) and re.match(r"(?:'s|’s)\s", after)
            placed = re.search(
                r"\b(?:in|inside|on the territory of)\s+(?:the\s+)?(?!(?:which|whom|that)\b)(?:\w+\s+)?$", before[-30:]
            ) and (_governed(before) or re.match(r"(?:'s|’s)\s+[A-Z]", after))
            region = re.match(
                r"(?:'s|’s)\s+(?:[\w-]+\s+){0,3}(?:[Rr]egion|[Pp]rovince|[Oo]blast|[Kk]rai|[Rr]epublic|"
                r"Autonomous Region|[A-Z][a-z]+)",
                after,
            ) and _governed(before)
            if (own or placed or region) and not SEAT.search(before[-60:]):
                weak.setdefault(code, (s.start + max(0, a - 60), min(s.end, s.start + b + 20)))
    from .places import city_countries

    seen = set(weak)
    for s in _body(article, ex):  # a city of another country where it is also held: no one host
        said = _unquoted(article, s)
        for m in re.finditer(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b", said):
            where = city_countries().get(m.group(0))
            if (
                where
                and len(where) == 1
                and _governed(said[max(0, m.start() - 80) : m.start()])
                and PLACE_CUE.search(said[max(0, m.start() - 20) : m.start()])
            ):
                seen |= where
    if len(weak) == 1 and len(seen) == 1:
        code, span = next(iter(weak.items()))
        got = p(
            "exercises",
            "host_country",
            code,
            [span],
            "the one country the article places it in",
            rule="host-is-where-held",
            inference="the exercise is held in (or is the own exercise of) this country",
        )
        if got:
            out["host_country"] = got


def _home_waters(p, article, out):
    """Waters off a city the same sentence places in a country ("the waters east of Zhanjiang, a port city in
    south China's Guangdong Province") are that country's: it holds the drill (rule host-is-where-held)."""
    location = out.get("location")
    if location is None or not WATERS_OF.fullmatch(location.value):
        return
    a, b = location.spans[0]
    line_end = article.text.find("\n", b)
    after = article.text[b : min(b + 90, line_end if line_end >= 0 else len(article.text))]
    m = re.match(
        r"[^.;]{0,40}?\bin (?:the )?(?:(?:north|south|east|west)\w*\s+)?(?P<c>[A-Z][\w-]+)(?:'s|’s)\s+[A-Z]", after
    )
    found = article.places.countries(m.group("c")) if m else []
    if found:
        got = p(
            "exercises",
            "host_country",
            found[0][2],
            [(a, b + m.end())],
            "the waters of a city the article places in this country",
            rule="host-is-where-held",
            inference="drills in a country's waters are held by it",
        )
        if got:
            out["host_country"] = got


def duration(p, article, ex, out):
    for s in _body(article, ex):
        m = DURATION.search(_unquoted(article, s))
        if m:
            got = p(
                "exercises",
                "duration",
                m.group("d"),
                [(s.start + m.start(), s.start + m.end())],
                "its length as stated",
            )
            if got:
                out["duration"] = got
                return


def domains(p, article, ex, out):
    words = _words("exercises", "domains", p)
    found = []
    for value, ws in words.items():
        for s in _body(article, ex):
            hit = _first_word(_unquoted(article, s), ws)
            if hit:
                got = p(
                    "exercises",
                    "domains",
                    value,
                    [(s.start + hit[0], s.start + hit[1])],
                    f"{article.text[s.start + hit[0] : s.start + hit[1]]!r} names {value} forces",
                )
                if got:
                    found.append(got)
                    break
    if found:
        out["domains"] = found


def propose_facts(p, article, ex, found):
    """The Exercise of the draft for one found exercise."""
    out = {}
    planned = False
    names(p, article, ex, out)
    for s in _body(article, ex)[:3]:
        if re.search(r"\b(?:will|scheduled|to be held|is set to|are set to|plans? to)\b", _unquoted(article, s)):
            planned = True
            break
    dates_of(p, article, ex, out, planned)
    year(p, article, ex, out)
    status(p, article, ex, out)
    places(p, article, ex, out)
    host(p, article, ex, out)
    duration(p, article, ex, out)
    domains(p, article, ex, out)
    result = Exercise(ex.why + ("; the main exercise of the article" if ex.main else ""), ex.new, out)
    propose_parties(p, article, ex, result)
    propose_counts(p, article, ex, result)
    return result


__all__ = ["propose_facts", "DateMention"]
