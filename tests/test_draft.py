"""make draft: every proposal quotes its seed verbatim and once and passes the build's own checks, the
draft is marked and refused by the build until reviewed, the CLI never overwrites, pages are read in their
declared encoding or refused, nothing is guessed. Machinery tests on the frozen fixture corpus and on
articles written here; the drafter's accuracy is measured by `make draft-eval`, not asserted here."""

import re

import pytest
from click.testing import CliRunner
from support import FIXTURES, make_project

from drafter.__main__ import main as draft_cli
from drafter.draft import Proposer, make_draft
from drafter.evaluate import quotes_of, score_article
from drafter.page import PAGE_MAX_BYTES
from drafter.write import render
from scripts.build import build
from scripts.errors import PipelineError

SEEDS = sorted((FIXTURES / "corpus" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("draft") / "project")


@pytest.fixture(scope="module")
def drafts(project):
    return {p.stem: make_draft(project, p.read_text(encoding="utf-8"), p.stem) for p in SEEDS}


def draft_of(project, text, stem="900_article"):
    return make_draft(project, text, stem)


def run(*args):
    return CliRunner().invoke(draft_cli, [str(a) for a in args])


def html_to_seed(root, path, tmp_path):
    """Draft a saved page; the seed it wrote."""
    before = set((root / "seeds").iterdir())
    result = run("--root", root, "--html", path, "--out", tmp_path / f"{path.stem}-draft.yaml")
    assert result.exit_code == 0, result.output
    (seed,) = set((root / "seeds").iterdir()) - before
    return seed


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_every_quote_occurs_once_in_its_seed(drafts, seed):
    text = seed.read_text(encoding="utf-8")
    quotes = quotes_of(drafts[seed.stem])
    assert quotes
    for q in quotes:
        assert text.count(q) == 1, q


def test_a_proposal_whose_quote_does_not_state_it_is_not_made(project):
    text = "Chinese and Russian warships began the Joint Sea-2019 drill off Qingdao on April 29, 2019.\n"
    from drafter.article import Article

    p = Proposer(project, Article(project, text))
    sentence = [(0, len(text) - 1)]
    assert p("exercises", "start_date", "2019-04-29", sentence, "stated").value == "2019-04-29"
    assert p("exercises", "start_date", "2019-05-01", sentence, "not stated") is None
    assert p("exercises", "start_date", "2019-05-01", sentence, "x", rule="weekday", inference="a guess") is None
    assert p("exercises", "location", "Vladivostok", sentence, "not stated") is None
    assert p("participants", "country_code", "IND", sentence, "not stated", key=("x", "IND")) is None


def test_known_statements_are_proposed_with_their_speakers(drafts):
    by_quote = {st["quote"]: st for st in drafts["000_0c704d7ae3acb940"].statements}
    st = by_quote["would have serious global consequences for security and for commerce"]
    assert st["speaker"].value == "Antony Blinken" and st["country_code"].value == "USA"
    later = next(s for q, s in by_quote.items() if q.startswith("dangerous encounters"))
    assert later["speaker"].value == "Antony Blinken" and later["speaker"].rule == "coreference"
    assert "hype" not in by_quote  # a word in quotation marks is a term, not a statement
    wu = next(s for s in drafts["002_cdd756e0de2b89f1"].statements if s["quote"].startswith("Based on the consensus"))
    assert wu["speaker"].value == "Wu Qian"


@pytest.mark.parametrize("seed", SEEDS[:2], ids=lambda p: p.stem[:3])
def test_draft_is_marked_and_parses(drafts, seed, tmp_path):
    from scripts.read.yaml_safe import load_yaml

    path = tmp_path / f"{seed.stem}.yaml"
    path.write_text(render(drafts[seed.stem]), encoding="utf-8")
    data = load_yaml(path)
    assert "draft" in data and data["seed_sha256"] == drafts[seed.stem].sha256
    assert "# why: " in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", ["002_cdd756e0de2b89f1", "003_8aed447154efcc44"])
def test_build_refuses_the_draft_until_its_mark_is_removed(tmp_path, stem):
    """Then the build runs every check on every proposal: quotes state their values, rules hold."""
    root = make_project(tmp_path / "project", "mini")
    for folder in ("seeds", "curation"):  # a project holding only this article, as a curator's first one
        for p in (root / folder).iterdir():
            p.unlink()
    (root / "seeds" / f"{stem}.txt").write_bytes((FIXTURES / "corpus" / "seeds" / f"{stem}.txt").read_bytes())
    result = run("--root", root, "--seed", f"seeds/{stem}.txt")
    assert result.exit_code == 0, result.output
    target = root / "curation" / f"{stem}.yaml"
    draft = target.read_text(encoding="utf-8")
    ids = re.findall(r"^  ([a-z0-9-]+):\s*(?:#.*)?$", draft.split("\nexercises:", 1)[1].split("\n\\S", 1)[0], re.M)
    (root / "curation" / "exercises.yaml").write_text("".join(f"{i}: {{}}\n" for i in ids), encoding="utf-8")
    with pytest.raises(PipelineError, match="draft"):
        build(root, quiet=True)
    target.write_text(re.sub(r"^draft: .*\n", "", draft, flags=re.M), encoding="utf-8")
    build(root, quiet=True)  # with the mark removed, this draft's proposals pass every check of the build


def test_cli_never_overwrites_and_leaves_no_temporary_file(tmp_path):
    root = make_project(tmp_path / "project")
    stem = SEEDS[0].stem
    existing = root / "curation" / f"{stem}.yaml"
    before = existing.read_bytes()
    result = run("--root", root, "--seed", f"seeds/{stem}.txt")
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_bytes() == before
    out = tmp_path / "draft.yaml"
    assert run("--root", root, "--seed", f"seeds/{stem}.txt", "--out", out).exit_code == 0
    first = out.read_bytes()
    again = run("--root", root, "--seed", f"seeds/{stem}.txt", "--out", out)
    assert again.exit_code == 1 and out.read_bytes() == first
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: (d / "seeds" / "x.txt").symlink_to("/etc/hostname"), "outside the project"),
        (lambda d: (d / "seeds" / "x.txt").write_bytes(b"Joint Sea \xff drills\n"), "not UTF-8"),
        (lambda d: (d / "seeds" / "x.txt").mkdir(), "not a regular file"),
        (lambda d: (d / "seeds" / "x.md").write_text("text\n"), "is a .txt file"),
    ],
)
def test_a_seed_that_cannot_be_read_is_refused_with_its_name(tmp_path, make, message):
    root = make_project(tmp_path / "project", "mini")
    make(root)
    name = next(p.name for p in (root / "seeds").iterdir() if p.stem == "x")
    result = run("--root", root, "--seed", f"seeds/{name}")
    assert result.exit_code == 1, result.output
    assert message in result.output and "x." in result.output
    assert not (root / "curation" / "x.yaml").exists()


