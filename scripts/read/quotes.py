"""Find a curated quote in its seed text: exactly, once, and not inside markup.

Matching is exact (no normalisation), so published offsets always satisfy
text[quote_start:quote_end] == quote. Folding (quotes, dashes, case, white space) is used
only to suggest, in the error message, the seed's exact text for a near miss.
"""

import re
import unicodedata

from ..errors import PipelineError, short
from .text import fold

MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|<\s*/?\s*script", re.IGNORECASE)


def _fold(s):
    return re.sub(r"\s+", " ", fold(s)).lower()


def _folded_index(text):
    """The folded text and, for each of its characters, the offset in the original."""
    out, where, prev_space = [], [], False
    for i, original in enumerate(text):
        for ch in fold(original).lower():  # lower() may give two characters: each keeps its offset
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            out.append(ch)
            where.append(i)
    return "".join(out), where


def check_quote_text(quote):
    """Reasons a quote can never be published, whatever the seed says."""
    if not isinstance(quote, str):
        return f"a quote must be text, not {type(quote).__name__}"
    if not quote.strip():
        return "a quote is empty"
    if quote != quote.strip():
        return f"a quote starts or ends with white space: {short(quote)}"
    if MARKUP.search(quote) or "<" in quote or ">" in quote:
        return f"a quote contains markup ({short(quote)}); the dataset publishes plain text: quote around the tags"
    return None


def _is_mark(ch):
    return unicodedata.category(ch).startswith("M")


def locate(text, quote):
    """Return the offset of quote in text, or raise PipelineError saying why not."""
    problem = check_quote_text(quote)
    if problem:
        raise PipelineError(problem)
    first = text.find(quote)
    if first < 0:
        raise PipelineError(f"quote not found in the seed: {short(quote)}" + _hint(text, quote))
    end = first + len(quote)
    if _is_mark(quote[0]) or (end < len(text) and _is_mark(text[end])):
        raise PipelineError(
            f"the quote cuts a letter from its accent (a combining mark) in the seed: {short(quote)}; "
            "quote whole letters, with their marks"
        )
    second = text.find(quote, first + 1)
    if second >= 0:
        raise PipelineError(
            f"quote found more than once in the seed (offsets {first} and {second}): {short(quote)}; "
            "lengthen it until it occurs once"
        )
    return first


def _hint(text, quote):
    for form in ("NFC", "NFD"):
        if unicodedata.normalize(form, quote) != quote and unicodedata.normalize(form, quote) in text:
            return (
                f"; the seed has these characters composed differently (Unicode {form}): they look the same "
                "but are different code points; copy the words from the seed"
            )
    folded, where = _folded_index(text)
    fq = _fold(quote)
    at = folded.find(fq)
    if at >= 0:
        start, end = where[at], where[at + len(fq) - 1] + 1
        return (
            f"; the seed has {short(text[start:end], 160)} at offset {start} (copy its quotes, dashes, case and "
            "spaces exactly)"
        )
    return ""
