"""Who speaks in a sentence: people by title and name, bodies (a ministry, a government, an outlet),
a capital or country standing for its government, and pronouns pointing back to the last of these.

A Mention carries the normalised values the dataset uses (speaker, organization, country) and
the offsets of the words naming each, so that every value can be quoted."""
import re
from dataclasses import dataclass, field

from . import vocab

NAME = r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,2}"
TITLE = (r"secretary of state|(?:deputy |vice |former )?(?:(?:defen[cs]e|foreign|prime) )?"
         r"(?:minister|ambassador|envoy|spokes(?:man|woman|person)|president|premier|chancellor|"
         r"general|admiral|commander|secretary|chief|director|analyst|expert|professor|colonel)")
TITLED = re.compile(rf"(?i:\b(?P<title>{TITLE}))\b,?\s+(?P<name>{NAME})(?![A-Za-z])")
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+(?P<surname>[A-Z][a-z]+)")
# Bodies, by the name the dataset gives them ("{adj}": the country's adjective).
BODIES = [
    (r"Ministry of (?:National )?Defen[cs]e|Defen[cs]e Ministry|defen[cs]e ministry", "{adj} Defense Ministry", "Defense Ministry"),
    (r"Ministry of Foreign Affairs|Foreign Ministry|foreign ministry", "{adj} Foreign Ministry", "Foreign Ministry"),
    (r"State Department|Department of State", "US Department of State", None),
    (r"government", "{adj} government", None),
    (r"military|armed forces|Armed Forces", "{adj} military", None),
]
BODY_RE = re.compile("|".join(f"(?P<b{i}>{b[0]})" for i, b in enumerate(BODIES)))
OUTLET_RE = re.compile("|".join(f"(?P<o{i}>\\b(?:{o[1]})\\b)" for i, o in enumerate(vocab.OUTLETS)))
STATE_TITLE = re.compile(r"(?i:secretary of state)")
PRONOUN = re.compile(r"\b(?P<p>[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Tt]he (?:article|statement|report|ministry|spokes(?:man|woman|person)))\b")
REPORT_YEAR = re.compile(r"\b(?:a|the|its) (?P<year>(?:19|20)\d\d) (?:[A-Z][\w.]*\s){0,3}(?:report|study|review|white paper)\b")


@dataclass
class Mention:
    start: int
    end: int
    kind: str                      # person, body, outlet, state, pronoun, report
    speaker: str = None
    organization: str = None
    country: str = None
    # offsets of the words naming each value (for quoting)
    spans: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)   # field -> inference, when the words do not say it
    title: str = None
    year: int = None


