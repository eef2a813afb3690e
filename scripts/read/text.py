"""Text as the checks compare it: one home for folding and normalising (never applied to a quote,
which is always the seed's exact characters, only to what is compared with it).

- `fold`: typographic variants as plain ASCII (curly quotes, dashes, no-break and thin spaces), for
  matching words and for suggesting the seed's exact text after a near miss;
- `normalise`: what a person reads, for checking wording (inferences, reasons): NFKC, invisible
  characters removed, look-alike letters of other scripts as Latin, white space collapsed;
- `is_word_char`: letters, digits and combining marks: a match must not start or end inside a word.
"""

import re
import unicodedata
from functools import lru_cache

FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "′": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "‐": "-",
        "−": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)
# Letters of Cyrillic and Greek that look like Latin ones: "prоbably" with a Cyrillic о reads as "probably".
LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "ο": "o",
        "α": "a",
        "ρ": "p",
        "ν": "v",
        "Ο": "O",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Κ": "K",
    }
)


def fold(s):
    return s.translate(FOLD)


def invisible(ch):
    """Characters a reader does not see: format (bidi, zero-width, soft hyphen, tags), controls other
    than line breaks and tabs, variation selectors, the combining grapheme joiner, filler letters."""
    cat = unicodedata.category(ch)
    return (
        cat == "Cf"
        or (cat == "Cc" and ch not in "\n\t")
        or cat in ("Zl", "Zp")
        or "\ufe00" <= ch <= "\ufe0f"
        or "\U000e0100" <= ch <= "\U000e01ef"
        or ch in "\u034f\u115f\u1160\u3164\uffa0"
    )


_ASCII_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # the controls: ASCII's only invisible characters
_SPACES = re.compile(r"\s+")


def normalise(s):
    if s.isascii():  # most text: NFKC and look-alikes change nothing
        return _SPACES.sub(" ", fold(_ASCII_INVISIBLE.sub("", s))).strip()
    s = unicodedata.normalize("NFKC", s)
    s = "".join(ch for ch in s if not invisible(ch)).translate(LOOKALIKES)
    return _SPACES.sub(" ", fold(s)).strip()


def is_word_char(ch):
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def at_word_bounds(text, start, end):
    """text[start:end] neither starts nor ends inside a word (a letter, digit or combining mark beside it)."""
    return (start == 0 or not (is_word_char(text[start - 1]) and is_word_char(text[start]))) and (
        end >= len(text) or not (is_word_char(text[end]) and is_word_char(text[end - 1]))
    )


@lru_cache(maxsize=1024)
def _needles(words, case):
    """The words as find_words looks for them: folded, longest first (the same vocabularies come again and
    again: made once)."""
    out = [fold(w) if case else fold(w).lower() for w in sorted(set(words), key=len, reverse=True)]
    return [n for n in out if n]


def find_words(text, words, case=False):
    """First (start, end) of any of `words` in text as whole words (longest first), or None."""
    folded = fold(text)
    hay = folded if case else folded.lower()
    best = None
    for needle in _needles(tuple(words), case):
        at = hay.find(needle)
        while at >= 0:
            if at_word_bounds(folded, at, at + len(needle)):
                if best is None or at < best[0]:
                    best = (at, at + len(needle))
                break
            at = hay.find(needle, at + 1)
    return best
