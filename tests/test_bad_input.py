"""The catalogue of malformed curated input. Each case must stop the build with a message
naming the file, the record and the field (and the line where YAML has one), exit non-zero
without a traceback, and leave data/, datapackage.json and the database exactly as they were."""
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from support import ROOT
from scripts.build import main

A = "curation/003_8aed447154efcc44.yaml"   # the article the cases break
SEED = "seeds/003_8aed447154efcc44.txt"
REG = "curation/exercises.yaml"
OUTPUTS = ["datapackage.json", "data/sources.csv", "data/exercises.csv", "data/participants.csv",
           "data/statements.csv", "data/evidence.csv", "build/china_russia_exercises.db"]


def replace(path, old, new, count=1):
    def mutate(root):
        p = root / path
        text = p.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {path}"
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def write(path, data):
    def mutate(root):
        (root / path).write_bytes(data)
    return mutate


def append(path, text):
    def mutate(root):
        with open(root / path, "a", encoding="utf-8") as f:
            f.write(text)
    return mutate


# (case id, mutation, substrings the message must contain: file, record, field, line, why)
CASES = [
    ("yaml-syntax-error", replace(A, "  title: \"Russia", "  title: [\"Russia"), [A, ":8", "YAML syntax error"]),
    ("missing-quote", replace(A, "    value: \"2021-08-10\"\n    quote: \"August 10, 2021\"\n", "    value: \"2021-08-10\"\n"),
     [A, ":9", "003_8aed447154efcc44", "published_date", "needs the quote"]),
    ("missing-value", replace(A, "      value: 2021\n      quote: [\"Zapad", "      quote: [\"Zapad"),
     [A, "zapad-interaction-2021", "year", "needs a value"]),
    ("missing-role", replace(A, "      RUS:\n        quote: \"the Russian military and China's People's Liberation Army are planning exercises\"\n        role:\n          value: participant\n          quote: \"the Russian military and China's People's Liberation Army are planning exercises\"\n          note: \"no host is stated\"\n",
                             "      RUS:\n        quote: \"the Russian military and China's People's Liberation Army are planning exercises\"\n"),
     [A, ":96", "sco-exercises-2021/RUS", "role", "needs a role"]),
    ("unknown-exercise", replace(A, "  sco-exercises-2021:", "  sco-exercise-2021:"),
     [A, ":79", "sco-exercise-2021", "unknown exercise", "did you mean 'sco-exercises-2021'"]),
    ("unknown-statement-exercise", replace(A, "    exercise_id: zapad-interaction-2021\n    quote: \"The objectives", "    exercise_id: zapad-2021\n    quote: \"The objectives"),
     [A, "s003-ru-mod-objectives", "exercise_id", "unknown exercise"]),
    ("unknown-country", replace(A, "      RUS:\n        quote: \"The Russian military said that it had", "      RUX:\n        quote: \"The Russian military said that it had"),
     [A, "zapad-interaction-2021/RUX", "country_code", "not an ISO 3166-1 alpha-3"]),
    ("unknown-source", write("curation/005_ffffffffffffffff.yaml", (ROOT / A).read_bytes()),
     ["curation/005_ffffffffffffffff.yaml", "no seed file 005_ffffffffffffffff.txt"]),
    ("seed-without-curation", write("seeds/005_ffffffffffffffff.txt", b"An article nobody curated.\n"),
     ["seeds/005_ffffffffffffffff.txt", "no curation file"]),
    ("quote-not-in-article", replace(A, "quote: \"August 10, 2021\"", "quote: \"August 11, 2021\""),
     [A, ":10", "published_date", "quote not found"]),
    ("quote-near-miss-hint", replace(A, "quote: \"drills in northwestern China's Ningxia Hui autonomous region\"\n      inference: \"the drills are held in China, so",
                                     "quote: \"drills in northwestern China’s Ningxia Hui autonomous region\"\n      inference: \"the drills are held in China, so"),
     [A, "host_country", "quote not found", "the seed has \"drills in northwestern China's Ningxia"]),
    ("quote-ambiguous", replace(A, "quote: \"Zapad/Interaction 2021 comes amid the withdrawal\"\n    aliases", "quote: \"Zapad/Interaction 2021\"\n    aliases"),
     [A, ":17", "zapad-interaction-2021", "name", "more than once"]),
    ("impossible-date", replace(A, "value: \"2021-08-10\"", "value: \"2021-02-30\""),
     [A, ":9", "published_date", "not a real date"]),
    ("end-before-start", replace(A, "value: \"2021-08-13\"", "value: \"2021-08-03\""),
     [A, "zapad-interaction-2021", "end_date", "before start_date"]),
    ("year-disagrees-with-date", replace(A, "      value: \"2021-09\"", "      value: \"2022-09\""),
     [A, "sco-exercises-2021", "start_date", "not in the exercise's year"]),
    ("duplicate-statement-id", replace(A, "statement_id: s003-ru-mod-aims", "statement_id: s003-ru-mod-objectives"),
     [A, "s003-ru-mod-objectives", "statement_id", "duplicate statement_id"]),
    ("duplicate-yaml-key", replace(A, "  title: \"Russia, China Kick Off Joint Military Drills\"\n",
                                   "  title: \"Russia, China Kick Off Joint Military Drills\"\n  title: \"Russia, China Kick Off Joint Military Drills\"\n"),
     [A, ":8", "duplicate key 'title'"]),
    ("conflict-without-choice", replace(REG, "    status:\n      value: ongoing\n      because: \"the later article (003, 10 August 2021) reports the drills under way, as does 000; 002 (1 August 2021) announced them before they began\"\n", ""),
     ["zapad-interaction-2021", "status", "articles disagree", "'ongoing'", "'planned'", "choose"]),
    ("choice-not-stated", replace(REG, "    status:\n      value: ongoing", "    status:\n      value: held"),
     [REG, "zapad-interaction-2021", "status", "not among the values the articles state"]),
    ("seed-edited-after-curation", append(SEED, "An added line.\n"),
     [A, "seed_sha256", "the seed changed since it was curated"]),
    ("non-utf8-curation", write(A, "title: caf\xe9\n".encode("latin-1")), [A, "not UTF-8"]),
    ("non-utf8-seed", write(SEED, b"Caf\xe9 drills\n"), [SEED, "not UTF-8"]),
    ("empty-curation-file", write(A, b""), [A, "empty"]),
    ("empty-seed", write(SEED, b""), [SEED, "empty"]),
    ("markup-in-quote", replace(A, "exercises\", \"Monday\", \"August 10, 2021\"]", "exercises\", \"<u>announced</u> Monday\"]"),
     [A, "zapad-interaction-2021", "start_date", "markup"]),
    ("script-in-quote", replace(A, "  title: \"Russia, China Kick Off Joint Military Drills\"", "  title: \"<script>alert(1)</script>\""),
     [A, ":7", "title", "markup"]),
    ("unknown-field-typo", replace(A, "    troops_qualifier:\n      value: more than", "    troops_qualifer:\n      value: more than"),
     [A, "zapad-interaction-2021", "unknown field 'troops_qualifer'", "did you mean 'troops_qualifier'"]),
    ("wrong-type", replace(A, "      value: 10000", "      value: \"many\""),
     [A, "zapad-interaction-2021", "troops", "whole number"]),
    ("below-minimum", replace(A, "      value: 10000", "      value: -5"),
     [A, "zapad-interaction-2021", "troops", "below the minimum"]),
    ("not-in-enum", replace(A, "          value: host\n", "          value: leader\n"),
     [A, "zapad-interaction-2021/CHN", "role", "not one of"]),
    ("bad-id-slug", replace(A, "statement_id: s003-ru-mod-aims", "statement_id: \"S003 aims\""),
     [A, "statement_id", "not a slug"]),
    ("same-as-unknown", replace(A, "    exercise_id: zapad-interaction-2021\n    quote: \"increase", "    exercise_id: zapad-interaction-2021\n    same_as: s001-nothing\n    quote: \"increase"),
     [A, "s003-ru-mod-aims", "same_as", "unknown statement"]),
    ("two-hosts", replace(A, "          value: participant\n          quote: \"the Russian military and China's People's Liberation Army are planning exercises\"",
                          "          value: host\n          quote: \"the Russian military and China's People's Liberation Army are planning exercises\"", 2),
     [REG, "sco-exercises-2021", "participants", "more than one host"]),
    ("gazetteer-unknown-place", replace("curation/000_0c704d7ae3acb940.yaml", "geonameid: 1786657", "geonameid: 999999999"),
     ["curation/000_0c704d7ae3acb940.yaml", "zapad-interaction-2021", "coordinates", "not in the gazetteer"]),
    ("choice-where-articles-agree", append(REG, "\nkavkaz-2020:\n  choose:\n    year: {value: 2020, because: \"no reason\"}\n"),
     [REG, "kavkaz-2020", "duplicate key"]),
    ("stale-choice", replace(REG, "zapad-interaction-2021:\n", "zapad-interaction-2021:\n  # x\n", 1),
     None),  # placeholder replaced below
    ("leading-space-in-quote", replace(A, "quote: \"August 10, 2021\"\n", "quote: \" August 10, 2021\"\n"),
     [A, "published_date", "white space"]),
    ("descriptor-broken", write("datapackage.json", b"{ not json"), ["datapackage.json", "cannot read the package descriptor"]),
    ("claim-not-a-mapping", replace(A, "      value: 10000\n", "      value: [10000]\n"),
     [A, "troops", "whole number"]),
    ("within-without-the-quote", replace("curation/001_2c30a861351b1e2d.yaml", "within: \"“a higher level”\"", "within: \"“military-to-military”\""),
     ["curation/001_2c30a861351b1e2d.yaml", "s001-beijing-higher-level", "within", "must contain the quote exactly once"]),
    ("unregistered-choice-field", replace(REG, "    status:\n      value: ongoing", "    stauts:\n      value: ongoing"),
     [REG, "zapad-interaction-2021", "stauts", "unknown field"]),
]
# A choice recorded for a field the articles agree on must be removed (it would hide a later disagreement).
CASES = [c for c in CASES if c[0] != "stale-choice"] + [
    ("stale-choice", replace(REG, "tsentr-2019:", "tsentr-2019:\n  choose:\n    year: {value: 2019, because: \"no reason\"}\n  # was:", 1),
     [REG, "tsentr-2019", "year", "the articles agree"]),
]


