"""The exercises with a point, as GeoJSON (RFC 7946): download/exercises.geojson, on the site and in
the release. Each feature carries what a map's popup needs, as published (dates at their precision)."""

import json

GEOJSON_FILE = "exercises.geojson"
PROPERTIES = (
    "exercise_id",
    "label",
    "year",
    "start_date",
    "end_date",
    "date_precision",
    "status",
    "host_country",
    "location",
    "location_precision",
)


def geojson(exercises, db_name):
    features = [
        {
            "type": "Feature",
            "id": e["exercise_id"],
            "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
            "properties": {k: e[k] for k in PROPERTIES} | {"url": f"/{db_name}/exercises/{e['exercise_id']}"},
        }
        for e in exercises
        if e["latitude"] is not None and e["longitude"] is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(download, exercises, db_name):
    doc = geojson(exercises, db_name)
    (download / GEOJSON_FILE).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(doc["features"])
