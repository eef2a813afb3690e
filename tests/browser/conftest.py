"""Browser tests on the fixture corpus: Datasette started as `make serve` starts it, on a free loopback port, and
Debian's headless Chromium driven by Playwright. They run in their own pytest process
(`make browser-test`, or the last layer of `make test`): Playwright's sync API and the
asyncio tests do not share a process."""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support import site_of

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots: build/screenshots by default; `make screenshots` writes the README's, in docs/.
SCREENSHOT_DIR = ROOT / os.environ.get("SCREENSHOT_DIR", "build/screenshots")


def pytest_collection_modifyitems(config, items):
    """Collected together with the other tests (a bare `pytest`), the browser tests are skipped."""
    here = Path(__file__).parent
    if any(here not in Path(str(i.path)).parents for i in items):
        skip = pytest.mark.skip(reason="browser tests run in their own process: make browser-test")
        for item in items:
            if here in Path(str(item.path)).parents:
                item.add_marker(skip)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(built_project):  # built_project: tests/conftest.py (the fixture corpus, built)
    """Datasette serving the built site exactly as `make serve` does, on a free loopback port."""
    port = free_port()
    datasette = Path(sys.executable).parent / "datasette"
    log_path = built_project / "build" / "browser-datasette.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(datasette), "serve", str(site_of(built_project)), "--host", "127.0.0.1", "--port", str(port)],
        cwd=built_project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("Datasette did not start: " + log_path.read_text())
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory, base_url):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        # Nothing leaves this machine: any request to another host fails at once (map tiles do, offline).
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
        )
        yield context
        context.close()


class Console:
    """Console errors and uncaught exceptions of one page."""

    TOLERATED = ("tile.openstreetmap.org",)  # map tiles come from the network: offline they fail

    def __init__(self, page):
        self.errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _on_console(self, msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if any(t in where for t in self.TOLERATED):
            return
        self.errors.append(f"{msg.text} ({where})")

    def assert_clean(self):
        assert not self.errors, "console errors:\n" + "\n".join(self.errors)


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.console = Console(page)
    yield page
    page.close()


@pytest.fixture(scope="session")
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name, **kw):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), **kw)
        return path

    return take


ANCHORING = Path(__file__).parent / "anchoring"


@pytest.fixture(scope="session")
def anchoring_library():
    """Apache Annotator (@apache-annotator/dom, from the npm registry, pinned in anchoring/package-lock.json),
    bundled for the browser once per lock: an anchoring library nobody here wrote."""
    lock = (ANCHORING / "package-lock.json").read_bytes()
    work = ROOT / "build" / "anchoring" / hashlib.sha256(lock).hexdigest()[:12]
    bundle = work / "bundle.js"
    if not bundle.exists():
        if not shutil.which("npm"):
            pytest.fail("npm is missing: `apt-get install -y nodejs npm` (Debian) installs it")
        work.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json", "entry.js"):
            shutil.copy(ANCHORING / name, work / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work, check=True)
        subprocess.run(
            [
                str(work / "node_modules" / ".bin" / "esbuild"),
                "entry.js",
                "--bundle",
                "--format=iife",
                "--log-level=warning",
                f"--outfile={bundle.name}.tmp",
            ],
            cwd=work,
            check=True,
        )
        (work / f"{bundle.name}.tmp").replace(bundle)
    return bundle.read_text(encoding="utf-8")
