"""Load a curated YAML file safely, keeping line numbers for error messages.

Curated files are typed by people and may be written by an adversary, so only plain data is
accepted: mappings with text or number keys, sequences, and scalars resolved as in YAML 1.2
(decimal numbers only: `010000` stays text, never octal 4096; only true/false are booleans, so
`NO` is Norway, not False; dates stay the text written). Anchors and aliases are refused (nested
aliases expand exponentially), and so is nesting deeper than MAX_DEPTH. Mappings load as
LineDict (with .line and .line_of(key)), sequences as LineList (with .line).
"""

import re

import yaml

from ..errors import PipelineError, short
from .files import read_input

MAX_BYTES = 2_000_000  # an article's curation
REGISTER_MAX_BYTES = 50_000_000  # the register grows with the dataset: every exercise of every article
MAX_DEPTH = 32  # a curation file nests 6 levels; deeper is a mistake or an attack
C_SAFE_NESTING = 3000  # libyaml composes recursively in C: deeper input is scanned first


class LineDict(dict):
    line = None
    key_lines = None

    def line_of(self, key):
        return (self.key_lines or {}).get(key, self.line)


class LineList(list):
    line = None


_IMPLICIT = re.compile(
    r"(?P<null>~|null|Null|NULL|)|(?P<bool>true|True|TRUE|false|False|FALSE)|(?P<int>[-+]?(?:0|[1-9][0-9]*))"
    r"|(?P<float>[-+]?(?:0|[1-9][0-9]*)\.[0-9]+)"
)


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema, strictly: everything that is not null, true/false or a decimal number is text
    (one regular expression, not PyYAML's table of them: a curation file has thousands of scalars)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return "tag:yaml.org,2002:str"
            tag = _RESOLVED.get(value)
            if tag is None:  # keys and short values recur in every file: resolve each text once
                m = _IMPLICIT.fullmatch(value)
                tag = f"tag:yaml.org,2002:{m.lastgroup}" if m else "tag:yaml.org,2002:str"
                if len(_RESOLVED) < 100_000:
                    _RESOLVED[value] = tag
            return tag
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


_RESOLVED = {}


class _Constructor(yaml.constructor.SafeConstructor):
    yaml_constructors = {}  # only the tags registered below: no binary, timestamp, set, omap...


def _unknown_tag(constructor, node):
    raise PipelineError(
        f"YAML tags such as {short(node.tag)} are not allowed: write plain values", line=node.start_mark.line + 1
    )


for _tag in ("str", "int", "float", "bool", "null"):
    _Constructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{_tag}")
    )
_Constructor.add_constructor(None, _unknown_tag)


class _Loader(yaml.cyaml.CParser, _Constructor, _Resolver):  # libyaml's parser: ~6x faster, same marks
    def __init__(self, stream):
        yaml.cyaml.CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def _nesting_bound(text):
    """An upper bound on the nesting depth: each level opens a line, a bracket, a dash or a complex key (cheap,
    and enough for a curation file); for a longer file, brackets, the deepest indentation and dashes on a line."""
    flow = text.count("[") + text.count("{") + text.count("?") + 2
    bound = flow + text.count("\n") + text.count("- ") + text.count("-\t")
    if bound <= C_SAFE_NESTING:
        return bound
    lines = text.splitlines() or [""]
    return flow + max(len(x) - len(x.lstrip(" ")) for x in lines) + max(x.count("- ") + x.count("-\t") for x in lines)


def _scan_depth(text):
    """The line where nesting first exceeds MAX_DEPTH, from libyaml's (non-recursive) event stream."""
    loader, depth = _Loader(text), 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return None


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_PLAIN = {
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": lambda v: v.lower() == "true",
    "tag:yaml.org,2002:null": lambda v: None,
}


class _Builder:
    """Composed nodes -> LineDict/LineList/scalars in one walk, refusing aliases (a node reached twice) and
    nesting deeper than MAX_DEPTH (PyYAML's generic constructor did the same work at twice the cost)."""

    def __init__(self, loader):
        self.loader, self.seen = loader, set()

    def build(self, node, depth):
        if id(node) in self.seen:
            raise PipelineError(
                "anchors and aliases (&name, *name) are not allowed: write each value out",
                line=node.start_mark.line + 1,
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise PipelineError(f"nested more than {MAX_DEPTH} levels deep", line=node.start_mark.line + 1)
        tag, kind = node.tag, type(node)
        if tag == _STR and kind is yaml.ScalarNode:
            return node.value
        if tag == _MAP and kind is yaml.MappingNode:
            return self.mapping(node, depth)
        if tag == _SEQ and kind is yaml.SequenceNode:
            result = LineList(self.build(child, depth + 1) for child in node.value)
            result.line = node.start_mark.line + 1
            return result
        plain = _IMPLICIT.fullmatch(node.value) if tag in _PLAIN and kind is yaml.ScalarNode else None
        if plain and plain.lastgroup == tag.rsplit(":", 1)[1]:  # as the resolver read it
            return _PLAIN[tag](node.value)
        return self.loader.construct_object(node)  # an explicit tag: refused, or read as PyYAML reads it

    def mapping(self, node, depth):
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise PipelineError("a key must be plain text, not a list or a mapping", line=line)
            key = self.build(key_node, depth + 1)
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise PipelineError(f"a key must be text, not {short(key)}", line=line)
            if key in result:
                raise PipelineError(f"duplicate key {short(key)} (first at line {result.key_lines[key]})", line=line)
            result[key] = self.build(value_node, depth + 1)
            result.key_lines[key] = line
        return result


def parse_yaml(text):
    """Parse YAML text into LineDict/LineList/scalars; raises PipelineError (with a line, no file)."""
    try:
        if _nesting_bound(text) > C_SAFE_NESTING:
            line = _scan_depth(text)
            if line:
                raise PipelineError(f"nested more than {MAX_DEPTH} levels deep", line=line)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None
            return _Builder(loader).build(root, 1)
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        context, start = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and start and (not mark or start.line != mark.line):
            problem += f" ({context} at line {start.line + 1})"
        raise PipelineError(f"YAML syntax error: {problem}", line=mark.line + 1 if mark else None) from None


def load_yaml(path, max_bytes=MAX_BYTES, root=None):
    """Parse one YAML file (a regular file, inside root when given); any problem becomes a PipelineError
    naming the file and line."""
    raw = read_input(path, root, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PipelineError(f"not UTF-8 (byte {e.start}: {raw[e.start : e.start + 1]!r})", file=path) from None
    if not text.strip():
        raise PipelineError("the file is empty", file=path)
    try:
        return parse_yaml(text)
    except PipelineError as e:
        e.file = path
        raise
