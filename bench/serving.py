"""The served site under load, then under load and abuse, in one run: loopback only, bounded in time.

Normal clients loop over ordinary pages (home, tables, fact sheets, articles, a search, a JSON page whose
row count is checked). Abusers loop over exports, rejected SQL, 404s, queries that never end and blob
bombs. Reported: the normal pages' p50/p95 without and with abuse, errors and missing rows on normal
requests, and the server's peak memory (its RSS, sampled every 0.2 s).
"""
import asyncio
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

FOREVER = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
ABUSE = [
    "/{db}/evidence.csv?_stream=on",  # a whole table (the static file)
    "/{db}/evidence.csv?_stream=on&basis=stated",  # a filtered export, streamed by Datasette
    "/{db}.json?sql=select+nonsense+from",  # rejected SQL
    "/no/such/page/{n}",  # 404
    "/{db}.json?sql=" + quote(FOREVER),  # never ends: cut at sql_time_limit_ms
    "/{db}.json?sql=" + quote("select hex(randomblob(100000000))"),  # blob bombs
    "/{db}.json?sql=" + quote("select zeroblob(900000) a, zeroblob(900000) b from evidence"),
]


def normal_urls(db_path, db):
    conn = sqlite3.connect(db_path)
    exercises = [r[0] for r in conn.execute("select exercise_id from exercises order by exercise_id limit 20")]
    sources = [r[0] for r in conn.execute("select source_id from sources order by source_id limit 20")]
    counted = {f"/{db}/evidence.json?_shape=array&_size=max&exercise_id={quote(e)}":
               conn.execute("select count(*) from evidence where exercise_id = ?", [e]).fetchone()[0]
               for e in exercises[:5]}
    conn.close()
    urls = ["/", f"/{db}/exercises", f"/{db}/statements", f"/{db}/sources.json", "/articles/",
            f"/{db}/search?q=exercise"]
    urls += [f"/{db}/exercises/{quote(e)}" for e in exercises[:10]]
    urls += [f"/articles/{quote(s)}" for s in sources[:10]]
    return urls, counted


class Tally:
    def __init__(self):
        self.latencies, self.errors, self.missing, self.abuse = [], [], 0, {}


async def normal_client(client, urls, counted, tally, stop, offset):
    plan = urls + list(counted)
    i = offset
    while time.monotonic() < stop:
        url = plan[i % len(plan)]
        i += 1
        t = time.perf_counter()
        try:
            r = await client.get(url)
            tally.latencies.append(time.perf_counter() - t)
            if r.status_code != 200:
                tally.errors.append(f"{r.status_code} {url}")
            elif url in counted and len(r.json()) != counted[url]:
                tally.missing += counted[url] - len(r.json())
        except httpx.HTTPError as e:
            tally.errors.append(f"{type(e).__name__} {url}")


async def abuser(client, db, tally, stop, offset):
    i = offset
    while time.monotonic() < stop:
        url = ABUSE[i % len(ABUSE)].format(db=db, n=i)
        i += 1
        try:
            async with client.stream("GET", url, follow_redirects=True) as r:
                async for _ in r.aiter_bytes():
                    pass
                key = f"{r.status_code} {ABUSE[(i - 1) % len(ABUSE)].format(db=db, n='N')[:60]}"
        except httpx.HTTPError as e:
            key = f"{type(e).__name__}"
        tally.abuse[key] = tally.abuse.get(key, 0) + 1


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


async def phase(base, db, urls, counted, normal, abusers, seconds, pid):
    tally, peak = Tally(), [rss_mb(pid)]
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=normal + abusers + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def sample():
            while time.monotonic() < stop:
                peak.append(rss_mb(pid))
                await asyncio.sleep(0.2)
        await asyncio.gather(sample(), *[normal_client(client, urls, counted, tally, stop, k * 3) for k in range(normal)],
                             *[abuser(client, db, tally, stop, k) for k in range(abusers)])
    lat = sorted(tally.latencies)
    return {"requests": len(lat), "p50_ms": 1000 * statistics.median(lat) if lat else None,
            "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else None,
            "errors": len(tally.errors), "error_examples": tally.errors[:5], "missing_rows": tally.missing,
            "peak_rss_mb": max(peak), "abuse": dict(sorted(tally.abuse.items()))}


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site_dir, log):
    port = free_port()
    datasette = Path(sys.executable).parent / "datasette"
    proc = subprocess.Popen([str(datasette), "serve", str(site_dir), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
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


def measure_serving(site_dir, db, clients=50, abusers=20, seconds=60, quiet_seconds=30):
    """Normal load alone (clients - abusers normal clients), then the same normal clients with abusers."""
    site_dir = Path(site_dir)
    urls, counted = normal_urls(site_dir / f"{db}.db", db)
    with open(site_dir.parent.parent / "bench-datasette.log", "w") as log:
        proc, base = serve(site_dir, log)
        try:
            normal = clients - abusers
            asyncio.run(phase(base, db, urls, counted, normal, 0, 3, proc.pid))  # warm up
            quiet = asyncio.run(phase(base, db, urls, counted, normal, 0, quiet_seconds, proc.pid))
            loud = asyncio.run(phase(base, db, urls, counted, normal, abusers, seconds, proc.pid))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return {"clients": clients, "abusers": abusers, "seconds": seconds, "quiet": quiet, "abuse": loud,
            "p95_ratio": loud["p95_ms"] / quiet["p95_ms"]}
