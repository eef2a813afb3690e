"""The catalogue of bad input, on the machinery's corpus (tests/fixtures/mini). Each case must stop the
build with exit 1 and a message naming the file and line, record and field (or the seed or file),
without a traceback and of bounded length, and leave every published output byte for byte as it was:
data/, datapackage.json, README.md, CITATION.cff and the published site set (build/site and the files
it points to). Each case breaks a hard-linked copy of the built corpus: only the files it changes are
new."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import unicodedata

import pytest
from click.testing import CliRunner
from support import FIXTURES, MINI, ROOT, line_in, link_project, put

from scripts.build import main

A = "curation/100_joint_sea_2019_begins.yaml"  # the article most cases break (dated 2019-04-29)
S = "seeds/100_joint_sea_2019_begins.txt"
N = "curation/101_joint_sea_2019_notes.yaml"  # undated
NS = "seeds/101_joint_sea_2019_notes.txt"
REG = "curation/exercises.yaml"
STEM = "100_joint_sea_2019_begins"


def at(path, text, offset=0):
    """ ":<line>" of the first line of a fixture file holding text (plus offset), as a message names it."""
    return f":{line_in(path, text) + offset}"


def after_last(path):
    """ ":<line>" of a line appended to a fixture file."""
    return f":{len((FIXTURES / MINI / path).read_text(encoding='utf-8').splitlines()) + 1}"


# -- mutations: each returns a function of the project's root, and writes only by replacing files ------
def edit(path, old, new, count=1):
    def mutate(root):
        text = (root / path).read_text(encoding="utf-8")
        assert text.count(old) >= count, f"test setup: {old!r} not in {path}"
        put(root / path, text.replace(old, new, count))

    return mutate


def write(path, data):
    return lambda root: put(root / path, data)


def append(path, text):
    return lambda root: put(root / path, (root / path).read_bytes() + text.encode("utf-8"))


def remove(path):
    return lambda root: (root / path).unlink()


def both(*mutations):
    def mutate(root):
        for m in mutations:
            m(root)

    return mutate


def reseed(extra, seed=S, curation=A):
    """Add text to a seed and record its new hash, so that the curation sees the new text."""

    def mutate(root):
        old = hashlib.sha256((root / seed).read_bytes()).hexdigest()
        put(root / seed, (root / seed).read_bytes() + extra.encode("utf-8"))
        edit(curation, old, hashlib.sha256((root / seed).read_bytes()).hexdigest())(root)

    return mutate


def rename_article(new_stem):
    def mutate(root):
        put(root / f"seeds/{new_stem}.txt", (root / S).read_bytes())
        put(root / f"curation/{new_stem}.yaml", (root / A).read_bytes())
        (root / S).unlink()
        (root / A).unlink()

    return mutate


def outside(root):
    """A folder beside the project: what a link there leads to is not the project's."""
    (root.parent / "outside").mkdir(exist_ok=True)
    return root.parent / "outside"


def link_out(path):
    """path becomes a link to an outside copy of itself (same bytes: only where it lives is wrong)."""

    def mutate(root):
        target = outside(root) / (root / path).name
        (shutil.copytree if (root / path).is_dir() else shutil.copyfile)(root / path, target)
        (shutil.rmtree if (root / path).is_dir() else os.unlink)(root / path)
        os.symlink(target, root / path)

    return mutate


def link_to(path, target):
    def mutate(root):
        (root / path).unlink()
        os.symlink(target, root / path)

    return mutate


def fifo(path):
    def mutate(root):
        if (root / path).exists():
            (root / path).unlink()
        os.mkfifo(root / path)

    return mutate


# -- the corpus's words, as the cases change them ---------------------------------------------------
N_TEXT, REG_TEXT = ((FIXTURES / "mini" / path).read_text(encoding="utf-8") for path in (N, REG))
N_END = N_TEXT[N_TEXT.index("    end_date:\n") : N_TEXT.index("    frequency:\n")]
REG_END = REG_TEXT[REG_TEXT.index("    end_date:\n") : REG_TEXT.index("    status:\n")]
TITLE = '  title: "China, Russia begin Joint Sea-2019 naval drill off Qingdao"\n'
DATE = '    value: "2019-04-29"\n    quote: "April 29, 2019"\n'
NAME = '      value: "Joint Sea-2019"\n      quote: "began the Joint Sea-2019 exercise"\n'
YEAR = '      value: 2019\n      quote: "began the Joint Sea-2019 exercise"\n'
START = (
    '      value: "2019-04-29"\n      quote: ["began the Joint Sea-2019 exercise on Monday", "April 29, 2019"]\n'
    "      rule: weekday\n"
)
END = '      value: "2019-05-04"\n      quote: ["The six-day drill runs until May 4", "April 29, 2019"]\n'
END_INFERENCE = '      inference: "May 4, in an article dated April 29, 2019: May 4, 2019"\n'
LOCATION = '      value: "sea areas and airspace near Qingdao"\n'
POINT = "      geonameid: 1797929\n"
POINT_QUOTE = '      quote: "near Qingdao, a port city in east China"\n'
TROOPS = '          value: 2000\n          quote: "involves 13 ships, two submarines and about 2,000 troops"\n'
QUALIFIER = "        qualifier:\n          value: about\n"
FORCES = "Chinese and Russian naval forces began the Joint Sea-2019 exercise"
CHN = f'      CHN:\n        quote: "{FORCES}"\n'
RUS_A = (
    f'      RUS:\n        quote: "{FORCES}"\n        role:\n          value: participant\n          quote: "{FORCES}"\n'
)
HOLD = "the naval drills China and Russia hold each year"
RUS_N = f'      RUS:\n        quote: "{HOLD}"\n        role:\n          value: participant\n          quote: "{HOLD}"\n'
ROLES_N = (
    f'    participants:\n      CHN:\n        quote: "{HOLD}"\n        role:\n          value: participant\n'
    f'          quote: "{HOLD}"\n' + RUS_N
)
STATEMENT = "  - statement_id: s100-liang-yang-mutual-trust\n"
STATEMENT_EXERCISE = STATEMENT + "    exercise_id: joint-sea-2019\n"
STATEMENT_QUOTE = '    quote: "The drill will deepen mutual trust between the two navies,"\n'
SPOKESMAN = "said navy spokesman Liang Yang"
PORT = "off the Chinese port of Qingdao"
STATUS_CHOICE = (
    '    status:\n      value: held\n      because: "101 reports the drill over; 100, on its first day, '
    'under way"\n      difference: change over time\n'
)
BECAUSE = '      because: "101 reports the drill over; 100, on its first day, under way"\n'
NOTE = "      note: \"'the latest round of the naval drills China and Russia hold each year' says that it recurs\"\n"
ACCORDING_TO = '      according_to: "according to the Russian Pacific Fleet"\n'
PEOPLE = (
    f'    people:\n      liang-yang:\n        name:\n          value: "Liang Yang"\n          quote: "{SPOKESMAN}"\n'
)
# Words added to 100's seed for the cases of values their quotes do not state (issue 21 §2).
HOSTILE = (
    "\nMore than 10,000 troops joined the five-day drill of troops; 1.5 million troops stood by and "
    "Vostok-2021 troops watched. The drills may continue in 2019, and troops will march in 2019. Ships sailed "
    "to the Indian Ocean and Papua New Guinea, roast turkey was served to Russian sailors, and 2.000 troops "
    f"rested. Talks in {unicodedata.normalize('NFD', 'Malmö')} ended. Some 10 000 troops, 20 percent of "
    "troops and two-thirds of troops trained in New Mexico.\n"
)


