"""One error type for everything a person can fix: it names the file, record, field and line."""

SHORT = 120  # characters of a value shown in a message: never a whole (possibly huge) value


def short(value, limit=SHORT):
    """repr(value), cut to `limit` characters: messages quote values, never whole documents."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 14] + f"… ({len(text):,} chars)"


class PipelineError(Exception):
    """A problem in the inputs, reported as `file:line: record R field F: message`."""

    def __init__(self, message, file=None, record=None, field=None, line=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.record = record
        self.field = field
        self.line = line

    def __str__(self):
        where = str(self.file) if self.file else ""
        if self.line:
            where += f":{self.line}"
        what = " ".join(p for p in (self.record and f"record {self.record}", self.field and f"field {self.field}") if p)
        return ": ".join(p for p in (where, what, self.message) if p)


class PipelineErrors(Exception):
    """Several independent errors, reported together so a curator fixes them in one pass."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = list(errors)

    def __str__(self):
        return "\n".join(str(e) for e in self.errors)


def error_list(exc):
    return exc.errors if isinstance(exc, PipelineErrors) else [exc]


class Collector:
    """Collects PipelineErrors, raises them all at once."""

    def __init__(self):
        self.errors = []

    def add(self, message, **where):
        self.errors.append(message if isinstance(message, PipelineError) else PipelineError(message, **where))

    def raise_if_any(self):
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise PipelineErrors(self.errors)
