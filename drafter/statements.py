"""Every quotation in the article's body, with who the article gives it to: the speaker (a person, their
title), the organization, and the country the attribution names.

The attribution is read in the quotation's sentence ("...," said X; X said "..."; according to X), or
carried over within the paragraph when it goes on quoting. A pronoun ("he said") resolves to the
person named last, a surname ("Qiu said") to the full name written before, and their organization to
the one given where they were introduced (rule coreference, the inference quoting those words). A
body's name written in several ways is proposed under the one name schema/organizations.yaml gives
it (rule organization-name)."""
import re
from dataclasses import dataclass

from scripts.read.rules import organizations
from scripts.read.text import find_words

from .article import vocab
from .text import occurs_once, unique_quote

VERBS = (r"(?:said|says|say|told|tells|added|adds|stressed|noted|explained|stated|wrote|declared|announced|insisted|"
         r"argued|warned|commented|remarked|replied|continued|emphasized|emphasised|quoted)")
AFTER_VERB_WHO = re.compile(r"^[\s,]*[”\"’]?[\s,]*(?:" + VERBS + r"|according to)\s+(?P<who>[^.;\"“”]{2,140}?)"
                            r"(?=\s*(?:$|[.;]|,\s+(?:who|adding|as|in|at|on|according)\b|\s+(?:in|at|on)\s+(?:a|an|the)\b))")
WHO_VERB = re.compile(r"^[\s,]*[”\"’]?[\s,]*(?P<who>[^.;\"“”]{2,140}?)\s+" + VERBS + r"\b")
WHO_BEFORE = re.compile(r"(?:^|[.;]\s|\s)(?P<who>(?:[A-Z]|the |a |an )[^.;\"“”]{1,150}?)\s+" + VERBS
                        + r"(?:\s+(?:that|in a statement|in the statement|on \w+|reporters|a press conference|"
                          r"a news conference|the press)){0,3}\s*[:,]?\s*$")
SUBJECT_SAID = re.compile(r"(?:^|[.;]\s+)(?P<who>[A-Z][^.;\"“”]{0,80}?)\s+" + VERBS + r"\b")
ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;\"“”]{2,120})")
PRONOUN = re.compile(r"^(?:he|she|He|She)$")
NAME_WORD = r"[A-Z][a-z’'-]+"
NAME = re.compile(rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})\b")
HEAD = (r"(?:Ministry|ministry|Department|department|Navy|navy|Army|army|Air Force|Fleet|fleet|Command|command|"
        r"headquarters|Headquarters|Agency|agency|government|Government|Office|Staff|press service|Forces|forces|"
        r"Kremlin|Pentagon|Guard|Corps|Council|Commission|flotilla|task force|Television|television|Times|Daily|"
        r"News|Post)")
BODY = re.compile(r"\b(?:of|for|from|at)\s+(?:the\s+)?(?P<b>[^,;]{0,70}?\b" + HEAD + r"\b(?:\s+of\s+[^,;]{2,60})?)\s*$")
WHOLE_BODY = re.compile(r"^(?:the\s+|a\s+|an\s+)?(?P<b>[^,;]{0,70}?\b" + HEAD + r"\b(?:'s press service)?(?:\s+of\s+[^,;]{2,60})?)$")
BEFORE_NAME_BODY = re.compile(r"^(?:the\s+|a\s+)?(?P<b>(?:[A-Z][\w’'.-]*\s+){1,4}?)(?P<t>spokes\w+|press secretary|"
                              r"chief|commander|official)\s+$")
MIN_WORDS = 3


