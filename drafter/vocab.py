"""The words the rules know: general vocabulary of the domain, never an article's own strings.

Country words come from schema/countries.yaml and pycountry (as the build checks them); category
words from the schema's `x-words`. The rest is here: exercise nouns, the recurring series and their
English glosses, attribution verbs, titles, news outlets, status cues.
"""
import re
from functools import lru_cache
from pathlib import Path

import pycountry

from scripts.read.support import country_words as _country_words
from scripts.read.yaml_safe import load_yaml

EXERCISE_NOUN = r"(?:exercises?|drills?|drill’s|drill's|maneuvers|manoeuvres|war ?games|operation)"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_RE = "|".join(MONTHS)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Recurring Russian and Chinese-Russian exercise series, with their English glosses (an id uses the
# transliterated name: West/Interaction-2021 and Zapad/Interaction 2021 are one exercise).
SERIES = ["Vostok", "Zapad", "Tsentr", "Kavkaz", "Joint Sea", "Peace Mission", "Northern/Interaction",
          "Maritime Interaction", "Security Belt", "Joint Patrol", "Union Shield", "Sibir", "Center",
          "Centre", "Caucasus", "Aviadarts", "Grom"]
GLOSS = {"west": "zapad", "east": "vostok", "center": "tsentr", "centre": "tsentr", "caucasus": "kavkaz",
         "north": "sever", "south": "yug"}

# Verbs and phrases that attribute words to someone.
ATTRIBUTION = (r"said|says|say|told|tells|announced|announces|announce|stated|states|stating|warned|warns|argued|argues|"
               r"assures|assured|added|adding|noted|notes|according to|quoted|framed|averring|avers|accusing|accused|"
               r"calling|called|responded|indicated|indicates|confirmed|confirms|wrote|writes|declared|claimed|claims|"
               r"insisted|explained|reported|reportedly|warning|urged|stressed|emphasized|emphasised|described|"
               r"cited|citing|announcement|statement")
ATTRIBUTION_RE = re.compile(rf"\b(?:{ATTRIBUTION})\b")

# Titles that introduce a person's name, and the body a title speaks for ("{adj}": the country's adjective).
TITLES = [
    (r"secretary of state", "{adj} Department of State"),
    (r"(?:defen[cs]e|foreign|prime) minister", None),
    (r"minister of (?:defen[cs]e|foreign affairs)", None),
    (r"(?:deputy )?(?:ambassador|envoy|spokes(?:man|woman|person)|president|premier|chancellor|general|admiral|"
     r"commander|minister|secretary|chief|director|official|officer|analyst|expert|professor|colonel)", None),
]
# Bodies: the article's words -> (normalised name with {adj}, needs a country).
BODIES = [
    (r"(?:Ministry of Defen[cs]e|Defen[cs]e Ministry|defen[cs]e ministry|Ministry of National Defen[cs]e)", "Defense Ministry"),
    (r"(?:Ministry of Foreign Affairs|Foreign Ministry|foreign ministry)", "Foreign Ministry"),
    (r"(?:State Department|Department of State)", "US Department of State"),
    (r"(?:Defen[cs]e Department|Department of Defen[cs]e|Pentagon)", "US Department of Defense"),
    (r"(?:Armed Forces|armed forces|military|army|People's Liberation Army|People’s Liberation Army)", "military"),
    (r"government", "government"),
]
# News outlets and agencies that speak for a state (name, the words naming it, country).
OUTLETS = [
    ("Xinhua News Agency", r"Xinhua(?: News Agency)?", "CHN"),
    ("Global Times", r"Global Times", "CHN"),
    ("People's Daily", r"People['’]s Daily", "CHN"),
    ("China Central Television", r"China Central Television|CCTV", "CHN"),
    ("China Daily", r"China Daily", "CHN"),
    ("TASS", r"TASS", "RUS"),
    ("RIA Novosti", r"RIA Novosti", "RUS"),
    ("Interfax", r"Interfax", "RUS"),
    ("Sputnik", r"Sputnik", "RUS"),
    ("Kommersant", r"Kommersant", "RUS"),
    ("Izvestia", r"Izvestia", "RUS"),
    ("Krasnaya Zvezda", r"Krasnaya Zvezda|Red Star", "RUS"),
]
# A generic outlet mention: "the <Name> business daily", "news outlet <Name>".
OUTLET_NOUNS = r"(?:news agency|News Agency|newspaper|daily|business daily|news outlet|outlet|broadcaster|tabloid|magazine)"

# Status cues, strongest first within each sentence (the build checks the status's x-words).
STATUS_CUES = [
    ("ongoing", r"\b(?:are|is) (?:now )?(?:engaged in|taking part|under ?way|being held|continuing)|\bkicked off\b|"
                r"\bhave (?:begun|started|kicked off)|\bbegan\b|\bstarted\b|\bunder ?way\b|\bongoing\b|\bare due to continue\b"),
    ("planned", r"\bwill\b|\bscheduled\b|\bplanned\b|\bplanning\b|\bupcoming\b|\bto take place\b|\bis set to\b|\bare set to\b"),
    ("held", r"\b(?:conducted|held|took place|carried out|organi[sz]ed|staged|completed|ended|performed|forced|"
             r"had \w+ed|was \w+ed|were \w+ed)\b|\bhas been a (?:consistent |regular )?participant\b"),
]
TROOP_NOUN = r"(?:troops|military personnel|servicemen|service members|soldiers|personnel|military staff)"
QUALIFIERS = [("more than", r"more than|over|upwards of"), ("about", r"about|around|some|approximately|nearly|roughly|almost"),
              ("up to", r"up to|as many as")]
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
FORCE_NOUN = r"(?:troops|forces|military|militaries|army|armies|navy|navies|units|personnel|contingent|fighters?|jets?|ships?|" \
             r"warships?|aircraft|bombers?|Armed Forces|servicemen|soldiers|participation|involvement|People['’]s Liberation Army)"
TAKE_PART = r"(?:take part|taking part|took part|takes part|participate|participates|participated|participating|join|joins|" \
            r"joined|hold|holds|held|conduct|conducts|conducted|conducting|have kicked off|kicked off|send|sends|sent|" \
            r"dispatched|carried out|carry out|organi[sz]ed|are planning|planning|are engaged|is engaged|were engaged|" \
            r"had organi[sz]ed|perform|performed|been a (?:consistent |regular )?participant)"


@lru_cache(maxsize=None)
def countries(root):
    """[(word, ISO3)] longest first: pycountry's names and schema/countries.yaml's words."""
    pairs = set()
    for code, words in _country_words(Path(root)).items():
        for w in words:
            if len(w) >= 2 and "," not in w:
                pairs.add((w, code))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


@lru_cache(maxsize=None)
def country_regex(root):
    words = [re.escape(w) for w, _ in countries(root)]
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")(?:['’]s)?(?![A-Za-z0-9])")


