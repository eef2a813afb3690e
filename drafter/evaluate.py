"""make draft-eval: draft every article of the evaluation corpus (drafter/corpus/dev and heldout) and
compare each draft with the article's key (the facts a careful curator records; corpus/README.md).

Recall: the key's facts the draft proposes. Precision: of the checkable proposals (those of a field the
keys record), the share that are right; a proposal under an exercise the key does not list, or under
a passing mention, is wrong. Also: quotes verbatim and unique, crashes, seconds per article, and
whether the draft builds once its `draft:` line is deleted and new ids registered. Figures are given
by field, for the development and the held-out part side by side; `--write` puts the table in
drafter/README.md. Nothing here reads a key while drafting.
"""

import re
import shutil
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

import click
import yaml

from scripts.read.rules import organizations
from scripts.read.text import fold

from .draft import Draft, Proposal, make_draft
from .page import extract
from .write import render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
PARTS = ("dev", "heldout")
SOURCE_FIELDS = ("title", "publisher", "author", "published_date", "url")
EXERCISE_FIELDS = (
    "name",
    "aliases",
    "year",
    "start_date",
    "end_date",
    "status",
    "host_country",
    "location",
    "location_precision",
)
README_TABLE = re.compile(r"(<!-- eval:start -->\n).*?(<!-- eval:end -->)", re.S)


def norm(value):
    """What two renderings of one value share: case, typography, a leading 'the', outer punctuation."""
    s = fold(str(value)).lower().strip()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^the ", "", s)
    return s.strip(" .,;:'\"()[]")


def norm_name(value):
    return re.sub(r"[\s\-/–—_]+", " ", norm(value)).strip()


def same(field, proposed, key_value):
    """Does a proposed value match the key's value (a value, or a list of accepted forms)?"""
    forms = key_value if isinstance(key_value, list) and field not in ("aliases",) else [key_value]
    if field in ("name", "aliases"):
        return any(norm_name(proposed) == norm_name(f) for f in forms)
    if field == "organization":
        canon = organizations(str(ROOT)).get(str(proposed), [])
        return any(norm(proposed) == norm(f) or any(norm(c) == norm(f) for c in canon) for f in forms)
    return any(norm(proposed) == norm(f) for f in forms)


def _values(v):
    return v if isinstance(v, list) else [v]


class Score:
    """Counts by field: key facts found / key facts; proposals right / proposals checked."""

    def __init__(self):
        self.found, self.facts, self.right, self.checked = Counter(), Counter(), Counter(), Counter()
        self.wrong = []

    def fact(self, field, hit):
        self.facts[field] += 1
        self.found[field] += bool(hit)

    def proposal(self, field, ok, what=""):
        self.checked[field] += 1
        self.right[field] += bool(ok)
        if not ok:
            self.wrong.append(f"{field}: {what}")

    def add(self, other):
        for mine, theirs in (
            (self.found, other.found),
            (self.facts, other.facts),
            (self.right, other.right),
            (self.checked, other.checked),
        ):
            mine.update(theirs)
        self.wrong += other.wrong


def draft_facts(draft):
    """The draft's checkable proposals: (exercise id or None, field, value)."""
    out = [(None, f"source.{f}", p.value) for f, p in draft.source.items() if f in SOURCE_FIELDS]
    for eid, ex in draft.exercises.items():
        for f, p in ex.facts.items():
            if f in EXERCISE_FIELDS:
                out += [(eid, f, q.value) for q in (p if isinstance(p, list) else [p])]
        if "year" not in ex.facts and "start_date" in ex.facts:  # the build publishes it (rule year-of-date)
            out.append((eid, "year", int(str(ex.facts["start_date"].value)[:4])))
        for code, part in ex.participants.items():
            role = part.get("role")
            out.append((eid, "observers" if role and role.value == "observer" else "participants", code))
        for party, units in ex.counts.items():
            for unit, c in units.items():
                out.append((eid, f"count:{party}:{unit}", c["number"].value))
                if c.get("qualifier"):
                    out.append((eid, f"qualifier:{party}:{unit}", c["qualifier"].value))
    return out


