"""Does one quote state a value? Each kind of field (schema/kinds.yaml `states`), stated and not, one
quote at a time; the hostile cases of issue 21 §2 (numbers inside numbers, months from ordinary words,
countries inside other names, words cut mid-word or mid-letter, inference wording that hides a guess)."""

import unicodedata

import pytest
from support import ROOT

from scripts.errors import PipelineError
from scripts.read.claims import lint_inference
from scripts.read.lexicon import number_words
from scripts.read.quotes import locate
from scripts.read.schema import Schema
from scripts.read.support import Context, unstated

SCHEMA = Schema(ROOT)
UNITS = SCHEMA.field("counts", "unit")["x-words"]


def context(unit="troops", party="all", words=None, kind_words=None):
    return Context(ROOT, words, kind_words, UNITS, unit, party)


CASES = [
    # kind, value, quote, stated
    ("text", "Eastern Military District", "units of the Eastern Military District", True),
    ("text", "Western Military District", "units of the Eastern Military District", False),
    ("text", "eastern military district", "units of the Eastern Military District", False),  # exactly as written
    ("text", "Russia", "the Russian navy", False),  # whole words: not inside "Russian"
    ("text", "Zapad/Inter", "Zapad/Interaction 2021", False),  # a name cut mid-word
    ("text", "Malmo", unicodedata.normalize("NFD", "Malmö"), False),  # nor before a letter's accent
    ("text", "Qingdao", "Qingdao's port", True),
    ("count", 10000, "More than 10,000 troops", True),
    ("count", 2000, "about 2,000 troops", True),
    ("count", 2, "two soldiers", True),  # in words, with a word of its unit
    ("count", 20000, "More than 10,000 troops", False),
    ("count", 10, "More than 10,000 troops", False),  # not inside a longer number
    ("count", 100, "More than 1000 troops", False),
    ("count", 5, "the five-day drill of troops", False),  # a length, not a count
    ("count", 13, "a 13-hour flight of troops", False),
    ("count", 5, "1.5 million troops", False),
    ("count", 1500000, "1.5 million troops", True),
    ("count", 2021, "Vostok-2021 troops", False),  # inside a name
    ("count", 30, "Su-30 fighters and troops", False),
    ("count", 2, "2.000 troops", False),  # a decimal is not a whole number
    ("date", "2021-08-10", "August 10, 2021", True),
    ("date", "2021-08", "in August 2021", True),
    ("date", "2021-08-11", "August 10, 2021", False),
    ("date", "2021-09-10", "August 10, 2021", False),
    ("date", "2022-08-10", "August 10, 2021", False),
    ("date", "2021-05", "in May 2021", True),
    ("date", "2021-05", "the drills may continue in 2021", False),  # "may" is no month
    ("date", "2021-03", "troops will march in 2021", False),  # nor is "march"
    ("date", "2021-08-10", "More than 10,000 troops in August 2021", False),  # a day is not read from "10,000"
    ("year", 2021, "Zapad/Interaction 2021 drills", True),
    ("year", 2021, "Vostok-2021", True),  # a year in a name is a year
    ("year", 2022, "Zapad/Interaction 2021 drills", False),
    ("year", 2021, "12021 troops", False),
    ("country", "RUS", "the Russian Defense Ministry", True),
    ("country", "RUS", "officials in Moscow said", True),
    ("country", "CHN", "Beijing announced", True),
    ("country", "CHN", "the Russian Defense Ministry", False),
    ("country", "USA", "let us go", False),  # "us" is a pronoun, "US" the country
    ("country", "IND", "the Indian Ocean", False),  # a sea's name names no country
    ("country", "JPN", "the Sea of Japan", False),
    ("country", "GIN", "Papua New Guinea", False),  # nor does another country's name
    ("country", "PNG", "Papua New Guinea", True),
    ("country", "TUR", "roast turkey", False),  # a proper noun only with its capital
    ("country", "TUR", "Turkey sent observers", True),
    ("country", "MEX", "trained in New Mexico", False),  # a place named like a country
    ("ordinal", 2, "the second joint exercise this year", True),
    ("ordinal", 3, "the second joint exercise this year", False),
]


