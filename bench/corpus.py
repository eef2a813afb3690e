"""A project of N articles for the benchmark: the curated articles, copied until there are N.

Each copy k of an article is the real seed with one line in front ("[bench copy k]"), its curation with
the new seed_sha256, and its exercise and statement ids suffixed with `-b<k>`; the register is copied
the same way. So the benchmark measures real curation (every kind of field, evidence, differences,
people, statements, counts, reactions, rules), only more of it, and builds exactly as the live data does.
N is rounded up to whole copies of the curated set: a copy without all its articles would leave the register
choosing between values that no article of the copy gives.
"""

import hashlib
import re
import shutil
from pathlib import Path

from scripts.read.yaml_safe import load_yaml
from tests.support import ROOT, copy_definitions

STATEMENT_ID = re.compile(r"\b(s\d{3}-[a-z0-9-]*[a-z0-9])\b")


def renamer(ids, k):
    words = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")

    def rename(text):
        text = words.sub(lambda m: f"{m.group(1)}-b{k}", text)
        return STATEMENT_ID.sub(lambda m: f"{m.group(1)}-b{k}", text)

    return rename


def make_corpus(n, dest, source=ROOT):
    """Writes a project of at least n articles to dest (definitions from the repository); returns how many."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    copy_definitions(dest)
    (dest / "seeds").mkdir()
    (dest / "curation").mkdir()
    register = (source / "curation" / "exercises.yaml").read_text(encoding="utf-8")
    ids = list(load_yaml(source / "curation" / "exercises.yaml"))
    articles = sorted(p for p in (source / "curation").glob("*.yaml") if p.name != "exercises.yaml")
    copies = -(-n // len(articles))
    parts = []
    for k in range(copies):
        rename = renamer(ids, k)
        parts.append(f"# copy {k}\n" + rename(register))
        for path in articles:
            seed = f"[bench copy {k}]\n".encode() + (source / "seeds" / f"{path.stem}.txt").read_bytes()
            stem = f"{path.stem}_b{k}"
            (dest / "seeds" / f"{stem}.txt").write_bytes(seed)
            text = rename(path.read_text(encoding="utf-8"))
            text = re.sub(
                r"^seed_sha256: .*$", f"seed_sha256: {hashlib.sha256(seed).hexdigest()}", text, count=1, flags=re.M
            )
            (dest / "curation" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    (dest / "curation" / "exercises.yaml").write_text("\n".join(parts), encoding="utf-8")
    return copies * len(articles)
