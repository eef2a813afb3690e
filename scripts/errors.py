"""One error type for everything a person can fix: it names the file, record, field and line; and the exit
contract of the command lines that report them."""

import os
import sys
from pathlib import Path

import click

SHORT = 120  # characters of a value shown in a message: never a whole (possibly huge) value


def short(value, limit=SHORT):
    """repr(value), cut to `limit` characters: messages quote values, never whole documents."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 14] + f"… ({len(text):,} chars)"


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
        what = " ".join(
            p for p in (self.record and f"record {_cut(self.record)}", self.field and f"field {_cut(self.field)}") if p
        )
        return ": ".join(p for p in (where, what, self.message) if p)


def _cut(name, limit=SHORT):
    """A record or field name as written, cut: a curated key may be a whole (huge) value."""
    name = str(name)
    return name if len(name) <= limit else name[: limit - 14] + f"… ({len(name):,} chars)"


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


# -- the exit contract of every command line: 0 done; 1 bad input (each problem as file:line: record
# field: message); 2 a bug (one line naming it, no traceback unless --debug).


def relative(file, root):
    """file as the person knows it: relative to the project, and not through the links it may be (a link
    that leads outside is named by its own path, never by its target)."""
    if not file:
        return None
    path, base = Path(os.path.abspath(file)), Path(os.path.abspath(root))
    for b in (base, base.resolve()):
        try:
            return path.relative_to(b)
        except ValueError:
            continue
    return file


def exit_bad_input(exc, root, heading):
    errors = error_list(exc)
    click.echo(f"{heading}: {len(errors)} problem(s) in the input; nothing published changed", err=True)
    for err in errors:
        err.file = relative(err.file, root)
        click.echo(f"  {err}", err=True)
    sys.exit(1)


def exit_bug(exc, what, debug=False, after=""):
    if debug:
        raise exc
    click.echo(
        f"{what}: internal error (a bug in the pipeline, not in your files; please report it): "
        f"{type(exc).__name__}: {str(exc)[:300]}; rerun with --debug for a traceback.{after}",
        err=True,
    )
    sys.exit(2)


class Command(click.Command):
    """A click command that keeps the contract for its own usage errors too: a bad option is bad input,
    exit 1 (click alone exits 2, the code of a bug here)."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.ClickException as e:
            e.show()
            sys.exit(1)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
