"""Every quotation in the article's body, with who the article gives it to: the speaker (a person, their
title), the organization, and the country the attribution names. The attribution is read in the
quotation's sentence ("...," said X; X said "..."; according to X), or carried over from the
sentence before when the paragraph goes on quoting ("he said" resolves to the person named last;
"Qiu said" to the full name written earlier, rule coreference). A body's name written in several ways
is proposed under the one name schema/organizations.yaml gives it (rule organization-name)."""
import re

from scripts.read.rules import organizations
from scripts.read.text import find_words

from .article import vocab
from .text import occurs_once, unique_quote

VERBS = r"(?:said|says|say|told|tells|added|adds|stressed|noted|explained|stated|wrote|declared|announced|insisted|" \
        r"argued|warned|commented|remarked|replied|continued|emphasized|emphasised|according to)"
AFTER_WHO = re.compile(r"^[\s,]*[”\"’]?[\s,]*" + VERBS + r"\s+(?P<who>[^.;\"“”]{2,120}?)(?=[.;,]?\s*$|\.\s|, (?:who|adding|as|in|at|on)\b)")
WHO_AFTER = re.compile(r"^[\s,]*[”\"’]?[\s,]*(?P<who>[^.;\"“”]{2,120}?)\s+" + VERBS + r"\b")
WHO_BEFORE = re.compile(r"(?P<who>[A-Z][^.;\"“”]{1,150}?)\s+" + VERBS + r"(?:\s+(?:that|in a statement|on \w+|"
                        r"reporters|a press conference|a news conference)){0,3}\s*[:,]?\s*[“\"]?$")
PRONOUN = re.compile(r"^(?:he|she|He|She)$")
NAME = re.compile(r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,3})")
BODY_WORDS = re.compile(r"\b(?:Ministry|ministry|Department|department|Navy|navy|Army|army|Air Force|Fleet|fleet|"
                        r"Command|command|headquarters|Headquarters|Agency|agency|government|Government|Office|"
                        r"Staff|press service|Forces|forces|Kremlin|Pentagon|Guard|Corps|Council|Commission)\b")
MIN_WORDS = 3


def _titles():
    return sorted(vocab()["titles"], key=len, reverse=True)


def _strip_title(who):
    """(title, the rest) of 'Senior Colonel Ren Guoqiang'."""
    for t in _titles():
        if who.startswith(t + " ") or who.lower().startswith(t.lower() + " "):
            return who[:len(t)], who[len(t) + 1:]
    return None, who


def _person(who):
    """(name, title) of a person in an attribution: 'Senior Colonel Ren Guoqiang of the ministry',
    'Qiu Yanpeng, deputy commander of the PLA Navy', 'navy spokesman Liang Yang'; (None, None)."""
    head = re.split(r",| of the | of | for | from ", who, maxsplit=1)[0].strip()
    title, rest = _strip_title(head)
    words = rest.split()
    # "State Department spokesman Ned Price": a title word inside, the name after it
    for i, w in enumerate(words):
        if w.lower() in {t.lower() for t in vocab()["titles"]} and i + 1 < len(words):
            title, rest = " ".join(words[:i + 1]), " ".join(words[i + 1:])
            break
    m = NAME.fullmatch(rest.strip())
    if m and not BODY_WORDS.search(rest):
        return m.group("name"), title
    return None, None


def _body(who):
    """The organization an attribution names: 'the Russian Defence Ministry', 'of the Ministry of National
    Defense', 'a spokesperson for China's Ministry of National Defense', 'State Department spokesman ...'."""
    m = re.search(r"(?:of|for|from) (?:the |China's |Russia's )?(?P<b>[A-Z][\w’'.-]*(?:\s+(?:of|the|[A-Z][\w’'.-]*))*)", who)
    if m and BODY_WORDS.search(m.group("b")):
        return m.group("b").strip()
    m = re.match(r"(?:the |a |an )?(?P<b>(?:[A-Z][\w’'.-]*\s+)*(?:[A-Z][\w’'.-]*))(?:\s+(?:spokesman|spokeswoman|"
                 r"spokesperson|said|press))?", who)
    if m and BODY_WORDS.search(m.group("b")):
        return m.group("b").strip()
    return None


def _slug(words, n=4):
    return "-".join(re.findall(r"[a-z0-9]+", words.lower())[:n]) or "quote"


