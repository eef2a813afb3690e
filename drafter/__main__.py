"""python -m drafter --seed seeds/<name>.txt [--out path] | --html page.html [--out path]

Exit status: 0 drafted; 1 bad input (a message names the file and why); 2 a bug."""

import os
import sys
from pathlib import Path

import click

from scripts.errors import PipelineError

from .draft import make_draft
from .page import PageError, extract, save_seed
from .write import render


def _fail(message):
    click.echo(f"draft: {message}", err=True)
    sys.exit(1)


def _rel(path, root):
    try:
        return Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return path


def run(seed, html, out, root):
    from scripts.read.files import read_input

    root = Path(root)
    if html:
        try:
            text = extract(html)["text"]
        except (PageError, PipelineError) as e:
            _fail(str(e))
        seed_path, written = save_seed(root, text)
        click.echo(
            f"draft: {'wrote' if written else 'the same text is already'} {_rel(seed_path, root)}"
            f"{'' if written else ' (not written again)'}",
            err=True,
        )
    else:
        seed_path = Path(seed)
        if not seed_path.is_absolute() and (root / seed).exists():
            seed_path = root / seed  # seeds/<name>.txt of the project, wherever the command runs
        if seed_path.suffix != ".txt":
            _fail(f"a seed is a .txt file in seeds/, not {seed}")
        try:
            raw = read_input(seed_path, root)
            text = raw.decode("utf-8")
        except PipelineError as e:
            _fail(str(e))
        except UnicodeDecodeError as e:
            _fail(f"{seed_path} is not UTF-8 text (byte {e.start})")
    target = Path(out) if out else root / "curation" / f"{seed_path.stem}.yaml"
    if target.exists():
        _fail(f"{target} already exists: a draft never overwrites a file (give --out another path, or move it)")
    draft = make_draft(root, text, seed_path.stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    # written whole to a temporary file, then linked into place: a killed run leaves no half draft, and the
    # link fails rather than replace a file that appeared meanwhile
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(render(draft), encoding="utf-8")
    try:
        os.link(tmp, target)
    except FileExistsError:
        _fail(f"{target} already exists: a draft never overwrites a file (give --out another path, or move it)")
    finally:
        tmp.unlink(missing_ok=True)
    n = (
        len(draft.source)
        + sum(len(e.facts) + len(e.participants) for e in draft.exercises.values())
        + len(draft.statements)
    )
    click.echo(
        f"draft: wrote {target} ({len(draft.exercises)} exercise(s), {len(draft.statements)} statement(s), "
        f"{n} proposals): check each, then delete its `draft:` line",
        err=True,
    )


@click.command()
@click.option("--seed", type=click.Path(dir_okay=False), help="An article in seeds/ (plain text).")
@click.option("--html", type=click.Path(dir_okay=False), help="A saved web page: its text goes to seeds/ first.")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the draft (default curation/<name>.yaml).")
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
def main(seed, html, out, root):
    """Write a first draft of an article's curation, never overwriting a file."""
    if bool(seed) == bool(html):
        raise click.UsageError("give one of --seed seeds/<name>.txt or --html page.html")
    try:
        run(seed, html, out, root)
    except SystemExit:
        raise
    except Exception as e:  # a bug, not bad input
        click.echo(
            f"draft: internal error (a bug in the drafter, please report it): {type(e).__name__}: {str(e)[:300]}",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
