"""Every quoted statement: the words inside quotation marks, and who said them where the article
says so: the speaker named next to an attribution verb in the sentence, else the one a pronoun
("he said", "it said in a statement") points back to, else (a quotation with no attribution at
all) the speaker of the statement just before, whose words it continues."""
import re

from . import vocab
from .dates import weekday_before
from .speakers import Speakers
from .text import count, within_for

SHORT = 4            # quotations shorter than this many words need an attribution verb in their sentence
PRONOUN_PERSON = {"he", "she"}


def _slug(s, words=4):
    ws = [w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in {"the", "a", "an", "of", "and", "to", "in", "is"}]
    return "-".join(ws[:words]) or "quote"


def _verb_distance(m, verbs):
    return min((min(abs(v.start() - m.end), abs(m.start - v.end())) for v in verbs), default=10 ** 6)


class StatementFinder:
    def __init__(self, p, article, is_name, exercise_of):
        """is_name(words): True for an exercise's name in quotation marks (“Vostok”), not a statement.
        exercise_of(sentence): the exercise id a sentence is about, or None."""
        self.p, self.article, self.text = p, article, article.text
        self.is_name, self.exercise_of = is_name, exercise_of
        self.speakers = Speakers(article)

    def find(self, stem):
        out, last, last_person, last_org = [], None, None, None
        ids = set()
        for s in self.article.body:
            if s.caption:
                continue
            exclude = [(q.outer_start, q.outer_end) for q in s.quotes]
            mentions, verbs = self.speakers.mentions(s, exclude)
            named = [m for m in mentions if m.kind != "pronoun"]
            chosen = None
            if s.quotes and mentions:
                chosen = min(mentions, key=lambda m: _verb_distance(m, verbs)) if verbs else \
                    (mentions[0] if s.heading else None)
            if chosen is not None and chosen.kind == "pronoun":
                chosen = last_person if chosen.title in PRONOUN_PERSON else (last_org or last_person)
            if chosen is not None:
                chosen = self.speakers.resolve_bare(chosen)
            for q in s.quotes:
                words = self.text[q.start:q.end]
                if self.is_name(words.strip(" ,.")):
                    continue
                attributed = bool(verbs) or s.heading
                if len(words.split()) < SHORT and not attributed:
                    continue
                who, how = chosen, "attributed in its sentence"
                if s.heading and (who is None or not verbs):
                    body = next((st for st in reversed(out) if st["_words"] != words and words in st["_words"]), None) \
                        or self._later(words)
                    if body is not None:
                        who, how = body, "a heading quoting words the body attributes"
                if who is None and last is not None and not verbs:
                    who, how = last["_who"], "no attribution in its sentence: continues the statement before"
                st = self._statement(stem, q, words, who, how, s, ids)
                if st:
                    out.append(st)
                    last = st
            for m in named:
                if m.kind == "person":
                    last_person = m
                elif m.kind in ("body", "outlet", "state"):
                    last_org = m
            if chosen is not None and chosen.kind in ("body", "outlet", "state"):
                last_org = chosen
        for st in out:
            st.pop("_words"), st.pop("_who")
        return out

    def _later(self, words):
        """A statement later in the body containing the heading's words: its speaker, found on its own."""
        for s in self.article.body:
            if s.heading:
                continue
            for q in s.quotes:
                if words in self.text[q.start:q.end]:
                    mentions, verbs = self.speakers.mentions(s, [(x.outer_start, x.outer_end) for x in s.quotes])
                    if mentions and verbs:
                        m = min(mentions, key=lambda m: _verb_distance(m, verbs))
                        return self.speakers.resolve_bare(m) if m.kind != "pronoun" else None
        return None

    def _statement(self, stem, q, words, who, how, sentence, ids):
        text, p = self.text, self.p
        if isinstance(who, dict):  # a heading rendering a body statement
            who = who["_who"]
        st = {"statement_id": None, "exercise_id": self.exercise_of(sentence), "quote": words, "within": None}
        if count(text, words) != 1:
            st["within"] = within_for(text, q)
            if st["within"] is None:
                return None
        st["_words"], st["_who"] = words, who
        st["_why"] = "words in quotation marks" + (f"; {how}" if who is not None else "; no speaker found")
        if who is not None:
            for name in ("speaker", "organization", "country"):
                value = getattr(who, name)
                if value is None:
                    continue
                spans = [who.spans[k] for k in (name, f"{name}_again", f"{name}_first") if k in who.spans]
                if name == "speaker" and "speaker_again" in who.spans:
                    spans = [who.spans["speaker_again"], who.spans["speaker"]]
                field = "country_code" if name == "country" else name
                claim = p.claim("statements", field, value, spans, f"{how}: {self._named(who, name)}",
                                inference=who.derived.get(name))
                if claim:
                    st[field] = claim
            st["statement_date"] = self._date(who, sentence)
        ident = f"s{stem[:3]}-{_slug(who.speaker or who.organization or '', 2) + '-' if who and (who.speaker or who.organization) else ''}{_slug(words)}"
        base, n = ident, 2
        while ident in ids:
            ident, n = f"{base}-{n}", n + 1
        ids.add(ident)
        st["statement_id"] = ident
        return st

    def _named(self, who, name):
        a, b = who.spans.get(name, (who.start, who.end))
        return f"{self.text[a:b]!r}"

    def _date(self, who, sentence):
        """The statement's date, from its own paragraph: the year of a dated report ("a 2017 report"), or
        a weekday the speaker is said to have spoken on, resolved against the article's date."""
        p, text = self.p, self.text
        if who.kind == "report" and who.year:
            return p.claim("statements", "statement_date", str(who.year), [who.spans["statement_date"]],
                           "the year of the report the words are quoted from")
        names = [n for n in (who.speaker, who.speaker and who.speaker.split()[-1]) if n]
        if not names or self.article.date is None:
            return None
        for s in self.article.paragraph_of(sentence):
            for n in names:
                m = re.search(rf"{re.escape(n)}\s+(?:{vocab.ATTRIBUTION})\s+(?:on\s+)?(?P<day>{'|'.join(vocab.WEEKDAYS)})\b",
                              text[s.start:s.end])
                if m:
                    day = weekday_before(self.article.date, m.group("day"), include_same=True)
                    d = self.article.dated
                    return p.claim("statements", "statement_date", day.isoformat(),
                                   [(s.start + m.start(), s.start + m.end()), (d.start, d.end)],
                                   "a weekday the speaker spoke on, and the article's date",
                                   inference=f"{m.group(0)!r} in an article dated {d.date:%A %d %B %Y}: "
                                             f"{day:%A %d %B %Y}")
        return None
