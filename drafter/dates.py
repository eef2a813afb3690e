"""Dates as articles write them, and relative ones resolved against the article's own date."""
import datetime
import re

from .vocab import MONTH_RE, MONTHS, WEEKDAYS

FULL_DATE = re.compile(rf"\b(?:(?P<m1>{MONTH_RE}) (?P<d1>\d{{1,2}}),? (?P<y1>(?:19|20)\d\d)|"
                       rf"(?P<d2>\d{{1,2}}) (?P<m2>{MONTH_RE}),? (?P<y2>(?:19|20)\d\d))\b")
ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# Day-month ranges without a year: "from 30 August to 5 September", "August 30-September 5", "30 August - 5 September".
DM = rf"(?:(?P<{{p}}d>\d{{{{1,2}}}}) (?P<{{p}}m>{MONTH_RE})|(?P<{{p}}m2>{MONTH_RE}) (?P<{{p}}d2>\d{{{{1,2}}}}))"


def _dm(prefix):
    return DM.replace("{p}", prefix).replace("{{", "{").replace("}}", "}")


RANGE = re.compile(rf"(?:from )?{_dm('a')}\s*(?:to|until|-|–|—|through)\s*{_dm('b')}")
SINGLE_DM = re.compile(_dm("a"))


def month_number(name):
    return MONTHS.index(name) + 1


def full_date(m):
    """An ISO date from a FULL_DATE match."""
    month = m.group("m1") or m.group("m2")
    day = m.group("d1") or m.group("d2")
    year = m.group("y1") or m.group("y2")
    return datetime.date(int(year), month_number(month), int(day))


def dm_of(m, p):
    month = m.group(f"{p}m") or m.group(f"{p}m2")
    day = m.group(f"{p}d") or m.group(f"{p}d2")
    return month_number(month), int(day)


def weekday_before(ref, name, include_same=False):
    """The last `name` day before ref (a date): "announced Monday" in a Tuesday article."""
    target = WEEKDAYS.index(name)
    delta = (ref.weekday() - target) % 7
    if delta == 0 and not include_same:
        delta = 7
    return ref - datetime.timedelta(days=delta)


def weekday_after(ref, name):
    target = WEEKDAYS.index(name)
    delta = (target - ref.weekday()) % 7 or 7
    return ref + datetime.timedelta(days=delta)


def long_form(d):
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
