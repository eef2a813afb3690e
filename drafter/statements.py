"""Every quotation in the article's body, with who the article gives it to: the speaker (a person, their
title), the organization, and the country the attribution names.

The attribution is read in the quotation's sentence ("...," said X; X said "..."; according to X), or
carried over within the paragraph when it goes on quoting. A pronoun ("he said") resolves to the
person named last, a surname ("Qiu said") to the full name written before, and their organization to
the one given where they were introduced (rule coreference, the inference quoting those words). A
body's name written in several ways is proposed under the one name schema/organizations.yaml gives
it (rule organization-name)."""

import bisect
import re
from dataclasses import dataclass

from scripts.read.rules import organizations
from scripts.read.text import find_words

from .article import vocab
from .text import occurs_once, unique_quote

VERBS = (
    r"(?:said|says|say|told|tells|added|adds|stressed|noted|explained|stated|wrote|declared|announced|insisted|"
    r"argued|warned|warning|commented|remarked|replied|continued|emphasized|emphasised|quoted|responded|"
    r"accused|accusing|urged|urging|confirmed|claimed|cautioned|asserted|noting|saying|calling|described|"
    r"describing|pointed out)"
)
# a title's abbreviation: its full stop ends no attribution ("said Col. Geng Yansheng")
ABBREVIATED = re.compile(r"\b(Col|Gen|Lt|Maj|Adm|Capt|Cmdr|Cdr|Sgt|Brig|Mr|Mrs|Ms|Dr|Sr)\.")
AFTER_VERB_WHO = re.compile(
    r"^[\s,]*[”\"’]?[\s,]*(?:" + VERBS + r"|according to)\s+(?P<who>[^.;\"“”]{2,140}?)"
    r"(?=\s*(?:$|[.;]|,\s+(?:who|adding|as|in|at|on|according)\b|\s+(?:in|at|on)\s+(?:a|an|the)\b))"
)
WHO_VERB = re.compile(
    r"^[\s,]*[”\"’]?[\s,]*(?!(?:and|or|but|which|who|that|as|while)\b)(?P<who>[^.;\"“”]{2,140}?)\s+" + VERBS + r"\b"
)
WHO_BEFORE = re.compile(
    r"(?:^|[.;]\s|\s)(?P<who>(?:[A-Z]|the |a |an )[^.;\"“”]{1,150}?)\s+"
    + VERBS
    + r"(?:\s+(?:that|in a statement|in the statement|on \w+|reporters|a press conference|"
    r"a news conference|the press)){0,3}\s*[:,]?\s*$"
)
SUBJECT_SAID = re.compile(r"(?:^|[.;]\s+)(?P<who>[A-Z][^.;\"“”]{0,80}?)\s+" + VERBS + r"\b")
ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;\"“”]{2,120})")
PRONOUN = re.compile(r"^(?:he|she|He|She)$")
NAME_WORD = r"[A-Z][a-z’'-]{1,30}"
NAME = re.compile(rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})\b")
HEAD = (
    r"(?:Ministry|ministry|Department|department|Navy|navy|Army|army|Air Force|Fleet|fleet|Command|command|"
    r"headquarters|Headquarters|Agency|agency|government|Government|Office|Staff|press service|Forces|forces|"
    r"Kremlin|Pentagon|Guard|Corps|Council|Commission|flotilla|task force|Television|television|Times|Daily|"
    r"News|Post)"
)
BODY = re.compile(r"\b(?:of|for|from|at)\s+(?:the\s+)?(?P<b>[^,;]{0,70}?\b" + HEAD + r"\b(?:\s+of\s+[^,;]{2,60})?)\s*$")
WHOLE_BODY = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?P<b>[^,;]{0,70}?\b" + HEAD + r"\b(?:'s press service)?(?:\s+of\s+[^,;]{2,60})?)$"
)
BEFORE_NAME_BODY = re.compile(
    r"^(?:the\s+|a\s+)?(?P<b>(?:[A-Z][\w’'.-]{0,30}\s+){1,4}?)(?P<t>spokes\w+|press secretary|"
    r"chief|commander|official)\s+$"
)
# lower-case words a body's name may have before its head word: "the Russian defense ministry"
LOWER_OF_BODY = (
    r"(?:(?:defen[cs]e|foreign|naval|military|general|press|information|eastern|western|northern|southern|"
    r"central)\s+){0,2}"
)
MIN_WORDS = 3
NAMED_AS = re.compile(r"\b(?:code-?named|named|called|dubbed|known as|titled)\s*$", re.I)
MAX_STATEMENTS = 120  # quotations proposed at most: a page of a thousand is not a news report


