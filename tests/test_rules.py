"""Each derivation rule of schema/rules.yaml accepting a right derivation and refusing a wrong one: the
rules a curator names (scripts/read/rules.py, one check each), and the two the build applies itself
(year-of-date, gazetteer), which no curator may name."""

import pytest
from support import ROOT, link_project, put

from scripts.package.assemble import assemble
from scripts.read.curation import read_curation
from scripts.read.rules import BUILD_RULES, Derivation, problem
from scripts.read.schema import Schema
from scripts.read.support import Context

SCHEMA = Schema(ROOT)
KNOWN = {r["rule_id"] for r in SCHEMA.rows("rules")}
NINGXIA = "drills in northwestern China's Ningxia"
URL = "https://www.themoscowtimes.com/2021/08/10/drills-a74740"
TEXT = (
    "QINGDAO, April 29, 2019 -- Chinese and Russian naval forces began the Joint Sea-2019 exercise on Monday. "
    '"The drill will deepen mutual trust," said navy spokesman Liang Yang.'
)


def derivation(
    rule, value, quotes, kind="date", article="2019-04-29", start=None, inference="a test", party=None, field=None
):
    words = SCHEMA.field(*field).get("x-words") if field else None
    ctx = Context(ROOT, words, None, {}, None, party)
    return Derivation(rule, kind, value, quotes, inference, TEXT, article, start, ctx)


# rule: ([right derivations], [wrong derivations])
CASES = {
    "weekday": (
        [derivation("weekday", "2019-04-29", ["began the exercise on Monday"])],
        [
            derivation("weekday", "2019-04-30", ["began the exercise on Monday"]),  # a Tuesday
            derivation("weekday", "2019-04-22", ["began the exercise on Monday"]),  # a Monday, a week away
            derivation("weekday", "2019-04-29", ["began the exercise on Monday"], article="2019-04"),
        ],
    ),
    "article-year": (
        [
            derivation("article-year", "2019-05-04", ["runs until May 4"]),
            derivation("article-year", 2019, ["this year"], kind="year"),
        ],
        [
            derivation("article-year", "2019-06-04", ["runs until May 4"]),
            derivation("article-year", "2021-05-04", ["runs until May 4"]),
            derivation("article-year", "2019-05-04", ["runs until May 4"], article=None),
        ],
    ),
    "year-of-name": (
        [derivation("year-of-name", "2016-09-12", ["Joint Sea-2016 was held from September 12 to 19"])],
        [
            derivation("year-of-name", "2017-09-12", ["Joint Sea-2016 was held from September 12 to 19"]),
            derivation("year-of-name", "2016-10-12", ["Joint Sea-2016 was held from September 12 to 19"]),
        ],
    ),
    "end-from-length": (
        [derivation("end-from-length", "2019-05-04", ["The six-day drill"], start="2019-04-29")],
        [
            derivation("end-from-length", "2019-05-05", ["The six-day drill"], start="2019-04-29"),
            derivation("end-from-length", "2019-05-04", ["The drill"], start="2019-04-29"),
            derivation("end-from-length", "2019-05-04", ["The six-day drill"], start="2019-04"),
        ],
    ),
    "same-words": (
        [derivation("same-words", "Ningxia Hui Autonomous Region", ["the Ningxia Hui autonomous region"], kind="text")],
        [derivation("same-words", "Ningxia Autonomous Region", ["the Ningxia Hui autonomous region"], kind="text")],
    ),
    "coreference": (
        [
            derivation(
                "coreference",
                "Liang Yang",
                ["he added"],
                kind="text",
                inference="'he' is the spokesman of the paragraph before: 'said navy spokesman Liang Yang'",
            )
        ],
        [
            derivation("coreference", "Liang Yang", ["he added"], kind="text", inference="'he' is the spokesman"),
            derivation(
                "coreference",
                "Liang Yang",
                ["he added"],
                kind="text",
                inference="'he' is 'said navy spokesman Wang Wei'",
            ),  # not words of the article
            derivation(
                "coreference",
                "Liang Yang",
                ["he added"],
                kind="text",
                inference="'he' is 'The drill will deepen mutual trust'",
            ),
        ],
    ),  # words that do not state it
    "series-from-name": (
        [derivation("series-from-name", "Vostok", ["the Vostok-2018 drills"], kind="series")],
        [
            derivation("series-from-name", "Zapad", ["the Vostok-2018 drills"], kind="series"),
            derivation("series-from-name", "Vostok", ["the Vostok drills"], kind="series"),
        ],
    ),
    "host-is-where-held": (
        [
            derivation("host-is-where-held", "CHN", [NINGXIA], kind="country"),
            derivation("host-is-where-held", "host", [NINGXIA], kind="category", party="CHN"),
        ],
        [
            derivation("host-is-where-held", "RUS", [NINGXIA], kind="country"),
            derivation("host-is-where-held", "host", [NINGXIA], kind="category", party="RUS"),
            derivation("host-is-where-held", "participant", ["drills in China"], kind="category", party="CHN"),
        ],
    ),
    "organization-name": (
        [derivation("organization-name", "Chinese Defense Ministry", ["China's Defense Ministry said"], kind="text")],
        [
            derivation("organization-name", "Chinese Defense Ministry", ["the Russian Defence Ministry"], kind="text"),
            derivation("organization-name", "Ministry of Truth", ["the Ministry of Truth said"], kind="text"),
        ],
    ),
    "url-domain": (
        [derivation("url-domain", "The Moscow Times", [URL], kind="text")],
        [
            derivation("url-domain", "The Moscow Post", [URL], kind="text"),
            derivation("url-domain", "The Moscow Times", ["themoscowtimes"], kind="text"),
        ],
    ),
    "past-tense": (
        [derivation("past-tense", "held", ["forced the United States to scramble fighters"], kind="category")],
        [
            derivation("past-tense", "held", ["will force the United States to scramble fighters"], kind="category"),
            derivation("past-tense", "planned", ["forced the United States to scramble fighters"], kind="category"),
        ],
    ),
    "year-before-article": (
        [derivation("year-before-article", "held", ["the Vostok-2018 drills"], kind="category", article="2021-08-10")],
        [
            derivation(
                "year-before-article", "held", ["the Vostok-2022 drills"], kind="category", article="2021-08-10"
            ),
            derivation(
                "year-before-article", "ongoing", ["the Vostok-2018 drills"], kind="category", article="2021-08-10"
            ),
            derivation("year-before-article", "held", ["the Vostok-2018 drills"], kind="category", article=None),
        ],
    ),
    "status-by-dates": (
        [
            derivation("status-by-dates", "ongoing", ["opened on April 29 and runs until May 4"], kind="category"),
            derivation("status-by-dates", "held", ["ran from April 1 to April 6"], kind="category"),
            derivation("status-by-dates", "planned", ["from May 10 to May 16"], kind="category"),
        ],
        [
            derivation("status-by-dates", "held", ["opened on April 29 and runs until May 4"], kind="category"),
            derivation("status-by-dates", "planned", ["ran from April 1 to April 6"], kind="category"),
            derivation("status-by-dates", "ongoing", ["from May 10 to May 16"], kind="category"),
            derivation("status-by-dates", "held", ["ran from April 1 to April 6"], kind="category", article="2019"),
        ],
    ),
    "gazetteer-city": (
        [derivation("gazetteer-city", "city", ["near Qingdao, a port"], kind="category")],
        [
            derivation("gazetteer-city", "city", ["off the coast, near a port"], kind="category"),
            derivation("gazetteer-city", "region", ["near Qingdao, a port"], kind="category"),
        ],
    ),
}


