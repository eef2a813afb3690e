"""The catalogue of bad input, on the fixture corpus. Each case must stop the build with exit 1 and
a message naming the file and line, record and field (or the seed or file), without a traceback,
and leave every published output byte for byte as it was: data/, datapackage.json, README.md and
the published site set (build/site and the files it points to)."""
import shutil
import subprocess
import sys
import unicodedata

import pytest
from click.testing import CliRunner

from support import ROOT
from scripts.build import main

A = "curation/003_8aed447154efcc44.yaml"   # the article most cases break (dated 2021-08-10)
S = "seeds/003_8aed447154efcc44.txt"
B = "curation/002_cdd756e0de2b89f1.yaml"   # dated 2021-08-01
V = "curation/001_2c30a861351b1e2d.yaml"   # undated
Z = "curation/000_0c704d7ae3acb940.yaml"
REG = "curation/exercises.yaml"


def replace(path, old, new, count=1):
    def mutate(root):
        p = root / path
        text = p.read_text(encoding="utf-8")
        assert text.count(old) >= count, f"test setup: {old!r} not in {path}"
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def write(path, data):
    def mutate(root):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return mutate


def append(path, text):
    def mutate(root):
        with open(root / path, "a", encoding="utf-8") as f:
            f.write(text)
    return mutate


def remove(path):
    return lambda root: (root / path).unlink()


def both(*mutations):
    def mutate(root):
        for m in mutations:
            m(root)
    return mutate


def reseed(extra):
    """Add text to 003's seed and record its new hash, so that the curation sees the new text."""
    def mutate(root):
        import hashlib
        seed = root / S
        old = hashlib.sha256(seed.read_bytes()).hexdigest()
        seed.write_bytes(seed.read_bytes() + extra.encode("utf-8"))
        replace(A, old, hashlib.sha256(seed.read_bytes()).hexdigest())(root)
    return mutate


def rename_article(new_stem):
    def mutate(root):
        (root / f"seeds/{new_stem}.txt").write_bytes((root / S).read_bytes())
        (root / f"curation/{new_stem}.yaml").write_bytes((root / A).read_bytes())
        (root / S).unlink()
        (root / A).unlink()
    return mutate


TITLE = '  title: "Russia, China Kick Off Joint Military Drills"\n'
DATE = '    value: "2021-08-10"\n    quote: "August 10, 2021"\n'
TROOPS = "      value: 10000\n"
QUALIFIER = "    troops_qualifier:\n      value: more than\n"
LOCATION = '      value: "Ningxia Hui Autonomous Region"\n      quote: "Ningxia Hui autonomous region"\n      inference'
FORCES = '          value: "Su-30SM fighters, motorized rifle units and management personnel"\n'
HOST_ROLE = "          value: host\n"
OBJECTIVES = "  - statement_id: s003-ru-mod-objectives\n"
AIMS = "  - statement_id: s003-ru-mod-aims\n"
STATUS_CHOICE = ('    status:\n      value: ongoing\n      because: "the later article (003, 10 August 2021) reports the drills '
                 'under way, as does 000; 002 (1 August 2021) announced them before they began"\n      difference: change over time\n')
SCO_RUS = '''      RUS:
        quote: "the Russian military and China's People's Liberation Army are planning exercises"
        role:
          value: participant
          quote: "the Russian military and China's People's Liberation Army are planning exercises"
          inference: "the two militaries plan the exercises together; no host is stated"
'''


def claim(field, value):
    """A text claim of 003's exercise, with an inference (so that only the value itself is at fault)."""
    return replace(A, "    duration:\n", f"    {field}:\n      value: {value}\n      quote: \"the five-day Zapad/Interaction 2021 drills in northwestern China's\"\n"
                                         f"      inference: \"a test\"\n    duration:\n")


def laughs(levels):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


