"""Provenance in an open standard: every evidence row and statement of an article as a W3C Web
Annotation (https://www.w3.org/TR/annotation-model/), one AnnotationCollection per article in
download/annotations/<source_id>.jsonld (served at /download/annotations/… and in the release zip).

Each annotation targets the article's text as kept in seeds/ (`../seeds/<file>`: the same relative
address on the site and in the unzipped release) with a TextQuoteSelector (the quote, with up to
CONTEXT characters before and after it) and a TextPositionSelector (the quote's offsets, in Unicode
code points, as the model asks); its body is the value it supports (table, record, field, value,
basis), in terms the codebook defines."""

import json

ANNOTATIONS_DIR = "annotations"
CONTEXT = 32
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
TERMS = ("table", "record", "field", "basis", "rule", "inference", "in_table", "evidence")


def collection_path(source_id):
    return f"{ANNOTATIONS_DIR}/{source_id}.jsonld"


def _target(seed_file, text, start, end):
    return {
        "source": f"../seeds/{seed_file}",
        "type": "Text",
        "format": "text/plain",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT) : start],
                "suffix": text[end : end + CONTEXT],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def annotations(source, text, evidence, statements):
    for e in evidence:
        body = {
            "type": "Dataset",
            "table": e["table_name"],
            "record": e["record_id"],
            "field": e["field"],
            "value": e["value"],
            "basis": e["basis"],
            "evidence": e["evidence_id"],
            "in_table": bool(e["in_table"]),
        }
        body |= {k: e[k] for k in ("rule", "inference") if e.get(k)}
        yield {
            "id": f"#{e['evidence_id']}",
            "type": "Annotation",
            "motivation": "describing",
            "body": body,
            "target": _target(source["seed_file"], text, e["quote_start"], e["quote_end"]),
        }
    for s in statements:
        body = {
            "type": "Dataset",
            "table": "statements",
            "record": s["statement_id"],
            "field": "quote",
            "value": s["quote"],
            "basis": "stated",
        }
        yield {
            "id": f"#{s['statement_id']}",
            "type": "Annotation",
            "motivation": "identifying",
            "body": body,
            "target": _target(source["seed_file"], text, s["quote_start"], s["quote_end"]),
        }


def collection(source, text, evidence, statements, vocabulary):
    items = list(annotations(source, text, evidence, statements))
    return {
        "@context": [ANNO_CONTEXT, {t: {"@id": vocabulary + t} for t in TERMS}],
        "id": f"{source['source_id']}.jsonld",
        "type": "AnnotationCollection",
        "label": f"The quoted spans of “{source['label']}” and the values they support",
        "total": len(items),
        "first": {
            "id": f"{source['source_id']}.jsonld#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def write_annotations(download, content, seeds, vocabulary):
    (download / ANNOTATIONS_DIR).mkdir(parents=True, exist_ok=True)
    for s in content.sources:
        sid = s["source_id"]
        doc = collection(s, seeds[sid], content.evidence.get(sid, []), content.statements.get(sid, []), vocabulary)
        # compact: json's C encoder writes 5,000 collections in a second, its indenting Python one in fifteen
        (download / collection_path(sid)).write_text(
            json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
