"""A build killed at any point leaves the published set whole: the previous one or the new one
(build/site is switched in one rename); the repository's copies are brought up to date by the next
command that takes the lock. Two builds in one folder take turns; one never waits forever on the
lock: it says who holds it and since when, and takes it over when the holder has ended."""

import os
import shutil
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner
from support import ROOT, link_project, put, site_of

from scripts.build import main
from scripts.errors import PipelineError
from scripts.publish.lock import lock

# The real build, announcing every point at which it may be killed (each step, the switch, each
# file copied back into the repository) and waiting there for a line on stdin (a handshake: the test
# answers to let it go on, or kills it; at the end of stdin it goes on), so it dies exactly there.
ANNOUNCING = """
import os, sys
import scripts.build as b, scripts.publish.switch as p

def announce(what):
    print("point", what, flush=True)
    sys.stdin.readline()

run = b.Steps.run
b.Steps.run = lambda self, name, fn, *args: (announce(name), run(self, name, fn, *args))[1]
link = p._link
p._link = lambda path, target: (announce("switch " + path.name), link(path, target))[1]
replace = os.replace
def announced_replace(src, dst):
    announce("replace " + os.path.basename(str(dst)))
    replace(src, dst)
p.os.replace = announced_replace
"""
# One process that has imported (and warmed) the build, forking a child per build it is sent on stdin:
# each kill point costs a partial build, not a new interpreter. A child announces its pid, then builds.
FORKING = (
    ANNOUNCING
    + """
from scripts.read.gazetteer import cities
from scripts.read.schema import Schema
cities(), Schema(os.getcwd()).cell_readers
for line in iter(sys.stdin.readline, ""):
    pid = os.fork()
    if pid == 0:
        print("pid", os.getpid(), flush=True)
        try:
            b.main(["--root", line.strip(), "--quiet"])
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    print("ended", flush=True)
"""
)
CHANGE = (
    "curation/100_joint_sea_2019_begins.yaml",
    "  - statement_id: s100-liang-yang-mutual-trust",
    "  - statement_id: s100-liang-yang-trust",
)
PARTS = 2  # the kill points are shared out between this many tests, which xdist runs side by side


def change_curation(root):
    path, old, new = CHANGE
    put(root / path, (root / path).read_text().replace(old, new))


def working_copies(root):
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in [
            root / "datapackage.json",
            root / "README.md",
            root / "CITATION.cff",
            *sorted((root / "data").glob("*.csv")),
        ]
    }


def published_set(root):
    site = site_of(root)
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def copy_built(built_mini, dest):
    """A whole copy, not links: these tests are there to catch a build that writes a file in place, which must not
    reach the built corpus the other tests share."""
    shutil.copytree(built_mini, dest, symlinks=True, ignore=shutil.ignore_patterns(".lock"))
    change_curation(dest)
    return dest