PAGE = """<html><head><meta charset="{charset}">
<title>Russia and China Begin Joint Sea-2023 Naval Drills | Example News</title>
<meta property="og:title" content="Russia and China Begin Joint Sea-2023 Naval Drills">
<meta name="author" content="Jane Doe">
{date}
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.com/2023/07/20/joint-sea-drills">
</head><body><nav>Home World Politics</nav><article>
<h1>Russia and China Begin Joint Sea-2023 Naval Drills</h1>
<p>Russia and China kicked off the Joint Sea-2023 naval exercises in the Sea of Japan on Thursday, the
Russian Defense Ministry said, with warships and aircraft of both navies taking part in the drills.</p>
<p>{quote} the ministry said in a statement released on Thursday.</p>
<p>More than 10 warships and 30 aircraft are taking part in the five-day drills, Chinese Defense Ministry
spokesman Zhang Xiaogang said.</p></article><footer>Copyright Example News</footer></body></html>
"""
DATED = '<meta property="article:published_time" content="2023-07-20T10:00:00Z">'
QUOTE = "\u201cThe drills aim to strengthen naval cooperation between the two countries,\u201d"


def page(tmp_path, charset="utf-8", date=DATED, quote=QUOTE, name="page.html"):
    path = tmp_path / name
    path.write_bytes(PAGE.format(charset=charset, date=date, quote=quote).encode(charset))
    return path


