"""Run in a fresh process by bench/run.py, so every measurement pays its own imports:

    python -m bench.measure build ROOT OUT.json    the project's build, time and peak memory per step
    python -m bench.measure floor ROOT DB OUT.json the floor: sqlite3 executemany into typed tables

Peak memory per step: the kernel's high-water mark (VmHWM) is reset before each step
(/proc/self/clear_refs) and read after it.
"""
import csv
import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def measure_build(root, out):
    t0 = time.perf_counter()
    from scripts.build import Steps, build

    imports = time.perf_counter() - t0

    class Recorder(Steps):
        def __init__(self):
            super().__init__(quiet=True)
            self.record = []

        def start(self, name):
            reset_peak()
            super().start(name)

        def done(self, detail=""):
            self.record.append({"step": self.current, "seconds": time.perf_counter() - self.t, "peak_mb": peak_mb(),
                                "detail": detail})

    steps = Recorder()
    t = time.perf_counter()
    tables = build(root, quiet=True, steps=steps, expectations=True)  # every check, as `make test` runs it
    result = {"imports_s": imports, "build_s": time.perf_counter() - t, "steps": steps.record,
              "rows": {name: len(rows) for name, rows in tables.items()}}
    Path(out).write_text(json.dumps(result, indent=1))


def measure_floor(root, db, out):
    """The least any loader must do: typed tables, one executemany per CSV, one transaction."""
    t = time.perf_counter()
    root = Path(root)
    descriptor = json.loads((root / "datapackage.json").read_text())
    types = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "array": "TEXT"}
    Path(db).unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    rows = 0
    with conn:
        for r in descriptor["resources"]:
            fields = r["schema"]["fields"]
            pk = r["schema"]["primaryKey"]
            cols = ", ".join(f"[{f['name']}] {types[f['type']]}" for f in fields)
            conn.execute(f"CREATE TABLE [{r['name']}] ({cols}, PRIMARY KEY ({', '.join(pk)}))")
            with open(root / r["path"], newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                next(reader)
                cur = conn.executemany(f"INSERT INTO [{r['name']}] VALUES ({','.join('?' * len(fields))})", reader)
                rows += cur.rowcount
    conn.close()
    Path(out).write_text(json.dumps({"seconds": time.perf_counter() - t, "rows": rows, "peak_mb": peak_mb()}))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "build":
        measure_build(sys.argv[2], sys.argv[3])
    elif what == "floor":
        measure_floor(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown measurement {what!r}")