def claim(field, value, quote="a port city in east China", quotes=None):
    """A claim of 100's exercise on a field the corpus leaves empty (value, and quotes, as YAML writes them)."""
    quotes = quotes or f'"{quote}"'
    return edit(A, "    location:\n", f"    {field}:\n      value: {value}\n      quote: {quotes}\n    location:\n")


def statement(extra):
    """More lines in 100's statement."""
    return edit(A, STATEMENT_QUOTE, STATEMENT_QUOTE + extra)


def statement_date(flow):
    return statement(f"    statement_date: {flow}\n")


def before_participants(text):
    """More of 100's exercise (people, reactions) before its participants."""
    return edit(A, "    participants:\n", text + "    participants:\n")


def participant(code, quote):
    return edit(A, "    participants:\n", f'    participants:\n      {code}:\n        quote: "{quote}"\n')


def hostile(*mutations):
    return both(reseed(HOSTILE), *mutations)


def count(value, quote):
    """100's count of troops, with another number and quote (its seed holding the HOSTILE words)."""
    return hostile(edit(A, TROOPS, f'          value: {value}\n          quote: "{quote}"\n'))


def text_with(value, *quotes):
    """A text value of 100's exercise on quotes of the HOSTILE words."""
    quoted = "[" + ", ".join(f'"{q}"' for q in quotes) + "]"
    return hostile(claim("area", f'"{value}"', None, quoted))


def inference(text):
    return edit(A, END_INFERENCE, f'      inference: "{text}"\n')


def laughs(levels):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


