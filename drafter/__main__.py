"""python -m drafter --seed seeds/<name>.txt [--out path] | --html page.html [--out path]"""
import sys
from pathlib import Path

import click

from .draft import make_draft
from .page import PageError, extract, save_seed
from .write import render


@click.command()
@click.option("--seed", type=click.Path(dir_okay=False), help="An article in seeds/ (plain text).")
@click.option("--html", type=click.Path(dir_okay=False), help="A saved web page: its text goes to seeds/ first.")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the draft (default curation/<name>.yaml).")
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
def main(seed, html, out, root):
    """Write a first draft of an article's curation, never overwriting a file."""
    root = Path(root)
    if bool(seed) == bool(html):
        raise click.UsageError("give one of --seed seeds/<name>.txt or --html page.html")
    if html:
        if not Path(html).is_file():
            _fail(f"no such page: {html}")
        try:
            text = extract(html)
        except PageError as e:
            _fail(str(e))
        seed_path, written = save_seed(root, text)
        click.echo(f"draft: {'wrote' if written else 'the same text is already'} {_rel(seed_path, root)}"
                   f"{'' if written else ' (not written again)'}", err=True)
    else:
        seed_path = Path(seed)
        if not seed_path.is_absolute() and not seed_path.exists():
            seed_path = root / seed
        if not seed_path.is_file():
            _fail(f"no such seed: {seed}")
        if seed_path.suffix != ".txt":
            _fail(f"a seed is a .txt file in seeds/, not {seed}")
    target = Path(out) if out else root / "curation" / f"{seed_path.stem}.yaml"
    if target.exists():
        _fail(f"{target} already exists: a draft never overwrites a file (give --out another path, or move it)")
    try:
        draft = make_draft(root, seed_path)
    except UnicodeDecodeError as e:
        _fail(f"{seed_path} is not UTF-8 text (byte {e.start})")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as f:
            f.write(render(draft))
    except FileExistsError:
        _fail(f"{target} already exists: a draft never overwrites a file")
    n = len(draft.source) + sum(len(e["facts"]) + len(e["participants"]) for e in draft.exercises.values()) + len(draft.statements)
    click.echo(f"draft: wrote {target} ({len(draft.exercises)} exercise(s), {len(draft.statements)} statement(s), "
               f"{n} proposals): check each, then delete its `draft:` line", err=True)


def _fail(message):
    click.echo(f"draft: {message}", err=True)
    sys.exit(1)


def _rel(path, root):
    try:
        return Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return path


if __name__ == "__main__":
    main()