def test_a_saved_page_becomes_a_seed_and_a_draft(tmp_path):
    root = make_project(tmp_path / "project", "mini")
    before = {p.name for p in (root / "seeds").glob("*.txt")}
    out = tmp_path / "page-draft.yaml"
    result = run("--root", root, "--html", page(tmp_path), "--out", out)
    assert result.exit_code == 0, result.output
    new = [p for p in (root / "seeds").glob("*.txt") if p.name not in before]
    assert len(new) == 1 and re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", new[0].name)
    seed = new[0].read_text(encoding="utf-8")
    assert "Russia and China kicked off the Joint Sea-2023 naval exercises" in seed
    draft = draft_of(root, seed, new[0].stem)
    src = {k: v.value for k, v in draft.source.items()}
    assert src["title"] == "Russia and China Begin Joint Sea-2023 Naval Drills"
    assert src["author"] == "Jane Doe" and src["published_date"] == "2023-07-20"
    assert src["url"] == "https://news.example.com/2023/07/20/joint-sea-drills"
    ex = draft.exercises["joint-sea-2023"].facts
    assert ex["start_date"].value == "2023-07-20" and ex["start_date"].rule == "weekday"
    assert all(seed.count(q) == 1 for q in quotes_of(draft))
    assert "draft: " in out.read_text(encoding="utf-8")
    # the same page again: the seed is not written twice, and the draft is not overwritten
    again = run("--root", root, "--html", page(tmp_path), "--out", out)
    assert again.exit_code == 1 and len(list((root / "seeds").glob("*.txt"))) == len(before) + 1


@pytest.mark.parametrize(
    "charset, quote",
    [
        ("windows-1252", "\u201cThe drills aim to strengthen naval cooperation between the two countries,\u201d"),
        ("koi8-r", '"Учения направлены на укрепление сотрудничества флотов двух стран,"'),
    ],
)
def test_a_page_is_read_in_its_declared_encoding(tmp_path, charset, quote):
    root = make_project(tmp_path / "project", "mini")
    seed = html_to_seed(root, page(tmp_path, charset, quote=quote), tmp_path).read_text(encoding="utf-8")
    assert quote.strip('"\u201c\u201d,') in seed


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            b'<html><head><meta charset="utf-8"></head><body><p>Joint Sea \xff\xfe drills</p></body></html>',
            "not valid utf-8",
        ),
        (b'<html><head><meta charset="x-no-such"></head><body><p>drills</p></body></html>', "unknown encoding"),
        (b"<html><head><title>Home</title></head><body></body></html>", "no article text"),
    ],
)
def test_a_page_that_cannot_be_read_without_guessing_is_refused(tmp_path, raw, message):
    root = make_project(tmp_path / "project", "mini")
    path = tmp_path / "bad.html"
    path.write_bytes(raw)
    before = sorted((root / "seeds").iterdir())
    result = run("--root", root, "--html", path)
    assert result.exit_code == 1 and message in result.output and "bad.html" in result.output
    assert sorted((root / "seeds").iterdir()) == before  # nothing written


def test_a_page_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    root = make_project(tmp_path / "project", "mini")
    path = tmp_path / "huge.html"
    path.write_bytes(b"<p>" + b"a" * PAGE_MAX_BYTES + b"</p>")
    result = run("--root", root, "--html", path)
    assert result.exit_code == 1 and "over the limit" in result.output and "huge.html" in result.output