def _not_name_words():
    words = {
        "Ministry",
        "National",
        "Defense",
        "Defence",
        "Navy",
        "Army",
        "Fleet",
        "Force",
        "Forces",
        "Command",
        "Department",
        "Liberation",
        "People's",
        "People’s",
        "Republic",
        "Pacific",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "Military",
        "District",
        "Sea",
        "Ocean",
        "Chinese",
        "Russian",
        "China",
        "Russia",
        "State",
        "General",
        "Staff",
        "Main",
        "Joint",
        "Peace",
        "Mission",
        "Security",
        "Council",
        "Agency",
        "News",
        "Daily",
        "Times",
        "Organization",
        "Organisation",
        "Shanghai",
        "Cooperation",
        "The",
        "This",
        "That",
        "According",
        "Beijing",
        "Moscow",
        "Kremlin",
        "Xinhua",
        "Interaction",
        "Gulf",
        "Strait",
        "Air",
        "Navy's",
        "Government",
        "Foreign",
        "Affairs",
        "Press",
        "Office",
        "Service",
        "Thursday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Friday",
        "Saturday",
        "Sunday",
        "Xi",
        "President",
        "Minister",
    }
    for t in vocab()["titles"]:
        words |= set(t.split())
    return words


NOT_NAME = _not_name_words()


@dataclass
class Who:
    phrase: str
    start: int
    end: int


def _title_before(text, at):
    """The title written just before a name: 'Senior Colonel', 'Chinese Defense Ministry spokesman'."""
    head = text[max(0, at - 60) : at]
    for t in sorted(vocab()["titles"], key=len, reverse=True):
        if re.search(r"(?:^|\s)" + re.escape(t) + r"\s+$", head, re.I):
            return t if t[0].isupper() or not head.rstrip().endswith(t) else head.rstrip()[-len(t) :]
    return None


TITLE_WORDS = {
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Miss",
    "Second",
    "First",
    "Third",
    "Rear",
    "Vice",
    "Senior",
    "Junior",
    "Deputy",
    "Chief",
    "Lieutenant",
    "Major",
    "Brigadier",
    "Staff",
    "Sergeant",
    "Commodore",
    "Marshal",
    "Defence",
    "Defense",
    "Foreign",
    "Prime",
    "Rank",
    "Captain",
    "Commander",
    "Colonel",
    "General",
    "Admiral",
    "Navy",
    "Army",
    "Spokesman",
}


def _person(phrase):
    """(name, its start in the phrase) of the person an attribution names, or (None, None)."""
    for m in re.finditer(rf"\b{NAME_WORD}(?:\s+{NAME_WORD})+\b", phrase):
        words = m.group(0).split()
        while words and (words[0] in NOT_NAME or words[0] in TITLE_WORDS):
            words.pop(0)
        if 2 <= len(words) <= 3 and not any(w in NOT_NAME for w in words) and not re.fullmatch(HEAD, words[-1]):
            name = " ".join(words)
            return name, m.start() + m.group(0).find(name)
    return None, None


def _body(phrase, name, at):
    """The organization an attribution names, as written, or None."""
    phrase = phrase.rstrip(" ,;:")  # "Wu Qian, spokesperson for China's Ministry of National Defense, told"
    if name is not None:
        m = BODY.search(phrase[at + len(name) :]) or BODY.search(phrase[at + len(name) :].split(" and ")[0])
        if m:
            return m.group("b").strip()
        m = BEFORE_NAME_BODY.match(phrase[:at])
        if m:
            return m.group("b").strip()
        return None
    m = WHOLE_BODY.match(phrase.strip()) or BODY.search(phrase)
    if m:
        body = m.group("b").strip()
        return re.sub(
            r"^(?:a |an )?(?:spokes\w+|official|officials|source|sources) (?:for|of|at|from) (?:the )?", "", body
        )
    return None


