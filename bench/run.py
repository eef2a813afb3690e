"""make bench: the pipeline and the site from 5 to 5,000 articles (50,000 with --sizes).

For each size N, on a synthetic corpus (bench/generate.py, seeded) written to build/bench/N/:
- the project: `python -m scripts.build --expectations` (every check, great-expectations included)
  in a fresh process, as `make test` runs it, with time and peak memory per step;
- by hand: `sqlite-utils insert --csv` of the same CSVs, then `frictionless validate datapackage.json`;
- floor: Python sqlite3 executemany into typed tables (bench/measure.py);
- serving: Datasette over loopback at concurrency 8, on the project's database (immutable, the
  Makefile's DATASETTE_OPTS) and on a naive one (the by-hand database, `datasette db.db`);
and at the largest size, load and abuse: 50 clients for 60 s, a slow query, refused SQL.

Medians over --repeats runs. Results: bench/results.json and bench/results.md (also in README.md).
Everything listens on 127.0.0.1 only and every load is bounded in requests and time.
"""
import argparse
import asyncio
import csv
import json
import os
import platform
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DB = "china_russia_exercises"
BENCH_DIR = ROOT / "build" / "bench"
TABLES = ("sources", "exercises", "participants", "statements", "evidence")
CANNED_SQL = None  # read from metadata.yml: the naive site has no canned queries, it runs the same SQL
JOIN_SQL = ("select s.exercise_id, e.name, e.year, count(*) as statements from statements s "
            "join exercises e on e.exercise_id = s.exercise_id where e.year >= :year "
            "group by s.exercise_id order by statements desc, s.exercise_id limit 20")
WORDS = ["cooperation", "trust", "tensions", "routine", "partnership", "schedule", "planning", "unprecedented"]
FIELDS = ["name", "status", "troops", "role", "speaker", "location", "organization", "year"]
FACETS = ["table_name", "field", "source_id", "in_table"]  # the evidence facets in metadata.yml