# (case id, mutation, substrings the message must contain: file, line, record, field, why)
CASES = [
    # --- the files themselves ---------------------------------------------------------------
    (
        "yaml-syntax-error",
        edit(A, TITLE, '  title: ["China\n'),
        [A, at(A, "  title:", 2), "YAML syntax error", f"line {line_in(A, '  title:')}"],
    ),
    ("duplicate-yaml-key", edit(A, TITLE, TITLE * 2), [A, at(A, "  title:", 1), "duplicate key 'title'"]),
    ("non-utf8-curation", write(A, "title: caf\xe9\n".encode("latin-1")), [A, "not UTF-8"]),
    ("empty-curation-file", write(A, b""), [A, "empty"]),
    ("curation-not-a-mapping", write(A, "- a\n- b\n"), [A, "must be a mapping"]),
    ("unhashable-key", append(A, "? [a, b]\n: 1\n"), [A, "a key must be plain text"]),
    ("unhashable-key-in-register", append(REG, "? [a, b]\n: 1\n"), [REG, "a key must be plain text"]),
    ("null-key", append(A, "~: 1\n"), [A, "a key must be text, not None"]),
    ("boolean-key", append(A, "true: 1\n"), [A, "a key must be text, not True"]),
    (
        "anchor-and-alias",
        edit(A, TITLE, TITLE.replace("title: ", "title: &t ") + "  author: *t\n"),
        [A, at(A, "  title:"), "anchors and aliases"],
    ),
    ("alias-bomb-7-levels", write(A, laughs(7)), [A, "anchors and aliases"]),
    ("alias-bomb-9-levels", write(A, laughs(9)), [A, "anchors and aliases"]),
    ("deep-nesting-flow", write(A, "a: " + "[" * 20000 + "]" * 20000 + "\n"), [A, ":1", "nested more than 32 levels"]),
    ("deep-nesting-300000", write(A, "[" * 300000 + "]" * 300000), [A, "nested more than 32 levels"]),
    (
        "deep-nesting-block",
        write(A, "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "x\n"),
        [A, "nested more than 32 levels"],
    ),
    ("yaml-python-tag", append(A, 'x: !!python/object/apply:os.system ["echo hi"]\n'), [A, "YAML tags"]),
    ("yaml-binary-tag", append(A, "x: !!binary aGk=\n"), [A, "YAML tags"]),
    ("file-too-large", append(A, "# " + "x" * 2_100_000 + "\n"), [A, "over the limit"]),
    (
        "draft-marker",
        edit(A, "seed_sha256", 'draft: "made by make draft"\nseed_sha256'),
        [A, at(A, "seed_sha256"), "draft", "delete the `draft:` line"],
    ),
    (
        "unknown-top-level-key",
        edit(A, "source:\n", "sourse:\n"),
        [A, at(A, "source:"), "unknown field 'sourse'", "did you mean 'source'"],
    ),
    ("stray-yml-file", write("curation/extra.yml", "a: 1\n"), ["curation/extra.yml", "curation files end in .yaml"]),
    ("seed-not-txt", write("seeds/notes.md", "notes\n"), ["seeds/notes.md", "seeds are .txt files"]),
    (
        "seed-without-curation",
        write("seeds/102_unread.txt", b"An article nobody curated.\n"),
        ["seeds/102_unread.txt", "no curation file"],
    ),
    (
        "curation-without-seed",
        write("curation/102_unread.yaml", "seed_sha256: x\n"),
        ["curation/102_unread.yaml", "no seed file 102_unread.txt"],
    ),
    ("seed-name-with-a-dot", rename_article("100.v2"), ["curation/100.v2.yaml", "may hold only ASCII letters"]),
    ("seed-name-non-ascii", rename_article("100_ñ"), ["curation/100_ñ.yaml", "may hold only ASCII letters"]),
    ("seed-name-250-characters", rename_article("a" * 250), [f"curation/{'a' * 250}.yaml", "at most 64 characters"]),
    ("non-utf8-seed", write(S, b"Caf\xe9 drills\n"), [S, "not UTF-8"]),
    ("empty-seed", write(S, b""), [S, "empty"]),
    (
        "seed-edited-after-curation",
        append(S, "An added line.\n"),
        [A, "seed_sha256", "the seed changed since it was curated"],
    ),
    ("seed-sha256-missing", edit(A, "seed_sha256: 57ca", "seed_sha: 57ca"), [A, "seed_sha256", "the seed changed"]),
    # --- files that are not what they seem (issue 21 §4): read only regular files inside the project -----
    ("seed-linked-outside", link_out(S), [S, "a link to a file outside the project"]),
    ("curation-linked-outside", link_out(A), [A, "a link to a file outside the project"]),
    ("register-linked-outside", link_out(REG), [REG, "a link to a file outside the project"]),
    (
        "seeds-folder-linked-outside",
        link_out("seeds"),
        [S, "seeds/101_joint_sea_2019_notes.txt", "outside the project"],
    ),
    ("curation-folder-linked-outside", link_out("curation"), [A, N, REG, "outside the project"]),
    ("schema-file-linked-outside", link_out("schema/people.yaml"), ["schema/people.yaml", "outside the project"]),
    ("check-file-linked-outside", link_out("checks/one_host.sql"), ["checks/one_host.sql", "outside the project"]),
    ("seed-linked-to-dev-zero", link_to(S, "/dev/zero"), [S, "outside the project"]),
    ("seed-linked-to-dev-urandom", link_to(S, "/dev/urandom"), [S, "outside the project"]),
    ("curation-linked-to-dev-zero", link_to(A, "/dev/zero"), [A, "outside the project"]),
    ("seed-a-fifo", fifo(S), [S, "not a regular file"]),
    ("register-a-fifo", fifo(REG), [REG, "not a regular file"]),
    ("check-file-a-fifo", fifo("checks/zz_waits.sql"), ["checks/zz_waits.sql", "not a regular file"]),
    ("seed-a-dangling-link", link_to(S, "/nonexistent/seed.txt"), [S, "no such file (or a link to nothing)"]),
    ("curation-a-dangling-link", link_to(A, "/nonexistent/curation.yaml"), [A, "no such file (or a link to nothing)"]),
    ("seed-a-folder", both(remove(S), lambda root: (root / S).mkdir()), [S, "not a regular file"]),
    # --- the register ----------------------------------------------------------------------
    ("register-missing", remove(REG), [REG, "missing: the register"]),
    ("register-not-a-mapping", write(REG, "- joint-sea-2019\n"), [REG, "must map each exercise_id"]),
    ("register-syntax-error", append(REG, "vostok-2018: [\n"), [REG, "YAML syntax error"]),
    ("register-bad-slug", append(REG, "Bad Id: {}\n"), [REG, "'Bad Id'", "not a slug"]),
    (
        "register-extra-key",
        edit(REG, "joint-sea-2019:\n", "joint-sea-2019:\n  note: x\n"),
        [REG, "joint-sea-2019", "may only hold `choose:`"],
    ),
    (
        "choose-a-list",
        write(REG, "joint-sea-2019:\n  choose: [year]\n"),
        [REG, "joint-sea-2019", "may only hold `choose:`"],
    ),
    (
        "choose-a-word",
        write(REG, "joint-sea-2019:\n  choose: year\n"),
        [REG, "joint-sea-2019", "may only hold `choose:`"],
    ),
    (
        "choice-without-difference",
        edit(REG, "      difference: change over time\n", ""),
        [REG, at(REG, "    status:"), "joint-sea-2019", "status", "a choice is {value"],
    ),
    (
        "choice-because-null",
        edit(REG, BECAUSE, "      because: null\n"),
        [REG, at(REG, "    status:"), "status", "`because` must say"],
    ),
    ("choice-because-a-number", edit(REG, BECAUSE, "      because: 5\n"), [REG, "status", "`because` must say"]),
    (
        "choice-unknown-difference",
        edit(REG, "difference: change over time\n", "difference: contradiction\n"),
        [REG, "status", "`difference` is one of"],
    ),
    (
        "choice-value-a-list",
        edit(REG, "    status:\n      value: held\n", "    status:\n      value: [held]\n"),
        [REG, "status", "`value` must be one of the values"],
    ),
    (
        "choice-unknown-field",
        edit(REG, "    status:\n", "    stauts:\n"),
        [REG, "joint-sea-2019", "stauts", "unknown field"],
    ),
    (
        "choice-not-stated",
        edit(REG, "    status:\n      value: held", "    status:\n      value: planned"),
        [REG, "joint-sea-2019", "status", "not among the values the articles state"],
    ),
    (
        "difference-without-choice",
        edit(REG, STATUS_CHOICE, ""),
        [
            A,
            at(A, "    status:"),
            "joint-sea-2019",
            "status",
            "articles disagree",
            f"'ongoing' in {STEM}.yaml line {line_in(A, '    status:')}",
            f"'held' in 101_joint_sea_2019_notes.yaml line {line_in(N, '    status:')}",
            "choose",
        ],
    ),
    (
        "choice-where-articles-agree",
        append(REG, '    name: {value: "Joint Sea-2019", because: "no reason", difference: rewording}\n'),
        [REG, after_last(REG), "joint-sea-2019", "name", "the articles agree"],
    ),
    (
        "choice-for-an-unstated-field",
        append(REG, '    duration: {value: "six-day", because: "no reason", difference: rewording}\n'),
        [REG, after_last(REG), "joint-sea-2019", "duration", "a choice for a field no article states"],
    ),
    # was change-over-time-between-undated-articles: an undated article may now be one of the two; what
    # the rule refuses is a change over time between articles of one date.
    (
        "change-over-time-between-articles-of-one-date",
        both(
            reseed("Posted April 29, 2019.\n", NS, N),
            edit(N, N_END, ""),
            edit(REG, REG_END, ""),
            edit(N, "  title:", '  published_date: {value: "2019-04-29", quote: "April 29, 2019"}\n  title:'),
        ),
        [
            REG,
            at(REG, "    end_date:"),
            "joint-sea-2019",
            "status",
            "change over time needs versions from articles of different dates",
        ],
    ),
    (
        "registered-but-unmentioned",
        append(REG, "ghost-2030: {}\n"),
        [REG, "ghost-2030", "registered, but no article says"],
    ),
    (
        "unknown-exercise",
        edit(A, "  joint-sea-2019:\n", "  joint-sea-2018:\n"),
        [A, at(A, "  joint-sea-2019:"), "joint-sea-2018", "unknown exercise", "did you mean 'joint-sea-2019'"],
    ),
    # --- claims: shape ---------------------------------------------------------------------
    (
        "missing-quote",
        edit(A, DATE, '    value: "2019-04-29"\n'),
        [A, at(A, DATE.splitlines()[0]), STEM, "published_date", "needs the quote"],
    ),
    ("missing-value", edit(A, YEAR, YEAR.split("\n")[1] + "\n"), [A, "joint-sea-2019", "year", "needs a value"]),
    (
        "value-null",
        edit(A, TROOPS, TROOPS.replace("2000", "null")),
        [A, "joint-sea-2019/all/troops", "number", "needs a value"],
    ),
    ("quote-null", edit(A, '    quote: "April 29, 2019"', "    quote: null"), [A, "published_date", "needs the quote"]),
    (
        "quote-empty-list",
        edit(A, '    quote: "April 29, 2019"', "    quote: []"),
        [A, "published_date", "needs the quote"],
    ),
    (
        "quote-a-number",
        edit(A, '    quote: "April 29, 2019"', "    quote: 5"),
        [A, "published_date", "a quote must be text, not 5"],
    ),
    (
        "unknown-claim-key",
        edit(A, DATE, DATE.replace("value:", "valeu:")),
        [A, at(A, DATE.splitlines()[0]), "published_date", "unknown field 'valeu'", "did you mean 'value'"],
    ),
    ("inference-empty", inference(""), [A, at(A, 'inference: "May 4'), "end_date", "inference must be non-empty text"]),
    (
        "inference-a-number",
        edit(A, END_INFERENCE, "      inference: 7\n"),
        [A, "end_date", "inference must be non-empty text"],
    ),
    # was "basis is derived or outside, with an inference": `derived` is now said by naming the rule.
    (
        "basis-without-inference",
        edit(A, DATE, DATE + "    basis: outside\n"),
        [A, "published_date", "needs an inference"],
    ),
    (
        "basis-stated-declared",
        edit(A, END_INFERENCE, END_INFERENCE + "      basis: stated\n"),
        [A, at(A, 'inference: "May 4', 1), "end_date", "basis is `outside`", "not 'stated'"],
    ),
    (
        "basis-derived-declared",
        edit(A, END_INFERENCE, "      basis: derived\n" + END_INFERENCE),
        [A, "end_date", "basis is `outside`", "names it with `rule:`"],
    ),
    (
        "claim-a-list",
        edit(A, TITLE, '  title: ["China, Russia begin Joint Sea-2019 naval drill off Qingdao"]\n'),
        [A, at(A, "  title:"), "title", "expected a value or {value, quote}"],
    ),
    (
        "claim-a-boolean",
        edit(A, TITLE, "  title: true\n"),
        [A, at(A, "  title:"), "title", "expected a value or {value, quote}, not bool"],
    ),
    # --- claims: quotes --------------------------------------------------------------------
    (
        "quote-not-in-article",
        edit(A, 'quote: "April 29, 2019"', 'quote: "April 30, 2019"'),
        [A, at(A, "  published_date:"), "published_date", "quote not found"],
    ),
    (
        "quote-near-miss-hint",
        edit(
            A,
            '      quote: "in the sea areas and airspace near Qingdao"\n',
            '      quote: "in the Sea Areas and airspace near Qingdao"\n',
        ),
        [
            A,
            at(A, "    location:"),
            "location",
            "quote not found",
            "the seed has 'in the sea areas and airspace near Qingdao'",
        ],
    ),
    (
        "quote-in-nfd-where-the-seed-is-nfc",
        both(reseed("\nTalks in Malmö.\n"), claim("area", '"Malmö"', unicodedata.normalize("NFD", "Malmö"))),
        [A, "area", "quote not found", "composed differently (Unicode NFC)"],
    ),
    ("quote-cuts-a-combining-mark", text_with("Malmo", "Malmo"), [A, "area", "cuts a letter from its accent"]),
    (
        "quote-ambiguous",
        edit(A, NAME, NAME.replace('"began the Joint Sea-2019 exercise"', '"Joint Sea-2019"')),
        [A, at(A, "    name:"), "joint-sea-2019", "name", "more than once"],
    ),
    (
        "quote-with-markup",
        edit(A, '"began the Joint Sea-2019 exercise on Monday"', '"<u>began</u> the Joint Sea-2019"'),
        [A, "joint-sea-2019", "start_date", "markup"],
    ),
    (
        "quote-with-an-invisible-character",
        both(reseed("\nA zero\u200bwidth space.\n"), claim("area", '"zero"', "zero\u200bwidth")),
        [A, "area", "invisible character"],
    ),
    (
        "quote-over-2000-characters",
        both(reseed("\n" + "word " * 500 + "\n"), claim("area", '"word"', "word " * 420 + "word")),
        [A, "area", "2,104 characters long, over the limit of 2,000"],
    ),
    (
        "script-in-a-quote",
        edit(A, TITLE, '  title: "<script>alert(1)</script>"\n'),
        [A, at(A, "  title:"), "title", "markup"],
    ),
    (
        "leading-space-in-a-quote",
        edit(A, 'quote: "April 29, 2019"\n', 'quote: " April 29, 2019"\n'),
        [A, "published_date", "white space"],
    ),
    (
        "trailing-newline-in-a-quote",
        edit(A, 'quote: "April 29, 2019"\n', 'quote: "April 29, 2019\\n"\n'),
        [A, "published_date", "white space"],
    ),
    (
        "within-without-the-quote",
        statement('    within: "mutual distrust"\n'),
        [A, "s100-liang-yang-mutual-trust", "within", "must be text containing the quote exactly once"],
    ),
    ("within-a-number", statement("    within: 5\n"), [A, "s100-liang-yang-mutual-trust", "within"]),
    # --- statements --------------------------------------------------------------------------
    (
        "statement-without-quote",
        edit(A, STATEMENT_QUOTE, STATEMENT_QUOTE.replace("quote:", "quoted:")),
        [A, "s100-liang-yang-mutual-trust", "quote", "needs its quote"],
    ),
    (
        "statement-quote-a-list",
        edit(A, STATEMENT_QUOTE, STATEMENT_QUOTE.replace('quote: "', 'quote: ["')),
        [A, "YAML syntax error"],
    ),
    (
        "statement-not-a-mapping",
        edit(A, "statements:\n", 'statements:\n  - "a statement"\n'),
        [A, "a statement must be a mapping"],
    ),
    (
        "statements-not-a-list",
        edit(A, "statements:\n", "statements:\n  x: 1\nunused:\n"),
        [A, "statements must be a list"],
    ),
    (
        "statement-id-missing",
        edit(A, STATEMENT, STATEMENT.replace("statement_id", "id")),
        [A, "statement_id", "missing or not a slug"],
    ),
    (
        "statement-id-not-a-slug",
        edit(A, STATEMENT, '  - statement_id: "S100 Liang"\n'),
        [A, "statement_id", "not a slug"],
    ),
    (
        "statement-id-over-100-characters",
        edit(A, STATEMENT, f"  - statement_id: s100-{'x' * 100}\n"),
        [A, "statement_id", "at most 100 characters"],
    ),
    (
        "duplicate-statement-id",
        append(A, STATEMENT + '    quote: "deepen mutual trust"\n'),
        [A, "s100-liang-yang-mutual-trust", "statement_id", "duplicate statement_id"],
    ),
    (
        "same-quote-twice",
        append(A, "  - statement_id: s100-again\n" + STATEMENT_QUOTE),
        [A, "s100-again", "quote", "the same quote is already statement s100-liang-yang-mutual-trust"],
    ),
    (
        "same-as-not-a-slug",
        edit(A, STATEMENT_EXERCISE, STATEMENT_EXERCISE + '    same_as: "Not A Slug"\n'),
        [A, "s100-liang-yang-mutual-trust", "same_as", "not a slug"],
    ),
    (
        "same-as-unknown",
        edit(A, STATEMENT_EXERCISE, STATEMENT_EXERCISE + "    same_as: s101-nothing\n"),
        [A, "s100-liang-yang-mutual-trust", "same_as", "foreign"],
    ),
    (
        "same-as-same-article",
        append(
            A,
            '  - statement_id: s100-again\n    quote: "deepen mutual trust"\n'
            "    same_as: s100-liang-yang-mutual-trust\n",
        ),
        [A, "s100-again", "same_as", "a statement of the same article", "checks/same_as.sql"],
    ),
    (
        "statement-unknown-exercise",
        edit(A, STATEMENT_EXERCISE, STATEMENT + "    exercise_id: joint-sea-2018\n"),
        [A, "s100-liang-yang-mutual-trust", "exercise_id", "foreign"],
    ),
    (
        "statement-date-after-the-article",
        statement_date('{value: "2030", quote: "said navy spokesman", basis: outside, inference: "a test"}'),
        [A, "s100-liang-yang-mutual-trust", "statement_date", "after the article's date 2019-04-29"],
    ),
    (
        "statement-date-from-another-paragraph",
        statement_date('{value: "2019-04-29", quote: "April 29, 2019"}'),
        [A, "s100-liang-yang-mutual-trust", "statement_date", "paragraph that quotes the statement"],
    ),
    (
        "statement-from-a-heading",
        append(
            A,
            '  - statement_id: s100-heading\n    quote: "China, Russia begin Joint Sea-2019 naval drill off Qingdao"\n',
        ),
        [A, "s100-heading", "quote", "in a heading, whose wording is the outlet's"],
    ),
    # --- exercises and fields: types and constraints ----------------------------------------
    (
        "exercise-id-not-a-slug",
        edit(A, "  joint-sea-2019:\n", "  Joint Sea 2019:\n"),
        [A, "'Joint Sea 2019'", "not a slug"],
    ),
    (
        "exercises-not-a-mapping",
        edit(A, "exercises:\n  joint", "exercises: 5\nx:\n  joint"),
        [A, "exercises must be a mapping"],
    ),
    (
        "exercise-not-a-mapping",
        edit(A, "  joint-sea-2019:\n", "  joint-sea-2019: planned\n  x:\n"),
        [A, "joint-sea-2019", "must be a mapping"],
    ),
    # was unknown-field-typo on troops_qualifier, a column of counts now (its own case below)
    (
        "unknown-field-typo",
        edit(A, "    location_precision:\n", "    location_precison:\n"),
        [A, "joint-sea-2019", "unknown field 'location_precison'", "did you mean 'location_precision'"],
    ),
    (
        "unknown-count-field-typo",
        edit(A, QUALIFIER, QUALIFIER.replace("qualifier", "qualifer")),
        [A, "joint-sea-2019/all/troops", "unknown field 'qualifer'", "did you mean 'qualifier'"],
    ),
    (
        "unknown-count-unit",
        edit(A, "      submarines:\n", "      submarine:\n"),
        [A, "joint-sea-2019/all/submarine", "unknown unit"],
    ),
    (
        "count-without-number",
        edit(A, "      submarines:\n        number:\n", "      submarines:\n        numbr:\n"),
        [A, "joint-sea-2019/all/submarines", "needs its number"],
    ),
    (
        "troops-in-words",
        edit(A, TROOPS, TROOPS.replace("2000", '"many"')),
        [A, at(A, "value: 2000"), "joint-sea-2019/all/troops", "number", "whole number"],
    ),
    (
        "troops-with-leading-zero",
        edit(A, TROOPS, TROOPS.replace("2000", "02000")),
        [A, "number", "whole number written in decimal"],
    ),
    ("troops-10-to-the-30", edit(A, TROOPS, TROOPS.replace("2000", "1" + "0" * 30)), [A, "number", "maximum"]),
    ("troops-a-fraction", edit(A, TROOPS, TROOPS.replace("2000", "2000.5")), [A, "number", "whole number"]),
    ("troops-negative", edit(A, TROOPS, TROOPS.replace("2000", "-5")), [A, "number", "minimum"]),
    (
        "role-not-in-the-list",
        edit(A, "          value: participant\n", "          value: leader\n"),
        [A, "joint-sea-2019/CHN", "role", "not one of"],
    ),
    (
        "domain-space",
        edit(A, "      - value: sea\n", "      - value: space\n"),
        [A, "domains", "'space' is not one of: land, sea, air"],
    ),
    ("year-as-text", edit(A, YEAR, YEAR.replace("2019", '"2019"', 1)), [A, "year", "whole number"]),
    ("year-1800", edit(A, YEAR, YEAR.replace("2019", "1800", 1)), [A, "year", "minimum"]),
    (
        "published-date-0000",
        edit(A, 'value: "2019-04-29"', 'value: "0000"'),
        [A, at(A, DATE.splitlines()[0]), "published_date", "pattern"],
    ),
    (
        "impossible-date",
        edit(A, 'value: "2019-04-29"', 'value: "2019-02-30"'),
        [A, at(A, DATE.splitlines()[0]), "published_date", "not a real date"],
    ),
    ("date-in-words", edit(A, 'value: "2019-04-29"', 'value: "29 April 2019"'), [A, "published_date", "pattern"]),
    (
        "published-in-the-future",
        edit(A, DATE, DATE.replace("2019-04-29", "2099-01-01") + '    basis: outside\n    inference: "a test"\n'),
        [A, "published_date", "after today"],
    ),
    (
        "held-exercise-dated-after-the-article",
        edit(A, START, START.replace("2019-04-29", "2019-05-06")),
        [A, "joint-sea-2019", "start_date", "after the article's date 2019-04-29"],
    ),
    ("value-with-nul", claim("area", '"a\\0b"'), [A, "area", "invisible character"]),
    ("value-with-bidi-override", claim("area", '"a\\u202Eb"'), [A, "area", "invisible"]),
    ("value-with-zero-width-space", claim("area", '"a\\u200Bb"'), [A, "area", "invisible"]),
    ("value-with-leading-space", claim("area", '" late"'), [A, "area", "white space"]),
    ("value-with-trailing-newline", claim("area", '"late\\n"'), [A, "area", "white space"]),
    ("value-a-spreadsheet-formula", claim("area", '"=HYPERLINK(\\"http://x\\")"'), [A, "area", "formula"]),
    ("value-starting-with-at", claim("area", '"@everyone"'), [A, "area", "formula"]),
    ("value-starting-with-minus", claim("area", '"-cmd"'), [A, "area", "formula"]),
    ("value-with-markup", claim("area", '"<script>alert(1)</script>"'), [A, "area", "markup"]),
    (
        "value-200-kb",
        claim("area", '"' + "x" * 200_000 + '"'),
        [A, "area", "200,000 characters long, over the limit of 2000"],
    ),
    ("value-empty", edit(A, TITLE, '  title: ""\n'), [A, "title", "is empty"]),
    # --- claims: does each quote say it? (per-quote basis: one case per kind of failure, issue 18) --------
    (
        "text-not-in-its-quote",
        edit(A, LOCATION, LOCATION.replace("sea areas and airspace", "sea areas")),
        [
            A,
            at(A, "    location:"),
            "joint-sea-2019",
            "location",
            "the quote does not state the value",
            "not written in the quote",
            "'sea areas near Qingdao'",
        ],
    ),
    (
        "number-not-in-its-quote",
        edit(A, TROOPS, TROOPS.replace("2000", "20000")),
        [A, "number", "the number 20,000 is not written"],
    ),
    (
        "count-of-another-unit",
        edit(A, "      submarines:\n", "      aircraft:\n"),
        [A, "joint-sea-2019/all/aircraft", "does not say that 2 counts aircraft"],
    ),
    (
        "count-of-a-country-its-quote-does-not-name",
        edit(
            A,
            RUS_A,
            RUS_A + "        counts:\n          ships:\n            number:\n              value: 13\n"
            '              quote: "involves 13 ships, two submarines"\n',
        ),
        [A, "joint-sea-2019/RUS/ships", "number", "does not name RUS, whose contingent this number counts"],
    ),
    (
        "date-not-in-its-quote",
        edit(A, 'value: "2019-04-29"', 'value: "2019-04-30"'),
        [A, "published_date", "does not write this date"],
    ),
    (
        "country-not-in-its-quote",
        statement(f'    country_code: {{value: RUS, quote: "{SPOKESMAN}"}}\n'),
        [A, "s100-liang-yang-mutual-trust", "country_code", "no word of the quote names RUS"],
    ),
    (
        "category-not-in-its-quote",
        edit(A, QUALIFIER, QUALIFIER.replace("about", "more than")),
        [A, "qualifier", "no word of the quote names 'more than'"],
    ),
    (
        "participant-not-named-by-its-quote",
        edit(A, CHN, CHN.replace("CHN", "IND")),
        [A, "joint-sea-2019/IND", "country_code", "no word of the quote names IND"],
    ),
    (
        "second-quote-says-nothing",
        edit(A, NAME, NAME.replace('exercise"', 'exercise", "about 2,000 troops"]').replace('quote: "', 'quote: ["')),
        [A, "joint-sea-2019", "name", "the quote does not state the value", "'about 2,000 troops'"],
    ),
    (
        "first-quote-says-nothing",
        edit(A, NAME, NAME.replace('"began', '["about 2,000 troops", "began').replace('exercise"', 'exercise"]')),
        [A, "joint-sea-2019", "name", "the quote does not state the value", "'about 2,000 troops'"],
    ),
    (
        "rule-where-every-quote-states-it",
        edit(A, NAME, NAME + '      rule: same-words\n      inference: "a test"\n'),
        [A, "joint-sea-2019", "name", "every quote states the value: leave out rule"],
    ),
    (
        "outside-where-every-quote-states-it",
        edit(A, NAME, NAME + '      basis: outside\n      inference: "a test"\n'),
        [A, "joint-sea-2019", "name", "every quote states the value: leave out basis"],
    ),
    (
        "rule-and-outside-together",
        edit(A, "      rule: weekday\n", "      rule: weekday\n      basis: outside\n"),
        [A, "start_date", "either names a rule", "not both"],
    ),
    (
        "rule-unknown",
        edit(A, "      rule: weekday\n", "      rule: weekdays\n"),
        [A, "start_date", "unknown rule 'weekdays'"],
    ),
    (
        "rule-the-build-applies",
        edit(A, "      rule: weekday\n", "      rule: year-of-date\n"),
        [A, "start_date", "applied by the build itself"],
    ),
    ("rule-without-inference", edit(A, END_INFERENCE, ""), [A, "end_date", "needs an inference"]),
    (
        "rule-whose-check-fails",
        edit(A, START, START.replace("2019-04-29", "2019-04-22")),
        [A, at(A, "    start_date:"), "start_date", "does not follow by the rule 'weekday'", "not within six days"],
    ),
    ("inference-admits-a-guess", inference("probably May 4"), [A, "end_date", "the inference says 'probably'"]),
    ("inference-names-an-outside-fact", inference("May 4 (public record)"), [A, "end_date", "add `basis: outside`"]),
    (
        "according-to-from-another-paragraph",
        edit(N, ACCORDING_TO, '      according_to: "Notes on Joint Sea-2019"\n'),
        [
            N,
            at(N, "according_to:"),
            "end_date",
            "according_to must be words of the article, in the paragraph of a quote",
        ],
    ),
    # --- values their quotes do not state (issue 21 §2: each accepted, and published `stated`, before) ----
    (
        "count-10-from-10,000",
        count(10, "More than 10,000 troops"),
        [A, "number", "not written in the quote as a whole number"],
    ),
    (
        "count-5-from-five-day",
        count(5, "the five-day drill of troops"),
        [A, "number", "only inside a name or a length"],
    ),
    (
        "count-5-from-1.5-million",
        count(5, "1.5 million troops"),
        [A, "number", "not written in the quote as a whole number"],
    ),
    ("count-2021-from-a-name", count(2021, "Vostok-2021 troops"), [A, "number", "only inside a name or a length"]),
    ("count-2-from-2.000", count(2, "and 2.000 troops"), [A, "number", "not written in the quote as a whole number"]),
    ("count-10-from-10-000", count(10, "Some 10 000 troops"), [A, "number"]),
    ("count-20-from-20-percent", count(20, "20 percent of troops"), [A, "number"]),
    ("count-2-from-two-thirds", count(2, "two-thirds of troops"), [A, "number"]),
    (
        "month-from-may-continue",
        hostile(statement_date('{value: "2019-05", quote: "drills may continue in 2019"}')),
        [A, "statement_date", "does not write this date"],
    ),
    (
        "month-from-will-march",
        hostile(statement_date('{value: "2019-03", quote: "troops will march in 2019"}')),
        [A, "statement_date", "does not write this date"],
    ),
    (
        "day-from-10,000-and-month-from-another-quote",
        hostile(statement_date('{value: "2019-04-10", quote: ["More than 10,000 troops", "April 29, 2019"]}')),
        [A, "statement_date", "does not write this date", "'More than 10,000 troops'"],
    ),
    (
        "india-from-indian-ocean",
        hostile(participant("IND", "the Indian Ocean")),
        [A, "joint-sea-2019/IND", "no word of the quote names IND"],
    ),
    (
        "guinea-from-papua-new-guinea",
        hostile(participant("GIN", "Papua New Guinea")),
        [A, "joint-sea-2019/GIN", "no word of the quote names GIN"],
    ),
    (
        "turkey-from-roast-turkey",
        hostile(participant("TUR", "roast turkey")),
        [A, "joint-sea-2019/TUR", "no word of the quote names TUR"],
    ),
    (
        "mexico-from-new-mexico",
        hostile(participant("MEX", "trained in New Mexico")),
        [A, "joint-sea-2019/MEX", "no word of the quote names MEX"],
    ),
    (
        "russia-from-russian",
        text_with("Russia", "Russian sailors"),
        [A, "area", "not written in the quote (as whole words)"],
    ),
    ("a-name-cut-mid-word", text_with("Qingda", "near Qingdao, a port city"), [A, "area", "not written in the quote"]),
    (
        "one-quote-of-two-states-it",
        text_with("east China", "a port city in east China", "roast turkey"),
        [A, "area", "the quote does not state the value", "'roast turkey'"],
    ),
    ("inference-likely", inference("likely May 4"), [A, "end_date", "the inference says 'likely'"]),
    ("inference-soft-hyphen", inference("prob\\u00adably May 4"), [A, "end_date", "invisible character"]),
    ("inference-cyrillic-o", inference("prоbably May 4"), [A, "end_date", "the inference says 'probably'"]),
    ("inference-two-spaces", inference("May 4 (public  record)"), [A, "end_date", "add `basis: outside`"]),
    ("inference-no-break-space", inference("May 4 (public\\u00a0record)"), [A, "end_date", "add `basis: outside`"]),
    # --- invisible characters in text (issue 21 §6) ---------------------------------------------------
    *[
        (
            f"value-with-u+{code:04x}",
            claim("area", f'"a\\U{code:08x}b"'),
            [A, at(A, "    location:", 1), "area", "invisible character"],
        )
        for code in (0x061C, 0x2028, 0x2029, 0x00AD, 0xE0041, 0x3164, 0x180E, 0xFE0F, 0x034F)
    ],
    # --- the curator's own words: note, inference, because, according_to (issue 21 §6) ----------------
    *[
        (f"{name}-{what}", mutate(text), [path, line, field, why])
        for name, path, line, field, mutate in (
            ("note", N, at(N, "      note:"), "series", lambda t: edit(N, NOTE, f"      note: {t}\n")),
            (
                "inference",
                A,
                at(A, 'inference: "May 4'),
                "end_date",
                lambda t: edit(A, END_INFERENCE, f"      inference: {t}\n"),
            ),
            ("because", REG, at(REG, "    status:"), "status", lambda t: edit(REG, BECAUSE, f"      because: {t}\n")),
            (
                "according-to",
                N,
                at(N, "according_to:"),
                "end_date",
                lambda t: edit(N, ACCORDING_TO, f"      according_to: {t}\n"),
            ),
        )
        for what, text, why in (
            ("markup", '"see <b>the fleet</b>"', "markup"),
            ("formula", '"=1+1"', "formula"),
            ("at", '"@everyone"', "formula"),
            ("bidi", '"the \\u202Efleet"', "invisible character"),
            ("2001-characters", '"' + "x" * 2001 + '"', "2,001 characters long, over the limit of 2,000"),
            ("200-kb", '"' + "x" * 200_000 + '"', "200,000 characters long, over the limit of 2,000"),
        )
    ],
    # --- participants, people, coordinates ----------------------------------------------------
    (
        "unknown-country-code",
        edit(A, RUS_A, RUS_A.replace("RUS:", "RUX:")),
        [A, "joint-sea-2019/RUX", "country_code", "not an ISO 3166-1 alpha-3"],
    ),
    ("participant-without-quote", edit(A, CHN, "      CHN:\n"), [A, "joint-sea-2019/CHN", "needs `quote`"]),
    (
        "participant-not-a-mapping",
        edit(A, RUS_A, "      RUS: participant\n"),
        [A, "joint-sea-2019/RUS", "must be a mapping"],
    ),
    (
        "participants-not-a-mapping",
        edit(A, "    participants:\n      CHN:", "    participants: [CHN]\n    unused:\n      CHN:"),
        [A, "joint-sea-2019", "participants must be a mapping"],
    ),
    (
        "participant-without-role",
        edit(A, RUS_A, RUS_A.split("        role:")[0]),
        [A, "joint-sea-2019/RUS", "role", "needs `role`"],
    ),
    (
        "reaction-without-action",
        before_participants(f'    reactions:\n      CHN:\n        quote: "{FORCES}"\n'),
        [A, "joint-sea-2019/CHN", "action", "needs `action`"],
    ),
    (
        "person-id-not-a-slug",
        before_participants(PEOPLE.replace("liang-yang:", "Liang Yang:")),
        [A, "person id must be a slug"],
    ),
    ("person-without-role", before_participants(PEOPLE), [A, "joint-sea-2019/liang-yang", "needs a name and a role"]),
    ("people-not-a-mapping", before_participants("    people: [liang-yang]\n"), [A, "people must be a mapping"]),
    (
        "coordinates-not-a-mapping",
        edit(A, "    coordinates:\n" + POINT, "    coordinates: 1797929\n    unused:\n" + POINT),
        [A, "joint-sea-2019", "coordinates", "must be {geonameid"],
    ),
    (
        "coordinates-geonameid-not-a-number",
        edit(A, POINT, "      geonameid: Qingdao\n"),
        [A, "coordinates", "must be a GeoNames id"],
    ),
    (
        "coordinates-unknown-key",
        edit(A, POINT, POINT + "      latitude: 36.1\n"),
        [A, "coordinates", "unknown field 'latitude'"],
    ),
    (
        "gazetteer-unknown-place",
        edit(A, POINT, "      geonameid: 999999999\n"),
        [A, "joint-sea-2019", "coordinates", "not in the gazetteer"],
    ),
    (
        "coordinates-quote-not-naming-the-place",
        edit(A, POINT_QUOTE, '      quote: "a port city in east China"\n'),
        [A, "coordinates", "does not name Qingdao"],
    ),
    # --- rules about the assembled rows (checks/*.sql), reported at the curated line ----------
    (
        "end-before-start",
        both(
            edit(
                A,
                END,
                '      value: "2019-04-01"\n      quote: "The six-day drill runs until May 4"\n      basis: outside\n',
            ),
            edit(A, "      rule: article-year\n", ""),
            edit(REG, 'value: "2019-05-04"', 'value: "2019-04-01"'),
        ),
        [A, at(A, "    end_date:"), "joint-sea-2019", "end_date", "before start_date", "checks/dates_in_order.sql"],
    ),
    (
        "year-not-the-year-of-the-dates",
        edit(A, YEAR, YEAR.replace("2019", "2018", 1) + '      basis: outside\n      inference: "a test"\n'),
        [A, at(A, "    year:"), "joint-sea-2019", "year", "not the year of", "checks/year_matches_dates.sql"],
    ),
    (
        "two-hosts",
        both(
            edit(N, ROLES_N, ""),
            edit(
                A,
                "value: participant\n",
                'value: host\n          rule: host-is-where-held\n          inference: "a test"\n',
                2,
            ),
        ),
        ["joint-sea-2019", "host_country", "host participants are CHN, RUS", "checks/one_host.sql"],
    ),
    (
        "one-participant",
        both(edit(A, RUS_A, ""), edit(N, RUS_N, "")),
        [A, "joint-sea-2019", "1 participant(s)", "checks/two_participants.sql"],
    ),
    (
        "location-precision-and-point-of-different-places",
        both(
            edit(N, "    frequency:\n", f'    location: {{value: "{PORT}", quote: "{PORT}"}}\n    frequency:\n'),
            append(REG, f'    location: {{value: "{PORT}", because: "a test", difference: precision}}\n'),
        ),
        ["joint-sea-2019", "location", "no single article gives location", "checks/one_place.sql"],
    ),
    # --- the definitions ----------------------------------------------------------------------
    (
        "schema-field-without-description",
        edit("schema/people.yaml", "    description: The person's office, in an article's words, when stated.\n", ""),
        ["schema/people.yaml", "people", "title", "a field needs 'description'"],
    ),
    (
        "schema-unknown-kind",
        edit(
            "schema/people.yaml",
            "    x-kind: text\n    x-provenance: curated\n    title: Title",
            "    x-kind: prose\n    x-provenance: curated\n    title: Title",
        ),
        ["schema/people.yaml", "unknown x-kind 'prose'"],
    ),
    # was on exercises.troops_qualifier, whose words now live in counts.qualifier
    (
        "schema-category-without-words",
        edit("schema/counts.yaml", "      up to: [up to, as many as]\n", ""),
        ["schema/counts.yaml", "qualifier", "x-words with an entry for each value"],
    ),
    ("schema-yaml-error", append("schema/sources.yaml", "fields: [\n"), ["schema/sources.yaml", "YAML syntax error"]),
    ("metadata-yaml-syntax-error", append("metadata.yml", "about: [\n"), ["metadata.yml:", "YAML syntax error"]),
    ("metadata-two-databases", append("metadata.yml", "  other: {}\n"), ["metadata.yml", "exactly one database"]),
    (
        "check-without-its-table",
        edit("checks/one_host.sql", "-- table: exercises\n", ""),
        ["checks/one_host.sql", "-- table: <name>"],
    ),
    (
        "check-that-cannot-run",
        edit("checks/one_host.sql", "from batch x", "from batch x where"),
        ["checks/one_host.sql", "exercises", "cannot run on the database", "syntax error"],
    ),
]


def case_id(case):
    return case.values[0] if hasattr(case, "values") else case[0]


@pytest.fixture
def broken(built_mini, tmp_path):
    """A copy of the built mini project, outputs included, to break (hard links: see support.link_project)."""
    return link_project(built_mini, tmp_path / "p")


def published_state(root):
    """Every output a reader can see: the working copies and the published set's files."""
    files = [root / name for name in ("datapackage.json", "README.md", "CITATION.cff")]
    files += sorted((root / "data").glob("*"))
    site = (root / "build" / "site").resolve()
    files += sorted(p for p in site.rglob("*") if p.is_file())
    sets = sorted(p.name for p in (root / "build" / "sets").iterdir())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}, sets