class Speakers:
    """Reads the article in order, remembering the people and bodies already named."""

    def __init__(self, article):
        self.article, self.text, self.root = article, article.text, str(article.root)
        self.people = []          # person Mentions in order of first mention
        self.bodies_named = {}    # generic body name -> {country: Mention}
        self.learning = True      # a first pass over the whole article learns its people and bodies
        for s in article.body:
            self.mentions(s, [(q.outer_start, q.outer_end) for q in s.quotes])
        self.learning = False

    def country_before(self, start, end):
        """The last country word in text[start:end] (a clause's lead: "China's deputy ambassador")."""
        found = self.article.countries(start, end)
        return found[-1] if found else None

    def _lead(self, pos, sentence):
        """Start of the clause leading to pos: after the last comma, 'and', 'that' or the sentence start."""
        lead = self.text[sentence.start:pos]
        cut = max(lead.rfind(", "), lead.rfind(" that "), lead.rfind(" and "), lead.rfind("“"), lead.rfind('"'))
        return sentence.start + (cut + 1 if cut >= 0 else 0)

    def _body(self, m, sentence):
        i = int(next(k for k, v in m.groupdict().items() if v)[1:])
        _, template, bare = BODIES[i]
        c = self.country_before(self._lead(m.start(), sentence), m.start())
        if c and m.start() - c[1] > 25:
            c = None
        men = Mention(c[0] if c else m.start(), m.end(), "body")
        if "{adj}" in template and not c:
            if bare is None:
                return None
            men.organization = bare
            men.spans["organization"] = (m.start(), m.end())
            self.bodies_named.setdefault(bare, {})
            men.bare = bare
            return men
        code = c[2] if c else "USA"
        men.organization = template.replace("{adj}", vocab.adjective(self.root, code))
        men.country = code
        men.spans["organization"] = (men.start, m.end())
        if c:
            men.spans["country"] = (c[0], m.end())
        else:
            men.spans["country"] = (m.start(), m.end())
            men.derived["country"] = f"the {m.group(0)} is a body of the United States by its name"
        if men.organization not in self.text[men.start:m.end()]:
            men.derived["organization"] = f"{self.text[men.start:m.end()]!r}, under the one name this dataset gives it"
        if bare and self.learning:
            self.bodies_named.setdefault(bare, {}).setdefault(code, men)
        return men

    def mentions(self, sentence, exclude=()):
        """Mentions in a sentence, outside the spans in exclude (quotations)."""
        s, e, text = sentence.start, sentence.end, self.text
        out = []

        def free(a, b):
            return not any(x < b and a < y for x, y in exclude)

        for m in TITLED.finditer(text, s, e):
            if not free(m.start(), m.end()):
                continue
            lead = self._lead(m.start(), sentence)
            men = Mention(m.start(), m.end(), "person", speaker=m.group("name"), title=m.group("title"))
            men.spans["speaker"] = (m.start("name"), m.end("name"))
            c = self.country_before(lead, m.start())
            b = BODY_RE.search(text, lead, m.start())
            body = self._body(b, sentence) if b else None
            if STATE_TITLE.fullmatch(m.group("title")):
                body = Mention(m.start(), m.end(), "body", organization="US Department of State")
                body.spans["organization"] = (m.start(), m.end())
                body.derived["organization"] = f"the {m.group('title')} heads the US Department of State"
                if c:
                    body.country = c[2]
            if body is not None and body.organization:
                men.organization = body.organization
                men.spans["organization"] = body.spans["organization"]
                men.derived.update({k: v for k, v in body.derived.items() if k == "organization"})
                if body.organization == "US Department of State" and not c:
                    men.country = "USA"
                    men.spans["country"] = body.spans["organization"]
                    men.derived["country"] = "the State Department is a body of the United States by its name"
            if c:
                men.country, men.spans["country"] = c[2], (c[0], m.end())
            men.start = min([men.start] + [a for a, _ in men.spans.values()])
            men.spans["speaker"] = (men.start, m.end())   # the whole mention: "China's deputy ambassador, Dai Bing"
            if self.learning:
                self.people.append(men)
            out.append(men)
        taken = [(m.start, m.end) for m in out]
        for m in HONORIFIC.finditer(text, s, e):
            known = next((p for p in reversed(self.people) if p.speaker.split()[-1] == m.group("surname")), None)
            if known and free(m.start(), m.end()):
                out.append(self._again(known, m.start(), m.end()))
        for p in list(self.people):
            for m in re.finditer(re.escape(p.speaker), text[s:e]):
                a, b = s + m.start(), s + m.end()
                if free(a, b) and not any(x <= a < y for x, y in taken):
                    out.append(self._again(p, a, b))
        for m in BODY_RE.finditer(text, s, e):
            if free(m.start(), m.end()) and not any(x <= m.start() < y for x, y in taken):
                men = self._body(m, sentence)
                if men:
                    out.append(men)
        for m in OUTLET_RE.finditer(text, s, e):
            if free(m.start(), m.end()):
                i = int(next(k for k, v in m.groupdict().items() if v)[1:])
                name, _, code = vocab.OUTLETS[i]
                men = Mention(m.start(), m.end(), "outlet", organization=name, country=code)
                full = self._full_name(name, m.start())
                men.spans["organization"] = full or (m.start(), m.end())
                if not full:
                    men.derived["organization"] = f"{m.group(0)!r}: the {name}"
                c = self.country_before(self._lead(m.start(), sentence), m.start())
                men.spans["country"] = (c[0], m.end()) if c else men.spans["organization"]
                if not c:
                    men.derived["country"] = f"the {name} is an outlet of {code}'s state media"
                out.append(men)
        verbs = [v for v in vocab.ATTRIBUTION_RE.finditer(text, s, e) if free(v.start(), v.end())]
        for c in self.article.countries(s, e):
            a, b, code = c
            if not free(a, b) or any(x <= a < y for x, y in taken + [(m.start, m.end) for m in out]):
                continue
            follows = re.match(r"\s+(?:has |have |had |also )?", text[b:e])
            verb = next((v for v in verbs if v.start() == b + (follows.end() if follows else 0)), None)
            heading_from = sentence.heading and re.search(r"\bfrom\s+(?:the\s+)?$", text[s:a])
            if verb or heading_from:
                men = Mention(a, b, "state", organization=f"{vocab.adjective(self.root, code)} government", country=code)
                men.spans = {"organization": (a, b), "country": (a, b)}
                men.derived["organization"] = f"{text[a:b]!r} stands for the {men.organization}"
                out.append(men)
        for m in REPORT_YEAR.finditer(text, s, e):
            if free(m.start(), m.end()):
                c = self.article.countries(m.start(), m.end())
                men = Mention(m.start(), m.end(), "report", year=int(m.group("year")), country=c[0][2] if c else None)
                men.spans = {"country": (m.start(), m.end()), "statement_date": (m.start(), m.end())}
                out.append(men)
        for m in PRONOUN.finditer(text, s, e):
            v = next((v for v in verbs if 0 <= v.start() - m.end() <= 12), None)
            if v and free(m.start(), m.end()):
                out.append(Mention(m.start(), v.end(), "pronoun", title=m.group("p").lower()))
        return sorted(out, key=lambda m: m.start), verbs

    def _again(self, person, a, b):
        """A later mention of a person already named: the values rest on the first mention too."""
        men = Mention(a, b, "person", speaker=person.speaker, organization=person.organization,
                      country=person.country, title=person.title)
        men.spans = dict(person.spans)
        men.spans["speaker_again"] = (a, b)
        men.derived = dict(person.derived)
        return men

    def _full_name(self, name, before):
        i = self.text.find(name)
        return (i, i + len(name)) if 0 <= i else None

    def resolve_bare(self, men):
        """'the Defense Ministry' with no country: the one country's ministry the article names, if only one.
        A country's military speaking: its Defense Ministry, when the article names that ministry (a
        military speaks through its ministry; the curator checks)."""
        if men.kind == "body" and men.organization and men.organization.endswith(" military") and men.country:
            ministry = (self.bodies_named.get("Defense Ministry") or {}).get(men.country)
            if ministry is not None:
                out = Mention(men.start, men.end, "body", organization=ministry.organization, country=men.country)
                out.spans = {"organization": (men.start, men.end), "organization_first": ministry.spans["organization"],
                             "country": men.spans["country"]}
                out.derived["organization"] = (f"{self.text[men.start:men.end]!r} speaks for the {ministry.organization}, "
                                               "which the article names as announcing")
                return out
        bare = getattr(men, "bare", None)
        named = self.bodies_named.get(bare) or {} if bare else {}
        if bare and len(named) == 1:
            (code, first), = named.items()
            out = Mention(men.start, men.end, "body", organization=first.organization, country=code)
            out.spans = {"organization": men.spans["organization"], "organization_first": first.spans["organization"],
                         "country": first.spans["country"]}
            out.derived["organization"] = (f"{self.text[men.start:men.end]!r} is the {first.organization} the "
                                           "article names, the only one it names")
            return out
        return men