# -- progress: a bar on a terminal, plain lines otherwise (CI logs) ---------------------------
class Progress:
    def __init__(self, total):
        self.total, self.n, self.t0 = total, 0, time.perf_counter()
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="task", dynamic_ncols=True, file=sys.stderr)

    @contextmanager
    def task(self, label):
        if self.bar is not None:
            self.bar.set_description(label)
        else:
            print(f"bench: [{self.n + 1}/{self.total}] {label} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        yield
        self.n += 1
        if self.bar is not None:
            self.bar.update(1)
        else:
            print(f"bench: [{self.n}/{self.total}] {label} done in {time.perf_counter() - t:.1f} s "
                  f"(elapsed {time.perf_counter() - self.t0:.0f} s)", file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


# -- processes ---------------------------------------------------------------------------------
def timed(cmd, cwd, env=None):
    """Run cmd; return (seconds, peak RSS in MB of that process, stdout). Raises on failure."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{out.decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode(errors="replace")


def py(*args):
    return [sys.executable, *map(str, args)]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# -- the pipeline ------------------------------------------------------------------------------
STEP_GROUPS = {  # the steps -> the build's own step names
    "curated → CSV": ("read schema and metadata", "read curated facts", "assemble tables", "write CSVs and descriptor"),
    "frictionless": ("validate schema (frictionless)",),
    "provenance": ("check provenance",),
    "SQLite load": ("load SQLite",),
    "great-expectations": ("check content (great-expectations)",),
}


def run_project(project, work):
    """One build + great-expectations run; returns the measurements."""
    for rel in ("data", "build"):
        shutil.rmtree(project / rel, ignore_errors=True)
    out = work / "build.json"
    wall, rss, _ = timed(py("-m", "bench.measure", "build", project, out), cwd=ROOT)
    m = json.loads(out.read_text())
    steps = {s["step"]: s for s in m["steps"]}
    # One process, `python -m scripts.build --expectations` as `make test` runs it: great-expectations
    # checks the staged database before anything is moved into place; frictionless runs in a second
    # process (for large packages) alongside provenance, the load and great-expectations.
    r = {"build_process_s": wall, "build_peak_mb": rss, "imports_s": m["imports_s"], "rows": m["rows"],
         "ge_summary": steps["check content (great-expectations)"]["detail"],
         "steps": {s["step"]: round(s["seconds"], 4) for s in m["steps"]}}
    for group, names in STEP_GROUPS.items():
        r[group] = sum(steps[n]["seconds"] for n in names)
        r[group + "_peak_mb"] = max(steps[n]["peak_mb"] or 0 for n in names)
    r["total"] = wall  # the whole process: build, every check, promotion
    db = project / "build" / f"{DB}.db"
    r["db_mb"] = db.stat().st_size / 1e6
    return r


def run_by_hand(project, work):
    """The by-hand way: sqlite-utils insert --csv of each CSV, then frictionless validate."""
    dest = work / "byhand"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    db = dest / f"{DB}.db"
    insert, peak = 0.0, 0.0
    for t in TABLES:
        s, rss, _ = timed([VENV_BIN / "sqlite-utils", "insert", db, t, project / "data" / f"{t}.csv", "--csv"], cwd=project)
        insert, peak = insert + s, max(peak, rss)
    fl, fl_rss, _ = timed([VENV_BIN / "frictionless", "validate", "datapackage.json"], cwd=project)
    return {"sqlite-utils insert": insert, "frictionless validate": fl, "total": insert + fl,
            "peak_mb": max(peak, fl_rss), "db_mb": db.stat().st_size / 1e6}


def run_floor(project, work):
    out = work / "floor.json"
    timed(py("-m", "bench.measure", "floor", project, work / "floor.db", out), cwd=ROOT)
    m = json.loads(out.read_text())
    (work / "floor.db").unlink()
    return {"total": m["seconds"], "peak_mb": m["peak_mb"]}


# -- serving -----------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def datasette_opts():
    out = subprocess.run(["make", "-s", "datasette-opts"], cwd=ROOT, capture_output=True, text=True, check=True)
    return shlex.split(out.stdout)


@contextmanager
def datasette(cmd, cwd, env=None):
    port = free_port()
    log = open(Path(cwd) / f"datasette-{port}.log", "wb")
    proc = subprocess.Popen([*cmd, "--host", "127.0.0.1", "--port", str(port)], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, **(env or {})))
    try:
        import httpx

        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"datasette did not start: {' '.join(map(str, cmd))} (see {log.name})")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def endpoints(project_site, sample, canned_sql):
    """name -> function(i) giving the i-th URL path: the same request on both sites."""
    ids, q = sample["exercise_ids"], urllib.parse.quote
    if project_site:
        facet = lambda i: f"/{DB}/evidence?field={FIELDS[i % len(FIELDS)]}"
        search = lambda i: f"/{DB}/statements?_search={WORDS[i % len(WORDS)]}"
        canned = lambda i: f"/{DB}/exercise_evidence?exercise_id={ids[i % len(ids)]}"
    else:  # no metadata, no full-text index, no canned queries: the same questions asked plainly
        facet = lambda i: f"/{DB}/evidence?field={FIELDS[i % len(FIELDS)]}&" + "&".join(f"_facet={f}" for f in FACETS)
        search = lambda i: f"/{DB}/statements?quote__contains={WORDS[i % len(WORDS)]}"
        canned = lambda i: f"/{DB}?sql={q(canned_sql)}&exercise_id={ids[i % len(ids)]}"
    return {
        "table": lambda i: f"/{DB}/evidence",
        "facet": facet,
        "search": search,
        "canned": canned,
        "row": (lambda i: f"/{DB}/exercises/{ids[i % len(ids)]}") if project_site else
               (lambda i: f"/{DB}/exercises/{sample['rowids'][i % len(ids)]}"),
        "sql join": lambda i: f"/{DB}.json?_shape=array&sql={q(JOIN_SQL)}&year={1995 + i % 50}",
    }


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


async def load(base, url_of, concurrency, max_requests, seconds, min_requests=16, hard_seconds=None, warmup=4):
    """Bounded load: `concurrency` clients share at most max_requests requests; they stop after
    `seconds` once min_requests are done, and at hard_seconds in any case. Returns latency stats (ms)."""
    import httpx

    hard_seconds = hard_seconds or seconds * 3
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for i in range(warmup):
            await client.get(url_of(i))
        latencies, errors, statuses, counter = [], [], {}, iter(range(10**9))
        t0 = time.perf_counter()

        async def client_loop():
            while True:
                elapsed = time.perf_counter() - t0
                if len(latencies) + len(errors) >= max_requests or elapsed > hard_seconds or \
                        (elapsed > seconds and len(latencies) >= min_requests):
                    return
                i = next(counter)
                t = time.perf_counter()
                try:
                    r = await client.get(url_of(i))
                    await r.aread()
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {url_of(i)}")
                    else:
                        latencies.append((time.perf_counter() - t) * 1000)
                except httpx.HTTPError as e:
                    errors.append(f"{type(e).__name__} {url_of(i)}")

        await asyncio.gather(*(client_loop() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return {"requests": len(latencies) + len(errors), "errors": len(errors), "error_samples": errors[:5],
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95), "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies) if latencies else None, "throughput_rps": len(latencies) / elapsed, "seconds": elapsed}


def serve_project_cmd(project):
    db = project / "build" / f"{DB}.db"
    inspect = project / "build" / "inspect.json"
    for name in ("templates", "plugins", "static"):  # the site's own files, as DATASETTE_OPTS names them
        if (ROOT / name).is_dir() and not (project / name).exists():
            (project / name).symlink_to(ROOT / name)
    subprocess.run([VENV_BIN / "datasette", "inspect", db, "--inspect-file", inspect], cwd=project, check=True,
                   capture_output=True)
    return [VENV_BIN / "datasette", "serve", "-i", db, "--inspect-file", inspect, *datasette_opts()]


def serve_naive_cmd(work):
    return [VENV_BIN / "datasette", "serve", work / "byhand" / f"{DB}.db"]


def measure_site(cmd, cwd, urls, concurrency, max_requests, seconds, env=None):
    out = {}
    with datasette(cmd, cwd, env) as base:
        for name, url_of in urls.items():
            out[name] = asyncio.run(load(base, url_of, concurrency, max_requests, seconds))
    return out


# -- load and abuse ----------------------------------------------------------------------------
async def stress(base, urls, clients, seconds):
    mixed = list(urls.values()) + [lambda i: f"/{DB}/statements.csv?_stream=on",
                                   lambda i: f"/{DB}/exercises.csv?_size=max"]
    return await load(base, lambda i: mixed[i % len(mixed)](i // len(mixed)), clients, 10**9, seconds,
                      min_requests=0, hard_seconds=seconds, warmup=0)


async def abuse(base, sample):
    import httpx

    q = urllib.parse.quote
    slow_sql = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    refused = {
        "write (insert)": "insert into sources (source_id, seed_file, sha256) values ('x', 'x.txt', 'x')",
        "write (delete)": "delete from evidence",
        "write (update, in a CTE)": "with x as (select 1) update sources set title = 'x'",
        "two statements": "select 1; drop table evidence",
        "ATTACH": "attach database '/tmp/bench-attached.db' as other",
        "PRAGMA change": "pragma query_only = 0",
        "PRAGMA in a select": "select * from pragma_journal_mode('delete')",
        "load_extension": "select load_extension('/tmp/nothing.so')",
    }
    out = {"refused": {}}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        before = (await client.get(f"/{DB}.json?_shape=array&sql={q('select count(*) as n from evidence')}")).json()[0]["n"]
        for name, sql in refused.items():
            r = await client.get(f"/{DB}.json?sql={q(sql)}")
            body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
            out["refused"][name] = {"status": r.status_code, "refused": r.status_code >= 400 or body.get("ok") is False,
                                    "error": (body.get("error") or "")[:160]}
        after = (await client.get(f"/{DB}.json?_shape=array&sql={q('select count(*) as n from evidence')}")).json()[0]["n"]
        out["database_unchanged"] = before == after

        # the slow query, while row pages keep being asked for
        async def slow():
            t = time.perf_counter()
            r = await client.get(f"/{DB}.json?sql={q(slow_sql)}")
            return {"status": r.status_code, "seconds": time.perf_counter() - t,
                    "error": (r.json().get("error") or "")[:160] if r.status_code != 200 else None}

        ids = sample["exercise_ids"]
        light = asyncio.create_task(load(base, lambda i: f"/{DB}/exercises/{ids[i % len(ids)]}", 4, 10**9, 2.5,
                                         min_requests=0, hard_seconds=2.5, warmup=0))
        slow_results = [await slow()]
        during = await light
    out["slow_query"] = {"sql": slow_sql, "results": slow_results,
                         "stopped": all(r["status"] != 200 for r in slow_results),
                         "other_requests_during": during}
    out["ok"] = all(v["refused"] for v in out["refused"].values()) and out["database_unchanged"] and \
        out["slow_query"]["stopped"] and during["errors"] == 0 and during["requests"] > 0
    return out


# -- one size ----------------------------------------------------------------------------------
def sample_of(project):
    with open(project / "data" / "exercises.csv", newline="", encoding="utf-8") as f:
        ids = [r["exercise_id"] for r in csv.DictReader(f)]
    chosen = random.Random(6).sample(range(len(ids)), min(50, len(ids)))
    # the by-hand tables have no primary key: their row pages are at the rowid (CSV order)
    return {"exercise_ids": [ids[i] for i in chosen], "rowids": [i + 1 for i in chosen]}


def bench_size(n, repeats, progress, args, canned_sql):
    from bench.generate import generate

    work = BENCH_DIR / str(n)
    project = work / "project"
    with progress.task(f"N={n}: generate the synthetic corpus"):
        t = time.perf_counter()
        corpus = generate(n, project, seed=args.seed)
        corpus["generate_s"] = time.perf_counter() - t
    runs = {"project": [], "by hand": [], "floor": []}
    for rep in range(repeats):
        with progress.task(f"N={n}: project build + great-expectations ({rep + 1}/{repeats})"):
            runs["project"].append(run_project(project, work))
        with progress.task(f"N={n}: by hand, sqlite-utils insert --csv + frictionless ({rep + 1}/{repeats})"):
            runs["by hand"].append(run_by_hand(project, work))
        with progress.task(f"N={n}: floor, sqlite3 executemany ({rep + 1}/{repeats})"):
            runs["floor"].append(run_floor(project, work))
    med = {k: {m: median([r[m] for r in v]) for m in v[0] if isinstance(v[0][m], (int, float))} for k, v in runs.items()}
    med["project"]["steps"] = {s: median([r["steps"][s] for r in runs["project"]]) for s in runs["project"][0]["steps"]}
    result = {"articles": n, "corpus": corpus, "rows": runs["project"][0]["rows"], "repeats": repeats,
              "ge_summary": runs["project"][0]["ge_summary"], "median": med, "runs": runs}
    p, h, fl = med["project"], med["by hand"], med["floor"]
    result["ratios"] = {"project total / by hand": p["total"] / h["total"],
                        "project load / floor": p["SQLite load"] / fl["total"],
                        "project seconds per article": p["total"] / n}

    sample = sample_of(project)
    serving = {}
    with progress.task(f"N={n}: serving, project database (immutable), concurrency 8"):
        serving["project"] = measure_site(serve_project_cmd(project), project, endpoints(True, sample, canned_sql),
                                          8, args.requests, args.endpoint_seconds)
    # The same site with its response cache off: what each request costs when computed afresh.
    with progress.task(f"N={n}: serving, project database, response cache off, concurrency 8"):
        serving["project, no cache"] = measure_site(serve_project_cmd(project), project, endpoints(True, sample, canned_sql),
                                                    8, args.requests, args.endpoint_seconds, {"DATASETTE_CACHE_MB": "0"})
    with progress.task(f"N={n}: serving, naive database (by hand, mutable), concurrency 8"):
        serving["naive"] = measure_site(serve_naive_cmd(work), work, endpoints(False, sample, canned_sql),
                                        8, args.requests, args.endpoint_seconds)
    serving["p95 project / naive"] = {e: serving["project"][e]["p95_ms"] / serving["naive"][e]["p95_ms"]
                                      for e in serving["project"]}
    serving["p95 project without cache / naive"] = {
        e: serving["project, no cache"][e]["p95_ms"] / serving["naive"][e]["p95_ms"] for e in serving["project"]}
    result["serving"] = serving
    if n == max(args.sizes) and args.stress_seconds > 0:
        with progress.task(f"N={n}: load ({args.clients} clients, {args.stress_seconds:.0f} s) and abuse"):
            with datasette(serve_project_cmd(project), project) as base:
                result["stress"] = asyncio.run(stress(base, endpoints(True, sample, canned_sql), args.clients,
                                                      args.stress_seconds))
                result["stress"]["clients"] = args.clients
                result["abuse"] = asyncio.run(abuse(base, sample))
    return result


# -- report ------------------------------------------------------------------------------------
def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) / 1024 / 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), None)
    import sqlite3

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1) if mem else None,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "packages": {p: version(p) for p in ("datasette", "sqlite-utils", "frictionless", "great_expectations", "httpx")}}


def goals(results):
    by_n = {r["articles"]: r for r in results["sizes"]}
    out = []
    if 500 in by_n and 5000 in by_n:
        a, b = by_n[500]["ratios"]["project seconds per article"], by_n[5000]["ratios"]["project seconds per article"]
        out.append(("time per article flat within 2× from 500 to 5,000", b / a, "≤ 2", b / a <= 2))
    if 5000 in by_n:
        r = by_n[5000]
        x = r["ratios"]["project total / by hand"]
        out.append(("5,000: full build+validate vs by hand", x, "≤ 0.8", x <= 0.8))
        x = r["ratios"]["project load / floor"]
        out.append(("5,000: SQLite load vs floor", x, "≤ 2", x <= 2))
        for e in ("facet", "search"):
            x = r["serving"]["p95 project / naive"][e]
            out.append((f"5,000: p95 {e} page, project vs naive", x, "≤ 0.33", x <= 1 / 3))
            if "p95 project without cache / naive" in r["serving"]:
                x = r["serving"]["p95 project without cache / naive"][e]
                out.append((f"5,000: p95 {e} page, project with its response cache off vs naive", x, "(≤ 0.33)", x <= 1 / 3))
        for site, label in (("project", ""), ("project, no cache", ", response cache off")):
            if site in r["serving"]:
                worst = max(r["serving"][site].items(), key=lambda kv: kv[1]["p95_ms"])
                out.append((f"5,000: worst endpoint p95 at concurrency 8{label} ({worst[0]}), ms", worst[1]["p95_ms"],
                            "≤ 100" if not label else "(≤ 100)", worst[1]["p95_ms"] <= 100))
        if "stress" in r:
            out.append((f"5,000: errors under load ({r['stress']['clients']} clients, {r['stress']['seconds']:.0f} s)",
                        r["stress"]["errors"], "0", r["stress"]["errors"] == 0))
        if "abuse" in r:
            out.append(("5,000: slow query stopped, writes/ATTACH/PRAGMA/load_extension refused", int(r["abuse"]["ok"]),
                        "1 (yes)", r["abuse"]["ok"]))
    return out


def fmt(x, digits=2):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"


def markdown(results):
    m = results["machine"]
    lines = [f"Measured by `make bench` on {results['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
             f"{m['os']}, Python {m['python']}, SQLite {m['sqlite']}; datasette {m['packages']['datasette']}, "
             f"frictionless {m['packages']['frictionless']}, great-expectations {m['packages']['great_expectations']}. "
             f"Medians of {', '.join(str(r['repeats']) for r in results['sizes'])} runs; synthetic corpus "
             f"(bench/generate.py, seed {results['seed']}). Whole run: {results['elapsed_s'] / 60:.1f} min.", ""]
    sizes = results["sizes"]
    head = "| | " + " | ".join(f"N = {r['articles']:,}" for r in sizes) + " |"
    sep = "|---|" + "---:|" * len(sizes)
    lines += ["**Pipeline** (seconds; peak memory in MB)", "", head, sep]

    def row(label, get, digits=2):
        lines.append(f"| {label} | " + " | ".join(fmt(get(r), digits) for r in sizes) + " |")

    row("rows (all tables)", lambda r: sum(r["rows"].values()), 0)
    row("evidence rows", lambda r: r["rows"]["evidence"], 0)
    for step in ("curated → CSV", "frictionless", "provenance", "SQLite load"):
        row(f"project: {step}", lambda r, s=step: r["median"]["project"][s])
    row("project: great-expectations (in the build)", lambda r: r["median"]["project"]["great-expectations"])
    row("**project: total** (`scripts.build --expectations`: every check)", lambda r: r["median"]["project"]["total"])
    row("project: seconds per 1,000 articles", lambda r: 1000 * r["ratios"]["project seconds per article"])
    row("project: peak memory, whole build / its great-expectations step",
        lambda r: f"{r['median']['project']['build_peak_mb']:.0f} / {r['median']['project']['great-expectations_peak_mb']:.0f}")
    row("project: database MB", lambda r: r["median"]["project"]["db_mb"], 1)
    row("by hand: sqlite-utils insert --csv", lambda r: r["median"]["by hand"]["sqlite-utils insert"])
    row("by hand: frictionless validate", lambda r: r["median"]["by hand"]["frictionless validate"])
    row("**by hand: total**", lambda r: r["median"]["by hand"]["total"])
    row("by hand: database MB", lambda r: r["median"]["by hand"]["db_mb"], 1)
    row("floor: sqlite3 executemany", lambda r: r["median"]["floor"]["total"])
    row("ratio project / by hand", lambda r: r["ratios"]["project total / by hand"])
    row("ratio project load / floor", lambda r: r["ratios"]["project load / floor"])
    lines += ["", "**Serving** (Datasette, loopback, concurrency 8): p50 / p95 ms, requests/s; project (immutable, "
              "DATASETTE_OPTS, its response cache on as served), the same with the cache off (every request computed "
              "afresh), and naive (`datasette db.db` on the by-hand database)", "", head, sep]
    for e in ("table", "facet", "search", "canned", "row", "sql join"):
        for site in ("project", "project, no cache", "naive"):
            row(f"{e}: {site}", lambda r, e=e, s=site:
                f"{r['serving'][s][e]['p50_ms']:.0f} / {r['serving'][s][e]['p95_ms']:.0f} ms, "
                f"{r['serving'][s][e]['throughput_rps']:.0f}/s" if s in r["serving"] else "")
    big = next((r for r in reversed(sizes) if "stress" in r), None)
    if big:
        s, a = big["stress"], big["abuse"]
        lines += ["", f"**Under load** (N = {big['articles']:,}, {s['clients']} clients, {s['seconds']:.0f} s, the six "
                  f"endpoints plus CSV export): {s['requests']:,} requests, {s['errors']} errors, "
                  f"p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms, "
                  f"{s['throughput_rps']:.0f} requests/s.",
                  "", f"**Abuse**: a recursive CTE that never ends was stopped at the time limit "
                  f"({', '.join(str(x['status']) + ' after ' + format(x['seconds'], '.1f') + ' s' for x in a['slow_query']['results'])}) while "
                  f"{a['slow_query']['other_requests_during']['requests']} row pages were answered "
                  f"(p95 {fmt(a['slow_query']['other_requests_during']['p95_ms'], 0)} ms, "
                  f"{a['slow_query']['other_requests_during']['errors']} errors); refused: "
                  + ", ".join(f"{k} ({'yes' if v['refused'] else 'NO'})" for k, v in a["refused"].items())
                  + f"; database unchanged: {'yes' if a['database_unchanged'] else 'NO'}."]
    lines += ["", "**Goals**", "", "| goal | measured | target | met |", "|---|---:|---:|---|"]
    for label, value, target, ok in goals(results):
        lines.append(f"| {label} | {fmt(value)} | {target} | {'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def update_readme(md):
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(before + start + "\n" + md + end + after)
        return True
    return False


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 500, 5000], help="numbers of articles (50000 too if you have ~15 min)")
    ap.add_argument("--repeats", type=int, nargs="+", default=None,
                    help="runs per size (default: 3 for sizes under 5,000, 2 from 5,000 on)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--requests", type=int, default=200, help="most requests per endpoint and site")
    ap.add_argument("--endpoint-seconds", type=float, default=4.0, help="time per endpoint and site (bounded)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--stress-seconds", type=float, default=60.0, help="0 skips load and abuse")
    ap.add_argument("--no-readme", action="store_true", help="do not update README.md's table")
    ap.add_argument("--report-only", action="store_true", help="rewrite results.md (and README) from results.json")
    args = ap.parse_args(argv)
    if args.report_only:
        results = json.loads((ROOT / "bench" / "results.json").read_text())
        md = markdown(results)
        (ROOT / "bench" / "results.md").write_text(md)
        print(md)
        if not args.no_readme:
            update_readme(md)
        return
    repeats = args.repeats or [3 if n < 5000 else 2 for n in args.sizes]
    if len(repeats) == 1:
        repeats = repeats * len(args.sizes)
    import yaml

    canned = yaml.safe_load((ROOT / "metadata.yml").read_text())["databases"][DB]["queries"]["exercise_evidence"]["sql"]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    total_tasks = sum(1 + 3 * r + 3 for r in repeats) + (1 if args.stress_seconds > 0 else 0)
    progress = Progress(total_tasks)
    t0 = time.perf_counter()
    results = {"date": time.strftime("%Y-%m-%d"), "seed": args.seed, "machine": machine(), "sizes": []}
    try:
        for n, r in zip(args.sizes, repeats):
            results["sizes"].append(bench_size(n, r, progress, args, canned))
    finally:
        progress.close()
    results["elapsed_s"] = time.perf_counter() - t0
    results["goals"] = [{"goal": g, "measured": v, "target": t, "met": ok} for g, v, t, ok in goals(results)]
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")
    md = markdown(results)
    (ROOT / "bench" / "results.md").write_text(md)
    print(md)
    if not args.no_readme and not update_readme(md):
        print("bench: README.md has no <!-- bench:start --> marker: table not copied", file=sys.stderr)
    print(f"bench: done in {results['elapsed_s'] / 60:.1f} min; bench/results.json, bench/results.md", file=sys.stderr)


if __name__ == "__main__":
    main()
