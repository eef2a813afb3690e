"""Builds in one folder take turns: each holds build/.lock (an flock) from start to end, and writes in it
who holds it and since when.

A build that finds the lock held says who holds it and waits, but never forever: after `patience`
seconds it gives up, naming the holder (a build stuck on a hung read would otherwise hold up every later
one). When the build that holds the lock is gone (its process has ended, though a process it left behind
still holds the file), the waiting build takes the lock over: it retires that file and locks a new one.
"""

import contextlib
import datetime
import fcntl
import os
import socket
import sys
import time

from ..errors import PipelineError
from .switch import build_dir, recover

LOCK = ".lock"
PATIENCE = 600.0  # seconds a build waits for another; a build of 5,000 articles takes well under this
POLL = 0.1


@contextlib.contextmanager
def lock(root, say=lambda message: print(message, file=sys.stderr), patience=PATIENCE):
    """Hold build/.lock (waiting for another build in this folder), after finishing what a killed build left."""
    path = build_dir(root) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    f = _acquire(path, say, patience)
    try:
        f.seek(0)
        f.truncate()
        since = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        f.write(f"pid {os.getpid()}\nstarted {_start_time(os.getpid())}\nhost {socket.gethostname()}\nsince {since}\n")
        f.flush()
        recover(root)
        yield
    finally:
        f.truncate(0)
        f.close()


def _acquire(path, say, patience):
    deadline, told = time.monotonic() + patience, False
    while True:
        f = open(path, "a+")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(f)
            if _gone(holder):
                say(f"build: taking over the lock from {_describe(holder)}, which has ended")
                _retire(path, f)
            elif time.monotonic() >= deadline:
                f.close()
                raise PipelineError(
                    f"another build in this folder ({_describe(holder)}) still holds the lock after "
                    f"{patience:g} s: let it finish, or end that process if it is stuck, then build "
                    "again",
                    file=path,
                ) from None
            elif not told:
                say(f"build: waiting for another build in this folder ({_describe(holder)}) to finish")
                told = True
            f.close()
            time.sleep(POLL)
            continue
        if _same_file(f, path):
            return f
        f.close()  # retired by a build that took it over while this one waited: lock the new file


def _holder(f):
    """{pid, started, host, since} as the holder wrote them (empty while it is still writing)."""
    f.seek(0)
    return dict(line.split(" ", 1) for line in f.read(1000).splitlines() if " " in line)


def _describe(holder):
    if "pid" not in holder:
        return "pid unknown"
    since = holder.get("since")
    if since:
        try:
            ago = datetime.datetime.now(datetime.UTC) - datetime.datetime.fromisoformat(since)
            since += f", {int(ago.total_seconds()):,} s ago"
        except ValueError:
            pass
    return (
        f"pid {holder['pid']}"
        + (f" on {holder['host']}" if holder.get("host") else "")
        + (f", since {since}" if since else "")
    )


def _gone(holder):
    """The holder's process has ended (or its pid now names another process). Unknown: not gone."""
    if not holder.get("pid", "").isdigit() or holder.get("host", socket.gethostname()) != socket.gethostname():
        return False
    pid = int(holder["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    started = _start_time(pid)
    return started == "zombie" or (holder.get("started") not in (None, "unknown") and started != holder["started"])


def _start_time(pid):
    """When the process started, in clock ticks since boot (Linux's /proc): tells a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "unknown"
    return "zombie" if fields[0] == "Z" else fields[19]


def _same_file(f, path):
    try:
        return os.fstat(f.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _retire(path, f):
    """Unlink the lock file f, unless another build has already put a new one in its place."""
    if _same_file(f, path):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
