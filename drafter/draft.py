"""A draft of one article's curation: every proposal the rules make, in the curation format's shape."""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article
from .exercises import Finder
from .facts import Facts
from .knowledge import read_knowledge
from .participants import Participants
from .proposal import Proposer
from .source import propose_source
from .statements import StatementFinder
from . import vocab


@dataclass
class Draft:
    stem: str
    sha256: str
    source: dict = field(default_factory=dict)        # field -> Proposal
    exercises: dict = field(default_factory=dict)     # id -> {"why", "new", "facts": {field: Proposal | [Proposal]}, "participants"}
    statements: list = field(default_factory=list)    # dicts: statement_id, exercise_id, quote, within, fields -> Proposal


def make_draft(root, seed, exclude=()):
    """Draft seeds/<stem>.txt. The article's own curation (if any) and those in `exclude` are not
    read: a draft is made from the article and what the project knows from the others."""
    root, seed = Path(root), Path(seed)
    raw = seed.read_bytes()
    text = raw.decode("utf-8")
    stem = seed.stem
    article = Article(root, text)
    p = Proposer(root, text)
    knowledge = read_knowledge(root, exclude=set(exclude) | {stem})
    registered = _registered(root)
    draft = Draft(stem, hashlib.sha256(raw).hexdigest())
    draft.source = propose_source(p, article)
    finder = Finder(article, knowledge)
    for eid, ex in finder.find().items():
        facts = Facts(p, article, ex, finder.exercises).propose()
        parts = Participants(p, article, ex, facts.get("host_country")).find()
        draft.exercises[eid] = {"why": ex.why + ("; the main exercise of the article" if ex.main else ""),
                                "new": eid not in registered and ex.known is None, "facts": facts, "participants": parts}
    names = {text[a:b] for ex in finder.exercises.values() for a, b in ex.names} | set(vocab.SERIES)
    draft.statements = StatementFinder(p, article, lambda w: w in names, finder.exercise_of).find(stem)
    return draft


def _registered(root):
    from scripts.read.yaml_safe import load_yaml

    path = Path(root) / "curation" / "exercises.yaml"
    return set(load_yaml(path) or {}) if path.exists() else set()
