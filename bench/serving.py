"""The served site under load, then under load and each kind of abuse, in one run: loopback only, every
client bounded in time (its phase) and so in requests.

Normal clients loop over the site's ordinary pages (home, tables, fact sheets, articles, searches, JSON
pages whose row count is checked), with no pause: alone, they already keep the server busy. For each group
of abusers (ABUSE), and for all of them at once: the normal clients alone (the baseline), then the same
clients beside the abusers; a baseline next to each phase keeps the ratio fair when the machine's other
load drifts. Abusers run in a process of their own, so that reading their answers does not slow the
normal clients' event loop, where latencies are measured. Reported for each phase: the normal pages'
p50/p95, errors and missing rows on normal requests, the server's peak RSS (sampled every 0.2 s), the
machine's load average, and what the abusers were answered (status per request kind).
"""

import asyncio
import multiprocessing
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import httpx

FOREVER = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
PREFIXES = " OR ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz")
NEAR = "NEAR(" + " ".join(f"{c}*" for c in "tseraoinm") + ", 1000)"  # the most terms a search may have
# Each group: (clients, [(label, url)]); a client loops over its group's URLs.
ABUSE = {
    "exports, SQL, 404s, blob bombs": (
        20,
        [
            ("whole-table export (the static file)", "/{db}/evidence.csv?_stream=on"),
            ("filtered export", "/{db}/evidence.csv?_stream=on&basis=stated"),
            ("rejected SQL", "/{db}.json?sql=select+nonsense+from"),
            ("404", "/no/such/page/{n}"),
            ("never-ending SQL", "/{db}.json?sql=" + quote(FOREVER)),
            ("blob bomb", "/{db}.json?sql=" + quote("select hex(randomblob(100000000))")),
            (
                "wide blob bomb",
                "/{db}.json?sql=" + quote("select zeroblob(900000) a, zeroblob(900000) b from evidence"),
            ),
        ],
    ),
    "3 × one filtered _size=max page": (
        3,
        [
            ("filtered _size=max page", "/{db}/evidence?basis=stated&_size=max"),
        ],
    ),
    "10 × facets, filters, _size=max, raw FTS, long _next": (
        10,
        [
            (
                "facets on long text, _facet_size=max",
                "/{db}/evidence?_facet=quote&_facet=value&_facet=record_id&_facet_size=max",
            ),
            ("unindexed filters", "/{db}/evidence?quote__contains=the&value__like=%25a%25"),
            ("_size=max page", "/{db}/evidence?_size=max"),
            ("raw FTS, 26 prefixes", "/{db}/statements?_searchmode=raw&_search=" + quote(PREFIXES)),
            ("raw FTS, NEAR of 9 prefixes", "/{db}/statements?_searchmode=raw&_search=" + quote(NEAR)),
            ("60,000-digit _next", "/{db}/evidence?_next=" + "9" * 60_000),
            ("offset into a view", "/{db}/conflicts?_next=5000"),
        ],
    ),
    "3 × _facet=value repeated 200 times": (
        3,
        [
            ("200 × _facet=value", "/{db}/evidence?" + "&".join(["_facet=value"] * 200)),
        ],
    ),
}
ALL = "all of them at once"
GRACE_S = 2  # an abusive request still running this long after its phase's end is cut


def normal_urls(db_path, db):
    """The normal pages (URL -> its shape, for the report) and the JSON pages whose row count is known."""
    conn = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    exercises = [r[0] for r in conn.execute("select exercise_id from exercises order by exercise_id limit 10")]
    sources = [r[0] for r in conn.execute("select source_id from sources order by source_id limit 10")]
    counted = {
        f"/{db}/evidence.json?_shape=array&_size=max&exercise_id={quote(e)}": conn.execute(
            "select count(*) from evidence where exercise_id = ?", [e]
        ).fetchone()[0]
        for e in exercises[:5]
    }
    conn.close()
    fixed = ["/", f"/{db}/exercises", f"/{db}/statements", f"/{db}/sources.json", "/articles/", "/-/search?q=exercise"]
    urls = {url: url for url in fixed}
    urls |= {f"/{db}/exercises/{quote(e)}": f"/{db}/exercises/<exercise_id>" for e in exercises}
    urls |= {f"/articles/{quote(s)}": "/articles/<source_id>" for s in sources}
    urls |= {
        url: f"/{db}/evidence.json?_shape=array&_size=max&exercise_id=<exercise_id> (rows counted)" for url in counted
    }
    return urls, counted


def summary(latencies):
    lat = sorted(latencies)
    return {
        "requests": len(lat),
        "p50_ms": 1000 * statistics.median(lat) if lat else None,
        "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else None,
    }


async def normal_client(client, plan, counted, tally, stop, offset):
    i = offset
    while time.monotonic() < stop:
        url = plan[i % len(plan)]
        i += 1
        t = time.perf_counter()
        try:
            r = await client.get(url)
            tally["latencies"].append(time.perf_counter() - t)
            if r.status_code != 200:
                tally["errors"].append(f"{r.status_code} {url}")
            elif url in counted and len(r.json()) != counted[url]:
                tally["missing"] += counted[url] - len(r.json())
        except httpx.HTTPError as e:
            tally["errors"].append(f"{type(e).__name__} {url}")


