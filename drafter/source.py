"""The article itself: headline, date, publisher, author and URL, only where the page states them
(its metadata block, a credit line, the dateline, a byline, an author line, an "Original url" line)."""

import re

from .article import BYLINE, BYLINE_PIPE, _agency_re

URL = re.compile(r"https?://[^\s<>\"”]+[^\s<>\"”.,;:)]")
URL_LABEL = re.compile(r"(?:Original|Source|Canonical)\s+(?:url|URL|link)\s*:?\s*", re.IGNORECASE)
REPORTER = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]{1,30}(?:\s+[A-Z][\w'’-]{1,30}){1,3}) is (?:a|an|the) [\w\s-]{0,40}?"
    r"(?:reporter|correspondent|writer|editor|journalist|columnist|contributor|analyst) "
    r"(?:for|at|with) (?P<pub>(?:the )?[A-Z][\w'’&-]{0,30}(?:\s+[A-Z][\w'’&-]{0,30}){0,5})"
)


BYLINE_OUTLET = re.compile(
    r"^By\s+[A-Z][\w.'’-]{0,30}(?:\s+[A-Z][\w.'’-]{0,30}){0,3}\s*,\s*"
    r"(?P<pub>(?:The\s+)?[A-Z][\w'’&-]{1,30}(?:\s+[A-Z][\w'’&-]{1,30}){0,4})\s*$"
)


def _masthead(article):
    """The page's name above its navigation ("The Pacific Ledger", "BALTIC NEWSWIRE"), when it has one."""
    return next((ln for ln in article.lines[:1] if ln.role == "masthead"), None)


def _is_place(article, name):
    from .places import city_countries

    return name in city_countries() or any(a == 0 and b == len(name) for a, b, _ in article.places.countries(name))


def _agency(article, start, end):
    """The first news agency named in text[start:end], as written ("Xinhua", "KYODO NEWS"): (start, end) or None."""
    m = _agency_re().search(article.text, start, end)
    return m.span() if m else None


def _title(p, article):
    if "title" in article.meta:
        value, a, b = article.meta["title"]
        site = article.meta.get("sitename", ("",))[0]
        for sep in (" | ", " - ", " – ", " — "):  # "Headline | Site": the site's name is not the headline's
            if site and value.endswith(sep + site):
                value, b = value[: -len(sep + site)], b - len(sep + site)
        return p("sources", "title", value, [(a, b)], "the page's title, as its metadata states it")
    line = article.headline()
    if line is None:
        return None
    return p(
        "sources",
        "title",
        article.line_text(line),
        [(line.start, line.end)],
        "the headline: the first short line above the body, without a closing full stop",
    )


def _publisher(p, article):
    for ln in article.lines:  # a credit line naming an agency: "Source: Xinhua| ...", "(Xinhua) Updated: ..."
        if ln.role in ("credit", "byline"):
            span = _agency(article, ln.start, ln.end)
            if span:
                return p(
                    "sources", "publisher", article.text[span[0] : span[1]], [span], "the agency its credit line names"
                )
    if article.dateline is not None:
        m = article.dateline
        groups = m.groupdict()
        g = "agency" if groups.get("agency") else "agency2" if groups.get("agency2") else None
        if g and _agency(article, m.start(g), m.end(g)):
            return p("sources", "publisher", m.group(g), [m.span()], "the agency its dateline names")
    for ln in article.lines[-3:]:  # "(Xinhua News Agency August 2, 2005)" closing the article
        t = article.line_text(ln)
        if t.startswith("(") and t.endswith(")"):
            span = _agency(article, ln.start, ln.end)
            if span:
                return p(
                    "sources",
                    "publisher",
                    article.text[span[0] : span[1]],
                    [(ln.start, ln.end)],
                    "the agency its closing credit names",
                )
    if "sitename" in article.meta:
        value, a, b = article.meta["sitename"]
        return p("sources", "publisher", value, [(a, b)], "the site's name, as the page's metadata states it")
    for ln in article.lines:  # "By Helen Barker, Asia Defence Weekly"
        m = BYLINE_OUTLET.match(article.line_text(ln)) if ln.role == "byline" else None
        if m and not _is_place(article, m.group("pub")):  # "By Henrik Lund, Copenhagen": where, not who
            return p(
                "sources",
                "publisher",
                m.group("pub"),
                [(ln.start + m.start("pub"), ln.start + m.end("pub"))],
                "the publication the byline names",
            )
    masthead = _masthead(article)
    if masthead is not None:
        name = re.split(r"\s[—–|]\s", article.line_text(masthead))[0]  # "RAILS & ROTORS — notes on ...": its name
        return p(
            "sources",
            "publisher",
            name,
            [(masthead.start, masthead.start + len(name))],
            "the site's name above its navigation",
        )
    m = REPORTER.search(article.text)
    if m:
        pub = m.group("pub")
        if pub.startswith("the "):
            return p(
                "sources",
                "publisher",
                "The" + pub[3:],
                [m.span()],
                "the publication the author reports for",
                rule="same-words",
                inference=f"the publication the author reports for, “{pub}”, with the capital of its name",
            )
        return p("sources", "publisher", pub, [m.span()], "the publication the author reports for")
    return None


def _author(p, article):
    if "author" in article.meta:
        value, a, b = article.meta["author"]
        return p("sources", "author", value, [(a, b)], "the page's author, as its metadata states it")
    for ln in article.lines:
        if ln.role == "byline":
            t = article.line_text(ln)
            m = BYLINE.match(t) or BYLINE_PIPE.match(t)
            if m:
                return p("sources", "author", m.group("name"), [(ln.start, ln.end)], "the byline")
    m = REPORTER.search(article.text)
    if m:
        return p("sources", "author", m.group("name"), [m.span()], "the author line: '<name> is a reporter for ...'")
    return None


def _url(p, article):
    if "url" in article.meta:
        value, a, b = article.meta["url"]
        return p("sources", "url", value, [(a, b)], "the page's address, as its metadata states it")
    label = URL_LABEL.search(article.text)
    m = URL.search(article.text, label.end()) if label else None
    if m and article.text[label.end() : m.start()].strip() == "":
        return p(
            "sources",
            "url",
            m.group(0),
            [(m.start(), m.end())],
            f"the URL the article states ({label.group(0).strip()!r})",
        )
    return None


def _date(p, article):
    d = article.date
    if d is None:
        return None
    return p("sources", "published_date", d.value, [(d.start, d.end)], f"the article's own date: {d.how}")


def propose_source(p, article):
    """{field: Proposal}, only the fields the page states."""
    out = {
        "title": _title(p, article),
        "published_date": _date(p, article),
        "publisher": _publisher(p, article),
        "author": _author(p, article),
        "url": _url(p, article),
    }
    return {k: v for k, v in out.items() if v is not None}
