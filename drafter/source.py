"""The article itself: headline, date, URL, author and publisher, only where the article states them."""
import re

URL = re.compile(r"https?://[^\s<>\"”]+[^\s<>\"”.,;:)]")
URL_LABEL = re.compile(r"(?:Original|Source|Canonical)\s+(?:url|URL|link)\s*:?\s*", re.IGNORECASE)
BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*$", re.MULTILINE)
# "Jane Doe is a national security reporter for the National Interest."
REPORTER = re.compile(r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}) is (?:a|an|the) [\w\s-]{0,40}?"
                      r"(?:reporter|correspondent|writer|editor|journalist|columnist|contributor|analyst) "
                      r"(?:for|at|with) (?P<pub>(?:the )?[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,5})")
TITLE_LINES = 5   # a headline is one of the first lines, before the body


def _capitalised_share(line):
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line)]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0


def headline(article):
    """The headline: among the short lines without a full stop above the body, the one in title case
    (a caption repeated as a line is not); a truncated copy of a line gives way to the whole line."""
    body = next((s.paragraph for s in article.sentences if not s.heading), None)
    firsts = [p for p in sorted({s.paragraph for s in article.sentences})[:TITLE_LINES] if body is None or p < body]
    lines = []
    for s in article.sentences:
        if s.paragraph in firsts and s.heading and not s.skip and not s.caption:
            line = article.text[s.start:s.end]
            if URL.search(line) or article.dated and s.start <= article.dated.start < s.end:
                continue
            lines.append(s)
    texts = [article.text[s.start:s.end] for s in lines]
    candidates = []
    for s, t in zip(lines, texts):
        if any(o != t and o.startswith(t) for o in texts):
            continue  # a truncated copy of a longer line
        if texts.count(t) > 1 and t != texts[0]:
            continue  # a caption repeated over a picture
        candidates.append((s, t))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (_capitalised_share(c[1]) >= 0.6, c[1] == texts[0], -c[0].start))
    return best


def propose_source(p, article):
    """{field: Proposal}."""
    out = {}
    text = article.text
    meta = article.meta   # a saved page's metadata, as extracted: stated by the page itself
    for key, field, why in (("title", "title", "the page's title (its metadata)"),
                            ("author", "author", "the page's author (its metadata)"),
                            ("sitename", "publisher", "the page's site name (its metadata)"),
                            ("url", "url", "the page's URL (its metadata)")):
        if key in meta:
            value, a, b = meta[key]
            out[field] = p.claim("sources", field, value, [(a, b)], why)
    if "date" in meta and article.dated and article.dated.start == meta["date"][1]:
        d = article.dated
        out["published_date"] = p.claim("sources", "published_date", d.date.isoformat(), [(d.start, d.end)],
                                        "the page's date (its metadata)",
                                        inference=f"the page's metadata gives the date {d.date.isoformat()} (ISO 8601)")
    out = {k: v for k, v in out.items() if v is not None}
    h = None if "title" in out else headline(article)
    if h:
        s, t = h
        out["title"] = p.claim("sources", "title", t, [(s.start, s.end)],
                               "the headline: a short line at the top, without a full stop, in title case")
    if article.dated and "published_date" not in out:
        d = article.dated
        out["published_date"] = p.claim("sources", "published_date", d.date.isoformat(), [(d.start, d.end)],
                                        "the dateline: a full date opening one of the article's first lines")
    label = URL_LABEL.search(text)
    m = URL.search(text, label.end()) if label else None
    if m and "url" not in out and text[label.end():m.start()].strip() == "":
        out["url"] = p.claim("sources", "url", m.group(0), [(label.start(), m.end())],
                             f"the URL the article states ({label.group(0).strip()!r} line)")
    m = BYLINE.search(text)
    if m and "author" not in out:
        out["author"] = p.claim("sources", "author", m.group("name"), [m.span()], "a byline ('By ...')")
    m = REPORTER.search(text)
    if m and "author" not in out:
        out["author"] = p.claim("sources", "author", m.group("name"), [m.span()],
                                "the author line: '<name> is a reporter for <publication>'")
        pub = m.group("pub")
        stated = pub[0].upper() + pub[1:] if pub.startswith("the ") else pub
        out["publisher"] = p.claim(
            "sources", "publisher", stated, [m.span()],
            "the publication the author line says the author reports for",
            inference=None if stated in m.group(0) else
            f"the author is a reporter for {pub}, the article's publisher (its name with 'The' capitalised)")
    return {k: v for k, v in out.items() if v is not None}
