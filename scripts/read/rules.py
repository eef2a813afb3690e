"""The rules by which a value is derived from an article's own words (schema/rules.yaml), each with
its check: a claim that names a rule is accepted only when the check holds. `problem(...)` returns
why it does not, or None. Rules made by the build itself (year-of-date, gazetteer) are not for
curators to name."""

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .lexicon import dates, iso_parts, numbers, weekdays
from .support import Context, unstated
from .text import find_words, fold
from .yaml_safe import load_yaml

BUILD_RULES = {"year-of-date", "gazetteer"}
PAST = re.compile(r"\b(?:[a-z]+ed|had|was|were|did|took|held|began|forced|saw|made|sent|flew|went|came|led|fought)\b")
# words in quotation marks; inside double ones an apostrophe is a letter ("China's Ministry of Defense")
QUOTED = re.compile(r"[\"“]([^\"“”]{2,}?)[\"”]|['‘’]([^'‘’\"“”]{2,}?)['‘’](?![A-Za-z])")


@dataclass
class Derivation:
    """A claim that names a rule, with what its check may look at."""

    rule: str
    kind: str
    value: object
    quotes: list  # the claim's quotes (each does not state the value alone)
    inference: str
    text: str  # the article
    article_date: str  # the article's own date as it states it (ISO, any precision), or None
    start_date: str  # the record's start date in this article, for end-from-length
    ctx: Context


@lru_cache(maxsize=4)
def organizations(root):
    """{published name: [forms]} from schema/organizations.yaml."""
    return {k: list(v) for k, v in (load_yaml(Path(root) / "schema" / "organizations.yaml", root=root) or {}).items()}


def _date(d):
    if d is None:
        return None
    y, m, day = iso_parts(d)
    return datetime.date(y, m, day) if day else None


def weekday(d):
    article = _date(d.article_date)
    if article is None:
        return "the article does not state its own date to the day, so no weekday can be resolved against it"
    value = _date(str(d.value))
    if value is None:
        return "a weekday gives a day: the value must be YYYY-MM-DD"
    named = {name for q in d.quotes for *_, name in weekdays(q)}
    if calendar.day_name[value.weekday()] not in named:
        return f"no quote names {calendar.day_name[value.weekday()]}, the weekday of {value}"
    if abs((value - article).days) > 6:
        return f"{value} is not within six days of the article's date {article}"
    return None


def article_year(d):
    if not d.article_date:
        return "the article does not state its own date, so a date without its year cannot take the article's"
    year = int(d.article_date[:4])
    y, m, day = iso_parts(d.value) if d.kind == "date" else (int(d.value), None, None)
    if any(find_words(q, ["last year", "the previous year", "a year earlier", "a year ago"]) for q in d.quotes):
        if y != year - 1:  # "in July last year"
            return f"a quote says last year: the value's year must be {year - 1}, the year before the article's"
    elif y not in (year, year + 1):
        return f"the value's year {y} is neither the article's year {year} nor the next"
    if m is None:  # a year: "this year", or a day or month written without its year
        if any(
            find_words(q, ["this year", "the same year", "last year"])
            or any(p[0] is None for x in dates(q) for p in x.points)
            for q in d.quotes
        ):
            return None
        return "no quote says 'this year' or writes a day or month without its year"
    for q in d.quotes:
        for mention in dates(q):
            for py, pm, pd in mention.points:
                if pm == m and (day is None or pd == day) and py in (None, y):
                    return None
    return f"no quote writes the month{' and day' if day else ''} of {d.value}"


def year_of_name(d):
    y, m, day = iso_parts(d.value)
    named = re.compile(r"[A-Za-z]\s?[-‑–—/ ]?\s?" + str(y) + r"(?!\d)")
    if not any(named.search(q) for q in d.quotes):
        return f"no quote writes a name carrying the year {y} (as in Joint Sea-{y})"
    for q in d.quotes:
        for mention in dates(q):
            if any(pm == m and (day is None or pd == day) for _, pm, pd in mention.points):
                return None
    return f"no quote writes the month{' and day' if day else ''} of {d.value}"


def end_from_length(d):
    start = _date(d.start_date)
    if start is None:
        return "the article gives no start date to the day for this exercise, to count the length from"
    value = _date(str(d.value))
    lengths = {n.value for q in d.quotes for n in numbers(q) if n.length in ("day", "days")}
    if not lengths:
        return "no quote writes a length in days (five-day, 5-day)"
    if value is None or not any(start + datetime.timedelta(days=n - 1) == value for n in lengths):
        given = ", ".join(map(str, sorted(lengths)))
        return f"{d.value} is not the start date {start} plus a length the quotes give ({given} days)"
    return None


def same_words(d):
    if any(find_words(q, [str(d.value)]) for q in d.quotes):
        return None
    return "the value is not the quote's words with other capitals, quotation marks, dashes or spacing"


