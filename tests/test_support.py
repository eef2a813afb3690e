"""Does a quote support a value? Each kind of field (schema/kinds.yaml), supported and not."""
import pytest

from support import ROOT
from scripts.read.support import number_words, unsupported

CASES = [
    # kind, value, quote, supported
    ("text", "Eastern Military District", "units of the Eastern Military District", True),
    ("text", "Western Military District", "units of the Eastern Military District", False),
    ("text", "eastern military district", "units of the Eastern Military District", False),  # exactly as written
    ("number", 10000, "More than 10,000 troops", True),
    ("number", 10000, "More than 10 000 troops", True),
    ("number", 5, "a five-day exercise", True),
    ("number", 13, "a 13-hour flight", True),
    ("number", 20000, "More than 10,000 troops", False),
    ("number", 100, "More than 1000 troops", False),  # not inside a longer number
    ("date", "2021-08-10", "August 10, 2021", True),
    ("date", "2021-08", "in August 2021", True),
    ("date", "2021-08-11", "August 10, 2021", False),
    ("date", "2021-09-10", "August 10, 2021", False),
    ("date", "2022-08-10", "August 10, 2021", False),
    ("year", 2021, "Zapad/Interaction 2021 drills", True),
    ("year", 2022, "Zapad/Interaction 2021 drills", False),
    ("country", "RUS", "the Russian Defense Ministry", True),
    ("country", "RUS", "officials in Moscow said", True),
    ("country", "CHN", "Beijing announced", True),
    ("country", "CHN", "the Russian Defense Ministry", False),
    ("country", "USA", "let us go", False),  # "us" is a pronoun, "US" the country
]


@pytest.mark.parametrize("kind,value,quote,supported", CASES, ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_a_value_is_checked_against_its_quote_by_kind(kind, value, quote, supported):
    why = unsupported(kind, value, [quote], ROOT)
    assert (why is None) == supported, why


def test_categories_are_named_by_their_words():
    words = {"naval": ["naval", "warships"], "air": ["aircraft", "air force"]}
    assert unsupported("category", "naval", ["ten warships sailed"], ROOT, words) is None
    assert "no word of the quote names 'air'" in unsupported("category", "air", ["ten warships sailed"], ROOT, words)
    assert unsupported("category", "air", ["the aircraft carrier"], ROOT, words) is None
    assert unsupported("category", "air", ["the airport"], ROOT, words) is not None  # whole words only


def test_numbers_in_words():
    assert [number_words(n) for n in (5, 13, 21, 100, 10000)] == [
        "five", "thirteen", "twenty-one", "one hundred", "ten thousand"]
