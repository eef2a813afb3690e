"""Who takes part: the countries (names, demonyms, capitals) a sentence about the exercise puts
before a verb of taking part ("Russia and China have kicked off", "India, Belarus … will also take
part"), or joins in "a joint Russian-Chinese exercise"; "the two countries" are the two the article
names most. The host takes the role host; what a country sends ("send a contingent of troops to")
is its forces."""
import re
from collections import Counter

from . import vocab
from .exercises import _unquoted

TAKE_PART = re.compile(rf"\b{vocab.TAKE_PART}\b")
JOINT_PAIR = re.compile(r"\bjoint (?P<pair>[A-Z][a-z]+(?:-| and )[A-Z][a-z]+) (?:military )?(?:exercises?|drills?|maneuvers)\b")
TWO = re.compile(r"\b(?:the two (?:countries|nations|sides|states|militaries|armies)|both countries)\b")
USES = re.compile(r"\b(?:troops|forces|military|army|navy) will use (?P<e>[^,.;]+?)(?= for\b| in\b| during\b|[,.;])")
FORCES = re.compile(r"\b(?:send|sends|sent|dispatched|deployed|will deploy)\s+(?P<f>(?:(?!\bto\b)[^.;])+?)\s+to\b")
CLAUSE_BREAK = re.compile(r"[;:]|, (?:as(?! well as)|while|which|who|when|but|after|before|because|although)\b|\b(?:that|than)\b")


class Participants:
    def __init__(self, p, article, ex, host):
        self.p, self.article, self.text, self.ex, self.host = p, article, article.text, ex, host
        self.found = {}     # code -> {"quote": Proposal-ish, "why": str}

    def _pair(self):
        """The two countries the article names most: "the two countries" of a China–Russia article."""
        c = Counter(code for s in self.article.body for *_, code in self.article.countries(s.start, s.end))
        return [code for code, _ in c.most_common(2)]

    def _add(self, code, span, why, also=None):
        """A participant; its quote must name the country itself (the build reads no inference for it)."""
        if code in self.found:
            return
        claim = self.p.claim("participants", "country_code", code, [span] + ([also] if also else []), why)
        if claim is not None:
            self.found[code] = {"claim": claim, "span": span}

    def _named_before(self, code, at):
        """The last words naming the country before offset at (whom "the two countries" refers to)."""
        spans = [(a, b) for s in self.article.body for a, b, c in self.article.countries(s.start, s.end) if c == code and b <= at]
        return spans[-1] if spans else None

    def find(self):
        text = self.text
        for s in self.ex.sentences:
            said = text[s.start:s.end]
            for verb in TAKE_PART.finditer(said):
                lead = said[:verb.start()]
                cut = max((m.end() for m in CLAUSE_BREAK.finditer(lead)), default=0)
                for a, b, code in self.article.countries(s.start + cut, s.start + verb.start()):
                    if re.search(r"\b(?:in|of|near|to|from|off|against|at|into|toward|towards|within)\s+(?:the\s+)?$",
                                 text[max(s.start, a - 12):a]):
                        continue  # a place ("in the Sea of Japan"), not who takes part
                    self._add(code, (a, s.start + verb.end()), f"named before {verb.group(0)!r}")
                two = TWO.search(lead, cut)
                if two:
                    for code in self._pair():
                        self._add(code, (s.start + two.start(), s.start + verb.end()),
                                  f"{two.group(0)!r}: one of the two countries the article names most",
                                  also=self._named_before(code, s.start + two.start()))
            for m in JOINT_PAIR.finditer(_unquoted(text, s)):
                for a, b, code in self.article.countries(s.start + m.start("pair"), s.start + m.end("pair")):
                    self._add(code, (s.start + m.start(), s.start + m.end()), "named in 'joint … exercise'")
        if self.host is not None and self.host.value not in self.found:
            a, b = self.host.spans[0]
            self._add(self.host.value, (a, b), "the host")
        return self._rows()

    def _rows(self):
        rows = {}
        roles = vocab.x_words(str(self.article.root), "participants", "role")
        for code, f in self.found.items():
            claim = f["claim"]
            row = {"quote": claim}
            if self.host is not None and code == self.host.value:
                role = self.p.claim("participants", "role", "host", [tuple(self.host.spans[0])], "the host country",
                                    inference=f"the exercise is held in or by {code} (host_country)")
            else:
                role = self.p.claim("participants", "role", "participant", [f["span"]], "named as taking part")
                if role is None:
                    role = self.p.claim("participants", "role", "participant", [f["span"]], "named as taking part",
                                        inference="named as taking part in the exercise")
            if role is not None:
                row["role"] = role
            forces = self._forces(code)
            if forces is not None:
                row["forces"] = forces
            equipment = self._equipment(code)
            if equipment is not None:
                row["equipment"] = equipment
            rows[code] = row
        return rows

    def _forces(self, code):
        for s in self.ex.sentences:
            for m in FORCES.finditer(self.text, s.start, s.end):
                lead = self.article.countries(s.start, m.start())
                if lead and lead[-1][2] == code:
                    f = m.group("f")
                    return self.p.claim("participants", "forces", f, [m.span("f")], "what the country is said to send")
        return None

    def _equipment(self, code):
        """"Russian troops will use Chinese-made weapons": what the country's forces use, in the
        paragraphs that speak of the exercise."""
        paras = {s.paragraph for s in self.ex.sentences}
        for s in self.article.body:
            if s.paragraph not in paras:
                continue
            for m in USES.finditer(self.text, s.start, s.end):
                lead = self.article.countries(max(s.start, m.start() - 30), m.start())
                if lead and lead[-1][2] == code:
                    return self.p.claim("participants", "equipment", m.group("e"), [(lead[-1][0], m.end())],
                                        "what the country's forces are said to use")
        return None
