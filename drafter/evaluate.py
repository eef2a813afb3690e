"""make draft-eval: draft each curated article leave-one-out (its own curation unknown to the drafter)
and compare with the values its curation publishes, field by field.

The published values are read as the build reads them (scripts.curation.read_curation: every
claim that becomes an evidence row), for sources, exercises, participants and statements, plus each
statement itself (its quoted words). A proposed exercise counts under the curated id it shares the
most values with when its own id differs (the curator renames it); a proposed statement counts
under the curated statement with the same words.

Figures: recall of published values, precision of proposals, share of proposed quotes that occur
in the seed exactly once, seconds per article. Writes build/draft-eval.md and prints it.
"""
import time
from collections import Counter
from pathlib import Path

import click

from scripts.read.curation import read_curation
from scripts.read.schema import Schema
from .draft import make_draft
from .proposal import Proposal

TABLES = ("sources", "exercises", "participants", "statements")
DERIVED = {"latitude", "longitude"}   # looked up by the build, never proposed


def published(article):
    """{(table, record_id, field, value)} an article's curation publishes."""
    out = set()
    for c in article.claims:
        if c.table in TABLES and c.field not in DERIVED:
            out.add((c.table, c.record_id, c.field, str(c.value)))
    for st in article.statements:
        out.add(("statements", st.statement_id, "quote", st.quote))
    return out


def proposed(draft):
    """({(table, record_id, field, value)}, [every quote string])."""
    out, quotes = set(), []

    def add(table, record, field, v):
        items = v if isinstance(v, list) else [v]
        for p in items:
            if isinstance(p, Proposal):
                out.add((table, record, field, str(p.value)))
                quotes.extend(p.quotes)

    for f, v in draft.source.items():
        add("sources", draft.stem, f, v)
    for eid, ex in draft.exercises.items():
        for f, v in ex["facts"].items():
            add("exercises", eid, f, v)
        for code, row in ex["participants"].items():
            add("participants", f"{eid}/{code}", "country_code", row["quote"])
            for f in ("role", "forces", "equipment"):
                if f in row:
                    add("participants", f"{eid}/{code}", f, row[f])
    for st in draft.statements:
        out.add(("statements", st["statement_id"], "quote", st["quote"]))
        quotes.append(st.get("within") or st["quote"])
        for f in ("speaker", "organization", "country_code", "statement_date"):
            if st.get(f) is not None:
                add("statements", st["statement_id"], f, st[f])
    return out, quotes


def align(gold, prop):
    """prop with record ids renamed to the curated ones they stand for."""
    rename = {}
    gq = {v: r for t, r, f, v in gold if t == "statements" and f == "quote"}
    for t, r, f, v in prop:
        if t == "statements" and f == "quote" and v in gq:
            rename[("statements", r)] = gq[v]
    gold_ex = {r for t, r, f, v in gold if t == "exercises"} | {r.split("/")[0] for t, r, *_ in gold if t == "participants"}
    prop_ex = {r for t, r, f, v in prop if t == "exercises"} | {r.split("/")[0] for t, r, *_ in prop if t == "participants"}

    def values(ids, rows, eid):
        return {(t, r.split("/", 1)[1] if "/" in r else "", f, v) for t, r, f, v in rows
                if t in ("exercises", "participants") and r.split("/")[0] == eid}

    free_gold = gold_ex - prop_ex
    for eid in sorted(prop_ex - gold_ex):
        scores = [(len(values(None, prop, eid) & values(None, gold, g)), g) for g in free_gold]
        best = max(scores, default=(0, None))
        if best[0] >= 2:
            rename[("exercises", eid)] = best[1]
            free_gold.discard(best[1])
    out = set()
    for t, r, f, v in prop:
        if t == "statements":
            r = rename.get(("statements", r), r)
        elif t in ("exercises", "participants"):
            head, _, tail = r.partition("/")
            head = rename.get(("exercises", head), head)
            r = f"{head}/{tail}" if tail else head
        out.add((t, r, f, v))
    return out


def score(gold, prop):
    hit = gold & prop
    by = Counter(t for t, *_ in gold)
    hits = Counter(t for t, *_ in hit)
    st_gold = {x for x in gold if x[0] == "statements" and x[2] == "quote"}
    return {"gold": len(gold), "proposed": len(prop), "hit": len(hit),
            "by": {t: (hits[t], by[t]) for t in TABLES},
            "statements_found": (len(st_gold & prop), len(st_gold))}