async def abuser(client, db, urls, answers, stop, offset):
    i = offset
    while time.monotonic() < stop:
        label, url = urls[i % len(urls)]
        i += 1
        try:
            async with asyncio.timeout(stop - time.monotonic() + GRACE_S):
                async with client.stream("GET", url.format(db=db, n=i), follow_redirects=True) as r:
                    async for _ in r.aiter_raw():
                        pass
                    key = f"{r.status_code}"
        except TimeoutError:
            key = "cut at the end of the phase"
        except httpx.HTTPError as e:
            key = type(e).__name__
        answers.setdefault(label, {}).setdefault(key, 0)
        answers[label][key] += 1


async def abuse(base, db, groups, seconds):
    answers, stop = {}, time.monotonic() + seconds
    clients = sum(n for n, _ in groups)
    async with httpx.AsyncClient(base_url=base, timeout=None, limits=httpx.Limits(max_connections=clients)) as client:
        await asyncio.gather(*[abuser(client, db, urls, answers, stop, k) for n, urls in groups for k in range(n)])
    return answers


def abuse_process(base, db, groups, seconds, out):
    out.put(asyncio.run(abuse(base, db, groups, seconds)))


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


async def load(base, plan, counted, normal, seconds, pid):
    tally, peak = {"latencies": [], "errors": [], "missing": 0}, [rss_mb(pid)]
    stop = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=normal)) as client:

        async def sample():
            while time.monotonic() < stop:
                peak.append(rss_mb(pid))
                await asyncio.sleep(0.2)

        clients = [normal_client(client, plan, counted, tally, stop, 3 * k) for k in range(normal)]
        await asyncio.gather(sample(), *clients)
    return summary(tally["latencies"]) | {
        "errors": len(tally["errors"]),
        "error_kinds": dict(Counter(tally["errors"])),
        "missing_rows": tally["missing"],
        "peak_rss_mb": max(peak),
        "load_average": os.getloadavg()[0],
    }


def phase(base, db, plan, counted, normal, groups, seconds, pid):
    """Normal clients for `seconds`, beside the abuse groups (run in a process of their own)."""
    if not groups:
        return asyncio.run(load(base, plan, counted, normal, seconds, pid))
    ctx = multiprocessing.get_context("fork")  # no loop runs and no thread is started here yet: safe to fork
    out = ctx.Queue()
    proc = ctx.Process(target=abuse_process, args=(base, db, groups, seconds, out))
    proc.start()
    try:
        result = asyncio.run(load(base, plan, counted, normal, seconds, pid))
        result["abuse"] = out.get(timeout=seconds + 60)
    finally:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
    return result


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # uvicorn waits for open connections; a cut request may hold one
        proc.kill()
        proc.wait()


def serve(site_dir, log):
    port = free_port()
    datasette = Path(sys.executable).parent / "datasette"
    proc = subprocess.Popen(
        [str(datasette), "serve", str(site_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("Datasette did not start")


def pages_that_answer(base, urls, say):
    """The normal pages this build serves: a page it lacks (404) is said and left out, the site's pages
    change; any other failure stops the benchmark, since a broken site is not worth measuring."""
    kept = []
    for url in urls:
        status = httpx.get(base + url, timeout=60).status_code
        if status == 404:
            say(f"normal page {url} is not on this site (404): left out")
        elif status != 200:
            raise RuntimeError(f"normal page {url} answers {status} unloaded: fix the site first")
        else:
            kept.append(url)
    return kept


def measure_serving(site_dir, normal=30, seconds=30, quiet_seconds=20, say=print):
    """For each abuse group and for all of them: normal clients alone, then beside the abusers."""
    site_dir = Path(site_dir)
    db_path = next(site_dir.glob("*.db"))  # the site's one database
    db = db_path.stem
    urls, counted = normal_urls(db_path, db)
    phases = {name: [group] for name, group in ABUSE.items()} | {ALL: list(ABUSE.values())}
    with open(site_dir.parent.parent / "bench-datasette.log", "w") as log:
        proc, base = serve(site_dir, log)
        try:
            plan = pages_that_answer(base, urls, say)
            phase(base, db, plan, counted, normal, [], 3, proc.pid)  # warm up
            loud = {}
            for name, groups in phases.items():
                say(f"serving: {normal} normal clients alone for {quiet_seconds} s, then beside {name} for {seconds} s")
                alone = phase(base, db, plan, counted, normal, [], quiet_seconds, proc.pid)
                loud[name] = phase(base, db, plan, counted, normal, groups, seconds, proc.pid) | {
                    "abusers": sum(n for n, _ in groups),
                    "alone": alone,
                }
                loud[name]["p95_ratio"] = loud[name]["p95_ms"] / alone["p95_ms"]
        finally:
            stop_server(proc)
    return {
        "normal_clients": normal,
        "seconds": seconds,
        "quiet_seconds": quiet_seconds,
        "normal_pages": sorted({urls[u] for u in plan}),
        "phases": loud,
    }