BODY_BEFORE_TITLE = re.compile(
    r"(?P<b>(?:[A-Z][\w’'.-]{0,30}\s+){0,4}" + LOWER_OF_BODY + HEAD + r")\s+(?:spokes\w+|press secretary|official)\s+$"
)


def _body_before(before):
    """The body named before a speaker's title and name: "defence ministry spokesperson Senior Colonel" ->
    "defence ministry", "China's Defense Ministry spokesman" -> "China's Defense Ministry"."""
    words = before.split()
    while words and (words[-1] in TITLE_WORDS or words[-1].lower() in ("rank", "colonel", "captain")):
        words.pop()
    m = BODY_BEFORE_TITLE.search(" ".join(words) + " ")
    return m.group("b") if m else None


def _slug(words, n=4):
    return "-".join(re.findall(r"[a-z0-9]+", words.lower())[:n]) or "quote"


class People:
    """Who the article has named, with what it said of them, to resolve 'he said', 'Qiu said', 'the ministry'."""

    def __init__(self):
        self.people = []  # (name, start, end, organization, (org start, org end))
        self.bodies = []  # (body, start, end)
        self.speaking = None  # the person named last as saying, telling or describing something
        self.by_word = {}  # a surname or given name -> the person named last with it
        self.by_head = {}  # a body's head word (ministry, navy...) -> the body named last with it

    def add_person(self, person):
        self.people.append(person)
        words = person[0].split()
        self.by_word[words[-1]] = self.by_word[words[0]] = person

    def add_body(self, body, start, end):
        self.bodies.append((body, start, end))
        if re.search(
            r"\b[A-Z]", body
        ):  # a body named: "the Ministry", "press service of the Central Military District"
            for word in body.lower().split():
                self.by_head[word] = (body, start, end)

    def last(self):
        return self.speaking

    def by_surname(self, word):
        return self.by_word.get(word)

    def body_like(self, head):
        return self.by_head.get(head.lower())


def _who(article, s, q):
    original = article.text[s.start : s.end]
    said = ABBREVIATED.sub(r"\1 ", original)  # the same length: offsets hold
    qa, qb = q.outer_start - s.start, q.outer_end - s.start
    after, before = said[qb:], said[:qa]

    def who(offset, m):
        a, b = offset + m.start("who"), offset + m.end("who")
        phrase = original[a:b]
        lead = len(phrase) - len(phrase.lstrip())
        return Who(phrase.strip(), s.start + a + lead, s.start + a + lead + len(phrase.strip()))

    for rx in (AFTER_VERB_WHO, WHO_VERB):
        m = rx.match(after)
        if m and len(m.group("who").split()) <= 14:
            return who(qb, m)
    m = WHO_BEFORE.search(before)
    if m:
        return who(0, m)
    for rx in (ACCORDING, SUBJECT_SAID):
        m = rx.search(before)
        if m:
            return who(0, m)
    return None


SPEAKS = re.compile(
    r"^(?:\s*,[^,.;]{2,100},)?\s+(?:" + VERBS + r"|described|told|added|briefed|called|spoke|met|"
    r"announced|insisted|played down|explained)\b"
)


