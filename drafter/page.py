"""A saved web page -> a seed: the article's text and metadata as trafilatura extracts them, offline,
from the file alone. The seed holds exactly what was extracted (a `---` block of title, author,
url, sitename, date, then the text), so every proposal about the source can quote it."""
import hashlib
import re
from pathlib import Path

SEED_NAME = re.compile(r"^(?P<n>\d{3,})_[0-9a-f]{16}\.txt$")


class PageError(Exception):
    pass


def extract(html_path):
    """The seed text of a saved page: trafilatura's plain text with its metadata header."""
    import trafilatura  # imported only for pages (it is the drafting layer's dependency)

    html = Path(html_path).read_text(encoding="utf-8", errors="replace")
    text = trafilatura.extract(html, with_metadata=True, output_format="txt", include_comments=False,
                               include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise PageError(f"no article text found in {html_path}")
    return text if text.endswith("\n") else text + "\n"


def seed_name(seeds_dir, data):
    """NNN_<16 hex of the text's sha256>.txt, NNN one more than the highest number in seeds/."""
    numbers = [int(m.group("n")) for p in Path(seeds_dir).glob("*.txt") if (m := SEED_NAME.match(p.name))]
    return f"{(max(numbers) + 1 if numbers else 0):03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def save_seed(root, text):
    """Write the text to seeds/ (never overwriting); a seed with the same bytes is reused. Returns its path."""
    seeds = Path(root) / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    for p in sorted(seeds.glob("*.txt")):
        if p.read_bytes() == data:
            return p, False
    path = seeds / seed_name(seeds, data)
    with open(path, "xb") as f:  # x: fails rather than overwrite
        f.write(data)
    return path, True