def run_build(root):
    """The build's command line, in this process; a build that hangs (on a FIFO, say) fails the case."""

    def hung(*_):
        raise TimeoutError("the build hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        return CliRunner().invoke(main, ["--root", str(root), "--quiet"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case,mutate,expected", CASES, ids=[case_id(c) for c in CASES])
def test_bad_input_is_reported_and_changes_nothing(broken, case, mutate, expected):
    before = published_state(broken)
    mutate(broken)
    result = run_build(broken)
    message = result.output
    assert result.exit_code == 1, f"exit {result.exit_code}: {message}{result.exception!r}"
    assert "Traceback" not in message and "internal error" not in message
    assert "build failed while" in message and "nothing published changed" in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message[:3000]}"
    assert len(message) < 2_000, "an error message must not hold whole values"
    assert str(broken.parent / "outside") not in message, "a link is named by its own path, never by its target"
    assert published_state(broken) == before


def test_the_catalogue_keeps_its_cases():
    ids = [case_id(c) for c in CASES]
    assert len(set(ids)) == len(ids) >= 245


def test_an_outside_file_is_never_read_nor_named(broken):
    """A seed linked outside the project: refused before a byte is read; its path and hash are not shown."""
    secret = b"An outside file: never published.\n"
    put(outside(broken) / "secret.txt", secret)
    link_to(S, outside(broken) / "secret.txt")(broken)
    message = run_build(broken).output
    assert "outside the project" in message
    assert "secret" not in message and hashlib.sha256(secret).hexdigest() not in message