class Speakers:
    """Who was named last in the article, to resolve 'he said' and 'Qiu said'."""

    def __init__(self):
        self.people = []   # (name, start, end of the words naming them)

    def add(self, name, start, end):
        self.people.append((name, start, end))

    def last(self):
        return self.people[-1] if self.people else None

    def by_surname(self, word):
        return next(((n, a, b) for n, a, b in reversed(self.people) if n.split()[-1] == word or n.split()[0] == word
                     and n != word), None)


def propose_statements(p, article, found, stem):
    text = article.text
    names = [(m.start, m.end) for ex in found for m in ex.names + ex.passing]
    exercise_of = {}
    for ex in found:
        for s in ex.sentences:
            exercise_of.setdefault((s.start, s.end), ex.exercise_id)
    prefix = "s" + (re.match(r"[A-Za-z0-9]+", stem).group(0).lower() if re.match(r"[A-Za-z0-9]+", stem) else "x")
    speakers, out, ids, last_who = Speakers(), [], set(), {}
    for s in article.body:
        for m in NAME.finditer(text, s.start, s.end):  # people named in reporting, for later pronouns
            title, _ = _strip_title(text[max(s.start, m.start() - 30):m.start()].split(",")[-1].strip() + " x")
            if title or re.search(r"\b(?:said|told|spokes\w+|commander|minister|director|chief)\b",
                                  text[m.end():min(s.end, m.end() + 40)]):
                speakers.add(m.group("name"), m.start(), m.end())
        for q in s.quotes:
            words = text[q.start:q.end].strip()
            if any(a < q.end and q.start < b for a, b in names) or len(words.split()) < 1:
                continue
            after, before = text[q.outer_end:s.end], text[s.start:q.outer_start]
            who = None
            for rx, where, offset in ((AFTER_WHO, after, q.outer_end), (WHO_AFTER, after, q.outer_end)):
                mm = rx.match(where)
                if mm:
                    who = (mm.group("who").strip(), offset + mm.start("who"), offset + mm.end("who"))
                    break
            if who is None:
                mm = WHO_BEFORE.search(before)
                if mm:
                    who = (mm.group("who").strip(), s.start + mm.start("who"), s.start + mm.end("who"))
            if who is None and len(words.split()) < MIN_WORDS:
                continue
            if who is None and s.line in last_who:
                who = last_who[s.line]
            st = _statement(p, article, words, q, who, speakers, exercise_of.get((s.start, s.end)), prefix, ids)
            if st is not None:
                out.append(st)
                if who is not None:
                    last_who[s.line] = who
    return out


def _statement(p, article, words, q, who, speakers, exercise_id, prefix, ids):
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
    phrase, a, b = who
    span = [(a, b)]
    if PRONOUN.match(phrase):
        last = speakers.last()
        if last:
            name, x, y = last
            st["speaker"] = p("statements", "speaker", name, span, "'he' or 'she' is the person named last",
                              rule="coreference", inference=f"'{phrase}' is '{text[x:y]}', named before")
        return st
    name, title = _person(phrase)
    if name is None and re.fullmatch(r"[A-Z][a-z’'-]+", phrase.strip()):
        known = speakers.by_surname(phrase.strip())
        if known:
            full, x, y = known
            st["speaker"] = p("statements", "speaker", full, span, "a surname of the person named in full before",
                              rule="coreference", inference=f"'{phrase}' is '{text[x:y]}', named before")
    elif name is not None:
        st["speaker"] = p("statements", "speaker", name, span, "the person the quotation is attributed to")
        speakers.add(name, a + phrase.find(name), a + phrase.find(name) + len(name))
        if title:
            st["speaker_title"] = p("statements", "speaker_title", title, span, "the speaker's title as written")
    body = _body(phrase)
    if body:
        canon = next((c for c, forms in organizations(str(p.root)).items() if find_words(body, forms) == (0, len(body))), None)
        st["organization"] = (canon and p("statements", "organization", canon, span, "the body it is attributed to",
                                          rule="organization-name",
                                          inference=f"'{body}', under the one name schema/organizations.yaml gives it")) \
            or p("statements", "organization", body, span, "the body it is attributed to")
    countries = {c for *_, c in article.places.countries(phrase)}
    if len(countries) == 1:
        st["country_code"] = p("statements", "country_code", countries.pop(), span, "the country the attribution names")
    return {k: v for k, v in st.items() if v is not None or k in ("within", "exercise_id")}