def coreference(d):
    for m in QUOTED.finditer(d.inference or ""):
        words = (m.group(1) or m.group(2)).strip()
        if words in d.text and unstated(d.kind, d.value, words, d.ctx) is None:
            return None
    return (
        "the inference must quote, in quotation marks, the words of the article the reference resolves to, "
        "and those words must state the value"
    )


def series_from_name(d):
    pattern = re.compile(re.escape(str(d.value)) + r"[-‑– ](?:19|20)\d\d\b")
    return (
        None
        if any(pattern.search(fold(q)) for q in d.quotes)
        else f"no quote writes {d.value} followed by a year (as in {d.value}-2018)"
    )


def host_is_where_held(d):
    country = d.value if d.kind == "country" else d.ctx.party if d.value == "host" else None
    if country is None:
        return "host-is-where-held gives a host country, or the role host"
    return (
        None
        if any(unstated("country", country, q, d.ctx) is None for q in d.quotes)
        else f"no quote names {country}, the country it is held in"
    )


def organization_name(d):
    forms = organizations(d.ctx.root).get(str(d.value))
    if forms is None:
        return f"{d.value!r} is not a name in schema/organizations.yaml"
    return (
        None
        if any(find_words(q, forms) for q in d.quotes)
        else f"no quote writes one of the forms schema/organizations.yaml lists for {d.value!r}"
    )


def url_domain(d):
    for q in d.quotes:
        for url in re.findall(r"https?://[^\s\"'<>]+", q):
            host = urlsplit(url).hostname or ""
            labels = host.removeprefix("www.").split(".")
            name = re.sub(r"[^a-z0-9]", "", str(d.value).lower())
            if labels and (labels[0] == name or labels[0] == name.removeprefix("the")):
                return None
    return "no quote gives a URL whose domain name spells the value"


def past_tense(d):
    if d.value != "held":
        return "past-tense gives only the status held"
    return None if any(PAST.search(q) for q in d.quotes) else "no quote has a verb in the past tense"


def year_before_article(d):
    if d.value != "held":
        return "year-before-article gives only the status held"
    if not d.article_date:
        return "the article does not state its own date"
    years = {p[0] for q in d.quotes for x in dates(q) for p in x.points if p[0]}
    return (
        None
        if any(y < int(d.article_date[:4]) for y in years)
        else f"no quote writes a year before the article's {d.article_date[:4]}"
    )


def status_by_dates(d):
    if not d.article_date or len(d.article_date) < 7:
        return "the article does not state its own date to the month"
    today = iso_parts(d.article_date)
    year = today[0]
    sides = set()
    for q in d.quotes:
        for mention in dates(q):
            for y, m, day in mention.points:
                if m is None:
                    continue
                point, ref = ((y or year), m, day), today[:3] if day and today[2] else today[:2]
                point = point[: len(ref)]
                sides.add("before" if point < ref else "after" if point > ref else "same")
    if not sides:
        return "no quote writes a day or month of it"
    expected = {
        "held": sides == {"before"},
        "planned": sides == {"after"},
        "ongoing": "after" in sides and sides & {"before", "same"},
    }
    if d.value not in expected:
        return "status-by-dates gives the status held, ongoing or planned"
    return (
        None
        if expected[d.value]
        else f"the dates the quotes write are not all {'before' if d.value == 'held' else 'after'} the article's date "
        f"{d.article_date}"
        if d.value != "ongoing"
        else f"the quotes write no day on or before and one after {d.article_date}"
    )


def gazetteer_city(d):
    from .gazetteer import city_names

    if d.value != "city":
        return "gazetteer-city gives only the precision city"
    words = {w for q in d.quotes for w in re.findall(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?", q)}
    return None if words & city_names() else "no quote names a city of the gazetteer"


CHECKS = {
    "weekday": weekday,
    "article-year": article_year,
    "year-of-name": year_of_name,
    "end-from-length": end_from_length,
    "same-words": same_words,
    "coreference": coreference,
    "series-from-name": series_from_name,
    "host-is-where-held": host_is_where_held,
    "organization-name": organization_name,
    "url-domain": url_domain,
    "past-tense": past_tense,
    "year-before-article": year_before_article,
    "gazetteer-city": gazetteer_city,
    "status-by-dates": status_by_dates,
}


def problem(derivation, known):
    """Why the claim does not follow by its rule; None when it does. known: the rule ids of schema/rules.yaml."""
    rule = derivation.rule
    if rule not in known:
        return f"unknown rule {rule!r}; rules: {', '.join(sorted(known - BUILD_RULES))} (schema/rules.yaml)"
    if rule in BUILD_RULES:
        return f"the rule {rule!r} is applied by the build itself, not named by a curator"
    return CHECKS[rule](derivation)
