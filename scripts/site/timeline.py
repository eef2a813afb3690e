"""The timeline: every exercise on a time axis, drawn from its dates at their precision (an SVG made at
build time, shown at /timeline; no script, no query per request).

- a known span (start and end to the day) is a solid bar from the first to the last day;
- a date known only to the month or the year is a pale band over that whole month or year (the
  exercise happened somewhere in it), with the solid part where the days are known;
- each row links to the exercise's fact sheet, and says its dates in words in its tooltip."""

import calendar
import datetime
from xml.sax.saxutils import escape, quoteattr

TIMELINE_FILE = "timeline.svg"
WIDTH, LABEL_W, ROW_H, AXIS_H, PAD = 960, 230, 24, 28, 10
MIN_BAR = 3  # pixels: a day is thinner than a pixel at a span of years
COLOURS = {"held": "#1864ab", "ongoing": "#2b8a3e", "planned": "#e67700"}


def bounds(value):
    """The first day and the day after the last of an ISO date at its precision (YYYY, YYYY-MM, YYYY-MM-DD)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        first = datetime.date(parts[0], parts[1], 1)
        return first, first + datetime.timedelta(days=calendar.monthrange(*parts)[1])
    day = datetime.date(*parts)
    return day, day + datetime.timedelta(days=1)


def in_words(value):
    parts = value.split("-")
    if len(parts) == 1:
        return value
    month = calendar.month_name[int(parts[1])]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def extent(e):
    """(band start, band end, solid start or None, solid end or None) of one exercise."""
    start = e["start_date"] or str(e["year"])
    end = e["end_date"] or start
    band = (bounds(start)[0], max(bounds(end)[1], bounds(start)[1]))
    solid = None
    if len(start) == 10 and len(end) == 10:
        solid = (bounds(start)[0], bounds(end)[1])
    elif len(start) == 10:
        solid = bounds(start)
    return band, solid


def when(e):
    start, end = e["start_date"], e["end_date"]
    if start and end and end != start:
        return f"{in_words(start)} to {in_words(end)}"
    return in_words(start) if start else f"{e['year']} (year only)"


def svg(exercises, db_name):
    rows = [(e, *extent(e)) for e in exercises]
    first = min(b[0] for _, b, _ in rows).replace(month=1, day=1)
    last = datetime.date(max(b[1] for _, b, _ in rows).year + 1, 1, 1)
    span = (last - first).days
    plot = WIDTH - LABEL_W - PAD

    def x(day):
        return LABEL_W + plot * (day - first).days / span

    height = AXIS_H + ROW_H * len(rows) + PAD
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="Timeline of {len(rows)} exercises, {first.year} to {last.year - 1}">'
    ]
    for year in range(first.year, last.year + 1):
        xx = x(datetime.date(year, 1, 1))
        out.append(f'<line x1="{xx:.1f}" y1="{AXIS_H - 6}" x2="{xx:.1f}" y2="{height - PAD}" stroke="#ddd"/>')
        if year < last.year:
            out.append(f'<text x="{xx + 3:.1f}" y="{AXIS_H - 10}" font-size="12" fill="#555">{year}</text>')
    for i, (e, band, solid) in enumerate(rows):
        y = AXIS_H + i * ROW_H
        colour = COLOURS.get(e["status"], "#495057")
        title = f"{e['label']}: {when(e)}" + (f", {e['status']}" if e["status"] else "")
        href = quoteattr(f"/{db_name}/exercises/{e['exercise_id']}")
        out.append(f'<a href={href} class="exercise"><title>{escape(title)}</title>')
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + 16}" font-size="13" text-anchor="end" fill="#222">'
            f"{escape(e['label'][:34])}</text>"
        )
        bx, bw = x(band[0]), max(x(band[1]) - x(band[0]), MIN_BAR)
        out.append(
            f'<rect class="band" x="{bx:.1f}" y="{y + 5}" width="{bw:.1f}" height="{ROW_H - 10}" '
            f'fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-opacity="0.5"/>'
        )
        if solid:
            sx, sw = x(solid[0]), max(x(solid[1]) - x(solid[0]), MIN_BAR)
            out.append(
                f'<rect class="span" x="{sx:.1f}" y="{y + 3}" width="{sw:.1f}" height="{ROW_H - 6}" fill="{colour}"/>'
            )
        out.append("</a>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_timeline(set_dir, exercises, db_name):
    (set_dir / TIMELINE_FILE).write_text(svg(exercises, db_name) if exercises else "", encoding="utf-8")