def test_two_articles_with_different_coordinates_can_be_chosen_between(broken):
    """No way out was the bug: `choose: coordinates` (a GeoNames id) resolves two points."""
    edit(
        N,
        "    frequency:\n",
        f'    coordinates: {{geonameid: 1805753, quote: "{PORT}", basis: outside, '
        'inference: "a test: Jinan stands for the port"}\n    frequency:\n',
    )(broken)
    result = run_build(broken)
    assert result.exit_code == 1 and "latitude" in result.output and "choose" in result.output, result.output
    append(REG, '    coordinates: {value: 1797929, because: "a test", difference: disagreement}\n')(broken)
    result = run_build(broken)
    assert result.exit_code == 0, result.output
    rows = (broken / "data" / "differences.csv").read_text()
    assert "exercises,joint-sea-2019,joint-sea-2019,latitude,disagreement,2,36.06488" in rows


def test_a_bad_option_is_bad_input_too(broken):
    for args in (["--root", str(broken / "README.md")], ["--root", str(broken), "--wait", "-1"], ["--bogus"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "Error:" in result.output and "Traceback" not in result.output, args


def test_a_real_process_exits_1_for_bad_input_and_2_for_a_bug(broken):
    edit(A, 'quote: "April 29, 2019"', 'quote: "April 30, 2019"')(broken)
    r = subprocess.run(
        [sys.executable, "-m", "scripts.build", "--root", str(broken)], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{A}{at(A, '  published_date:')}: record {STEM} field published_date: quote not found" in r.stderr
    bug = (
        "import scripts.package.assemble as a, sys\n"
        "a.Assembler.run = lambda self: 1 / 0\n"
        "from scripts.build import main\nmain(['--root', sys.argv[1]])\n"
    )
    edit(A, 'quote: "April 30, 2019"', 'quote: "April 29, 2019"')(broken)
    r = subprocess.run([sys.executable, "-c", bug, str(broken)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "internal error (a bug in the pipeline, not in your files" in r.stderr and "ZeroDivisionError" in r.stderr