@pytest.fixture
def built_copy(built_project, tmp_path):
    """A copy of a built project, outputs included, to break."""
    root = tmp_path / "p"
    shutil.copytree(built_project, root, ignore=shutil.ignore_patterns(".staging-*"))
    return root


def snapshot(root):
    return {rel: (root / rel).read_bytes() for rel in OUTPUTS}


@pytest.mark.parametrize("case,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_changes_nothing(built_copy, case, mutate, expected):
    mutate(built_copy)
    before = snapshot(built_copy)  # after the mutation: datapackage.json is an input too
    result = CliRunner().invoke(main, ["--root", str(built_copy), "--quiet"])
    message = result.output
    assert result.exit_code == 1, f"exit {result.exit_code}: {message}{result.exception!r}"
    assert "Traceback" not in message
    assert "build failed while" in message and "previous outputs left unchanged" in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"
    assert snapshot(built_copy) == before
    assert not list((built_copy / "build").glob(".staging-*"))


def test_catalogue_covers_twenty_kinds():
    assert len({c[0] for c in CASES}) >= 20


def test_a_real_process_exits_non_zero_without_traceback(built_copy):
    replace(A, "quote: \"August 10, 2021\"", "quote: \"August 11, 2021\"")(built_copy)
    r = subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(built_copy)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{A}:10: record 003_8aed447154efcc44 field published_date: quote not found" in r.stderr