def _not_name_words():
    words = {"Ministry", "National", "Defense", "Defence", "Navy", "Army", "Fleet", "Force", "Forces", "Command",
             "Department", "Liberation", "People's", "People’s", "Republic", "Pacific", "Northern", "Southern",
             "Eastern", "Western", "Central", "Military", "District", "Sea", "Ocean", "Chinese", "Russian", "China",
             "Russia", "State", "General", "Staff", "Main", "Joint", "Peace", "Mission", "Security", "Council",
             "Agency", "News", "Daily", "Times", "Organization", "Organisation", "Shanghai", "Cooperation", "The",
             "This", "That", "According", "Beijing", "Moscow", "Kremlin", "Xinhua", "Interaction", "Gulf", "Strait",
             "Air", "Navy's", "Government", "Foreign", "Affairs", "Press", "Office", "Service", "Thursday", "Monday",
             "Tuesday", "Wednesday", "Friday", "Saturday", "Sunday", "Xi", "President", "Minister"}
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
    head = text[max(0, at - 60):at]
    for t in sorted(vocab()["titles"], key=len, reverse=True):
        if re.search(r"(?:^|\s)" + re.escape(t) + r"\s+$", head, re.I):
            return t if t[0].isupper() or not head.rstrip().endswith(t) else head.rstrip()[-len(t):]
    return None


def _person(phrase):
    """(name, its start in the phrase) of the person an attribution names, or (None, None)."""
    for m in NAME.finditer(phrase):
        words = m.group("name").split()
        while words and words[0] in NOT_NAME:
            words.pop(0)
        if len(words) >= 2 and not any(w in NOT_NAME for w in words):
            name = " ".join(words)
            return name, m.start() + m.group("name").find(name)
    return None, None


def _body(phrase, name, at):
    """The organization an attribution names, as written, or None."""
    if name is not None:
        m = BODY.search(phrase[at + len(name):]) or BODY.search(phrase[at + len(name):].split(" and ")[0])
        if m:
            return m.group("b").strip()
        m = BEFORE_NAME_BODY.match(phrase[:at])
        if m:
            return m.group("b").strip()
        return None
    m = WHOLE_BODY.match(phrase.strip()) or BODY.search(phrase)
    if m:
        body = m.group("b").strip()
        return re.sub(r"^(?:a |an )?(?:spokes\w+|official|officials|source|sources) (?:for|of|at|from) (?:the )?", "", body)
    return None


def _slug(words, n=4):
    return "-".join(re.findall(r"[a-z0-9]+", words.lower())[:n]) or "quote"


class People:
    """Who the article has named, with what it said of them, to resolve 'he said', 'Qiu said', 'the ministry'."""

    def __init__(self):
        self.people = []   # (name, start, end, organization, (org start, org end))
        self.bodies = []   # (body, start, end)

    def last(self):
        return self.people[-1] if self.people else None

    def by_surname(self, word):
        return next((p for p in reversed(self.people) if word in (p[0].split()[-1], p[0].split()[0])), None)

    def body_like(self, head):
        return next((b for b in reversed(self.bodies) if head.lower() in b[0].lower() and b[0][0].isupper()), None)


def _who(article, s, q):
    text = article.text
    after, before = text[q.outer_end:s.end], text[s.start:q.outer_start]
    for rx in (AFTER_VERB_WHO, WHO_VERB):
        m = rx.match(after)
        if m and len(m.group("who").split()) <= 14:
            return Who(m.group("who").strip(), q.outer_end + m.start("who"), q.outer_end + m.end("who"))
    m = WHO_BEFORE.search(before)
    if m:
        return Who(m.group("who").strip(), s.start + m.start("who"), s.start + m.end("who"))
    for rx in (ACCORDING, SUBJECT_SAID):
        m = rx.search(before)
        if m:
            return Who(m.group("who").strip(), s.start + m.start("who"), s.start + m.end("who"))
    return None