def key_facts(ex):
    """A key exercise's facts: [(field, value)]."""
    out = [(f, ex[f]) for f in EXERCISE_FIELDS if f in ex and f != "aliases"]
    out += [("aliases", a) for a in ex.get("aliases") or []]
    out += [("participants", c) for c in ex.get("participants") or []]
    out += [("observers", c) for c in ex.get("observers") or []]
    for unit, c in (ex.get("counts") or {}).items():
        out.append((f"count:all:{unit}", c["number"]))
        if c.get("qualifier"):
            out.append((f"qualifier:all:{unit}", c["qualifier"]))
    for party, units in (ex.get("contingents") or {}).items():
        for unit, c in units.items():
            out.append((f"count:{party}:{unit}", c["number"]))
            if c.get("qualifier"):
                out.append((f"qualifier:{party}:{unit}", c["qualifier"]))
    return out


def field_group(field):
    return "counts" if field.startswith(("count:", "qualifier:")) else field


def match_exercises(draft, key):
    """{draft exercise id: key exercise index}: by name or alias, else by year and two shared values."""
    names = {
        eid: [p.value for f in ("name", "aliases") for p in _as_list(ex.facts.get(f))]
        for eid, ex in draft.exercises.items()
    }
    keyed = key.get("exercises") or []
    out, taken = {}, set()
    for eid, ns in names.items():
        for i, k in enumerate(keyed):
            forms = [k.get("name")] + list(k.get("aliases") or []) if k.get("name") else list(k.get("aliases") or [])
            if i not in taken and any(same("name", n, f) for n in ns for f in forms if f):
                out[eid], _ = i, taken.add(i)
                break
    facts = defaultdict(set)
    for eid, f, v in draft_facts(draft):
        if eid:
            facts[eid].add((field_group(f) if f.startswith(("count", "qualifier")) else f, norm(v)))
    for eid in draft.exercises:
        if eid in out or (names[eid] and _is_mention(names[eid], key)):
            continue
        best = None
        for i, k in enumerate(keyed):
            if i in taken:
                continue
            kf = {
                (
                    field_group(f) if f.startswith(("count", "qualifier")) else f,
                    norm(v if not isinstance(v, list) else v[0]),
                )
                for f, v in key_facts(k)
            }
            shared = len(facts[eid] & kf)
            if shared >= 2 and (best is None or shared > best[0]):
                best = (shared, i)
        if best:
            out[eid] = best[1]
            taken.add(best[1])
    return out


def _as_list(p):
    return [] if p is None else p if isinstance(p, list) else [p]


def _is_mention(names, key):
    return any(same("name", n, m) for n in names for m in key.get("mentions") or [])


def score_article(draft, key):
    s = Score()
    src = key.get("source") or {}
    for f in SOURCE_FIELDS:
        p = draft.source.get(f)
        if f in src:
            s.fact(f"source.{f}", p is not None and same(f, p.value, src[f]))
        if p is not None:
            s.proposal(f"source.{f}", f in src and same(f, p.value, src[f]), f"{p.value!r} (key {src.get(f)!r})")
    matched = match_exercises(draft, key)
    keyed = key.get("exercises") or []
    proposed = defaultdict(list)
    for eid, f, v in draft_facts(draft):
        if eid:
            proposed[eid].append((f, v))
    s.fact("exercise found", None) if False else None
    for i, k in enumerate(keyed):
        eids = [e for e, j in matched.items() if j == i]
        s.fact("exercise found", bool(eids))
        got = [fv for e in eids for fv in proposed[e]]
        for f, v in key_facts(k):
            s.fact(field_group(f), any(pf == f and same(pf.split(":")[0], pv, v) for pf, pv in got))
    for eid, facts in proposed.items():
        k = keyed[matched[eid]] if eid in matched else None
        kf = key_facts(k) if k else []
        for f, v in facts:
            if f == "aliases" and k is not None and k.get("name") and same("name", v, k["name"]):
                continue  # the name itself, which the curation lists among its spellings
            ok = k is not None and any(kf_ == f and same(f.split(":")[0], v, kv) for kf_, kv in kf)
            where = "an exercise the key does not list" if k is None else "the key's"
            s.proposal(field_group(f), ok, f"{eid} {f}={v!r} ({where} {[kv for kf_, kv in kf if kf_ == f]})")
    for st in key.get("statements") or []:
        found = [
            d
            for d in draft.statements
            if norm(st["quote"])[:60] in norm(d["quote"]) or norm(d["quote"])[:60] in norm(st["quote"])
        ]
        s.fact("statement found", bool(found))
        for f in ("speaker", "organization"):
            if f in st:
                s.fact(f"statement.{f}", any(d.get(f) is not None and same(f, d[f].value, st[f]) for d in found))
    for d in draft.statements:
        k = next(
            (
                st
                for st in key.get("statements") or []
                if norm(st["quote"])[:60] in norm(d["quote"]) or norm(d["quote"])[:60] in norm(st["quote"])
            ),
            None,
        )
        s.proposal("statement found", k is not None, f"{d['quote'][:60]!r}")
        for f in ("speaker", "organization"):
            if d.get(f) is not None and k is not None:
                s.proposal(f"statement.{f}", f in k and same(f, d[f].value, k[f]), f"{d[f].value!r} (key {k.get(f)!r})")
    return s


