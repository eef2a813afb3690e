"""The full build and every check against the same work done by hand, on the same corpus.

project: `python -m scripts.build --expectations` (curation read and checked, data package written,
  frictionless, quotes, SQLite, checks/ through great-expectations, site), as `make test` builds.
by hand: what someone without the pipeline would run on the CSVs it publishes: `sqlite-utils insert
  --csv` of each table, then `frictionless validate datapackage.json` (no quote, provenance or
  content checks, no site).
Each is a fresh process, timed by wall clock; peak memory is the process tree's maximum RSS.
"""

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd, cwd=None):
    t = time.perf_counter()
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def project_build(root):
    for rel in ("data", "build"):
        shutil.rmtree(root / rel, ignore_errors=True)
    return timed([sys.executable, "-m", "scripts.build", "--root", root, "--quiet", "--expectations"])


def by_hand(root, work):
    db = work / "by-hand.db"
    db.unlink(missing_ok=True)
    seconds = 0.0
    for csv_path in sorted((root / "data").glob("*.csv")):
        seconds += timed([BIN / "sqlite-utils", "insert", db, csv_path.stem, csv_path, "--csv"])
    seconds += timed([BIN / "frictionless", "validate", "datapackage.json"], cwd=root)
    db.unlink()
    return seconds


def peak_child_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
