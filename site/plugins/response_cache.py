"""An in-memory cache of whole responses, for a site whose databases are all immutable.

In immutable mode nothing can change a database while Datasette runs, so a GET for the same
URL always gets the same answer: a repeated page is sent from memory instead of re-running its
SQL (facets, counts) and re-rendering its template. This does in-process what a CDN in front
of the site would do. Bounded (least recently used out first); off when any database is
mutable, when DATASETTE_CACHE_MB=0, for requests carrying cookies or credentials, for responses
that set cookies, are not 200, or are larger than a tenth of the cache (streamed CSV exports).
"""
import os
from collections import OrderedDict

from datasette import hookimpl

CACHE_MB = float(os.environ.get("DATASETTE_CACHE_MB", "64"))
SKIP_PREFIXES = ("/-/",)  # Datasette's own pages: login, actor, permissions


class LRU:
    def __init__(self, max_bytes):
        self.max_bytes, self.bytes, self.items = max_bytes, 0, OrderedDict()

    def get(self, key):
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key, start, body):
        size = len(body) + 200
        if key in self.items or size > self.max_bytes / 10:
            return
        self.items[key] = (start, body)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, old) = self.items.popitem(last=False)
            self.bytes -= len(old) + 200


def _cacheable_request(scope):
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if scope["path"].startswith(SKIP_PREFIXES):
        return False
    return not any(name in (b"cookie", b"authorization") for name, _ in scope.get("headers", []))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        if CACHE_MB <= 0:
            return app
        cache = LRU(int(CACHE_MB * 1024 * 1024))

        async def cached_app(scope, receive, send):
            immutable = all(not db.is_mutable for name, db in datasette.databases.items() if name != "_internal"
                            and not db.is_memory)
            if not immutable or not _cacheable_request(scope):
                return await app(scope, receive, send)
            key = (scope["method"], scope["path"], scope.get("query_string", b""))
            hit = cache.get(key)
            if hit is not None:
                start, body = hit
                await send(dict(start, headers=[*start.get("headers", []), (b"x-response-cache", b"hit")]))
                await send({"type": "http.response.body", "body": body})
                return
            captured = {"start": None, "chunks": [], "size": 0, "keep": True}

            async def capture(message):
                if message["type"] == "http.response.start":
                    captured["start"] = message
                    headers = {name.lower() for name, _ in message.get("headers", [])}
                    captured["keep"] = message["status"] == 200 and b"set-cookie" not in headers
                elif message["type"] == "http.response.body" and captured["keep"]:
                    captured["size"] += len(message.get("body", b""))
                    if captured["size"] > cache.max_bytes / 10:
                        captured["keep"], captured["chunks"] = False, []
                    else:
                        captured["chunks"].append(message.get("body", b""))
                    if not message.get("more_body") and captured["keep"]:
                        cache.put(key, captured["start"], b"".join(captured["chunks"]))
                await send(message)

            await app(scope, receive, capture)

        return cached_app

    return wrap
