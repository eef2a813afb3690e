"""The response cache (plugins/response_cache.py): repeated GETs on the immutable database are
answered from memory, byte for byte the same; never with cookies, errors, or a mutable database."""
from datasette.app import Datasette

from support import ROOT
from scripts.metadata import DATABASE


def site(db_path, metadata, immutable=True):
    dbs = dict(immutables=[str(db_path)], files=[]) if immutable else dict(files=[str(db_path)])
    return Datasette(metadata=metadata, plugins_dir=str(ROOT / "plugins"), template_dir=str(ROOT / "templates"),
                     settings={"sql_time_limit_ms": 200}, **dbs)


async def test_a_repeated_page_is_served_from_the_cache_unchanged(db_path, metadata):
    ds = site(db_path, metadata)
    first = await ds.client.get(f"/{DATABASE}/exercises?_facet=year")
    second = await ds.client.get(f"/{DATABASE}/exercises?_facet=year")
    assert first.headers.get("x-response-cache") is None
    assert second.headers.get("x-response-cache") == "hit"
    assert second.status_code == 200 and second.content == first.content
    other = await ds.client.get(f"/{DATABASE}/exercises?_facet=status")  # another URL, another answer
    assert other.headers.get("x-response-cache") is None


async def test_requests_with_cookies_are_not_cached(db_path, metadata):
    ds = site(db_path, metadata)
    for _ in range(2):
        r = await ds.client.get(f"/{DATABASE}/sources", cookies={"ds_actor": "someone"})
        assert r.headers.get("x-response-cache") is None


async def test_errors_are_not_cached(db_path, metadata):
    ds = site(db_path, metadata)
    slow = f"/{DATABASE}.json?sql=" + "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    for _ in range(2):
        r = await ds.client.get(slow)
        assert r.status_code == 400 and r.headers.get("x-response-cache") is None


async def test_nothing_is_cached_when_a_database_is_mutable(db_path, metadata, tmp_path):
    copy = tmp_path / f"{DATABASE}.db"
    copy.write_bytes(db_path.read_bytes())
    ds = site(copy, metadata, immutable=False)
    for _ in range(2):
        r = await ds.client.get(f"/{DATABASE}/sources")
        assert r.headers.get("x-response-cache") is None