def _learn(article, s, people):
    """Remember the people and bodies this sentence names (a person's organization from the words introducing
    them: 'Qiu Yanpeng, deputy commander of the PLA Navy', 'Senior Colonel Ren Guoqiang of the Ministry'),
    and who is speaking: the one named with a verb of saying ('Wu described', 'Ren said')."""
    text = article.text
    for m in re.finditer(rf"\b{NAME_WORD}(?:\s+{NAME_WORD})*\b", text[s.start : s.end]):
        a0 = s.start + m.start()
        name, at = _person(m.group(0))
        if name is None:
            known = people.by_surname(m.group(0)) if re.fullmatch(NAME_WORD, m.group(0)) else None
            if known and SPEAKS.match(text[a0 + len(m.group(0)) : s.end]):
                people.speaking = known
            continue
        a = a0 + at
        b = a + len(name)
        rest = text[b : s.end]
        if rest.startswith(","):  # an appositive: ", deputy chief of the Main Staff of the Russian Navy,"
            close = rest.find(",", 1)
            intro_end = b + (close if close > 0 else len(rest))
        else:
            stop = re.search(r"[.;,]|\s" + VERBS + r"\b", rest)
            intro_end = b + (stop.start() if stop else len(rest))
        org = _body(text[a:intro_end], name, 0) or _body_before(text[max(s.start, a - 80) : a])
        title = _title_before(text[s.start : a], a - s.start)
        start = a - len(title) - 1 if title and text[:a].rstrip().endswith(title) else a
        at_org = text.find(org, max(s.start, a - 80), intro_end) if org else -1
        person = (name, start, b, org if at_org >= 0 else None, (at_org, at_org + len(org)) if at_org >= 0 else None)
        people.add_person(person)
        if title or SPEAKS.match(text[b : s.end]):
            people.speaking = person
    for m in re.finditer(
        r"(?<![\w’'.-])(?:the |The )?(?P<b>(?:[A-Z][\w’'.-]{0,30}\s+){1,5}"
        + LOWER_OF_BODY
        + HEAD
        + r"\b(?:\s+of\s+(?:the\s+)?"
        r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)?)",
        text[s.start : s.end],
    ):
        people.add_body(m.group("b"), s.start + m.start("b"), s.start + m.end("b"))


def propose_statements(p, article, found, stem):
    text = article.text
    names = [(m.start, m.end) for ex in found for m in ex.names + ex.passing]
    exercise_of = {}
    for ex in found:
        for s in ex.sentences:
            exercise_of.setdefault((s.start, s.end), ex.exercise_id)
    lead = re.match(r"[A-Za-z0-9]+", stem)
    prefix = "s" + (lead.group(0).lower() if lead else "x")
    people, out, ids, carried = People(), [], set(), {}
    names.sort()
    name_starts = [a for a, _ in names]
    tried = 0
    for s in article.body:
        if tried >= 2 * MAX_STATEMENTS:
            break
        quotes = [q for q in s.quotes[:MAX_STATEMENTS] if not _is_name(q, names, name_starts)]
        tried += len(quotes)
        found_who = {id(q): _who(article, s, q) for q in quotes}
        for q in quotes[: MAX_STATEMENTS - len(out)]:
            words = text[q.start : q.end].strip()
            who = found_who[id(q)] or next((w for w in found_who.values() if w), None) or carried.get(s.line)
            if len(words.split()) < MIN_WORDS:
                continue  # a word or two in quotation marks ("hype") is a term, not a statement
            if NAMED_AS.search(text[max(0, q.outer_start - 30) : q.outer_start]):
                continue  # 'Code-named "Marine Security Belt"': a name in quotation marks
            st = _statement(p, article, words, q, who, people, exercise_of.get((s.start, s.end)), prefix, ids)
            if st is not None:
                out.append(st)
                if who is not None:
                    carried[s.line] = who
        _learn(article, s, people)
    return out


def _is_name(q, names, starts):
    """The quotation is only an exercise's code name ("Joint Sea-2019")."""
    i = bisect.bisect_right(starts, q.start) - 1
    return i >= 0 and names[i][0] <= q.start and q.end <= names[i][1] + 2


