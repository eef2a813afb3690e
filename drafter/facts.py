"""What the article says about one exercise, field by field, from the sentences that speak of it:
name and aliases, series, year and dates, status, host and location, troops, duration, domains,
activities, firsts, description. Each rule proposes a value with its quote, or nothing."""
import datetime
import re

from . import vocab
from .dates import FULL_DATE, RANGE, dm_of, full_date, weekday_before
from .exercises import _unquoted
from .vocab import MONTH_RE, MONTHS, WEEKDAYS

GLOSS_AFTER = re.compile(r"[”\"]?\s*\((?P<gloss>[A-Z][\w ]{1,30})\)")
DURATION = re.compile(r"\b(?P<d>(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                      r"thirteen|fourteen|fifteen)-(?:day|week|hour|month))\b")
NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(vocab.NUMBER_WORDS) + r")"
TROOPS = re.compile(rf"(?:(?P<q>{'|'.join(q for _, q in vocab.QUALIFIERS)})\s+)?{NUMBER}\s+(?:{vocab.TROOP_NOUN})\b",
                    re.IGNORECASE)
ACTIVITIES = re.compile(r"\b(?:will |to )?(?:test|practi[cs]e|rehearse|train in|work out)\s+(?P<list>[^.;“”\"]+)")
STARTED = re.compile(rf"\b(?P<verb>kicked off|began|begun|started|opened|launched)\b[^.]*?\b(?:on )?(?P<day>{'|'.join(WEEKDAYS)})\b")
HOSTED = [
    re.compile(r"(?P<c>[A-Z][\w.]*(?: [A-Z][\w.]*)?)-hosted\b"),
    re.compile(r"(?P<c>[A-Z][\w.]*(?: [A-Z][\w.]*)?)['’]s (?:[\w“”\"()]+ ){0,4}?(?:exercises|drills|maneuvers|manoeuvres)\b"),
    re.compile(r"\b(?:send|sends|sent|dispatch(?:es|ed)?|deploy(?:s|ed)?)\b (?:[\w-]+ ){0,5}?to (?P<c>[A-Z][\w.]*(?: [A-Z][\w.]*)?)"),
    re.compile(r"\b(?:exercises?|drills?|held|run|take place|hosted)\b (?:[\w-]+ ){0,2}?in (?:the )?(?:[\w-]+ )?(?P<c>[A-Z][\w.]*(?: [A-Z][\w.]*)?)"),
]
REGION = re.compile(r"\b(?P<loc>[A-Z][\w-]+(?: [A-Z][\w-]+)* (?:[Aa]utonomous )?(?:[Rr]egion|[Pp]rovince|[Oo]blast|[Kk]rai))\b")
NEAR = re.compile(rf"\b(?:{vocab.EXERCISE_NOUN}|drills?)\s+(?P<loc>(?:near|close to|off)\b[^,.;]*)")
SENT_TO = re.compile(r"\b(?:send|sends|sent)\b (?:[\w-]+ ){0,5}?to (?P<loc>[A-Z][a-z]+)\b")
FIRST = re.compile(r"\bthe first\b(?! (?:half|week|day|days|month|quarter|of)\b)")
FOR_FIRST = re.compile(r"\bfor the first time\b")
LEAD_CUT = re.compile(rf"^(?:(?:In|By|On) (?:{MONTH_RE}|(?:19|20)\d\d)|According to [^,]+|As part of [^,]+),\s+")
REACTION = re.compile(r"\bforc(?:ed|ing|es)\b[^,.;]*")   # "forcing the latter to launch fighter jets": another's forces
TAIL_CUT = re.compile(rf",\s+(?:according to\b.*|forcing\b.*|(?:the|a|an) [^,]*?\b(?:{vocab.ATTRIBUTION})\b.*)$")


def _iso_month(year, month):
    return f"{year:04d}-{month:02d}"


