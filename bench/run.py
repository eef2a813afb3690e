"""make bench: the pipeline and the site measured against baselines taken in the same run.

    python -m bench.run [--articles 5000] [--repeats 3] [--seconds 60] [--quiet-seconds 30]

1. a corpus of N articles (bench/corpus.py: the curated articles, copied);
2. the full build with every check vs the same work by hand (bench/pipeline.py), medians of --repeats;
3. the built site under load, then under load and abuse (bench/serving.py).
Writes bench/results.json, bench/results.md and the README's table between its bench markers.
"""
import json
import os
import platform
import statistics
from pathlib import Path

import click

from bench.corpus import make_corpus
from bench.pipeline import by_hand, peak_child_mb, project_build
from bench.serving import measure_serving
from scripts.site.config import database_name, read_metadata

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"build_ratio": 0.8, "p95_ratio": 3.0, "peak_rss_mb": 1000}


def say(message):
    click.echo(f"bench: {message}", err=True)


def markdown(r):
    p, s = r["pipeline"], r["serving"]
    q, a = s["quiet"], s["abuse"]

    def ok(good):
        return "yes" if good else "**no**"

    rows = [
        ("Full build + every check, median s (project)", f"{p['project_s']:.1f}", "", ""),
        ("By hand: sqlite-utils insert + frictionless validate, median s", f"{p['by_hand_s']:.1f}", "", ""),
        ("Project / by hand", f"{p['ratio']:.2f}", f"≤ {GOALS['build_ratio']}", ok(p["ratio"] <= GOALS["build_ratio"])),
        (f"Normal pages p95 without abuse, ms ({s['clients'] - s['abusers']} clients)", f"{q['p95_ms']:.0f}", "", ""),
        (f"Normal pages p95 with {s['abusers']} abusers, ms", f"{a['p95_ms']:.0f}", "", ""),
        ("p95 with abuse / without", f"{s['p95_ratio']:.2f}", f"≤ {GOALS['p95_ratio']}", ok(s["p95_ratio"] <= GOALS["p95_ratio"])),
        ("Errors on normal requests (without / with abuse)", f"{q['errors']} / {a['errors']}", "0", ok(q["errors"] + a["errors"] == 0)),
        ("Rows missing from normal JSON pages", f"{q['missing_rows'] + a['missing_rows']}", "0",
         ok(q["missing_rows"] + a["missing_rows"] == 0)),
        ("Server peak RSS, MB", f"{max(q['peak_rss_mb'], a['peak_rss_mb']):.0f}", f"< {GOALS['peak_rss_mb']}",
         ok(max(q["peak_rss_mb"], a["peak_rss_mb"]) < GOALS["peak_rss_mb"])),
    ]
    lines = [f"{r['articles']:,} articles ({p['rows']:,} published rows); {r['machine']}; medians of {p['repeats']} runs; "
             f"load {s['seconds']} s with abuse, {s['quiet_seconds']} s without; normal requests "
             f"{q['requests']:,} / {a['requests']:,}.", "",
             "| Measure | Value | Goal | Met |", "|---|---|---|---|"]
    lines += [f"| {a_} | {b} | {c} | {d} |" for a_, b, c, d in rows]
    lines += ["", "Abuse answered: " + "; ".join(f"{k}: {v}" for k, v in a["abuse"].items()) + "."]
    return "\n".join(lines) + "\n"


def update_readme(md):
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    before, rest = text.split(start, 1)
    readme.write_text(before + start + "\n" + md + end + rest.split(end, 1)[1], encoding="utf-8")


@click.command()
@click.option("--articles", default=5000, show_default=True)
@click.option("--repeats", default=3, show_default=True)
@click.option("--seconds", default=60, show_default=True, help="Load with abuse.")
@click.option("--quiet-seconds", default=30, show_default=True, help="Load without abuse.")
@click.option("--clients", default=50, show_default=True)
@click.option("--abusers", default=20, show_default=True)
@click.option("--work", default="build/bench", show_default=True, type=click.Path(file_okay=False))
@click.option("--no-readme", is_flag=True, help="Leave README.md alone.")
def main(articles, repeats, seconds, quiet_seconds, clients, abusers, work, no_readme):
    work = (ROOT / work).resolve()
    root = work / f"project-{articles}"
    say(f"a corpus of {articles:,} articles in {root}")
    make_corpus(articles, root)
    ours, theirs = [], []
    for i in range(repeats):
        say(f"run {i + 1}/{repeats}: the full build with every check")
        ours.append(project_build(root))
        say(f"run {i + 1}/{repeats}: by hand ({ours[-1]:.1f} s for the build)")
        theirs.append(by_hand(root, work))
        say(f"run {i + 1}/{repeats}: {theirs[-1]:.1f} s by hand")
    rows = sum(sum(1 for _ in open(p, encoding="utf-8")) - 1 for p in (root / "data").glob("*.csv"))
    pipeline = {"project_s": statistics.median(ours), "by_hand_s": statistics.median(theirs), "runs": [ours, theirs],
                "repeats": repeats, "rows": rows, "peak_child_mb": peak_child_mb()}
    pipeline["ratio"] = pipeline["project_s"] / pipeline["by_hand_s"]
    say(f"serving: {clients - abusers} normal clients for {quiet_seconds} s, then with {abusers} abusers for {seconds} s")
    db = database_name(read_metadata(root))
    serving = measure_serving(root / "build" / "site", db, clients, abusers, seconds, quiet_seconds)
    serving["quiet_seconds"] = quiet_seconds
    results = {"articles": articles, "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
               "pipeline": pipeline, "serving": serving}
    md = markdown(results)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (ROOT / "bench" / "results.md").write_text("# make bench\n\n" + md, encoding="utf-8")
    if not no_readme:
        update_readme(md)
    click.echo(md)


if __name__ == "__main__":
    main()
