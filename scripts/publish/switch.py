"""Where a build's outputs go, and how they become the published set at once.

A build writes everything into a fresh folder, build/sets/<name>/ (the Datasette configuration
directory: the database, metadata, settings, templates, plugins, and the download files:
datapackage.json, data/*.csv, seeds/). Once every check has passed, its files are flushed to
disk and one symbolic link, build/site, is switched to it (a rename: atomic). A build that fails
or is killed before the switch leaves the published set as it was; after it, the new set is
published whole.

The repository's own copies (data/*.csv, datapackage.json, README.md's figures) are then
brought up to date from the published set. A marker (build/.syncing) is written first, so a
build killed part way through that copy is finished by the next command that takes the lock.

Builds in one folder take turns: the second waits for the first (an flock on build/.lock).
"""
import contextlib
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

BUILD_DIR = "build"
SETS = "sets"
POINTER = "site"
PREVIOUS = "site.previous"  # the set published before: kept, as a running server may still use it
WORKING_COPIES = ("datapackage.json", "README.md")  # plus data/*.csv


def build_dir(root):
    return Path(root) / BUILD_DIR


def published(root):
    """The published set (the folder build/site points to), or None before the first build."""
    pointer = build_dir(root) / POINTER
    return pointer.resolve() if pointer.is_symlink() else None


@contextlib.contextmanager
def lock(root, say=lambda message: print(message, file=sys.stderr)):
    """Hold build/.lock (waiting for another build in this folder), after finishing what a killed build left."""
    bdir = build_dir(root)
    bdir.mkdir(parents=True, exist_ok=True)
    with open(bdir / ".lock", "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            say(f"build: waiting for another build in this folder ({f.read().strip() or 'unknown'}) to finish")
            fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}\n")
        f.flush()
        recover(root)
        try:
            yield
        finally:
            f.truncate(0)


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
            shutil.rmtree(old, ignore_errors=True)


class NewSet:
    """A fresh folder for one build's outputs; removed unless published."""

    def __init__(self, root):
        self.root = Path(root)
        self.dir = build_dir(root) / SETS / f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
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
