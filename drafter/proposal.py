"""One proposal: a value for one field, the seed's words it rests on, and why it was proposed.

A proposal is made only when it would pass the build's own value-vs-quote check (scripts/support.py)
for its field's kind, or carries the inference that says how the value follows: the curator then
reviews claims the build already accepts, rather than repairing them.
"""
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scripts.read.support import unsupported
from scripts.read.yaml_safe import load_yaml
from .text import unique_quote


@dataclass
class Proposal:
    value: object
    quotes: list                 # verbatim runs of the seed, each occurring exactly once
    why: str                     # the `# why:` comment: which rule proposed it
    inference: str = None
    basis: str = None            # None (stated or derived, the build decides) or "outside"
    note: str = None
    spans: list = field(default_factory=list)   # (start, end) of each quote in the seed


@lru_cache(maxsize=None)
def _field_spec(root, table, name):
    for f in load_yaml(Path(root) / "schema" / f"{table}.yaml").get("fields") or []:
        if f.get("name") == name:
            return f.get("x-kind"), {k: list(v or []) for k, v in (f.get("x-words") or {}).items()}
    raise KeyError(f"{table}.{name}")


class Proposer:
    """Makes proposals for one seed: knows its text and the project's schema."""

    def __init__(self, root, text):
        self.root, self.text = Path(root), text

    def quote(self, start, end):
        """(quote, (start, end)) for the shortest unique run around text[start:end], or None."""
        q = unique_quote(self.text, start, end)
        if q is None:
            return None
        a = self.text.find(q)
        return q, (a, a + len(q))

    def claim(self, table, name, value, spans, why, inference=None, basis=None, note=None):
        """A Proposal for table.name resting on the seed's spans, or None when no unique quote can be
        made, or when the quotes do not say the value and no inference says how it follows."""
        if value is None or value == "":
            return None
        quotes, located = [], []
        for s, e in spans:
            got = self.quote(s, e)
            if got is None:
                return None
            if got[0] not in quotes:
                quotes.append(got[0])
                located.append(got[1])
        if not quotes:
            return None
        kind, words = _field_spec(str(self.root), table, name)
        if not inference and unsupported(kind, value, quotes, self.root, words):
            return None
        return Proposal(value, quotes, why, inference, basis, note, located)

    def supported(self, table, name, value, spans):
        """Do the seed's spans say the value, by the build's rule for the field's kind?"""
        kind, words = _field_spec(str(self.root), table, name)
        return unsupported(kind, value, [self.text[s:e] for s, e in spans], self.root, words) is None