def country_of(root, word):
    word = re.sub(r"['’]s$", "", word)
    for w, code in countries(root):
        if w == word:
            return code
    return None


def find_countries(root, text, start=0, end=None):
    """[(start, end, ISO3)] of country words in text[start:end]. Short capitals (US) match in capitals only."""
    end = len(text) if end is None else end
    out = []
    for m in country_regex(root).finditer(text, start, end):
        w = m.group(1)
        code = country_of(root, w)
        if code is None:
            continue
        if len(w) <= 3 and not w.isupper():
            continue
        out.append((m.start(), m.end(), code))
    return out


@lru_cache(maxsize=None)
def adjective(root, code):
    """The adjective the dataset uses for a country in normalised names: Chinese, Russian, US."""
    extra = (load_yaml(Path(root) / "schema" / "countries.yaml") or {}).get(code) or []
    for w in extra:
        if (w.isupper() and len(w) <= 3) or re.search(r"(an|ese|ish|i|ic|ch)$", w):
            return w
    c = pycountry.countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or c.name


@lru_cache(maxsize=None)
def x_words(root, table, field):
    for f in load_yaml(Path(root) / "schema" / f"{table}.yaml").get("fields") or []:
        if f.get("name") == field:
            return {k: list(v or []) for k, v in (f.get("x-words") or {}).items()}
    return {}