class Facts:
    def __init__(self, p, article, ex, exercises):
        self.p, self.article, self.text, self.ex = p, article, article.text, ex
        self.others = exercises
        self.out = {}
        self.year_basis = None      # how the exercise's year is known: name, anchor, article, register

    def say(self, name, proposal):
        if proposal is not None and name not in self.out:
            self.out[name] = proposal
        return proposal

    def sentences(self):
        return self.ex.sentences

    def context(self):
        """Its sentences, and for the main exercise the others of their paragraphs that name no exercise
        ("According to the Kommersant business daily, Russian troops will use … for the first time")."""
        if not self.ex.main:
            return self.ex.sentences
        paras = {s.paragraph for s in self.ex.sentences}
        named = [(a, b) for e in self.others.values() for a, b in e.names]
        out = list(self.ex.sentences)
        for s in self.article.body:
            if s.paragraph in paras and not s.heading and not s.caption and all(x.start != s.start for x in out) \
                    and not any(s.start <= a < s.end for a, _ in named):
                out.append(s)
        return sorted(out, key=lambda s: s.start)

    # -- name ---------------------------------------------------------------------------------
    def names(self):
        spellings, aliases = [], []
        for a, b in self.ex.names:
            n = self.text[a:b]
            if n not in spellings:
                spellings.append(n)
                aliases.append(self.p.claim("exercises", "aliases", n, [(a, b)], "a spelling of the name in the article"))
            g = GLOSS_AFTER.match(self.text, b)
            if g and g.group("gloss") not in spellings:
                spellings.append(g.group("gloss"))
                aliases.append(self.p.claim("exercises", "aliases", g.group("gloss"), [(a, b + g.end())],
                                            "the article's English gloss of the name, in brackets after it"))
        if spellings:
            a, b = self.ex.names[0]
            self.say("name", self.p.claim("exercises", "name", spellings[0], [(a, b)], "the name as the article first writes it"))
            self.out["aliases"] = [x for x in aliases if x]
            base = re.sub(r"[- ](?:19|20)\d\d$", "", spellings[0])
            if base in vocab.SERIES:
                self.say("series", self.p.claim("exercises", "series", base, [(a, b)],
                                                "the name is a known recurring series (vocab.SERIES)"))

    # -- year and dates -----------------------------------------------------------------------
    def year(self):
        ex, art = self.ex, self.article
        if ex.year and ex.year_span:
            self.year_basis = "name" if ex.named and any(a == ex.year_span[0] for a, _ in ex.names) else "anchor"
            return self.say("year", self.p.claim("exercises", "year", ex.year, [ex.year_span],
                                                 f"the year written {'in the name' if self.year_basis == 'name' else 'in its sentence'}"))
        if art.date:
            self.year_basis = "article"
            return None  # given with a date below, from the article's own date
        known = ex.known
        if known and len(known.years) == 1:
            (y,), self.year_basis = tuple(known.years), "register"
            self.ex.year = y
            span = ex.names[0] if ex.names else (ex.sentences[0].start, ex.sentences[0].end) if ex.sentences else None
            if span is None:
                return None
            return self.say("year", self.p.claim(
                "exercises", "year", y, [span],
                f"the register's {known.exercise_id} (curated from {', '.join(sorted(known.sources))}) is of {y}",
                inference=f"the article states no year; the exercise is {known.exercise_id}, which the project's other "
                          f"articles date to {y} (outside knowledge: another article's curation)",
                basis="outside"))
        return None

    def _year_for(self, month=None):
        """(year, inference words, basis) for a date without a year in the article."""
        art, ex = self.article, self.ex
        if art.date:
            y = art.date.year
            return y, f"the article's date {art.date.isoformat()}", None
        if ex.year:
            if self.year_basis == "register":
                return ex.year, f"the year {ex.year} the register gives {ex.exercise_id} (outside knowledge)", "outside"
            return ex.year, f"the year {ex.year} written with the exercise", None
        return None, None, None

    def dates(self):
        text, p = self.text, self.p
        for s in self.sentences():
            said = _unquoted(text, s)
            m = FULL_DATE.search(said)
            if m and RANGE.search(said) is None:
                d = full_date(m)
                return self.say("start_date", p.claim("exercises", "start_date", d.isoformat(),
                                                       [(s.start + m.start(), s.start + m.end())], "a full date in a sentence about it"))
            m = RANGE.search(said)
            if m:
                y, whence, basis = self._year_for()
                if y is None:
                    continue
                span = [(s.start + m.start(), s.start + m.end())]
                extra = [(self.article.dated.start, self.article.dated.end)] if self.article.dated else []
                for field, part in (("start_date", "a"), ("end_date", "b")):
                    month, day = dm_of(m, part)
                    year = y + 1 if field == "end_date" and month < dm_of(m, "a")[0] else y
                    self.say(field, p.claim("exercises", field, datetime.date(year, month, day).isoformat(), span + extra,
                                            "a range of days in a sentence about it",
                                            inference=f"{MONTHS[month - 1]} {day} as the article writes it; the year from {whence}",
                                            basis=basis))
                if "year" not in self.out and self.year_basis == "article":
                    self.say("year", p.claim("exercises", "year", y, span + extra, "the year of its dates",
                                             inference=f"the dates {text[span[0][0]:span[0][1]]!r}, in an article dated {self.article.date.isoformat()}"))
                return
        self._weekday_start() or self._month() or self._year_only()

    def _weekday_start(self):
        art, text = self.article, self.text
        if not art.date:
            return None
        for s in self.sentences():
            m = STARTED.search(text, s.start, s.end)
            if m:
                day = weekday_before(art.date, m.group("day"), include_same=True)
                d = art.dated
                start = self.say("start_date", self.p.claim(
                    "exercises", "start_date", day.isoformat(),
                    [m.span("verb"), m.span("day"), (d.start, d.end)],
                    "began on a weekday, resolved against the article's date",
                    inference=f"{m.group('verb')!r} on {m.group('day')} in an article dated {d.date:%A %d %B %Y}: "
                              f"{day:%A %d %B %Y}"))
                self._end_from_duration(day, m)
                self.say("year", self.p.claim("exercises", "year", day.year, [(d.start, d.end)], "the year of its start",
                                              inference=f"it began {day.isoformat()}"))
                return start
        return None

    def _end_from_duration(self, start, m):
        for s in self.sentences():
            d = DURATION.search(self.text, s.start, s.end)
            if d and d.group("d").endswith("-day"):
                n = d.group("d").split("-")[0]
                n = int(n) if n.isdigit() else vocab.NUMBER_WORDS.get(n)
                if n:
                    end = start + datetime.timedelta(days=n - 1)
                    self.say("end_date", self.p.claim(
                        "exercises", "end_date", end.isoformat(), [(d.start(), d.end()), (m.start("day"), m.end("day"))],
                        "its length in days, counted from its start",
                        inference=f"{d.group('d')} from {start:%A %d %B %Y} (start_date): ending {end:%A %d %B %Y}"))
                return

    def _month(self):
        """A month without a day: "In June, …", "joint drills in August": the month, its year from
        the article's date or the exercise's year; "during the first half of August": it ends then too."""
        for s in self.sentences():
            m = re.search(rf"\b(?:during|in) (?:the first half of |the second half of |mid-|early |late )(?P<m>{MONTH_RE})\b",
                          _unquoted(self.text, s))
            y, whence, basis = self._year_for()
            if m and y:
                month = MONTHS.index(m.group("m")) + 1
                spans = [(s.start + m.start(), s.start + m.end())]
                if self.article.dated:
                    spans.append((self.article.dated.start, self.article.dated.end))
                for field in ("start_date", "end_date"):
                    self.say(field, self.p.claim("exercises", field, _iso_month(y, month), spans,
                                                 "a part of a month named in a sentence about it",
                                                 inference=f"{m.group(0)!r}: within {m.group('m')}; the year from {whence}",
                                                 basis=basis))
                break
        for s in self.sentences():
            said = _unquoted(self.text, s)
            m = re.search(rf"\b[Ii]n (?:mid-|the first half of |early |late )?(?P<m>{MONTH_RE})\b", said)
            if m:
                y, whence, basis = self._year_for()
                if y is None:
                    return None
                month = MONTHS.index(m.group("m")) + 1
                spans = [(s.start + m.start(), s.start + m.end())]
                if self.article.dated:
                    spans.append((self.article.dated.start, self.article.dated.end))
                got = self.say("start_date", self.p.claim("exercises", "start_date", _iso_month(y, month), spans,
                                                          "a month named in a sentence about it",
                                                          inference=f"{m.group('m')}; the year from {whence}", basis=basis)) \
                    or self.out.get("start_date")
                if got and "year" not in self.out and self.year_basis == "article":
                    self.say("year", self.p.claim("exercises", "year", y, spans, "the year of its month",
                                                  inference=f"{m.group('m')}, in an article dated {self.article.date.isoformat()}"))
                return got
        return None

    def _year_only(self):
        if self.ex.year and self.ex.year_span and "year" in self.out:
            return self.say("start_date", self.p.claim("exercises", "start_date", str(self.ex.year), [self.ex.year_span],
                                                       "only the year is given"))
        return None

    # -- status -------------------------------------------------------------------------------
    def status(self):
        for s in self.sentences():
            said = _unquoted(self.text, s)
            for value, cue in vocab.STATUS_CUES:
                m = re.search(cue, said)
                if m:
                    why = f"the tense or wording of {m.group(0)!r}"
                    got = None
                    for span in ((s.start, s.end), (s.start, s.start + m.end()), (s.start + m.start(), s.start + m.end())):
                        got = self.p.claim("exercises", "status", value, [span], why) or \
                            self.p.claim("exercises", "status", value, [span], why,
                                         inference=f"{m.group(0)!r} reports it as {value}")
                        if got:
                            break
                    return self.say("status", got)
        if self.ex.year and self.article.date and self.ex.year < self.article.date.year and self.ex.names:
            a, b = self.ex.names[0]
            return self.say("status", self.p.claim("exercises", "status", "held", [(a, b), (self.article.dated.start, self.article.dated.end)],
                                                   "named with a year before the article's",
                                                   inference=f"the exercise of {self.ex.year}, in an article dated {self.article.date.isoformat()}"))
        return None

    # -- place --------------------------------------------------------------------------------
    def host(self):
        for s in self.sentences():
            for rule in HOSTED:
                for m in rule.finditer(self.text, s.start, s.end):
                    code = self.article.countries(m.start("c"), m.end("c"))
                    if code:
                        code = code[0][2]
                        got = self.p.claim("exercises", "host_country", code, [(m.start(), m.end())],
                                           f"the words {m.group(0)!r} place it in or give it to the country")
                        if got:
                            return self.say("host_country", got)
        return None

    def location(self):
        known = {l.lower(): l for l in (self.ex.known.locations if self.ex.known else ())}
        for s in self.sentences():
            m = REGION.search(self.text, s.start, s.end)
            if m:
                loc = m.group("loc")
                span = [(m.start(), m.end())]
                if loc.lower() in known and known[loc.lower()] != loc:
                    got = self.p.claim("exercises", "location", known[loc.lower()], span,
                                       "a region named in a sentence about it, spelled as the register spells it",
                                       inference=f"the article's {loc!r}, capitalised as the place's name")
                else:
                    got = self.p.claim("exercises", "location", loc, span, "a region named in a sentence about it")
                self.say("location", got)
                self.say("location_precision", self.p.claim("exercises", "location_precision", "region", span,
                                                            "the place named is a region"))
                return got
        for s in self.sentences():
            m = NEAR.search(self.text, s.start, s.end)
            if m:
                loc = m.group("loc").strip()
                span = [(m.start(), m.start("loc") + len(loc))]
                got = self.say("location", self.p.claim("exercises", "location", loc, span, "where it is said to be held, near a place"))
                self.say("location_precision", self.p.claim("exercises", "location_precision", "sea area", span,
                                                            "near a coast or sea"))
                return got
        for s in self.sentences():
            m = SENT_TO.search(self.text, s.start, s.end)
            if m and self.article.countries(m.start("loc"), m.end("loc")):
                span = [(m.start(), m.end())]
                got = self.say("location", self.p.claim("exercises", "location", m.group("loc"), span,
                                                        "the country troops are sent to for it"))
                self.say("location_precision", self.p.claim("exercises", "location_precision", "country", span,
                                                            "the place is a country"))
                return got
        return None

    # -- size, length, kind ---------------------------------------------------------------------
    def troops(self):
        for s in self.sentences():
            if s.caption:
                continue
            m = TROOPS.search(_unquoted(self.text, s))
            if not m:
                continue
            n = m.group("n").replace(",", "")
            n = int(n) if n.isdigit() else vocab.NUMBER_WORDS.get(m.group("n").lower())
            if not n:
                continue
            span = [(s.start + m.start(), s.start + m.end())]
            self.say("troops", self.p.claim("exercises", "troops", n, span, "a number of troops in a sentence about it"))
            q = m.group("q")
            if q:
                value = next(v for v, pat in vocab.QUALIFIERS if re.fullmatch(pat, q, re.IGNORECASE))
                self.say("troops_qualifier", self.p.claim("exercises", "troops_qualifier", value, span, f"{q!r} before the number"))
            else:
                self.say("troops_qualifier", self.p.claim("exercises", "troops_qualifier", "exact", span, "no qualifier before the number",
                                                          inference="the figure is stated without a qualifier"))
            return

    def duration(self):
        for s in self.sentences():
            m = DURATION.search(self.text, s.start, s.end)
            if m:
                return self.say("duration", self.p.claim("exercises", "duration", m.group("d"), [m.span()], "its length as stated"))

    def domains(self):
        words = _x_words(self.p, "exercises", "domains")
        found = []
        for s in self.sentences():
            said = REACTION.sub(lambda m: " " * len(m.group(0)), _unquoted(self.text, s))
            for value, ws in words.items():
                if value in [f.value for f in found]:
                    continue
                for w in ws:
                    m = re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", said)  # "Army" of a name is no army
                    if m:
                        got = self.p.claim("exercises", "domains", value, [(s.start + m.start(), s.start + m.end())],
                                           f"{m.group(0)!r} names {value} forces in a sentence about it")
                        if got:
                            found.append(got)
                            break
        if found:
            self.out["domains"] = found

    def activities(self):
        for s in self.sentences():
            m = ACTIVITIES.search(_unquoted(self.text, s))
            if not m:
                continue
            items = []
            for part in re.finditer(r"[^,]+", m.group("list")):
                item = re.sub(r"^\s*(?:and|or)\s+", "", part.group(0)).strip()
                if item:
                    got = self.p.claim("exercises", "activities", item, [(s.start + m.start(), s.start + m.end())],
                                       "what the drills test or practise, as listed")
                    if got:
                        items.append(got)
            if items:
                self.out["activities"] = items
                return

    def firsts(self):
        if not self.ex.main:
            return
        found = []
        for s in self.context():
            said = self.text[s.start:s.end]
            m = FOR_FIRST.search(said)
            if m:  # "…, Russian troops will use Chinese-made weapons for the first time in history": its clause
                clause_start = said.rfind(", ", 0, m.start())
                value = said[clause_start + 2 if clause_start >= 0 else 0:].rstrip(" .")
            else:
                m = FIRST.search(said)
                if not m:
                    continue
                value = said[m.start():].rstrip(" .")
            got = self.p.claim("exercises", "firsts", value, [(s.start, s.end)], "the article says it is a first")
            if got:
                found.append(got)
        if found:
            self.out["firsts"] = found

    def description(self):
        """The sentence that introduces it, without a lead-in time or source and a trailing attribution."""
        s = self.ex.anchor or (self.sentences()[0] if self.ex.main and self.sentences() else None)
        if s is None and self.ex.names:
            s = self.article.sentence_at(self.ex.names[0][0])
            if sum(1 for e in self.others.values() if any(s.start <= a < s.end for a, _ in e.names)) > 1:
                return None  # a list of exercises describes none of them
        if s is None:
            return None
        said = self.text[s.start:s.end]
        lead = LEAD_CUT.match(said)
        a = lead.end() if lead else 0
        tail = TAIL_CUT.search(said, a)
        b = tail.start() if tail else len(said)
        value = said[a:b].strip()
        if lead and not tail:
            value = value.rstrip(".")  # a clause cut from its sentence, as the curation writes it
        if value and value[0].islower() and not lead:
            return None
        return self.say("description", self.p.claim("exercises", "description", value, [(s.start + a, s.start + b)],
                                                     "the sentence introducing it" + (", without its lead-in or attribution" if lead or tail else "")))

    def propose(self):
        for rule in (self.names, self.year, self.dates, self.status, self.host, self.location, self.troops,
                     self.duration, self.domains, self.activities, self.firsts, self.description):
            rule()
        return self.out


def _x_words(p, table, field):
    return vocab.x_words(str(p.root), table, field)