def quotes_of(draft):
    out = []
    for p in _walk(draft):
        out += p.quotes
    out += [st.get("within") or st["quote"] for st in draft.statements]
    return out


def _walk(draft):
    def items(v):
        if isinstance(v, Proposal):
            yield v
        elif isinstance(v, list):
            for x in v:
                yield from items(x)
        elif isinstance(v, dict):
            for x in v.values():
                yield from items(x)

    yield from items(draft.source)
    for ex in draft.exercises.values():
        yield from items(ex.facts)
        yield from items(ex.participants)
        yield from items(ex.counts)
        yield from items(ex.reactions)
    for st in draft.statements:
        yield from items({k: v for k, v in st.items() if isinstance(v, Proposal)})


def builds(root, seed_text, stem, draft):
    """Does the draft build once its `draft:` line is deleted and its new ids registered? ('yes' or the
    first problem the build names.)"""
    from scripts.build import build
    from scripts.errors import PipelineError, PipelineErrors, error_list

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "p"
        for name in ("schema", "checks", "site", "metadata.yml", "README.md", "CITATION.cff", "CHANGELOG.md"):
            src = root / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, p / name)
        (p / "seeds").mkdir(parents=True)
        (p / "curation").mkdir()
        (p / "seeds" / f"{stem}.txt").write_text(seed_text, encoding="utf-8")
        text = render(draft)
        text = "\n".join(line for line in text.splitlines() if not line.startswith("draft:")) + "\n"
        (p / "curation" / f"{stem}.yaml").write_text(text, encoding="utf-8")
        (p / "curation" / "exercises.yaml").write_text("".join(f"{e}: {{}}\n" for e in draft.exercises) or "{}\n")
        try:
            build(p, quiet=True)
            return "yes"
        except (PipelineError, PipelineErrors) as e:
            return str(error_list(e)[0])[:300]


def articles(part):
    folder = CORPUS / part
    return sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".html"))


def evaluate(part, root=ROOT, check_builds=True, show=False):
    total, rows = Score(), []
    for path in articles(part):
        key = yaml.safe_load(path.with_name(path.stem + ".key.yaml").read_text(encoding="utf-8"))
        t = time.perf_counter()
        crash, built = None, None
        try:
            text = extract(path)["text"] if path.suffix == ".html" else path.read_text(encoding="utf-8")
            draft = make_draft(root, text, path.stem)
        except Exception:  # noqa: BLE001 - a crash is a figure here, not an error
            crash = traceback.format_exc(limit=3)
        seconds = time.perf_counter() - t
        if crash:  # its key's facts count as missed
            rows.append({"article": path.stem, "crash": crash, "seconds": seconds})
            total.add(score_article(Draft(path.stem, ""), key))
            continue
        s = score_article(draft, key)
        quotes = quotes_of(draft)
        verbatim = sum(1 for q in quotes if text.count(q) == 1)
        if check_builds:
            built = builds(root, text, path.stem, draft)
        rows.append(
            {"article": path.stem, "score": s, "quotes": (verbatim, len(quotes)), "seconds": seconds, "builds": built}
        )
        total.add(s)
        if show:
            print(f"== {path.stem}: builds: {built}")
            for w in s.wrong:
                print("   wrong", w)
            missed = [f for f in s.facts if s.found[f] < s.facts[f]]
            print("   missed", {f: s.facts[f] - s.found[f] for f in missed})
    return total, rows


