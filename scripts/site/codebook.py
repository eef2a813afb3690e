"""The codebook, generated from schema/ and checks/ (never written by hand): how a value comes to be
published (the bases, the derivation rules, the kinds of field and what a quote must say for each, how
differences between articles are classified, the checks across rows and tables), then every table and
column with its description, type, constraints and example.

Written twice from one fragment: download/codebook.html (standalone, in the release) and the fragment
the site shows at /codebook."""

import html

from ..check.rules import read_checks

CODEBOOK_FILE = "codebook.html"
FRAGMENT_FILE = "codebook.fragment.html"
e = html.escape


def _enum_in_words(field):
    values = (field.get("arrayItem") or field).get("constraints", {}).get("enum")
    if not values or len(values) > 12:
        return None
    return "one of " + ", ".join(f"<code>{e(str(v))}</code>" for v in values)


def constraints(field, kinds):
    """A column's constraints in words (the long patterns made from kinds.yaml's refusals by their reasons)."""
    c = dict(field.get("constraints") or {})
    item = (field.get("arrayItem") or {}).get("constraints") or {}
    words = []
    if c.pop("required", False):
        words.append("required")
    if c.pop("unique", False):
        words.append("unique")
    enum = _enum_in_words(field)
    c.pop("enum", None)
    if enum:
        words.append(enum)
    elif (field.get("arrayItem") or field).get("constraints", {}).get("enum"):
        words.append(f"one of {len((field.get('arrayItem') or field)['constraints']['enum'])} codes (datapackage.json)")
    for key, text in (
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
    ):
        for source in (c, item):
            if key in source:
                words.append(text.format(source[key]) if "{}" in text else f"{text} {source[key]}")
    kind = kinds.get(field.get("x-kind") or "", {})
    if kind.get("refuse"):
        words.append("plain text (see the kind)")
    elif "pattern" in c or "pattern" in item:
        words.append(f"matches <code>{e(c.get('pattern') or item.get('pattern'))}</code>")
    return "; ".join(words)


def methodology(schema, checks):
    evidence = {f["name"]: f for f in schema.fields("evidence")}
    differences = {f["name"]: f for f in schema.fields("differences")}
    out = [
        '<h2 id="method">How a value is published</h2>',
        f"<p>{e(schema.package.get('description', ''))}</p>",
        '<h3 id="basis">Basis: how a value rests on its quote</h3>',
        f"<p>{e(evidence['basis']['description'])}</p>",
        "<dl>",
        "<dt><code>stated</code></dt><dd>The quote says the value, as its kind below requires "
        "(the build checks it).</dd>",
        "<dt><code>derived</code></dt><dd>The value follows from the article's own words by one of the rules below, "
        "named in <code>evidence.rule</code> and checked by the build as the rule's check says.</dd>",
        "<dt><code>outside</code></dt><dd>The value needs a fact from outside the article, which "
        "<code>evidence.inference</code> names; the row's <code>outside_knowledge</code> lists such fields.</dd>",
        "</dl>",
        '<h3 id="kinds">Kinds of field: what a quote must say</h3>',
        "<dl>",
    ]
    for name, kind in schema.kinds.items():
        out.append(f'<dt id="kind-{e(name)}"><code>{e(name)}</code></dt><dd>{e(str(kind.get("states", "")))}</dd>')
    out.append("</dl>")
    refusals = sorted({why for _, why, _ in schema.refusals})
    out.append("<p>No text value may hold: " + "; ".join(e(w) for w in refusals) + ".</p>")
    out += [
        '<h3 id="rules">Derivation rules</h3>',
        "<table><thead><tr><th>rule</th><th>what it says</th><th>what the build checks</th></tr></thead><tbody>",
    ]
    for r in schema.rows("rules"):
        out.append(
            f'<tr id="rule-{e(r["rule_id"])}"><td><code>{e(r["rule_id"])}</code><br>{e(r["title"])}</td>'
            f"<td>{e(r['description'])}</td><td>{e(r['check'])}</td></tr>"
        )
    out += [
        "</tbody></table>",
        '<h3 id="differences">Where articles differ</h3>',
        f"<p>{e(schema.tables['differences']['description'])}</p>",
        f"<p>{e(differences['difference']['description'])}</p>",
        '<h3 id="checks">Checks across rows and tables</h3>',
        "<p>Each is a query in <code>checks/</code> that the build runs on the database; a failure stops it.</p>",
        "<ul>",
    ]
    out += [f"<li><code>{e(c.name)}</code> ({e(c.table)}): {e(c.description)}</li>" for c in checks]
    out.append("</ul>")
    return out


def tables(schema):
    out = ['<h2 id="tables">Tables and columns</h2>']
    for name, table in schema.tables.items():
        keys = [f"primary key ({', '.join(table['primaryKey'])})"]
        keys += [f"unique ({', '.join(k)})" for k in schema.unique_keys(name)]
        keys += [
            f"{', '.join(fk['fields'])} → {fk['reference'].get('resource') or name}."
            f"{', '.join(fk['reference']['fields'])}"
            for fk in schema.foreign_keys(name)
        ]
        out += [
            f'<h3 id="table-{e(name)}"><code>{e(name)}</code>: {e(table["title"])}</h3>',
            f"<p>{e(table['description'])}</p>",
            f'<p class="keys">{e("; ".join(keys))}.</p>',
            '<table class="columns"><thead><tr><th>column</th><th>type</th><th>constraints</th><th>example</th>'
            "<th>description</th></tr></thead><tbody>",
        ]
        for f in schema.fields(name):
            kind = f.get("x-kind")
            typ = f["type"] + (f" of {f['arrayItem'].get('type', 'string')}" if f["type"] == "array" else "")
            typ += (
                f"<br><small>{e(f['x-provenance'])}"
                + (f', kind <a href="#kind-{e(kind)}">{e(kind)}</a>' if kind else "")
                + "</small>"
            )
            out.append(
                f'<tr id="{e(name)}.{e(f["name"])}"><td><code>{e(f["name"])}</code><br>{e(f["title"])}</td>'
                f"<td>{typ}</td><td>{constraints(f, schema.kinds)}</td>"
                f"<td><code>{e(str(f.get('example', '')))}</code></td><td>{e(f['description'])}</td></tr>"
            )
        out.append("</tbody></table>")
    return out


def fragment(schema, root):
    intro = [
        "<p>Generated from <code>schema/</code> and <code>checks/</code> for version "
        f"{e(schema.version)}. Provenance: <code>curated</code> columns come from an article's quote, "
        "<code>derived</code> ones are made by the build from curated values (with evidence), "
        "<code>computed</code> ones from the files themselves (no evidence).</p>"
    ]
    return "\n".join(intro + methodology(schema, read_checks(root)) + tables(schema)) + "\n"


def write_codebook(root, set_dir, download, schema):
    body = fragment(schema, root)
    (set_dir / FRAGMENT_FILE).write_text(body, encoding="utf-8")
    title = f"Codebook · {schema.package['title']} {schema.version}"
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>\n'
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border-top:1px solid #ddd;padding:.3em .5em;text-align:left;"
        "vertical-align:top}code{overflow-wrap:anywhere}</style></head>\n"
        f"<body><h1>{e(title)}</h1>\n{body}</body></html>\n"
    )
    (download / CODEBOOK_FILE).write_text(page, encoding="utf-8")
