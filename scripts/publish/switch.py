"""Where a build's outputs go, and how they become the published set at once.

A build writes everything into a fresh folder, build/sets/<name>/ (the Datasette configuration
directory: the database, metadata, settings, templates, plugins, and the download files:
datapackage.json, data/*.csv, seeds/). Once every check has passed, its files are flushed to
disk and one symbolic link, build/site, is switched to it (a rename: atomic). A build that fails
or is killed before the switch leaves the published set as it was; after it, the new set is
published whole.

A set stays while a server serves it: the site's plugin holds a shared lock on <set>/.serving for
as long as the server runs, and a set whose lock is held is never removed (only the published set,
the one before it and the sets in use are kept).

The repository's own copies (data/*.csv, datapackage.json, CITATION.cff, README.md's figures) are
then brought up to date from the published set. A marker (build/.syncing) is written first, so a
build killed part way through that copy is finished by the next command that takes the lock.

Builds in one folder take turns: lock.py (build/.lock).
"""

import fcntl
import os
import shutil
import time
from pathlib import Path

BUILD_DIR = "build"
SETS = "sets"
POINTER = "site"
PREVIOUS = "site.previous"  # the set published before: kept, as a running server may still use it
WORKING_COPIES = ("datapackage.json", "CITATION.cff", "README.md")  # plus data/*.csv
SERVING = ".serving"  # a server's shared lock on it keeps its set (site/plugins/site.py)


def build_dir(root):
    return Path(root) / BUILD_DIR


def published(root):
    """The published set (the folder build/site points to), or None before the first build."""
    pointer = build_dir(root) / POINTER
    return pointer.resolve() if pointer.is_symlink() else None


def recover(root):
    """Finish copying an interrupted publication; remove sets no build will publish (killed builds)."""
    bdir = build_dir(root)
    current = published(root)
    if (bdir / ".syncing").exists() and current is not None:
        sync_working_copies(root, current)
    for tmp in list(bdir.glob(f".{POINTER}-*")) + list(bdir.glob(f".{PREVIOUS}-*")):  # links a killed switch left
        tmp.unlink(missing_ok=True)
    previous = bdir / PREVIOUS
    keep = {p.resolve() for p in (current, previous) if p is not None and p.exists()}
    for old in (bdir / SETS).glob("*") if (bdir / SETS).is_dir() else ():
        if old.resolve() not in keep:
            remove_unless_served(old)


def remove_unless_served(set_dir):
    """Remove a set no server holds (a running server keeps its set whole, whatever is built after it)."""
    try:
        fd = os.open(set_dir / SERVING, os.O_RDONLY)
    except OSError:  # a set without the file (killed while written, or an older layout): nobody serves it
        shutil.rmtree(set_dir, ignore_errors=True)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return
    else:
        shutil.rmtree(set_dir, ignore_errors=True)
    finally:
        os.close(fd)


class NewSet:
    """A fresh folder for one build's outputs; removed unless published."""

    def __init__(self, root):
        self.root = Path(root)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
        self.dir = build_dir(root) / SETS / name
        self.dir.mkdir(parents=True)
        self.download = self.dir / "download"
        self.published = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self.published:
            shutil.rmtree(self.dir, ignore_errors=True)

    def publish(self):
        """Flush the set to disk, switch build/site to it in one rename, then update the working copies."""
        _fsync_tree(self.dir)
        bdir = build_dir(self.root)
        (bdir / ".syncing").write_text(self.dir.name)
        _fsync_dir(bdir)
        before = published(self.root)
        if before is not None:
            _link(bdir / PREVIOUS, Path(SETS) / before.name)
        _link(bdir / POINTER, Path(SETS) / self.dir.name)  # the switch
        _fsync_dir(bdir)
        self.published = True
        changed = sync_working_copies(self.root, self.dir)
        recover(self.root)
        return changed


def _link(path, target):
    """Point the symbolic link at path to target, in one rename."""
    if path.is_dir() and not path.is_symlink():  # a folder left by an older layout of build/
        shutil.rmtree(path)
    tmp = path.with_name(f".{path.name}-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, path)


def sync_working_copies(root, set_dir):
    """Make data/*.csv, datapackage.json and README.md equal to the published set's; returns what changed."""
    root, download = Path(root), Path(set_dir) / "download"
    wanted = [p.relative_to(download) for p in sorted((download / "data").glob("*.csv"))]
    wanted += [Path(name) for name in WORKING_COPIES if (download / name).exists()]
    changed = []
    for rel in wanted:
        src, dst = download / rel, root / rel
        data = src.read_bytes()
        if dst.exists() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dst)
        changed.append(str(rel))
    for stale in sorted((root / "data").glob("*.csv")):
        if Path("data") / stale.name not in wanted:
            stale.unlink()
            changed.append(f"data/{stale.name} (removed)")
    (build_dir(root) / ".syncing").unlink(missing_ok=True)
    return changed


def _fsync_tree(folder):
    for dirpath, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(dirpath)


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
