"""make draft: proposals quote the seed verbatim and once, the CLI never overwrites, the build
refuses a draft until its mark is removed, saved pages become seeds. All on the fixture corpus."""
import re

import pytest
from click.testing import CliRunner

from support import FIXTURES, make_project
from scripts.build import build
from drafter.__main__ import main as draft_cli
from drafter.draft import make_draft
from drafter.evaluate import evaluate, proposed
from drafter.write import render
from scripts.errors import PipelineError

SEEDS = sorted(p.stem for p in (FIXTURES / "corpus" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("draft") / "project")


@pytest.fixture(scope="module")
def drafts(corpus):
    return {stem: make_draft(corpus, corpus / "seeds" / f"{stem}.txt") for stem in SEEDS}


@pytest.mark.parametrize("stem", SEEDS)
def test_every_quote_occurs_once_in_its_seed(corpus, drafts, stem):
    text = (corpus / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    values, quotes = proposed(drafts[stem])
    assert values and quotes
    for q in quotes:
        assert text.count(q) == 1, q
    for st in drafts[stem].statements:
        if st["within"]:
            assert st["within"].count(st["quote"]) == 1


@pytest.mark.parametrize("stem", SEEDS)
def test_draft_is_marked_and_parses(drafts, stem, tmp_path):
    from scripts.read.yaml_safe import load_yaml

    path = tmp_path / f"{stem}.yaml"
    path.write_text(render(drafts[stem]), encoding="utf-8")
    data = load_yaml(path)
    assert "draft" in data and data["seed_sha256"] == drafts[stem].sha256
    assert "# why: " in path.read_text(encoding="utf-8")


def test_a_known_statement_is_proposed_with_its_speaker(drafts):
    by_quote = {st["quote"]: st for st in drafts["000_0c704d7ae3acb940"].statements}
    st = by_quote["would have serious global consequences for security and for commerce"]
    assert st["speaker"].value == "Antony Blinken" and st["country_code"].value == "USA"
    assert st["organization"].value == "US Department of State" and st["organization"].inference
    wu = next(s for s in drafts["002_cdd756e0de2b89f1"].statements if s["quote"].startswith("Based on the consensus"))
    assert wu["speaker"].value == "Wu Qian"
    assert wu["statement_date"].value == "2021-07-29" and "Thursday" in wu["statement_date"].inference


def test_build_refuses_the_draft_until_its_mark_is_removed(tmp_path):
    root = make_project(tmp_path / "project")
    stem = "003_8aed447154efcc44"
    target = root / "curation" / f"{stem}.yaml"
    target.unlink()  # the article is drafted afresh, as a curator adding it would
    result = CliRunner().invoke(draft_cli, ["--root", str(root), "--seed", f"seeds/{stem}.txt"])
    assert result.exit_code == 0, result.output
    with pytest.raises(PipelineError, match="draft"):
        build(root, quiet=True)
    target.write_text(re.sub(r"^draft: .*\n", "", target.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    build(root, quiet=True)  # with the mark removed, this draft's proposals pass every check of the build


def test_cli_never_overwrites(tmp_path):
    root = make_project(tmp_path / "project")
    stem = SEEDS[0]
    existing = root / "curation" / f"{stem}.yaml"
    before = existing.read_bytes()
    result = CliRunner().invoke(draft_cli, ["--root", str(root), "--seed", f"seeds/{stem}.txt"])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_bytes() == before
    out = tmp_path / "draft.yaml"
    assert CliRunner().invoke(draft_cli, ["--root", str(root), "--seed", f"seeds/{stem}.txt", "--out", str(out)]).exit_code == 0
    first = out.read_bytes()
    again = CliRunner().invoke(draft_cli, ["--root", str(root), "--seed", f"seeds/{stem}.txt", "--out", str(out)])
    assert again.exit_code == 1 and out.read_bytes() == first


PAGE = """<html><head><title>Russia and China Begin Joint Sea-2023 Naval Drills | Example News</title>
<meta property="og:title" content="Russia and China Begin Joint Sea-2023 Naval Drills">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-07-20T10:00:00Z">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.com/2023/07/20/joint-sea-drills">
</head><body><nav>Home World Politics</nav><article>
<h1>Russia and China Begin Joint Sea-2023 Naval Drills</h1>
<p>Russia and China kicked off the Joint Sea-2023 naval exercises in the Sea of Japan on Thursday, the
Russian Defense Ministry said, with warships and aircraft of both navies taking part in the drills.</p>
<p>"The drills aim to strengthen naval cooperation between the two countries and to safeguard peace,"
the ministry said in a statement released on Thursday.</p>
<p>More than 10 warships and 30 aircraft are taking part in the five-day drills, Chinese Defense Ministry
spokesman Zhang Xiaogang said.</p></article><footer>Copyright Example News</footer></body></html>
"""


def test_a_saved_page_becomes_a_seed_and_a_draft(tmp_path):
    root = make_project(tmp_path / "project")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    before = {p.name for p in (root / "seeds").glob("*.txt")}
    out = tmp_path / "page-draft.yaml"
    result = CliRunner().invoke(draft_cli, ["--root", str(root), "--html", str(page), "--out", str(out)])
    assert result.exit_code == 0, result.output
    new = [p for p in (root / "seeds").glob("*.txt") if p.name not in before]
    assert len(new) == 1 and re.fullmatch(r"005_[0-9a-f]{16}\.txt", new[0].name)
    seed = new[0].read_text(encoding="utf-8")
    assert "Russia and China kicked off the Joint Sea-2023 naval exercises" in seed
    draft = make_draft(root, new[0])
    src = {k: v.value for k, v in draft.source.items()}
    assert src["title"] == "Russia and China Begin Joint Sea-2023 Naval Drills"
    assert src["author"] == "Jane Doe" and src["published_date"] == "2023-07-20"
    assert src["url"] == "https://news.example.com/2023/07/20/joint-sea-drills"
    assert "joint-sea-2023" in draft.exercises
    _, quotes = proposed(draft)
    assert all(seed.count(q) == 1 for q in quotes)
    assert "draft: " in out.read_text(encoding="utf-8")
    # the same page again: the seed is not written twice, and the draft is not overwritten
    again = CliRunner().invoke(draft_cli, ["--root", str(root), "--html", str(page), "--out", str(out)])
    assert again.exit_code == 1 and len(list((root / "seeds").glob("*.txt"))) == len(before) + 1


def test_leave_one_out_figures(corpus):
    rows, total = evaluate(corpus)
    assert len(rows) == len(SEEDS)
    assert total["once"] == total["quotes"]               # every proposed quote verbatim, once
    assert max(r[4] for r in rows) < 2                      # seconds per article
    assert total["hit"] / total["gold"] >= 0.8 and total["hit"] / total["proposed"] >= 0.6