@pytest.mark.parametrize("kind,value,quote,stated", CASES, ids=[f"{c[0]}-{c[1]}-{c[2][:24]}-{c[3]}" for c in CASES])
def test_a_value_is_checked_against_one_quote_by_kind(kind, value, quote, stated):
    why = unstated(kind, value, quote, context())
    assert (why is None) == stated, why


@pytest.mark.parametrize(
    "value,quote",
    [
        (10, "Some 10 000 troops"),  # thousands grouped by a space: one number
        (10, "Some 10\u2009000 troops"),  # or by a thin space
        (20, "20 percent of troops"),  # a share
        (20, "20% of troops"),
        (2, "two-thirds of troops"),  # a fraction
    ],
)
def test_numbers_that_are_not_counts(value, quote):
    assert unstated("count", value, quote, context()) is not None


@pytest.mark.parametrize("value,quote", [(10000, "Some 10 000 troops"), (100, "on May 4 100 troops sailed")])
def test_thousands_grouped_by_a_space_are_one_number_but_not_after_a_month(value, quote):
    assert unstated("count", value, quote, context()) is None


def test_a_gulf_names_no_country():
    assert unstated("country", "MEX", "the Gulf of Mexico", context()) is not None


def test_a_count_needs_its_unit_and_its_country():
    assert unstated("count", 13, "involves 13 ships", context(unit="submarines")) is not None
    assert unstated("count", 2, "two submarines", context(unit="submarines")) is None
    assert "does not name RUS" in unstated("count", 13, "involves 13 ships", context(unit="ships", party="RUS"))
    assert unstated("count", 13, "Russia sent 13 ships", context(unit="ships", party="RUS")) is None


def test_categories_are_named_by_their_words():
    words = {"naval": ["naval", "warships"], "air": ["aircraft", "air force"]}
    assert unstated("category", "naval", "ten warships sailed", context(words=words)) is None
    assert "no word of the quote names 'air'" in unstated(
        "category", "air", "ten warships sailed", context(words=words)
    )
    assert unstated("category", "air", "the aircraft carrier", context(words=words)) is None
    assert unstated("category", "air", "the airport", context(words=words)) is not None  # whole words only


def test_a_series_is_named_beside_a_word_of_recurrence():
    words = SCHEMA.kinds["series"]["words"]
    quote = "Joint Sea-2019, the latest round of the drills"
    assert unstated("series", "Joint Sea", quote, context(kind_words=words)) is None
    assert "recurs" in unstated("series", "Joint Sea", "the Joint Sea-2019 exercise", context(kind_words=words))


def test_a_quote_never_cuts_a_letter_from_its_accent():
    seed = "Talks in " + unicodedata.normalize("NFD", "Malmö") + " ended."
    with pytest.raises(PipelineError, match="cuts a letter from its accent"):
        locate(seed, "Malmo")
    assert locate(seed, unicodedata.normalize("NFD", "Malmö")) == 9


@pytest.mark.parametrize(
    "inference",
    [
        "likely the same day",
        "prob\u00adably the same day",
        "pr\u043ebably the same day",
        "Probably the same day",
        "presumably",
        "taken to be May",
    ],
)
def test_inference_wording_that_admits_a_guess_is_refused(inference):
    assert "the inference says" in lint_inference(inference, None)


@pytest.mark.parametrize(
    "inference",
    ["from the public record", "the public  record", "the public\u00a0record", "PUBLIC RECORD", "a well-known fact"],
)
def test_inference_naming_an_outside_fact_needs_basis_outside(inference):
    assert "add `basis: outside`" in lint_inference(inference, None)
    assert lint_inference(inference, "outside") is None


def test_numbers_in_words():
    assert [number_words(n) for n in (5, 13, 21, 100, 10000)] == [
        "five",
        "thirteen",
        "twenty-one",
        "one hundred",
        "ten thousand",
    ]