def test_every_rule_has_its_cases():
    assert set(CASES) | BUILD_RULES == KNOWN


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_rule_accepts_a_right_derivation_and_refuses_a_wrong_one(rule):
    right, wrong = CASES[rule]
    for d in right:
        assert problem(d, KNOWN) is None, (d.value, d.quotes, problem(d, KNOWN))
    for d in wrong:
        assert problem(d, KNOWN), (d.value, d.quotes, "accepted")


@pytest.mark.parametrize("rule", sorted(BUILD_RULES) + ["no-such-rule"])
def test_no_curator_names_a_rule_the_build_applies_or_one_it_does_not_know(rule):
    assert problem(derivation(rule, "2019-04-29", ["April 29, 2019"]), KNOWN)


def test_the_build_derives_the_year_of_a_start_date_and_looks_points_up_in_the_gazetteer(built_mini, tmp_path):
    """year-of-date and gazetteer, applied by the build: right where the curation gives what they need."""
    root = link_project(built_mini, tmp_path / "p")
    path = root / "curation" / "100_joint_sea_2019_begins.yaml"
    year = '    year:\n      value: 2019\n      quote: "began the Joint Sea-2019 exercise"\n'
    put(path, path.read_text().replace(year, ""))
    schema = Schema(root)
    articles, register = read_curation(root, schema)
    tables = assemble(schema, articles, register, root / "curation" / "exercises.yaml")
    by_rule = {(e["field"], e["rule"]): e for e in tables["evidence"] if e["rule"] in BUILD_RULES}
    derived = by_rule[("year", "year-of-date")]
    assert (derived["value"], derived["basis"], derived["inference"]) == (
        "2019",
        "derived",
        "the year of start_date 2019-04-29",
    )
    assert tables["exercises"][0]["year"] == 2019
    point = by_rule[("latitude", "gazetteer")]
    assert (point["value"], point["basis"]) == ("36.06488", "derived")
    assert "GeoNames 1797929 (Qingdao, CN)" in point["inference"]