def _learn(article, s, people):
    """Remember the people and bodies this sentence introduces (with a title, or as the subject of 'said')."""
    text = article.text
    said = text[s.start:s.end]
    for m in NAME.finditer(said):
        name, at = _person(m.group("name"))
        if name is None:
            continue
        a = s.start + m.start() + at
        b = a + len(name)
        title = _title_before(text[s.start:a], a - s.start)
        rest = text[b:s.end]
        if True:  # every person named: a later surname or pronoun may point back to them
            phrase_end = s.end
            stop = re.search(r"[.;]|\s" + VERBS + r"\b", text[b:s.end])
            if stop:
                phrase_end = b + stop.start()
            org = _body(text[a:phrase_end], name, 0)
            start = a - len(title) - 1 if title and text[:a].rstrip().endswith(title) else a
            org_span = (text.find(org, start, phrase_end), text.find(org, start, phrase_end) + len(org)) if org else None
            if org and org_span[0] < 0:
                org, org_span = None, None
            people.people.append((name, start, b, org, org_span))
    for m in re.finditer(r"(?:the |The )?(?P<b>(?:[A-Z][\w’'.-]*\s+){1,5}" + HEAD + r"\b)", said):
        people.bodies.append((m.group("b"), s.start + m.start("b"), s.start + m.end("b")))


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
    for s in article.body:
        quotes = [q for q in s.quotes if not any(a < q.end and q.start < b for a, b in names)]
        found_who = {id(q): _who(article, s, q) for q in quotes}
        for q in quotes:
            words = text[q.start:q.end].strip()
            who = found_who[id(q)] or next((w for w in found_who.values() if w), None) or carried.get(s.line)
            if who is None and len(words.split()) < MIN_WORDS:
                continue
            st = _statement(p, article, words, q, who, people, exercise_of.get((s.start, s.end)), prefix, ids)
            if st is not None:
                out.append(st)
                if who is not None:
                    carried[s.line] = who
        _learn(article, s, people)
    return out


def _statement(p, article, words, q, who, people, exercise_id, prefix, ids):
    text = article.text
    sid = f"{prefix}-{_slug(words)}"
    while sid in ids:
        sid += "-2"
    ids.add(sid)
    st = {"statement_id": sid, "exercise_id": exercise_id, "quote": words, "within": None,
          "_why": "words in quotation marks in the article's body"}
    if not occurs_once(text, words):
        got = unique_quote(text, q.outer_start, q.outer_end)
        if got is None or text[got[0]:got[1]].count(words) != 1:
            return None
        st["within"] = text[got[0]:got[1]]
    if who is None:
        return st
    span = [(who.start, who.end)]
    phrase = who.phrase
    person = None
    if PRONOUN.match(phrase) and people.last():
        person = people.last()
    elif re.fullmatch(NAME_WORD, phrase) and people.by_surname(phrase):
        person = people.by_surname(phrase)
    if person is not None:
        name, a, b, org, org_span = person
        intro = text[a:org_span[1]] if org_span else text[a:b]
        st["speaker"] = p("statements", "speaker", name, span, f"{phrase!r} is the person named before",
                          rule="coreference", inference=f"{phrase!r} is the one named before: '{intro}'")
        if org:
            st["organization"] = _organization(p, org, span, rule="coreference",
                                               inference=f"{phrase!r} is the one named before: '{intro}'")
        return _done(st)
    name, at = _person(phrase)
    if name is not None:
        st["speaker"] = p("statements", "speaker", name, span, "the person the quotation is attributed to")
        title = _title_before(phrase, at)
        if title:
            st["speaker_title"] = p("statements", "speaker_title", title, span, "the speaker's title as written")
    body = _body(phrase, name, at or 0)
    if body and not body[0].isupper() and name is None and people.body_like(body.split()[-1]):
        known = people.body_like(body.split()[-1])
        st["organization"] = _organization(p, known[0], span, rule="coreference",
                                           inference=f"'{body}' is the one named before: '{known[0]}'")
    elif body:
        st["organization"] = _organization(p, body, span)
    countries = {c for *_, c in article.places.countries(phrase)}
    if len(countries) == 1:
        st["country_code"] = p("statements", "country_code", countries.pop(), span, "the country the attribution names")
    return _done(st)


def _organization(p, body, span, rule=None, inference=None):
    """A body's proposal: its one name from schema/organizations.yaml where it has one, else as written."""
    canon = next((c for c, forms in organizations(str(p.root)).items()
                  if find_words(body, forms) == (0, len(body))), None)
    if canon and canon != body:
        got = p("statements", "organization", canon, span, "the body it is attributed to, under its one name",
                rule=rule or "organization-name",
                inference=inference or f"'{body}', under the one name schema/organizations.yaml gives it")
        if got:
            return got
    return p("statements", "organization", body, span, "the body it is attributed to", rule=rule, inference=inference)


def _done(st):
    return {k: v for k, v in st.items() if v is not None or k in ("within", "exercise_id")}