def pct(a, b):
    return f"{100 * a / b:.0f}%" if b else "n/a"


def evaluate(root):
    root = Path(root)
    articles, _ = read_curation(root, Schema(root))
    rows, total = [], Counter()
    for a in sorted(articles, key=lambda a: a.source_id):
        seed = root / "seeds" / a.seed_file
        t = time.perf_counter()
        draft = make_draft(root, seed, exclude={a.source_id})
        seconds = time.perf_counter() - t
        gold = published(a)
        prop, quotes = proposed(draft)
        s = score(gold, align(gold, prop))
        once = sum(a.text.count(q) == 1 for q in quotes)
        rows.append((a.source_id, s, once, len(quotes), seconds))
        total.update({"gold": s["gold"], "proposed": s["proposed"], "hit": s["hit"], "once": once,
                      "quotes": len(quotes), "seconds": seconds,
                      "st_hit": s["statements_found"][0], "st_gold": s["statements_found"][1]})
        for tb, (h, g) in s["by"].items():
            total[f"{tb}_hit"] += h
            total[f"{tb}_gold"] += g
    return rows, total


def table(rows, total):
    head = ("| article | recall | precision | statements found | recall: sources / exercises / participants / statements "
            "| quotes verbatim (once) | seconds |\n|---|---|---|---|---|---|---|")
    lines = [head]
    for sid, s, once, nq, sec in rows:
        by = " / ".join(pct(*s["by"][t]) for t in TABLES)
        lines.append(f"| {sid} | {pct(s['hit'], s['gold'])} ({s['hit']}/{s['gold']}) | {pct(s['hit'], s['proposed'])} "
                     f"({s['hit']}/{s['proposed']}) | {pct(*s['statements_found'])} ({s['statements_found'][0]}/"
                     f"{s['statements_found'][1]}) | {by} | {pct(once, nq)} ({once}/{nq}) | {sec:.2f} |")
    by = " / ".join(pct(total[f"{t}_hit"], total[f"{t}_gold"]) for t in TABLES)
    n = max(len(rows), 1)
    lines.append(f"| **overall** | **{pct(total['hit'], total['gold'])}** ({total['hit']}/{total['gold']}) | "
                 f"**{pct(total['hit'], total['proposed'])}** ({total['hit']}/{total['proposed']}) | "
                 f"**{pct(total['st_hit'], total['st_gold'])}** ({total['st_hit']}/{total['st_gold']}) | {by} | "
                 f"**{pct(total['once'], total['quotes'])}** ({total['once']}/{total['quotes']}) | "
                 f"{total['seconds'] / n:.2f} per article |")
    return "\n".join(lines)


GOALS = (("recall", 0.80), ("statements found", 0.95), ("precision", 0.60), ("quotes verbatim", 1.0), ("seconds", 2.0))


def verdict(total, rows):
    got = {"recall": total["hit"] / max(total["gold"], 1), "statements found": total["st_hit"] / max(total["st_gold"], 1),
           "precision": total["hit"] / max(total["proposed"], 1), "quotes verbatim": total["once"] / max(total["quotes"], 1),
           "seconds": max((r[4] for r in rows), default=0)}
    parts = []
    for name, goal in GOALS:
        ok = got[name] <= goal if name == "seconds" else got[name] >= goal
        shown = f"{got[name]:.2f} s (slowest)" if name == "seconds" else f"{100 * got[name]:.0f}%"
        goal_s = f"< {goal:.0f} s" if name == "seconds" else f"≥ {100 * goal:.0f}%"
        parts.append(f"{name} {shown} (goal {goal_s}: {'met' if ok else 'MISSED'})")
    return "; ".join(parts)


@click.command()
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--out", default="build/draft-eval.md", help="Where to write the Markdown table (relative to root).")
def main(root, out):
    """Leave-one-out figures of the drafts on the curated articles."""
    rows, total = evaluate(root)
    text = ("Drafts of the curated articles, each made without its own curation (leave-one-out), compared "
            "with what its curation publishes (`python -m drafter.evaluate`).\n\n" + table(rows, total) +
            "\n\nGoals: " + verdict(total, rows) + ".\n")
    path = Path(root) / out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(text)


if __name__ == "__main__":
    main()