# (case id, mutation, substrings the message must contain: file, line, record, field, why)
CASES = [
    # --- the files themselves ---------------------------------------------------------------
    ("yaml-syntax-error", replace(A, TITLE, '  title: ["Russia\n'), [A, ":9", "YAML syntax error", "line 7"]),
    ("duplicate-yaml-key", replace(A, TITLE, TITLE * 2), [A, ":8", "duplicate key 'title'"]),
    ("non-utf8-curation", write(A, "title: caf\xe9\n".encode("latin-1")), [A, "not UTF-8"]),
    ("empty-curation-file", write(A, b""), [A, "empty"]),
    ("curation-not-a-mapping", write(A, "- a\n- b\n"), [A, "must be a mapping"]),
    ("unhashable-key", append(A, "? [a, b]\n: 1\n"), [A, "a key must be plain text"]),
    ("unhashable-key-in-register", append(REG, "? [a, b]\n: 1\n"), [REG, "a key must be plain text"]),
    ("null-key", append(A, "~: 1\n"), [A, "a key must be text, not None"]),
    ("boolean-key", append(A, "true: 1\n"), [A, "a key must be text, not True"]),
    ("anchor-and-alias", replace(A, TITLE, '  title: &t "Russia, China Kick Off Joint Military Drills"\n  author: *t\n'),
     [A, ":7", "anchors and aliases"]),
    ("alias-bomb-7-levels", write(A, laughs(7)), [A, "anchors and aliases"]),
    ("alias-bomb-9-levels", write(A, laughs(9)), [A, "anchors and aliases"]),
    ("deep-nesting-flow", write(A, "a: " + "[" * 20000 + "]" * 20000 + "\n"), [A, ":1", "nested more than 32 levels"]),
    ("deep-nesting-300000", write(A, "[" * 300000 + "]" * 300000), [A, "nested more than 32 levels"]),
    ("deep-nesting-block", write(A, "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "x\n"),
     [A, "nested more than 32 levels"]),
    ("yaml-python-tag", append(A, 'x: !!python/object/apply:os.system ["echo hi"]\n'), [A, "YAML tags"]),
    ("yaml-binary-tag", append(A, "x: !!binary aGk=\n"), [A, "YAML tags"]),
    ("file-too-large", append(A, "# " + "x" * 2_100_000 + "\n"), [A, "over the limit"]),
    ("draft-marker", replace(A, "seed_sha256", 'draft: "made by make draft"\nseed_sha256'), [A, ":4", "draft", "delete the `draft:` line"]),
    ("unknown-top-level-key", replace(A, "source:\n", "sourse:\n"), [A, ":6", "unknown field 'sourse'", "did you mean 'source'"]),
    ("stray-yml-file", write("curation/extra.yml", "a: 1\n"), ["curation/extra.yml", "curation files end in .yaml"]),
    ("seed-not-txt", write("seeds/notes.md", "notes\n"), ["seeds/notes.md", "seeds are .txt files"]),
    ("seed-without-curation", write("seeds/005_ffffffffffffffff.txt", b"An article nobody curated.\n"),
     ["seeds/005_ffffffffffffffff.txt", "no curation file"]),
    ("curation-without-seed", write("curation/005_ffffffffffffffff.yaml", "seed_sha256: x\n"),
     ["curation/005_ffffffffffffffff.yaml", "no seed file 005_ffffffffffffffff.txt"]),
    ("seed-name-with-a-dot", rename_article("003.v2"), ["curation/003.v2.yaml", "may hold only ASCII letters"]),
    ("seed-name-non-ascii", rename_article("003_ñ"), ["curation/003_ñ.yaml", "may hold only ASCII letters"]),
    ("non-utf8-seed", write(S, b"Caf\xe9 drills\n"), [S, "not UTF-8"]),
    ("empty-seed", write(S, b""), [S, "empty"]),
    ("seed-edited-after-curation", append(S, "An added line.\n"), [A, "seed_sha256", "the seed changed since it was curated"]),
    ("seed-sha256-missing", replace(A, "seed_sha256: 03aa", "seed_sha: 03aa"), [A, "seed_sha256", "the seed changed"]),
    # --- the register ----------------------------------------------------------------------
    ("register-missing", remove(REG), [REG, "missing: the register"]),
    ("register-not-a-mapping", write(REG, "- zapad-interaction-2021\n"), [REG, "must map each exercise_id"]),
    ("register-syntax-error", append(REG, "kavkaz-2020: [\n"), [REG, "YAML syntax error"]),
    ("register-bad-slug", append(REG, "Bad Id: {}\n"), [REG, "'Bad Id'", "not a slug"]),
    ("register-extra-key", replace(REG, "joint-sea-2016: {}", "joint-sea-2016: {note: x}"), [REG, "joint-sea-2016", "may only hold `choose:`"]),
    ("choose-a-list", replace(REG, "joint-sea-2016: {}", "joint-sea-2016:\n  choose: [year]"), [REG, "joint-sea-2016", "may only hold `choose:`"]),
    ("choose-a-word", replace(REG, "joint-sea-2016: {}", "joint-sea-2016:\n  choose: year"), [REG, "joint-sea-2016", "may only hold `choose:`"]),
    ("choice-without-difference", replace(REG, "      difference: change over time\n", "", 1),
     [REG, "zapad-interaction-2021", "status", "a choice is {value"]),
    ("choice-because-null", replace(REG, STATUS_CHOICE, "    status:\n      value: ongoing\n      because: null\n      difference: change over time\n"),
     [REG, ":13", "status", "`because` must say"]),
    ("choice-because-a-number", replace(REG, STATUS_CHOICE, "    status:\n      value: ongoing\n      because: 5\n      difference: change over time\n"),
     [REG, "status", "`because` must say"]),
    ("choice-unknown-difference", replace(REG, "      difference: change over time\n", "      difference: contradiction\n", 1),
     [REG, "status", "`difference` is one of"]),
    ("choice-value-a-list", replace(REG, "    status:\n      value: ongoing\n", "    status:\n      value: [ongoing]\n"),
     [REG, "status", "`value` must be one of the values"]),
    ("choice-unknown-field", replace(REG, "    status:\n      value: ongoing", "    stauts:\n      value: ongoing"),
     [REG, "zapad-interaction-2021", "stauts", "unknown field"]),
    ("choice-not-stated", replace(REG, "    status:\n      value: ongoing", "    status:\n      value: held"),
     [REG, "zapad-interaction-2021", "status", "not among the values the articles state"]),
    ("difference-without-choice", replace(REG, STATUS_CHOICE, ""),
     [Z, "zapad-interaction-2021", "status", "articles disagree", "'ongoing'", "'planned' in 002_cdd756e0de2b89f1.yaml line 46", "choose"]),
    ("choice-where-articles-agree", replace(REG, "tsentr-2019: {}", 'tsentr-2019:\n  choose:\n    year: {value: 2019, because: "no reason", difference: rewording}'),
     [REG, "tsentr-2019", "year", "the articles agree"]),
    ("choice-for-an-unstated-field", replace(REG, "tsentr-2019: {}", 'tsentr-2019:\n  choose:\n    troops: {value: 5, because: "no reason", difference: rewording}'),
     [REG, "tsentr-2019", "troops", "a choice for a field no article states"]),
    ("change-over-time-between-undated-articles", replace(REG, "      difference: rewording\n    participants.CHN.forces", "      difference: change over time\n    participants.CHN.forces"),
     [REG, "vostok-2022", "description", "change over time needs versions from articles of different dates"]),
    ("registered-but-unmentioned", append(REG, "ghost-2030: {}\n"), [REG, "ghost-2030", "registered, but no article says anything"]),
    ("unknown-exercise", replace(A, "  sco-exercises-2021:", "  sco-exercise-2021:"),
     [A, ":91", "sco-exercise-2021", "unknown exercise", "did you mean 'sco-exercises-2021'"]),
    # --- claims: shape ---------------------------------------------------------------------
    ("missing-quote", replace(A, DATE, '    value: "2021-08-10"\n'), [A, ":9", "003_8aed447154efcc44", "published_date", "needs the quote"]),
    ("missing-value", replace(A, '      value: 2021\n      quote: ["Zapad', '      quote: ["Zapad'), [A, "zapad-interaction-2021", "year", "needs a value"]),
    ("value-null", replace(A, TROOPS, "      value: null\n"), [A, "zapad-interaction-2021", "troops", "needs a value"]),
    ("quote-null", replace(A, '    quote: "August 10, 2021"', "    quote: null"), [A, "published_date", "needs the quote"]),
    ("quote-empty-list", replace(A, '    quote: "August 10, 2021"', "    quote: []"), [A, "published_date", "needs the quote"]),
    ("quote-a-number", replace(A, '    quote: "August 10, 2021"', "    quote: 5"), [A, "published_date", "a quote must be text, not 5"]),
    ("unknown-claim-key", replace(A, DATE, '    valeu: "2021-08-10"\n    quote: "August 10, 2021"\n'), [A, ":9", "published_date", "unknown field 'valeu'", "did you mean 'value'"]),
    ("inference-empty", replace(A, 'inference: "fighter aircraft: air"', 'inference: ""'), [A, "domains", "inference must be non-empty text"]),
    ("inference-a-number", replace(A, 'inference: "fighter aircraft: air"', "inference: 7"), [A, "domains", "inference must be non-empty text"]),
    ("basis-without-inference", replace(A, DATE, DATE + "    basis: outside\n"), [A, "published_date", "basis is derived or outside, with an inference"]),
    ("basis-stated-declared", replace(A, 'inference: "fighter aircraft: air"', 'inference: "fighter aircraft: air"\n        basis: stated'),
     [A, "domains", "basis is derived or outside"]),
    ("claim-a-list", replace(A, TITLE, '  title: ["Russia, China Kick Off Joint Military Drills"]\n'), [A, ":7", "title", "expected a value or {value, quote}"]),
    ("claim-a-boolean", replace(A, TITLE, "  title: true\n"), [A, ":7", "title", "expected a value or {value, quote}, not bool"]),
    # --- claims: quotes --------------------------------------------------------------------
    ("quote-not-in-article", replace(A, 'quote: "August 10, 2021"', 'quote: "August 11, 2021"'), [A, ":8", "published_date", "quote not found"]),
    ("quote-near-miss-hint", replace(A, "quote: \"drills in northwestern China's Ningxia Hui autonomous region\"\n      inference: \"the drills are held in China, so",
                                     "quote: \"drills in northwestern China’s Ningxia Hui autonomous region\"\n      inference: \"the drills are held in China, so"),
     [A, "host_country", "quote not found", "the seed has \"drills in northwestern China's Ningxia"]),
    ("quote-in-nfd-where-the-seed-is-nfc", both(reseed("\nTalks in Malmö.\n"),
                                                 replace(A, TITLE, TITLE + '  publisher:\n    value: "Malmö"\n    quote: "'
                                                         + unicodedata.normalize("NFD", "Malmö") + '"\n    inference: "a test"\n')),
     [A, "publisher", "quote not found", "composed differently (Unicode NFC)"]),
    ("quote-ambiguous", replace(A, 'quote: "Zapad/Interaction 2021 comes amid the withdrawal"\n    aliases', 'quote: "Zapad/Interaction 2021"\n    aliases'),
     [A, ":15", "zapad-interaction-2021", "name", "more than once"]),
    ("quote-with-markup", replace(A, 'exercises", "Monday", "August 10, 2021"]', 'exercises", "<u>announced</u> Monday"]'),
     [A, "zapad-interaction-2021", "start_date", "markup"]),
    ("script-in-a-quote", replace(A, TITLE, '  title: "<script>alert(1)</script>"\n'), [A, ":7", "title", "markup"]),
    ("leading-space-in-a-quote", replace(A, 'quote: "August 10, 2021"\n', 'quote: " August 10, 2021"\n'), [A, "published_date", "white space"]),
    ("trailing-newline-in-a-quote", replace(A, 'quote: "August 10, 2021"\n', 'quote: "August 10, 2021\\n"\n'), [A, "published_date", "white space"]),
    ("within-without-the-quote", replace(V, "within: \"“a higher level”\"", "within: \"“military-to-military”\""),
     [V, "s001-beijing-higher-level", "within", "must be text containing the quote exactly once"]),
    ("within-a-number", replace(V, "within: \"“a higher level”\"", "within: 5"), [V, "s001-beijing-higher-level", "within"]),
    # --- statements --------------------------------------------------------------------------
    ("statement-without-quote", replace(A, '    quote: "The objectives of the exercise', '    quoted: "The objectives of the exercise'),
     [A, "s003-ru-mod-objectives", "quote", "needs its quote"]),
    ("statement-quote-a-list", replace(A, '    quote: "The objectives of the exercise', '    quote: ["The objectives of the exercise'),
     [A, "YAML syntax error"]),
    ("statement-not-a-mapping", replace(A, "statements:\n", 'statements:\n  - "a statement"\n'), [A, "a statement must be a mapping"]),
    ("statements-not-a-list", replace(A, "statements:\n", "statements:\n  x: 1\nunused:\n"), [A, "statements must be a list"]),
    ("statement-id-missing", replace(A, OBJECTIVES, "  - id: s003-ru-mod-objectives\n"), [A, "statement_id", "missing or not a slug"]),
    ("statement-id-not-a-slug", replace(A, AIMS, '  - statement_id: "S003 aims"\n'), [A, "statement_id", "not a slug"]),
    ("duplicate-statement-id", replace(A, AIMS, OBJECTIVES), [A, "s003-ru-mod-objectives", "statement_id", "duplicate statement_id"]),
    ("same-quote-twice", replace(A, "    quote: \"increase the level", "    quote: \"The objectives of the exercise are to strengthen the development of Russian-Chinese relations, comprehensive partnership and strategic cooperation,\"\n    x_quote: \"increase the level"),
     [A, "s003-ru-mod-aims"]),
    ("same-as-not-a-slug", replace(A, AIMS + "    exercise_id: zapad-interaction-2021\n", AIMS + "    exercise_id: zapad-interaction-2021\n    same_as: \"Not A Slug\"\n"),
     [A, "s003-ru-mod-aims", "same_as", "not a slug"]),
    ("same-as-unknown", replace(A, AIMS + "    exercise_id: zapad-interaction-2021\n", AIMS + "    exercise_id: zapad-interaction-2021\n    same_as: s001-nothing\n"),
     [A, "s003-ru-mod-aims", "same_as", "foreign"]),
    ("same-as-same-article", replace(A, AIMS + "    exercise_id: zapad-interaction-2021\n", AIMS + "    exercise_id: zapad-interaction-2021\n    same_as: s003-ru-mod-objectives\n"),
     [A, "s003-ru-mod-aims", "same_as", "a statement of the same article", "checks/same_as.sql"]),
    ("statement-unknown-exercise", replace(A, OBJECTIVES + "    exercise_id: zapad-interaction-2021", OBJECTIVES + "    exercise_id: zapad-2021"),
     [A, "s003-ru-mod-objectives", "exercise_id", "foreign"]),
    ("statement-date-after-the-article", replace(A, OBJECTIVES, OBJECTIVES + '    statement_date: {value: "2030", quote: "Following Zapad/Interaction 2021", inference: "a test"}\n'),
     [A, "s003-ru-mod-objectives", "statement_date", "after the article's date 2021-08-10"]),
    ("statement-date-from-another-paragraph", replace(A, OBJECTIVES, OBJECTIVES + '    statement_date: {value: "2021-08-10", quote: "August 10, 2021"}\n'),
     [A, "s003-ru-mod-objectives", "statement_date", "paragraph that quotes the statement"]),
    # --- exercises and fields: types and constraints ----------------------------------------
    ("exercise-id-not-a-slug", replace(A, "  sco-exercises-2021:", "  SCO 2021:"), [A, "'SCO 2021'", "not a slug"]),
    ("exercises-not-a-mapping", replace(A, "exercises:\n  zapad", "exercises: 5\nx:\n  zapad"), [A, "exercises must be a mapping"]),
    ("exercise-not-a-mapping", replace(A, "  sco-exercises-2021:\n", "  sco-exercises-2021: planned\n  x:\n"), [A, "sco-exercises-2021", "must be a mapping"]),
    ("unknown-field-typo", replace(A, QUALIFIER, "    troops_qualifer:\n      value: more than\n"),
     [A, "zapad-interaction-2021", "unknown field 'troops_qualifer'", "did you mean 'troops_qualifier'"]),
    ("troops-in-words", replace(A, TROOPS, '      value: "many"\n'), [A, ":48", "zapad-interaction-2021", "troops", "whole number"]),
    ("troops-with-leading-zero", replace(A, TROOPS, "      value: 010000\n"), [A, "troops", "whole number written in decimal"]),
    ("troops-10-to-the-30", replace(A, TROOPS, "      value: 1000000000000000000000000000000\n"), [A, "troops", "maximum"]),
    ("troops-a-fraction", replace(A, TROOPS, "      value: 10000.5\n"), [A, "troops", "whole number"]),
    ("troops-negative", replace(A, TROOPS, "      value: -5\n"), [A, "troops", "minimum"]),
    ("role-not-in-the-list", replace(A, HOST_ROLE, "          value: leader\n"), [A, "zapad-interaction-2021/CHN", "role", "not one of"]),
    ("domain-space", replace(A, "      - value: air\n", "      - value: space\n"), [A, "domains", "'space' is not one of: land, sea, air"]),
    ("year-as-text", replace(A, "      value: 2021\n      quote: [\"Zapad", "      value: \"2021\"\n      quote: [\"Zapad"), [A, "year", "whole number"]),
    ("year-1800", replace(A, "      value: 2021\n      quote: [\"Zapad", "      value: 1800\n      quote: [\"Zapad"), [A, "year", "minimum"]),
    ("published-date-0000", replace(A, 'value: "2021-08-10"', 'value: "0000"'), [A, ":9", "published_date", "pattern"]),
    ("impossible-date", replace(A, 'value: "2021-08-10"', 'value: "2021-02-30"'), [A, ":9", "published_date", "not a real date"]),
    ("date-in-words", replace(A, 'value: "2021-08-10"', 'value: "10 August 2021"'), [A, "published_date", "pattern"]),
    ("published-in-the-future", replace(A, DATE, '    value: "2099-01-01"\n    quote: "August 10, 2021"\n    inference: "a test"\n'),
     [A, "published_date", "after today"]),
    ("held-exercise-dated-after-the-article", replace(B, '    start_date:\n      value: "2019"\n      quote: "Tsentr-2019"', '    start_date:\n      value: "2022"\n      quote: "Tsentr-2019"'),
     [B, "tsentr-2019", "start_date", "after the article's date 2021-08-01"]),
    ("value-with-nul", claim("reaction", '"a\\0b"'), [A, "reaction", "control character"]),
    ("value-with-bidi-override", claim("reaction", '"a\\u202Eb"'), [A, "reaction", "invisible"]),
    ("value-with-zero-width-space", claim("reaction", '"a\\u200Bb"'), [A, "reaction", "invisible"]),
    ("value-with-leading-space", claim("reaction", '" late"'), [A, "reaction", "white space"]),
    ("value-with-trailing-newline", claim("reaction", '"late\\n"'), [A, "reaction", "white space"]),
    ("value-a-spreadsheet-formula", claim("reaction", '"=HYPERLINK(\\"http://x\\")"'), [A, "reaction", "formula"]),
    ("value-starting-with-at", claim("reaction", '"@everyone"'), [A, "reaction", "formula"]),
    ("value-starting-with-minus", claim("reaction", '"-cmd"'), [A, "reaction", "formula"]),
    ("value-with-markup", claim("reaction", '"<script>alert(1)</script>"'), [A, "reaction", "markup"]),
    ("value-200-kb", claim("reaction", '"' + "x" * 200_000 + '"'), [A, "reaction", "200,000 characters long, over the limit of 2000"]),
    ("value-empty", replace(A, TITLE, '  title: ""\n'), [A, "title", "is empty"]),
    # --- claims: does the quote say it? (one case per kind of field) -------------------------
    ("text-not-in-its-quote", replace(A, FORCES, FORCES.replace("motorized rifle units", "tank units")),
     [A, ":83", "zapad-interaction-2021/RUS", "forces", "the quote does not support the value", "not written in the quote", "'Su-30SM fighters, tank units"]),
    ("number-not-in-its-quote", replace(A, TROOPS, "      value: 20000\n"), [A, "troops", "the number 20,000 is not written", "More than 10,000 troops"]),
    ("date-not-in-its-quote", replace(A, 'value: "2021-08-10"', 'value: "2021-08-11"'), [A, "published_date", "does not write this date"]),
    ("country-not-in-its-quote", replace(A, "    country_code:\n      value: RUS\n      quote: \"the Russian Defense Ministry\"\n    # statement_date: left out; the",
                                         "    country_code:\n      value: CHN\n      quote: \"the Russian Defense Ministry\"\n    # statement_date: left out; the"),
     [A, "s003-ru-mod-objectives", "country_code", "no word of the quote names CHN"]),
    ("category-not-in-its-quote", replace(A, QUALIFIER, "    troops_qualifier:\n      value: about\n"),
     [A, "troops_qualifier", "no word of the quote names 'about'"]),
    ("participant-not-named-by-its-quote", replace(A, "      CHN:\n        quote: \"Russia and China have kicked off joint military exercises\"",
                                                   "      IND:\n        quote: \"Russia and China have kicked off joint military exercises\""),
     [A, "zapad-interaction-2021/IND", "country_code", "no word of the quote names IND"]),
    ("inference-admits-a-guess", replace(A, 'inference: "fighter aircraft: air"', 'inference: "probably aircraft"'), [A, "domains", "the inference says 'probably'"]),
    ("inference-names-an-outside-fact", replace(A, 'inference: "fighter aircraft: air"', 'inference: "fighters: air (public record)"'),
     [A, "domains", "add `basis: outside`"]),
    # --- participants, people, coordinates ----------------------------------------------------
    ("unknown-country-code", replace(A, "      RUS:\n        quote: \"The Russian military said that it had", "      RUX:\n        quote: \"The Russian military said that it had"),
     [A, "zapad-interaction-2021/RUX", "country_code", "not an ISO 3166-1 alpha-3"]),
    ("participant-without-quote", replace(A, "      CHN:\n        quote: \"Russia and China have kicked off joint military exercises\"\n", "      CHN:\n"),
     [A, "zapad-interaction-2021/CHN", "needs `quote`"]),
    ("participant-not-a-mapping", replace(A, SCO_RUS, "      RUS: participant\n"), [A, "sco-exercises-2021/RUS", "must be a mapping"]),
    ("participants-not-a-mapping", replace(A, "    participants:\n      RUS:", "    participants: [RUS]\n    unused:\n      RUS:"),
     [A, "sco-exercises-2021", "participants must be a mapping"]),
    ("participant-without-role", replace(A, SCO_RUS, "      RUS:\n        quote: \"the Russian military and China's People's Liberation Army are planning exercises\"\n"),
     [A, "sco-exercises-2021/RUS", "role", "needs a role"]),
    ("person-id-not-a-slug", replace(Z, "      li-zuocheng:", "      Li Zuocheng:"), [Z, "person id must be a slug"]),
    ("person-without-role", replace(Z, "        role:\n          value: presiding officer\n          quote: \"were presided over by Li Zuocheng\"\n", ""),
     [Z, "zapad-interaction-2021/li-zuocheng", "needs a name and a role"]),
    ("people-not-a-mapping", replace(Z, "    people:\n      li-zuocheng:", "    people: [li-zuocheng]\n    unused:\n      li-zuocheng:"),
     [Z, "people must be a mapping"]),
    ("coordinates-not-a-mapping", replace(Z, "    coordinates:\n      geonameid: 1786657", "    coordinates: 1786657\n    unused:\n      geonameid: 1786657"),
     [Z, "zapad-interaction-2021", "coordinates", "must be {geonameid"]),
    ("coordinates-geonameid-not-a-number", replace(Z, "geonameid: 1786657", "geonameid: Yinchuan"), [Z, "coordinates", "must be a GeoNames id"]),
    ("coordinates-unknown-key", replace(Z, "geonameid: 1786657", "geonameid: 1786657\n      latitude: 38.4"), [Z, "coordinates", "unknown field 'latitude'"]),
    ("gazetteer-unknown-place", replace(Z, "geonameid: 1786657", "geonameid: 999999999"), [Z, "zapad-interaction-2021", "coordinates", "not in the gazetteer"]),
    ("coordinates-quote-not-naming-the-place", both(
        replace(Z, 'quote: "Russian Su-30 fighter conducts adaptive training in Yinchuan for a joint military drill with China"\n      basis: outside\n      inference:',
                'quote: "in the Ningxia Hui Autonomous region"\n      note2:'), replace(Z, "      note2:", "      note:", 1),
        replace(Z, '      note: "the drill site named in 002, the army base at Qingtongxia, is not in the gazetteer"\n', "")),
     [Z, "coordinates", "does not name Yinchuan"]),
    # --- rules about the assembled rows (checks/*.sql), reported at the curated line ----------
    ("end-before-start", replace(A, 'value: "2021-08-13"', 'value: "2021-08-03"'),
     [A, ":29", "zapad-interaction-2021", "end_date", "before start_date", "checks/dates_in_order.sql"]),
    ("year-not-the-year-of-the-dates", replace(A, '      value: "2021-09"', '      value: "2022-09"'),
     ["sco-exercises-2021", "year", "not the year of", "checks/year_matches_dates.sql"]),
    ("two-hosts", replace(A, SCO_RUS, SCO_RUS.replace("value: participant", "value: host")),
     ["sco-exercises-2021", "host_country", "host participants are RUS", "checks/one_host.sql"]),
    ("one-participant", replace(A, SCO_RUS, ""), ["sco-exercises-2021", "1 participant(s)", "checks/two_participants.sql"]),
    ("location-precision-and-point-of-different-places",
     replace(REG, '    location:\n      value: "Ningxia Hui Autonomous Region"', '    location:\n      value: "army base in Qingtongxia, Ningxia Hui Autonomous Region"'),
     ["zapad-interaction-2021", "location", "no single article gives location", "checks/one_place.sql"]),
    # --- the definitions ----------------------------------------------------------------------
    ("schema-field-without-description", replace("schema/people.yaml", "    description: The person's office, in an article's words, when stated.\n", ""),
     ["schema/people.yaml", "people", "title", "a field needs 'description'"]),
    ("schema-unknown-kind", replace("schema/people.yaml", "    x-kind: text\n    x-provenance: curated\n    title: Title", "    x-kind: prose\n    x-provenance: curated\n    title: Title"),
     ["schema/people.yaml", "unknown x-kind 'prose'"]),
    ("schema-category-without-words", replace("schema/exercises.yaml", "      up to: [up to, as many as]\n", ""),
     ["schema/exercises.yaml", "troops_qualifier", "x-words with an entry for each value"]),
    ("schema-yaml-error", append("schema/sources.yaml", "fields: [\n"), ["schema/sources.yaml", "YAML syntax error"]),
    ("metadata-yaml-syntax-error", append("metadata.yml", "about: [\n"), ["metadata.yml:", "YAML syntax error"]),
    ("metadata-two-databases", append("metadata.yml", "  other: {}\n"), ["metadata.yml", "exactly one database"]),
]


@pytest.fixture
def built_copy(built_project, tmp_path):
    """A copy of a built project, outputs included (build/site is a relative link), to break."""
    root = tmp_path / "p"
    shutil.copytree(built_project, root, symlinks=True)
    return root


def published_state(root):
    """Every output a reader can see: the working copies and the published set's files."""
    files = [p for p in [root / "datapackage.json", root / "README.md", *sorted((root / "data").glob("*"))]]
    site = (root / "build" / "site").resolve()
    files += sorted(p for p in site.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}, sorted(p.name for p in (root / "build" / "sets").iterdir())


def run_build(root):
    return CliRunner().invoke(main, ["--root", str(root), "--quiet"])


@pytest.mark.parametrize("case,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_changes_nothing(built_copy, case, mutate, expected):
    before = published_state(built_copy)
    mutate(built_copy)
    result = run_build(built_copy)
    message = result.output
    assert result.exit_code == 1, f"exit {result.exit_code}: {message}{result.exception!r}"
    assert "Traceback" not in message and "internal error" not in message
    assert "build failed while" in message and "nothing published changed" in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message[:3000]}"
    assert len(message) < 20_000, "an error message must not hold whole values"
    assert published_state(built_copy) == before


def test_the_catalogue_covers_a_hundred_kinds():
    assert len({c[0] for c in CASES}) == len(CASES) >= 100


def test_two_articles_with_different_coordinates_can_be_chosen_between(built_copy):
    """No way out was the bug: `choose: coordinates` (a GeoNames id) resolves two points."""
    replace(A, "    location_precision:\n      value: region\n      quote: \"Ningxia Hui autonomous region\"\n",
            "    location_precision:\n      value: region\n      quote: \"Ningxia Hui autonomous region\"\n"
            "    coordinates: {geonameid: 1790842, quote: \"Ningxia Hui autonomous region\", inference: \"a test: "
            "Wuzhong stands for the region\"}\n")(built_copy)
    result = run_build(built_copy)
    assert result.exit_code == 1 and "latitude" in result.output and "choose" in result.output, result.output
    replace(REG, "    location_precision:\n      value: region\n",
            "    coordinates:\n      value: 1786657\n      because: \"a test\"\n      difference: disagreement\n"
            "    location_precision:\n      value: region\n")(built_copy)
    result = run_build(built_copy)
    assert result.exit_code == 0, result.output
    rows = (built_copy / "data" / "differences.csv").read_text()
    assert "zapad-interaction-2021,zapad-interaction-2021,latitude,disagreement,2,38.46806" in rows


def test_a_real_process_exits_1_for_bad_input_and_2_for_a_bug(built_copy):
    replace(A, 'quote: "August 10, 2021"', 'quote: "August 11, 2021"')(built_copy)
    r = subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(built_copy)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{A}:8: record 003_8aed447154efcc44 field published_date: quote not found" in r.stderr
    bug = ("import scripts.package.assemble as a, sys\n"
           "a.Assembler.run = lambda self: 1 / 0\n"
           "from scripts.build import main\nmain(['--root', sys.argv[1]])\n")
    replace(A, 'quote: "August 11, 2021"', 'quote: "August 10, 2021"')(built_copy)
    r = subprocess.run([sys.executable, "-c", bug, str(built_copy)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "internal error (a bug in the pipeline, not in your files" in r.stderr and "ZeroDivisionError" in r.stderr
