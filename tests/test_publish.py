"""A build killed at any point leaves the published set whole: the previous one or the new one
(build/site is switched in one rename); the repository's copies are brought up to date by the next
command that takes the lock. Two builds in one folder take turns."""
import shutil
import signal
import subprocess
import sys

import pytest

from support import ROOT, site_of
from scripts.publish.switch import lock

# The real build, announcing every point at which it may be killed (each step, the switch, each
# file copied back into the repository) and waiting there for a line on stdin (a handshake: the test
# answers to let it go on, or kills it; at the end of stdin it goes on), so it dies exactly there.
ANNOUNCING_BUILD = """
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
b.main(["--root", sys.argv[1], "--quiet"])
"""
CHANGE = ("curation/003_8aed447154efcc44.yaml", "  - statement_id: s003-ru-mod-aims", "  - statement_id: s003-ru-mod-aims-renamed")


def change_curation(root):
    path, old, new = CHANGE
    p = root / path
    p.write_text(p.read_text().replace(old, new))


def working_copies(root):
    return {str(p.relative_to(root)): p.read_bytes()
            for p in [root / "datapackage.json", root / "README.md", *sorted((root / "data").glob("*.csv"))]}


def published_set(root):
    site = site_of(root)
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def versions(built_project, tmp_path_factory):
    """The outputs before and after the curation change, and the points at which a build may be killed."""
    after = tmp_path_factory.mktemp("after") / "p"
    shutil.copytree(built_project, after, symlinks=True)
    change_curation(after)
    run = subprocess.run([sys.executable, "-c", ANNOUNCING_BUILD, str(after)], cwd=ROOT, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, check=True)
    points = [line.split(" ", 1)[1] for line in run.stdout.splitlines() if line.startswith("point ")]
    old = (published_set(built_project), working_copies(built_project))
    new = (published_set(after), working_copies(after))
    assert old[1] != new[1] and len(points) >= 12
    return old, new, points


def test_a_build_killed_at_every_point_leaves_the_published_set_whole(built_project, tmp_path, versions):
    (old_set, old_copies), (new_set, new_copies), points = versions
    outcomes = []
    for k, point in enumerate(points):
        root = tmp_path / f"p{k}"
        shutil.copytree(built_project, root, symlinks=True)
        change_curation(root)
        proc = subprocess.Popen([sys.executable, "-c", ANNOUNCING_BUILD, str(root)], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for n, line in enumerate(proc.stdout):
            if n == k:  # it has announced this point and waits just before it
                break
            proc.stdin.write("\n")
            proc.stdin.flush()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = published_set(root)
        assert now in (old_set, new_set), f"killed before {point!r}: the published set is neither old nor new"
        for rel, data in working_copies(root).items():
            assert data in (old_copies[rel], new_copies[rel]), f"killed before {point!r}: {rel} is half-written"
        with lock(root, lambda message: None):  # what every build does first: finish an interrupted publication
            pass
        assert working_copies(root) == (new_copies if now == new_set else old_copies), point
        assert [p.name for p in (root / "build" / "sets").iterdir()] == [site_of(root).name] or now == new_set
        outcomes.append("new" if now == new_set else "old")
    assert outcomes[0] == "old" and outcomes[-1] == "new" and "old" in outcomes and "new" in outcomes


def test_two_builds_at_once_take_turns(built_project, tmp_path, versions):
    (_, _), (new_set, new_copies), _ = versions
    root = tmp_path / "p"
    shutil.copytree(built_project, root, symlinks=True)
    change_curation(root)
    first = subprocess.Popen([sys.executable, "-c", ANNOUNCING_BUILD, str(root)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert first.stdout.readline().startswith("point ")  # the first holds the lock now, and waits
    second = subprocess.Popen([sys.executable, "-m", "scripts.build", "--root", str(root)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    waiting = second.stderr.readline()
    assert "waiting for another build in this folder (pid" in waiting, waiting
    out, err = first.communicate("")  # let the first go on to the end
    second_out, second_err = second.communicate()
    assert first.returncode == 0 and second.returncode == 0, err + second_err
    assert published_set(root) == new_set and working_copies(root) == new_copies
    sets = {p.name for p in (root / "build" / "sets").iterdir()}
    assert sets == {site_of(root).name, (root / "build" / "site.previous").resolve().name}