class Builds:
    """The FORKING process: build(root) starts a build in a child of it and returns the child's pid; then
    point() reads the point it waits at, go_on() lets it go on, and ended() waits for it to end."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FORKING], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def build(self, root):
        self.send(str(root))
        return int(self.proc.stdout.readline().split()[1])

    def point(self):
        line = self.proc.stdout.readline()
        return line.split(" ", 1)[1].rstrip("\n") if line.startswith("point ") else None

    def go_on(self):
        self.send("")

    def ended(self):
        assert self.proc.stdout.readline() == "ended\n"


@pytest.fixture(scope="module")
def builds():
    builds = Builds()
    yield builds
    builds.proc.stdin.close()
    builds.proc.wait()


@pytest.fixture(scope="module")
def versions(built_mini, builds, tmp_path_factory):
    """The outputs before and after the curation change, and the points at which a build may be killed."""
    after = copy_built(built_mini, tmp_path_factory.mktemp("after") / "p")
    builds.build(after)
    points = []
    while (point := builds.point()) is not None:  # the last line, "ended", is read here
        points.append(point)
        builds.go_on()
    old = (published_set(built_mini), working_copies(built_mini))
    new = (published_set(after), working_copies(after))
    assert old[1] != new[1] and len(points) >= 12 and "replace site" in points
    return old, new, points


@pytest.mark.parametrize("part", range(PARTS))
def test_a_build_killed_at_every_point_leaves_the_published_set_whole(built_mini, tmp_path, builds, versions, part):
    (old_set, old_copies), (new_set, new_copies), points = versions
    switch = points.index("replace site")  # the rename that publishes the new set
    for k in range(part, len(points), PARTS):
        point, root = points[k], copy_built(built_mini, tmp_path / f"p{k}")
        pid = builds.build(root)
        for n in range(k + 1):
            assert builds.point() == points[n]
            if n < k:  # let it go on; at k it has announced this point and waits just before it
                builds.go_on()
        os.kill(pid, signal.SIGKILL)
        builds.ended()
        now = published_set(root)
        assert now == (new_set if k > switch else old_set), f"killed before {point!r}: not the set it should be"
        for rel, data in working_copies(root).items():
            assert data in (old_copies[rel], new_copies[rel]), f"killed before {point!r}: {rel} is half-written"
        with lock(root, lambda message: None):  # what every build does first: finish an interrupted publication
            pass
        assert working_copies(root) == (new_copies if k > switch else old_copies), point
        assert [p.name for p in (root / "build" / "sets").iterdir()] == [site_of(root).name] or k > switch


def test_two_builds_at_once_take_turns(built_mini, tmp_path, builds, versions):
    (_, _), (new_set, new_copies), points = versions
    root = copy_built(built_mini, tmp_path / "p")
    first = builds.build(root)
    assert builds.point() == points[0]  # the first holds the lock now, and waits
    second = subprocess.Popen(
        [sys.executable, "-m", "scripts.build", "--root", str(root)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    waiting = second.stderr.readline()
    assert f"waiting for another build in this folder (pid {first} on " in waiting, waiting
    assert ", since " in waiting, waiting
    builds.go_on()
    while builds.point() is not None:  # let the first go on to the end ("ended" is read here)
        builds.go_on()
    second_out, second_err = second.communicate()
    assert second.returncode == 0, second_err
    assert published_set(root) == new_set and working_copies(root) == new_copies
    sets = {p.name for p in (root / "build" / "sets").iterdir()}
    assert sets == {site_of(root).name, (root / "build" / "site.previous").resolve().name}


# A build that holds the lock until told to end; forked, it leaves a process behind that keeps the lock
# file open (as a build's helper process would), then ends without releasing it.
HOLDER = """
import os, sys
from scripts.publish.lock import lock
with lock(sys.argv[1], lambda message: None):
    if sys.argv[2] == "leave-a-child" and os.fork() == 0:
        sys.stdin.readline()
        os._exit(0)
    print("held", flush=True)
    if sys.argv[2] == "leave-a-child":
        os._exit(0)
    sys.stdin.readline()
"""


def hold(root, how):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root), how],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline() == "held\n"
    return proc


def test_a_build_never_waits_forever_and_names_who_holds_the_lock(built_mini, tmp_path):
    root = link_project(built_mini, tmp_path / "p")
    holder = hold(root, "stay")
    try:
        result = CliRunner().invoke(main, ["--root", str(root), "--quiet", "--wait", "0"])
        assert result.exit_code == 1, result.output
        assert f"build/.lock: another build in this folder (pid {holder.pid} on " in result.output
        assert ", since " in result.output and "still holds the lock after 0 s" in result.output
        with pytest.raises(PipelineError, match=f"pid {holder.pid}"):
            with lock(root, lambda message: None, patience=0):
                pass
    finally:
        holder.communicate("\n")
    with lock(root, lambda message: None, patience=0):  # released by its holder: taken at once
        pass


def test_a_lock_left_held_by_a_process_whose_build_has_ended_is_taken_over(built_mini, tmp_path):
    root = link_project(built_mini, tmp_path / "p")
    holder = hold(root, "leave-a-child")  # the build ends; its child still holds build/.lock
    holder.wait()
    said = []
    try:
        with lock(root, said.append, patience=0):
            assert (root / "build" / ".lock").read_text().startswith(f"pid {os.getpid()}\n")
        assert len(said) == 1 and said[0].startswith(f"build: taking over the lock from pid {holder.pid} on "), said
        assert said[0].endswith(", which has ended") and ", since " in said[0]
        result = CliRunner().invoke(main, ["--root", str(root), "--quiet", "--wait", "0"])
        assert result.exit_code == 0, result.output
    finally:
        holder.stdin.write("\n")  # the child left behind reads the same stdin
        holder.stdin.close()
