"""Load YAML keeping line numbers, so errors can say where a curator should look.

Mappings load as LineDict (with .line and .key_lines), sequences as LineList (with .line).
Duplicate keys are an error: PyYAML would silently keep the last one.
"""
import yaml

from .errors import PipelineError


class LineDict(dict):
    line = None
    key_lines = None

    def line_of(self, key):
        return (self.key_lines or {}).get(key, self.line)


class LineList(list):
    line = None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~6x faster, same marks
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise PipelineError(
                f"duplicate key {key!r} (first at line {result.key_lines[key]})",
                line=key_node.start_mark.line + 1,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


def _timestamp_as_text(loader, node):
    # A date typed without quotes stays the text the curator wrote: dates are compared as text.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_yaml(path):
    """Parse one YAML file; any problem becomes a PipelineError naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PipelineError(f"cannot read: {e.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PipelineError(f"not UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r})", file=path) from None
    if not text.strip():
        raise PipelineError("the file is empty", file=path)
    try:
        return yaml.load(text, Loader=_Loader)
    except PipelineError as e:
        e.file = path
        raise
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        raise PipelineError(f"YAML syntax error: {problem}", file=path, line=mark.line + 1 if mark else None) from None
