"""Helpers shared by the tests (kept out of conftest.py: several conftest modules exist)."""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


INPUTS = ("seeds", "curation", "datapackage.json", "metadata.yml")


def copy_project(dest):
    """A private copy of the project's inputs, for tests that break them."""
    for name in INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