def _statement(p, article, words, q, who, people, exercise_id, prefix, ids):
    text = article.text
    sid = f"{prefix}-{_slug(words)}"
    while sid in ids:
        sid += "-2"
    ids.add(sid)
    st = {
        "statement_id": sid,
        "exercise_id": exercise_id,
        "quote": words,
        "within": None,
        "_why": "words in quotation marks in the article's body",
    }
    if not occurs_once(text, words):
        got = unique_quote(text, q.outer_start, q.outer_end)
        if got is None or text[got[0] : got[1]].count(words) != 1:
            return None
        st["within"] = text[got[0] : got[1]]
    if who is None:
        return st
    span = [(who.start, who.end)]
    phrase = who.phrase
    person = None
    if PRONOUN.match(phrase) and people.last():
        person = people.last()
    elif re.fullmatch(NAME_WORD, bare := re.sub(r"^(?:Mr|Mrs|Ms|Dr|Miss)\.?\s+", "", phrase)) and people.by_surname(
        bare
    ):
        person = people.by_surname(bare)  # "Qiu said", "Mr Blinken said": the one named before
    if person is not None:
        name, a, b, org, org_span = person
        intro = text[min(a, org_span[0]) : max(b, org_span[1])] if org_span else text[a:b]
        st["speaker"] = p(
            "statements",
            "speaker",
            name,
            span,
            f"{phrase!r} is the person named before",
            rule="coreference",
            inference=f"“{phrase}” is the one named before: “{intro}”",
        )
        if org:
            st["organization"] = _organization(
                p, org, span, rule="coreference", inference=f"“{phrase}” is the one named before: “{intro}”"
            )
        return _done(st)
    if phrase in ("it", "It") and people.bodies:  # "..., it said in a statement": the body named before
        known = people.bodies[-1][0]
        st["organization"] = _organization(
            p, known, span, rule="coreference", inference=f"“{phrase}” is the one named before: “{known}”"
        )
        return _done(st)
    name, at = _person(phrase)
    if name is not None:
        st["speaker"] = p("statements", "speaker", name, span, "the person the quotation is attributed to")
        title = _title_before(phrase, at)
        if title:
            st["speaker_title"] = p("statements", "speaker_title", title, span, "the speaker's title as written")
    body = _body(re.sub(r"\s+(?:spokes\w+|official|officials|source|sources|press office)$", "", phrase), name, at or 0)
    if body is None and name is not None:  # "defence ministry spokesperson Senior Colonel Wu Qian said"
        body = _body_before(phrase[:at])
    if body is None and name is not None:  # '..." said Col. Geng Yansheng, a spokesman for China's Ministry of ...,'
        app = re.match(r",\s*(?:the\s+|a\s+|an\s+)?[^,;.\"“”]{0,100}?(?=[,;.]|$)", text[who.end : who.end + 120])
        body = _body(app.group(0)[1:], None, 0) if app else None
        if body and text.find(body, who.end, who.end + 120) >= 0:
            span = [(who.start, text.find(body, who.end) + len(body))]
        else:
            body = None
    if (
        body
        and not body[0].isupper()
        and len(body.split()) <= 3  # "the ministry" refers back; "the command of the Chinese task force" names
        and not article.places.countries(body)
        and people.body_like(body.split()[-1])
    ):
        known = people.body_like(body.split()[-1])
        st["organization"] = _organization(
            p, known[0], span, rule="coreference", inference=f"“{body}” is the one named before: “{known[0]}”"
        )
    elif body:
        st["organization"] = _organization(p, body, span)
    countries = {c for *_, c in article.places.countries(phrase)}
    if len(countries) == 1:
        st["country_code"] = p("statements", "country_code", countries.pop(), span, "the country the attribution names")
    return _done(st)


def _organization(p, body, span, rule=None, inference=None):
    """A body's proposal: its one name from schema/organizations.yaml where it has one, else as written."""
    canon = next(
        (c for c, forms in organizations(str(p.root)).items() if find_words(body, forms) == (0, len(body))), None
    )
    if canon and canon != body:
        got = p(
            "statements",
            "organization",
            canon,
            span,
            "the body it is attributed to, under its one name",
            rule=rule or "organization-name",
            inference=inference or f"'{body}', under the one name schema/organizations.yaml gives it",
        )
        if got:
            return got
    return p("statements", "organization", body, span, "the body it is attributed to", rule=rule, inference=inference)


def _done(st):
    return {k: v for k, v in st.items() if v is not None or k in ("within", "exercise_id")}
