"""How to cite the dataset, made from one home: schema/package.yaml (title, version, created, license,
description, keywords, `homepage`, the repository's address, and `contributors`, the named maintainers).
CITATION.cff is written from these same values by the build (an output, like datapackage.json), so every
citation agrees with it."""

import re

import yaml

CFF_FILE = "CITATION.cff"
CFF_MESSAGE = (
    "If you use this dataset, please cite it with its version, as below. Cite a single fact by its "
    "evidence_id, its article (source_id) and the quote's offsets: each fact sheet on the site gives "
    "that line with a permalink."
)


def repository_url(root, package):
    """The repository's address: package.yaml's `homepage`."""
    return package.get("homepage")


def people(package):
    """The maintainers as CFF authors: a person where package.yaml names one (givenName, familyName),
    else the body's title (an entity)."""
    out = []
    for c in package.get("contributors") or []:
        if c.get("familyName"):
            person = {"family-names": c["familyName"], "given-names": c.get("givenName", "")}
            out.append({k: v for k, v in person.items() if v} | ({"email": c["email"]} if c.get("email") else {}))
        else:
            out.append({"name": c["title"]})
    return out


def _author_names(package):
    return [
        " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p) or a["name"] for a in people(package)
    ]


def plain(package, url=None):
    """The citation of this version as one line of text."""
    authors = "; ".join(_author_names(package)) or package["title"]
    return (
        f"{authors} ({package.get('created', '')[:4]}). {package['title']} (version {package['version']}) "
        f"[Data set]. Data package “{package['name']}”. License: {package['licenses'][0]['name']}."
        + (f" {url}" if url else "")
    )


def bibtex(package, url=None):
    """A BibTeX entry (@misc, which every BibTeX style knows); an organisation's name is braced whole."""

    def author(a):
        return (
            f"{a['family-names']}, {a.get('given-names', '')}".rstrip(", ")
            if "family-names" in a
            else "{" + a["name"] + "}"
        )

    key = re.sub(r"[^A-Za-z0-9]+", "-", f"{package['name']}-{package['version']}")
    fields = [
        ("author", " and ".join(author(a) for a in people(package)) or "{" + package["title"] + "}"),
        ("title", "{" + package["title"] + "}"),
        ("year", package.get("created", "")[:4]),
        ("version", package["version"]),
        ("howpublished", f"Data package “{package['name']}”"),
        ("url", url),
        ("note", f"License: {package['licenses'][0]['name']}"),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}\n"


def cff(package, url=None):
    """CITATION.cff (Citation File Format 1.2.0) for this version."""
    data = {
        "cff-version": "1.2.0",
        "message": CFF_MESSAGE,
        "type": "dataset",
        "title": package["title"],
        "version": package["version"],
        "date-released": package.get("created", "")[:10],
        "authors": people(package),
        "license": package["licenses"][0]["name"],
    }
    if url:
        data["repository-code"] = url
    data["abstract"] = " ".join(str(package.get("description", "")).split())
    data["keywords"] = list(package.get("keywords") or [])
    head = (
        "# How to cite this dataset (Citation File Format 1.2.0). Written by `make build` from\n"
        "# schema/package.yaml: edit that.\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
