# Two commands on a fresh machine:  make serve  (set up, build, serve)  ·  make test  (the whole suite)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8001
DB     := build/china_russia_exercises.db
# Serving settings, shared by `make serve`, the browser tests and the publish command
# `make publish-command` prints (which passes SETTINGS as --extra-options; it adds --cors itself).
# suggest_facets off: suggestions cost one query per column on every table page (bench/: the slowest part of
# a table page at scale); the configured facets in metadata.yml are still shown.
SETTINGS := --setting sql_time_limit_ms 1000 --setting max_returned_rows 1000 --setting allow_download on \
	--setting suggest_facets off
DATASETTE_OPTS := -m build/metadata.json --template-dir templates --plugins-dir plugins --cors $(SETTINGS)
# What `make serve` adds: immutable mode with an inspect file, and the package's files at /download/.
SITE   := build/site
SERVE_OPTS := -i $(DB) --inspect-file build/inspect.json $(DATASETTE_OPTS) --static download:$(SITE)
# Publishing: the same database, metadata, templates, plugins, settings and download files.
SERVICE  ?= china-russia-exercises
PUBLISH_INSTALL := $(shell grep -E '^datasette(-[a-z-]+)?==' requirements.txt 2>/dev/null)
PUBLISH_OPTS = $(DB) -m build/metadata.json --template-dir templates --plugins-dir plugins \
	--static download:$(SITE) $(foreach p,$(PUBLISH_INSTALL),--install $(p)) --extra-options "$(SETTINGS)"
CHROMIUM := /usr/bin/chromium

.PHONY: setup build validate test serve datasette-opts lock clean site serve-opts \
	release publish-command chromium browser-test screenshots bench
.DEFAULT_GOAL := build

# The virtual environment, from fully pinned requirements; rebuilt when they change.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed

build: setup
	$(PY) -m scripts.build

# Content expectations (great-expectations) on the CSVs and the database; Data Docs in build/data_docs.
validate: build
	$(PY) -m scripts.expectations --data-docs build/data_docs

test: setup
	@echo "== build with every check: curation, frictionless, uniqueKeys, provenance, great-expectations"
	@$(PY) -m scripts.build --expectations || { echo "FAILED: build: the line 'build failed while <layer>' above names the layer"; exit 1; }
	@echo "== schema: frictionless validate datapackage.json (the command-line tool, on the published package)"
	@$(VENV)/bin/frictionless validate datapackage.json > build/frictionless.txt || { cat build/frictionless.txt; echo "FAILED: schema layer (frictionless): see the table above"; exit 1; }
	@echo "valid"
	@echo "== pytest"
	@$(PY) -m pytest -q tests --ignore=tests/browser || { echo "FAILED: pytest (see the failures above)"; exit 1; }
	@echo "== browser: the served site in headless Chromium (its own pytest process)"
	@$(MAKE) --no-print-directory -s site chromium > build/browser-setup.txt 2>&1 || { cat build/browser-setup.txt; echo "FAILED: browser layer setup (site files or Chromium install)"; exit 1; }
	@$(PY) -m pytest -q tests/browser || { echo "FAILED: browser layer (see the failures above; screenshots in build/screenshots)"; exit 1; }

# The files the site needs besides the database: the inspect file (immutable mode) and the
# download files (datapackage.json, data/*.csv, README, CITATION.cff, CHANGELOG.md) in $(SITE).
site: build
	$(VENV)/bin/datasette inspect $(DB) --inspect-file build/inspect.json
	$(PY) -m scripts.release --site $(SITE)

serve: site
	$(VENV)/bin/datasette serve $(SERVE_OPTS) --port $(PORT)

# All of `datasette serve`'s options but the port (the browser tests start Datasette with them).
serve-opts:
	@echo $(SERVE_OPTS)

# A versioned zip in build/release/: CSVs, datapackage.json, database, README, CITATION.cff,
# CHANGELOG.md, SHA256SUMS. Refused when the versions in those files disagree.
release: build
	$(PY) -m scripts.release --out build/release

# The command that publishes this same site to Google Cloud Run (prints it; runs nothing).
# Replace `cloudrun` with `fly` (needs datasette-publish-fly) or use `datasette package`: see README.
publish-command: site
	@echo '$(VENV)/bin/datasette publish cloudrun $(PUBLISH_OPTS) --service $(SERVICE)'

# Debian's Chromium for the browser tests, installed only when missing (needs root and apt).
chromium: $(CHROMIUM)
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser-test: site chromium
	$(PY) -m pytest -q tests/browser

# Rewrite the README's screenshots in docs/ (the tests alone write them to build/screenshots).
screenshots: site chromium
	SCREENSHOT_DIR=docs $(PY) -m pytest -q tests/browser

# The serving options, for scripts that start Datasette the same way (benchmarks, publishing).
datasette-opts:
	@echo $(DATASETTE_OPTS)

# Re-pin every dependency after editing requirements.in.
lock:
	rm -rf build/lockenv && $(PYTHON) -m venv build/lockenv
	build/lockenv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo "# Generated by 'make lock' from requirements.in: every package pinned, for a reproducible .venv."; \
	  build/lockenv/bin/pip freeze --disable-pip-version-check | sort -f; } > requirements.txt
	rm -rf build/lockenv

clean:
	rm -rf build

# Benchmark (issue 6): synthetic corpora of 5, 500 and 5,000 articles through the whole pipeline, two
# baselines and the site under load; writes bench/results.json, bench/results.md and README's table.
# About 8 minutes on 2 cores. BENCH_ARGS="--sizes 5 500 5000 50000" adds 50,000 articles.
BENCH_ARGS ?=
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)