def hostile_pages():
    """Seconds to draft pages made to be slow (the page-size limit is 2 MB): [(what, characters, seconds)]."""
    base = (
        "China and Russia began the Joint Sea-2019 naval drill off Qingdao on Monday, April 29, 2019, "
        "with 13 ships and two submarines, the ministry said.\n\n"
    )
    pages = {
        "a 2 MB article of repeated paragraphs": base * (2_000_000 // len(base)),
        "one line of 1.8 MB": base.strip().replace("\n", " ") * (1_800_000 // len(base)),
        "1,000 quotations": base
        + " ".join(f'"quote number {i} has words," said Official{i % 7} Name.' for i in range(1000)),
        "20,000 exercise names": " ".join(
            f"Joint Sea-{2000 + i % 25} and Vostok-{2000 + i % 25}" for i in range(20000)
        ),
        "a 20,000-letter capitalised word": "By " + "A" * 20000 + "\n\n" + base,
    }
    out = []
    for what, text in pages.items():
        t = time.perf_counter()
        make_draft(ROOT, text, "hostile")
        out.append((what, len(text), time.perf_counter() - t))
    return out


def pct(a, b):
    return f"{100 * a / b:.0f}%" if b else "n/a"


def table(results):
    """The README's table: by field, development and held-out side by side."""
    fields = sorted(
        {f for total, _ in results.values() for f in total.facts}
        | {f for total, _ in results.values() for f in total.checked}
    )
    head = "| field | " + " | ".join(f"{p}: recall | {p}: right" for p in results) + " |"
    lines = [head, "|---" * (1 + 2 * len(results)) + "|"]
    for f in fields:
        cells = []
        for total, _ in results.values():
            cells += [
                f"{pct(total.found[f], total.facts[f])} ({total.found[f]}/{total.facts[f]})",
                f"{pct(total.right[f], total.checked[f])} ({total.right[f]}/{total.checked[f]})",
            ]
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    cells = []
    for total, _ in results.values():
        cells += [
            f"**{pct(sum(total.found.values()), sum(total.facts.values()))}** "
            f"({sum(total.found.values())}/{sum(total.facts.values())})",
            f"**{pct(sum(total.right.values()), sum(total.checked.values()))}** "
            f"({sum(total.right.values())}/{sum(total.checked.values())})",
        ]
    lines.append("| **all** | " + " | ".join(cells) + " |")
    summary = []
    for part, (_, rows) in results.items():
        ok = [r for r in rows if "crash" not in r]
        verbatim = sum(r["quotes"][0] for r in ok), sum(r["quotes"][1] for r in ok)
        built = sum(1 for r in ok if r["builds"] == "yes")
        slowest = max((r["seconds"] for r in rows), default=0)
        summary.append(
            f"- **{part}** ({len(rows)} articles): {len(rows) - len(ok)} crashes; quotes verbatim and "
            f"unique {pct(*verbatim)} ({verbatim[0]}/{verbatim[1]}); drafts that build once the `draft:` "
            f"line is deleted and new ids registered: {built}/{len(ok)}; slowest {slowest:.2f} s, median "
            f"{sorted(r['seconds'] for r in rows)[len(rows) // 2]:.2f} s per article."
        )
    hostile = hostile_pages()
    summary.append(
        "- **pages made to be slow**: "
        + "; ".join(f"{what} ({n:,} characters) {sec:.2f} s" for what, n, sec in hostile)
        + "."
    )
    return "\n".join(lines) + "\n\n" + "\n".join(summary) + "\n"


@click.command()
@click.option("--part", type=click.Choice(PARTS + ("all",)), default="all")
@click.option("--write", is_flag=True, help="Write the table into drafter/README.md.")
@click.option("--show", is_flag=True, help="List each article's wrong proposals and misses (development part only).")
@click.option("--no-build", is_flag=True, help="Skip building each draft (faster).")
def main(part, write, show, no_build):
    """Draft the evaluation corpus and compare each draft with its key."""
    parts = PARTS if part == "all" else (part,)
    results = {p: evaluate(p, check_builds=not no_build, show=show and p == "dev") for p in parts}
    for p, (_, rows) in results.items():
        for r in rows:
            if "crash" in r:
                click.echo(f"CRASH {p}/{r['article']}:\n{r['crash'] if p == 'dev' else '(held out)'}", err=True)
            elif r["builds"] not in ("yes", None) and p == "dev":
                click.echo(f"does not build: {p}/{r['article']}: {r['builds']}", err=True)
    out = table(results)
    click.echo(out)
    if write:
        readme = Path(__file__).resolve().parent / "README.md"
        text = readme.read_text(encoding="utf-8")
        readme.write_text(README_TABLE.sub(lambda m: m.group(1) + out + m.group(2), text), encoding="utf-8")


if __name__ == "__main__":
    main()
