"""A saved web page -> a seed: the article's text as trafilatura extracts it, offline, from the file
alone, under a `---` block of what the page's own markup states about it (title, author, url,
sitename, date). Nothing is guessed: a date comes only from the page's metadata (article:published_time,
a <time datetime>, JSON-LD datePublished...), never from a year found in the text, so a page that
states no date gets none. The page is read in its declared encoding, and refused when it cannot be
decoded or is over the size limit."""

import codecs
import hashlib
import json
import re
from pathlib import Path

from scripts.read.files import read_input

PAGE_MAX_BYTES = 2_000_000
SEED_NAME = re.compile(r"^(?P<n>\d{3,})_[0-9a-f]{16}\.txt$")
CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)
META_KEYS = ("title", "author", "url", "sitename", "date")


class PageError(Exception):
    pass


def decode(raw, name):
    """The page's text in its declared encoding (UTF-8 when it declares none); PageError when it cannot be."""
    if raw.startswith(codecs.BOM_UTF8):
        declared = "utf-8"
    else:
        m = XML_ENCODING.search(raw[:1024]) or CHARSET.search(raw[:4096])
        declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        codecs.lookup(declared)
    except LookupError:
        raise PageError(f"{name} declares an unknown encoding {declared!r}") from None
    try:
        return raw.decode(declared).lstrip("\ufeff")
    except UnicodeDecodeError as e:
        raise PageError(
            f"{name} is not valid {declared} (byte {e.start}): it cannot be read without guessing"
        ) from None


def _meta(tree):
    """What the page's markup states about it: {key: value}, each a string of the page."""

    def first(*xpaths):
        for xp in xpaths:
            for v in tree.xpath(xp):
                v = " ".join(str(v).split())
                if v:
                    return v
        return None

    out = {
        "title": first(
            '//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content', "//title/text()"
        ),
        "author": first('//meta[@name="author"]/@content', '//meta[@property="article:author"]/@content'),
        "url": first('//meta[@property="og:url"]/@content', '//link[@rel="canonical"]/@href'),
        "sitename": first('//meta[@property="og:site_name"]/@content', '//meta[@name="application-name"]/@content'),
        "date": first(
            '//meta[@property="article:published_time"]/@content',
            '//meta[@property="og:published_time"]/@content',
            '//meta[@name="pubdate"]/@content',
            '//meta[@name="date"]/@content',
            '//meta[@itemprop="datePublished"]/@content',
            "//time[@datetime]/@datetime",
        ),
    }
    if not out["date"]:
        for block in tree.xpath('//script[@type="application/ld+json"]/text()'):
            try:
                data = json.loads(block)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                    out["date"] = item["datePublished"]
                    break
    if out["url"] and not re.match(r"^https?://[^\s<>\"]+$", out["url"]):
        out["url"] = None
    return {k: v for k, v in out.items() if v}


def extract(path):
    """{"text": the seed's text, "meta": what the markup states}: PageError for what cannot be read."""
    import trafilatura  # the drafting layer's dependency: imported only for pages
    from lxml import html as lxml_html

    raw = read_input(path, None, PAGE_MAX_BYTES)
    page = decode(raw, Path(path).name)
    body = trafilatura.extract(
        page,
        output_format="txt",
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not body or not body.strip():
        raise PageError(f"no article text found in {path}")
    meta = _meta(lxml_html.fromstring(page))
    header = "".join(f"{k}: {meta[k]}\n" for k in META_KEYS if k in meta)
    text = (f"---\n{header}---\n" if header else "") + body.strip() + "\n"
    return {"text": text, "meta": meta}


def seed_name(seeds_dir, data):
    """NNN_<16 hex of the text's sha256>.txt, NNN one more than the highest number in seeds/."""
    numbers = [int(m.group("n")) for p in Path(seeds_dir).glob("*.txt") if (m := SEED_NAME.match(p.name))]
    return f"{(max(numbers) + 1 if numbers else 0):03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def save_seed(root, text):
    """Write the text to seeds/ (never overwriting); a seed with the same bytes is reused. Returns its path."""
    seeds = Path(root) / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    for p in sorted(seeds.glob("*.txt")):
        if p.is_file() and not p.is_symlink() and p.stat().st_size == len(data) and p.read_bytes() == data:
            return p, False
    path = seeds / seed_name(seeds, data)
    with open(path, "xb") as f:  # x: fails rather than overwrite
        f.write(data)
    return path, True
