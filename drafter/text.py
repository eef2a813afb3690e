"""The seed's text as the rules see it: paragraphs, sentences (quotations never split one), quoted
spans, and the one job every proposal depends on: a verbatim quote that occurs exactly once.

Everything is kept as character offsets into the seed, so a quote is always `text[start:end]`
(extended, when needed, until it is unique): never retyped, never normalised.
"""
import re
from dataclasses import dataclass, field

MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
OPEN_CLOSE = {"“": "”", '"': '"'}
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "adm", "sen", "rep", "st", "no", "vs", "u.s", "u.k",
                 "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co"}
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def fold(s):
    """Quotes, dashes and no-break spaces as plain ASCII: for matching words, never for quoting."""
    return s.translate(_FOLD)


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Quoted(Span):
    """Words inside quotation marks: start/end exclude the marks, outer_* include them."""
    outer_start: int = 0
    outer_end: int = 0


@dataclass
class Sentence(Span):
    text: str = ""
    paragraph: int = 0          # index of its paragraph (a line of the seed)
    heading: bool = False       # a short line with no sentence-final punctuation
    quotes: list = field(default_factory=list)  # Quoted spans inside it
    skip: bool = False          # not the article's own reporting: a link to another article (article.py)
    caption: bool = False       # a line carrying an image credit (article.py)


def paragraphs(text):
    """(start, end) of each non-empty line."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def quoted_spans(text, start, end):
    """Quotations in text[start:end] (one line): curly pairs, and straight double quotes paired in order."""
    spans, i = [], start
    while i < end:
        ch = text[i]
        if ch in OPEN_CLOSE:
            close = text.find(OPEN_CLOSE[ch], i + 1, end)
            if close > i + 1:
                spans.append(Quoted(i + 1, close, i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


def is_heading(line):
    stripped = line.strip()
    words = stripped.split()
    return bool(words) and len(words) <= 16 and not re.search(r"[.!:;,]['\"”’)]?$", stripped)


def sentences(text):
    """Every sentence of the seed, in order; a quotation's inner full stops never end a sentence."""
    out = []
    for p, (ps, pe) in enumerate(paragraphs(text)):
        quotes = quoted_spans(text, ps, pe)
        masked = list(text[ps:pe])
        for q in quotes:  # hide quotation content from the splitter (a full stop closing it may end the sentence)
            for k in range(q.start - ps, q.end - ps - 1):
                if masked[k] in ".!?":
                    masked[k] = "x"
        masked = "".join(masked)
        heading = is_heading(text[ps:pe])
        cuts = [0]
        for m in re.finditer(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])", masked):
            before = re.search(r"([A-Za-z.]+)[.!?]$", masked[:m.start() + 1])
            if before and before.group(1).lower().rstrip(".") in ABBREVIATIONS:
                continue
            if before and re.fullmatch(r"[A-Z]", before.group(1)):  # an initial: "J. Smith"
                continue
            cuts.append(m.end())
        cuts.append(len(masked))
        for a, b in zip(cuts, cuts[1:]):
            s, e = ps + a, ps + b
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(s, e, text[s:e], p, heading,
                                    [q for q in quotes if s <= q.outer_start and q.outer_end <= e]))
    return out


def count(text, s):
    n, i = 0, text.find(s)
    while i >= 0:
        n += 1
        i = text.find(s, i + 1)
    return n


def _clean(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _markup_between(text, a, b):
    return MARKUP.search(text, a, b) is not None and any(m.start() < b for m in MARKUP.finditer(text, a, b))


def unique_quote(text, start, end, limit=400):
    """The shortest run of the seed containing text[start:end] that occurs exactly once and holds no
    markup: grown a word at a time, alternately to the right and the left, staying within its line
    while it can. None when impossible."""
    start, end = _clean(text, start, end)
    if start >= end or _markup_between(text, start, end) or "<" in text[start:end] or ">" in text[start:end]:
        return None
    a, b = start, end
    right_first = True
    while count(text, text[a:b]) != 1:
        if b - a > limit:
            return None
        options = []
        if b < len(text):
            nb = _next_word_end(text, b)
            if not re.search(r"[<>]", text[b:nb]):
                options.append((a, nb, "\n" in text[b:nb]))
        if a > 0:
            na = _prev_word_start(text, a)
            if not re.search(r"[<>]", text[na:a]):
                options.append((na, b, "\n" in text[na:a]))
        if not options:
            return None
        if not right_first:
            options.reverse()
        a, b, _ = min(options, key=lambda o: o[2])  # a step within the line first
        right_first = not right_first
    a, b = _clean(text, a, b)
    return text[a:b]


def _next_word_end(text, i):
    m = re.compile(r"\s*\S+").match(text, i)
    return m.end() if m else len(text)


def _prev_word_start(text, i):
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return j


def within_for(text, q):
    """For a statement whose words occur more than once: a unique run containing them once (the
    words with their quotation marks, lengthened when needed)."""
    w = unique_quote(text, q.outer_start, q.outer_end)
    quote = text[q.start:q.end]
    if w is None or w.count(quote) != 1:
        return None
    return w
