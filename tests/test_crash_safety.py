"""A build killed part way leaves every output whole: the previous version or the new one,
never a half-written file; the next build completes the change and cleans up."""
import shutil
import signal
import subprocess
import sys

import pytest

from support import ROOT

OUTPUTS = ["data/sources.csv", "data/exercises.csv", "data/participants.csv", "data/statements.csv",
           "data/evidence.csv", "datapackage.json", "build/china_russia_exercises.db", "build/metadata.json"]
# Runs the real build, announcing each file move and then pausing, so that the test can kill it
# at a known point of the moves (the only moment previous outputs are touched).
SLOW_PROMOTE = """
import os, sys, time
real_replace = os.replace
def announced_replace(src, dst):
    print("replace", dst, flush=True)
    time.sleep(0.2)
    real_replace(src, dst)
os.replace = announced_replace
from scripts.build import main
main(["--root", sys.argv[1], "--quiet"])
"""
CHANGE = ("curation/003_8aed447154efcc44.yaml", "  - statement_id: s003-ru-mod-aims", "  - statement_id: s003-ru-mod-aims-renamed")


def outputs(root):
    return {rel: (root / rel).read_bytes() for rel in OUTPUTS}


def change_curation(root):
    path, old, new = CHANGE
    p = root / path
    p.write_text(p.read_text().replace(old, new))


@pytest.fixture(scope="module")
def versions(built_project, tmp_path_factory):
    """Outputs before and after the curation change."""
    after = tmp_path_factory.mktemp("after") / "p"
    shutil.copytree(built_project, after)
    change_curation(after)
    subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(after), "--quiet"], cwd=ROOT, check=True)
    old, new = outputs(built_project), outputs(after)
    changed = [rel for rel in OUTPUTS if old[rel] != new[rel]]
    assert len(changed) >= 4
    return old, new, changed


@pytest.mark.parametrize("kill_after_moves", [0, 2])  # before any move; between moves
def test_killed_build_leaves_every_output_whole(built_project, tmp_path, versions, kill_after_moves):
    old, new, changed = versions
    root = tmp_path / "p"
    shutil.copytree(built_project, root)
    change_curation(root)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_PROMOTE, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    announced = 0
    for line in proc.stdout:  # "replace <file>" is printed 0.2 s before that file moves
        if announced == kill_after_moves:
            break
        announced += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    now = outputs(root)
    for rel in OUTPUTS:
        assert now[rel] in (old[rel], new[rel]), f"{rel} is neither the previous nor the new version"
    moved = [rel for rel in changed if now[rel] == new[rel]]
    assert len(moved) <= kill_after_moves
    if kill_after_moves == 0:
        assert now == old  # killed before any move: nothing changed
    assert list((root / "build").glob(".staging-*")), "the killed build's staging folder should remain"
    # The next build finishes the job and removes the killed build's leftovers.
    subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(root), "--quiet"], cwd=ROOT, check=True)
    assert outputs(root) == new
    assert not list((root / "build").glob(".staging-*"))


def test_parallel_schema_check_passes_and_reports_first(built_project, tmp_path, monkeypatch):
    """Large packages check frictionless in a second process; its verdict is kept, and reported
    before any later failure, exactly as in a sequential build."""
    import scripts.build as b
    from scripts.errors import PipelineError, PipelineErrors

    root = tmp_path / "p"
    shutil.copytree(built_project, root)
    monkeypatch.setattr(b, "PARALLEL_ROWS", 0)
    b.build(root, quiet=True)  # the parallel path, passing
    before = outputs(root)
    change_curation(root)

    def invalid(package_dir):
        raise PipelineErrors([PipelineError("type-error: planted", file="data/exercises.csv")])

    monkeypatch.setattr(b, "validate_schema", invalid)  # the forked worker inherits it
    with pytest.raises(PipelineErrors) as exc:
        b.build(root, quiet=True)
    assert exc.value.step == "validate schema (frictionless)"
    assert "planted" in str(exc.value)
    assert outputs(root) == before
