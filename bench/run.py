"""make bench: the pipeline and the site measured against baselines taken in the same run.

    python -m bench.run [--articles 5000] [--part all|pipeline|serving] [--repeats 3]
                        [--clients 30] [--seconds 30] [--quiet-seconds 20] [--work DIR]

1. a corpus of N articles (bench/corpus.py: the curated articles, copied);
2. pipeline: the full build with every check vs the same work by hand (bench/pipeline.py), medians of --repeats;
3. serving: the built site under load alone, then beside each kind of abuse and all of them (bench/serving.py).
Writes bench/results.json, bench/results.md and bench/README.md (how it works and every table). A run of one
part keeps the other part's figures from bench/results.json when they were measured on as many articles (each
part's ratio is against a baseline of its own run).
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import click

from bench.corpus import make_corpus
from bench.pipeline import by_hand, peak_child_mb, project_build
from bench.serving import ABUSE, ALL, measure_serving

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
GOALS = {"build_ratio": 1.0, "p95_ratio": 3.0, "peak_rss_mb": 1000}
HOW = """# make bench

`make bench` (or `python -m bench.run`, see its `--help`) measures, on one machine and in one run, the
pipeline and the served site, each against a baseline taken in the same run; it writes this file,
`results.json` and `results.md` (the summary table). A quick run:
`make bench BENCH_ARGS="--articles 500 --repeats 1"`; one part: `--part serving`
(the other part's figures are kept when they were measured on as many articles).

**The corpus** (`corpus.py`): the curated articles copied until there are N (5,000 by default), each copy
with its own seed line, ids and hashes, so that it builds exactly as the live data does.

**The pipeline** (`pipeline.py`): the full build with every check (`python -m scripts.build
--expectations`) against the same data done by hand (`sqlite-utils insert --csv` of each CSV, then
`frictionless validate`), medians of `--repeats` runs, each a fresh process.

**The site** (`serving.py`): `datasette serve` of the built site on 127.0.0.1. Normal clients loop with
no pause over ordinary pages (home, tables, fact sheets, articles, searches, and JSON pages whose row count
is checked), first alone, then beside each group of abusers in turn and beside all of them at once.
Abusers run in a process of their own; every client stops at the end of its phase. Each phase of abuse
follows a phase of the normal clients alone, its baseline: the p95 ratio is against it. For each phase:
the normal pages' p50 and p95, errors and missing rows on normal requests, the server's peak RSS, the
machine's load average, and what each abusive request was answered.
"""


def say(message):
    click.echo(f"bench: {message}", err=True)


def measure_pipeline(root, work, repeats):
    ours, theirs = [], []
    for i in range(repeats):
        say(f"run {i + 1}/{repeats}: the full build with every check")
        ours.append(project_build(root))
        say(f"run {i + 1}/{repeats}: by hand ({ours[-1]:.1f} s for the build)")
        theirs.append(by_hand(root, work))
        say(f"run {i + 1}/{repeats}: {theirs[-1]:.1f} s by hand")
    rows = sum(sum(1 for _ in open(p, encoding="utf-8")) - 1 for p in (root / "data").glob("*.csv"))
    pipeline = {
        "project_s": statistics.median(ours),
        "by_hand_s": statistics.median(theirs),
        "runs": [ours, theirs],
        "repeats": repeats,
        "rows": rows,
        "peak_child_mb": peak_child_mb(),
    }
    pipeline["ratio"] = pipeline["project_s"] / pipeline["by_hand_s"]
    return pipeline


def previous(articles):
    try:
        old = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return old if old.get("articles") == articles else {}


def ok(good):
    return "yes" if good else "**no**"


def summary_table(r):
    """The figures that answer the goals."""
    head = [f"{r['articles']:,} articles; {r['machine']}."]
    rows = []
    if "pipeline" in r:
        p = r["pipeline"]
        head.append(f"Pipeline ({p['measured']}): {p['rows']:,} published rows, medians of {p['repeats']} runs.")
        rows += [
            ("Full build + every check, median s (project)", f"{p['project_s']:.1f}", "", ""),
            ("By hand: sqlite-utils insert + frictionless validate, median s", f"{p['by_hand_s']:.1f}", "", ""),
            (
                "Project / by hand",
                f"{p['ratio']:.2f}",
                f"≤ {GOALS['build_ratio']}",
                ok(p["ratio"] <= GOALS["build_ratio"]),
            ),
        ]
    if "serving" in r:
        s = r["serving"]
        phases = s["phases"]
        alone = [ph["alone"] for ph in phases.values()]
        worst = max(phases, key=lambda name: phases[name]["p95_ratio"])
        errors = [sum(ph["errors"] for ph in alone), sum(ph["errors"] for ph in phases.values())]
        missing = sum(ph["missing_rows"] for ph in [*alone, *phases.values()])
        rss = max(ph["peak_rss_mb"] for ph in [*alone, *phases.values()])
        head.append(
            f"Serving ({s['measured']}): {s['normal_clients']} normal clients, {s['quiet_seconds']} s alone "
            f"then {s['seconds']} s beside each of {len(phases)} kinds of abuse."
        )
        everyone, goal = phases[ALL], f"≤ {GOALS['p95_ratio']}"
        rows += [
            ("Normal pages p95 alone, ms (just before all the abusers)", f"{everyone['alone']['p95_ms']:.0f}", "", ""),
            (f"Normal pages p95 beside all {everyone['abusers']} abusers, ms", f"{everyone['p95_ms']:.0f}", "", ""),
            (
                "p95 beside all abusers / alone",
                f"{everyone['p95_ratio']:.2f}",
                goal,
                ok(everyone["p95_ratio"] <= GOALS["p95_ratio"]),
            ),
            (
                f"Worst p95 / alone of any phase ({worst})",
                f"{phases[worst]['p95_ratio']:.2f}",
                goal,
                ok(phases[worst]["p95_ratio"] <= GOALS["p95_ratio"]),
            ),
            ("Errors on normal requests (alone / with abuse)", " / ".join(map(str, errors)), "0", ok(sum(errors) == 0)),
            ("Rows missing from normal JSON pages", f"{missing}", "0", ok(missing == 0)),
            ("Server peak RSS, MB", f"{rss:.0f}", f"< {GOALS['peak_rss_mb']}", ok(rss < GOALS["peak_rss_mb"])),
        ]
    lines = [" ".join(head), "", "| Measure | Value | Goal | Met |", "|---|---|---|---|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]) + "\n"


def answers(counts):
    return ", ".join(f"{status} ×{n}" for status, n in sorted(counts.items())) if counts else "none"


def serving_tables(s):
    phases = s["phases"]
    lines = [
        "| Phase | Abusers | Requests alone / beside | p50 ms alone / beside | p95 ms alone / beside | "
        "p95 ratio | Errors | Missing rows | Peak RSS MB | Load average |",
        "|---" * 10 + "|",
    ]
    for name, ph in phases.items():
        a = ph["alone"]
        lines.append(
            f"| {name} | {ph['abusers']} | {a['requests']:,} / {ph['requests']:,} | {a['p50_ms']:.0f} / "
            f"{ph['p50_ms']:.0f} | {a['p95_ms']:.0f} / {ph['p95_ms']:.0f} | {ph['p95_ratio']:.2f} | "
            f"{a['errors']} / {ph['errors']} | {a['missing_rows'] + ph['missing_rows']} | "
            f"{max(a['peak_rss_mb'], ph['peak_rss_mb']):.0f} | {a['load_average']:.1f} / "
            f"{ph['load_average']:.1f} |"
        )
    lines += [
        "",
        "What the abusers were answered (HTTP status × requests), in their own phase and beside all the others:",
        "",
        "| Abuse | Request | In its own phase | Beside all abusers |",
        "|---|---|---|---|",
    ]
    for name, (_, urls) in ABUSE.items():
        lines += [
            f"| {name} | {label} | {answers(phases[name]['abuse'].get(label))} | "
            f"{answers(phases[ALL]['abuse'].get(label))} |"
            for label, _ in urls
        ]
    errors = Counter()
    for ph in phases.values():
        errors.update(ph["alone"]["error_kinds"])
        errors.update(ph["error_kinds"])
    if errors:
        lines += [
            "",
            "Errors on normal requests, in all phases: " + "; ".join(f"{e} ×{n}" for e, n in errors.items()) + ".",
        ]
    return "\n".join(lines) + "\n"


def bench_readme(r):
    parts = [HOW, "## Figures\n", summary_table(r)]
    if "serving" in r:
        parts += [
            "\n## The site, phase by phase\n",
            serving_tables(r["serving"]),
            "\nNormal pages: " + ", ".join(f"`{u}`" for u in r["serving"]["normal_pages"]) + ".\n",
            "\nThe load average is the machine's (1 minute, at the end of each phase): the server and the\n"
            "clients alone make about 2-3 on 2 cores; more means other work shared the machine.\n",
        ]
    return "\n".join(parts)


@click.command()
@click.option("--articles", default=5000, show_default=True)
@click.option("--part", type=click.Choice(["all", "pipeline", "serving"]), default="all", show_default=True)
@click.option("--repeats", default=3, show_default=True, help="Pipeline runs (medians).")
@click.option("--clients", default=30, show_default=True, help="Normal clients.")
@click.option("--seconds", default=30, show_default=True, help="Each phase with abuse.")
@click.option("--quiet-seconds", default=20, show_default=True, help="Each phase without abuse (a baseline).")
@click.option("--work", default="build/bench", show_default=True, type=click.Path(file_okay=False))
def main(articles, part, repeats, clients, seconds, quiet_seconds, work):
    work = (ROOT / work).resolve()
    root = work / f"project-{articles}"
    articles = make_corpus(articles, root)
    say(f"a corpus of {articles:,} articles in {root}")
    results = previous(articles) | {
        "articles": articles,
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
    }
    when = time.strftime("%Y-%m-%d")
    if part in ("all", "pipeline"):
        results["pipeline"] = measure_pipeline(root, work, repeats) | {"measured": when}
    else:
        say("building the corpus once (not timed)")
        subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(root), "--quiet"], check=True)
    if part in ("all", "serving"):
        results["serving"] = measure_serving(root / "build" / "site", clients, seconds, quiet_seconds, say) | {
            "measured": when
        }
    md = summary_table(results)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (ROOT / "bench" / "results.md").write_text("# make bench\n\n" + md, encoding="utf-8")
    (ROOT / "bench" / "README.md").write_text(bench_readme(results), encoding="utf-8")
    click.echo(md)


if __name__ == "__main__":
    main()