def test_a_page_without_a_date_gets_none_and_no_day_is_guessed(tmp_path):
    root = make_project(tmp_path / "project", "mini")
    seed = html_to_seed(root, page(tmp_path, date=""), tmp_path)
    draft = draft_of(root, seed.read_text(encoding="utf-8"), seed.stem)
    assert "published_date" not in draft.source
    ex = draft.exercises["joint-sea-2023"].facts
    assert "start_date" not in ex  # "on Thursday" resolves against no date
    assert ex["year"].value == 2023  # the name says it


def test_a_later_edition_named_in_passing_gets_no_facts(project):
    text = (
        "China and Russia began the Joint Sea-2019 naval drill off Qingdao on April 29, 2019.\n\n"
        "The drill follows Joint Sea-2018, and more than 10 warships are taking part.\n"
    )
    draft = draft_of(project, text)
    assert list(draft.exercises) == ["joint-sea-2019"]


def test_a_country_that_reacts_or_declines_is_no_participant(project):
    text = (
        "Russian and Chinese bombers flew a joint air patrol over the Sea of Japan on July 23, 2019.\n\n"
        "South Korean jets fired warning shots, and Japan scrambled fighters. India has decided not to take part "
        "in such patrols.\n"
    )
    draft = draft_of(project, text)
    (ex,) = draft.exercises.values()
    assert set(ex.participants) == {"CHN", "RUS"}


def test_scoring_counts_a_wrong_value_as_wrong_and_a_missing_one_as_missed(project):
    text = "China and Russia began the Joint Sea-2019 naval drill off Qingdao on April 29, 2019.\n"
    draft = draft_of(project, text)
    key = {
        "exercises": [
            {
                "name": "Joint Sea-2019",
                "start_date": "2019-04-30",
                "location": "Qingdao",
                "participants": ["CHN", "RUS", "IRN"],
            }
        ]
    }
    s = score_article(draft, key)
    assert s.found["start_date"] == 0 and s.facts["start_date"] == 1  # proposed, but not the key's value
    assert s.right["start_date"] == 0 and s.checked["start_date"] == 1
    assert s.found["participants"] == 2 and s.facts["participants"] == 3  # IRN missed
    assert s.found["location"] == 1


def test_no_quote_starts_as_a_spreadsheet_formula(project):
    text = (
        "QINGDAO, July 12 (Xinhua)\n-- China and Russia ended the Joint Sea-2019 naval drill off Qingdao.\n\n"
        "Figures from the ministry:\n- More than 10,000 troops\n- 14 vessels\n"
    )
    quotes = quotes_of(draft_of(project, text))
    assert quotes and not [q for q in quotes if q[0] in "=+-@" or q[0].isspace()]


def test_a_phase_or_the_end_of_a_month_is_not_the_drill_s_span(project):
    text = (
        "MOSCOW, September 8, 2010 (RIA Novosti)\n\n"
        "Peace Mission-2010 will open on September 9 in Kazakhstan, with troops from China and Russia.\n\n"
        "The active phase of the drill is set for September 24, when the troops will storm a village.\n\n"
        "The drill was announced at the end of July.\n"
    )
    ex = draft_of(project, text).exercises["peace-mission-2010"].facts
    assert ex["start_date"].value == "2010-09-09"
    assert "end_date" not in ex  # neither the phase's day nor "the end of July" ends it


def test_a_site_name_above_the_navigation_is_the_publisher_not_the_title(project):
    text = (
        "The Harbour Ledger\nHome | World | Asia | Defence\n\n"
        "Russian and Chinese warships finish joint patrol\n\n"
        "Russian and Chinese warships ended a joint naval patrol in the western Pacific on October 23, 2021.\n"
    )
    source = draft_of(project, text).source
    assert source["title"].value == "Russian and Chinese warships finish joint patrol"


def test_the_host_is_a_host_participant_and_a_lone_party_is_flagged(project):
    text = (
        "China will host the Northern/Interaction-2024 drills in the Sea of Japan in July 2024, and Russia will "
        "send ships to take part, the ministry said.\n\n"
        "The drills follow Vostok-2022, which was held in the Russian Far East.\n"
    )
    draft = draft_of(project, text)
    ex = draft.exercises["northern-interaction-2024"]
    assert ex.facts["host_country"].value == "CHN" and ex.participants["CHN"]["role"].value == "host"
    assert "participant(s) found" not in render(draft)
    alone = draft_of(project, "Russia began the Vostok-2022 drills in the Russian Far East on September 1, 2022.\n")
    assert "1 participant(s) found: every exercise needs two" in render(alone)


def test_a_one_flight_air_patrol_ends_the_day_it_is_flown_and_a_speaker_s_city_is_no_place(project):
    text = (
        "TOKYO, Dec. 10, 2025 (Kyodo) -- Two Russian Tu-95 bombers and two Chinese H-6 bombers flew a joint air "
        "patrol over the East China Sea on Tuesday, the defence ministry in Tokyo said.\n"
    )
    ex = next(iter(draft_of(project, text).exercises.values()))
    assert ex.facts["start_date"].value == ex.facts["end_date"].value == "2025-12-09"
    assert ex.facts["location"].value == "East China Sea"
    assert {u: c["number"].value for u, c in ex.counts["CHN"].items()} == {"aircraft": 2}  # "Tu-95" is no number


def test_a_drill_that_has_run_since_a_day_started_that_day(project):
    text = (
        "YEKATERINBURG, 25 September 2021\n\n"
        "Peace Mission-2021 ended on Saturday. Around 4,000 servicemen from eight member states, Russia, China, "
        "India and Pakistan among them, had been training together since 11 September.\n"
    )
    ex = draft_of(project, text).exercises["peace-mission-2021"]
    assert ex.facts["start_date"].value == "2021-09-11"
    assert {"RUS", "CHN", "IND", "PAK"} <= set(ex.participants)


def test_a_draft_says_where_no_year_is_found_and_a_date_of_another_year_is_not_the_drill_s(project):
    undated = draft_of(project, "Chinese and Russian coast guard ships sailed together on a joint naval patrol.\n")
    assert "# no year found: every exercise needs one" in render(undated)
    text = (
        "MOSCOW, September 2, 2022 (TASS) -- Vostok-2022 opened on Thursday with troops from China and Russia.\n\n"
        "The drill, planned since May 2020, will run until September 7.\n"
    )
    ex = draft_of(project, text).exercises["vostok-2022"].facts
    assert ex["start_date"].value == "2022-09-01" and ex["end_date"].value == "2022-09-07"


def test_bodies_speak_as_bodies_and_it_refers_back_to_the_last_one(project):
    text = (
        "Chinese and Russian ships held the Joint Sea-2021 drill in the Sea of Japan on October 14, 2021.\n\n"
        '"None of the ships came into our territorial waters," the Coast Guard said in a statement.\n\n'
        "Russia's Defence Ministry insists the drills are aimed at no one. "
        '"The exercise is defensive and is not directed against any country," it said.\n\n'
        '"The drill is routine cooperation between our armed forces," Senior Colonel Wu Qian, spokesperson for '
        "China's Ministry of National Defense, told a press conference.\n"
    )
    by_quote = {st["quote"][:12]: st for st in draft_of(project, text).statements}
    assert "speaker" not in by_quote["None of the "] and by_quote["None of the "]["organization"].value == "Coast Guard"
    assert by_quote["The exercise"]["organization"].rule == "coreference"
    assert by_quote["The drill is"]["speaker"].value == "Wu Qian" and by_quote["The drill is"]["organization"]


def test_a_drill_code_named_in_quotation_marks_is_named_not_quoted(project):
    text = (
        "TEHRAN, Dec. 27, 2019 (IRNA) -- The navies of Iran, Russia and China began a joint naval drill on "
        "Friday.\n\n"
        'Code-named "Marine Security Belt", the exercise will last four days, Iranian naval officials said.\n'
    )
    draft = draft_of(project, text)
    (ex,) = draft.exercises.values()
    assert ex.facts["name"].value == "Marine Security Belt"
    assert not draft.statements
