# Two commands on a fresh machine:  make serve  (set up, build, serve)  ·  make test  (the whole suite)
PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
PIP      := $(PY) -m pip --disable-pip-version-check
PORT     ?= 8001
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := build
.PHONY: setup build serve test validate release publish-command draft draft-eval bench lock clean chromium \
	browser-test screenshots

# The virtual environment, in layers from pinned requirements (requirements/*.txt, made by `make lock`):
# building and serving; drafting curation; testing. Each layer installs again only when its pins change.
$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.build: requirements/build.txt | $(PY)
	@echo "== installing what building and serving need (requirements/build.txt)"
	$(PIP) install --progress-bar on -r requirements/build.txt
	@touch $@

$(VENV)/.draft: requirements/draft.txt $(VENV)/.build
	@echo "== installing what drafting curation needs (requirements/draft.txt)"
	$(PIP) install --progress-bar on -r requirements/draft.txt
	@touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.draft
	@echo "== installing what the tests need (requirements/test.txt)"
	$(PIP) install --progress-bar on -r requirements/test.txt
	@touch $@

setup: $(VENV)/.build

# seeds/ + curation/ + schema/ -> data/*.csv, datapackage.json, and the site in build/site (see README).
# make always exits 2 on a failure; the build's own status is in its last line: 1 bad input, 2 a bug.
build: $(VENV)/.build
	@$(PY) -m scripts.build || { s=$$?; if [ $$s = 1 ]; then echo "make build: bad input (exit 1): fix what is named above"; \
	  else echo "make build: internal error (exit $$s): a bug in the pipeline, please report it"; fi; exit $$s; }

# The server holds the set it starts on (builds keep it until the server stops): restart it to serve a new build.
serve: build
	@echo "== serving build/site on http://localhost:$(PORT)/ (Ctrl-C stops it; it keeps this set through later builds)"
	$(VENV)/bin/datasette serve build/site --port $(PORT)

test: $(VENV)/.test
	@echo "== ruff: lint and format (ruff.toml)"
	@$(VENV)/bin/ruff check --quiet . && $(VENV)/bin/ruff format --check --quiet . || \
	  { echo "FAILED: ruff (ruff check --fix . && ruff format . fixes most)"; exit 1; }
	@echo "== pytest: the pipeline and the site on fixture corpora; the live data with every check"
	@$(PY) -m pytest -q -n 2 --dist loadgroup tests --ignore=tests/browser || { echo "FAILED: pytest (see the failures above)"; exit 1; }
	@echo "== browser: the served site in headless Chromium (its own pytest process)"
	@mkdir -p build && $(MAKE) --no-print-directory -s chromium > build/chromium-setup.txt 2>&1 || \
	  { cat build/chromium-setup.txt; echo "FAILED: installing Chromium for the browser tests"; exit 1; }
	@$(PY) -m pytest -q tests/browser || { echo "FAILED: browser layer (see the failures above)"; exit 1; }

# checks/ through great-expectations on the published database, with Data Docs in build/data_docs.
validate: $(VENV)/.test build
	$(PY) -m scripts.check.rules --data-docs build/data_docs

# build/release/<name>-<version>.zip of the published set, also listed at /download/; refused when the versions
# disagree or when that version was released with other content (bump the version).
release: build
	$(PY) -m scripts.publish.release zip

# The command that publishes this same site to Google Cloud Run (prints it; runs nothing).
publish-command: build
	@$(PY) -m scripts.publish.release publish-command

# A first draft of an article's curation: make draft SEED=seeds/<name>.txt [OUT=path], or HTML=page.html.
# The paths reach the drafter through the environment, quoted: a name with spaces or ; is only a name.
draft: $(VENV)/.draft
	@$(PY) -m drafter $${HTML:+--html "$$HTML"} $${SEED:+--seed "$$SEED"} $${OUT:+--out "$$OUT"}

# The drafter against its evaluation corpus (drafter/corpus: development and held-out articles with keys);
# writes the table into drafter/README.md. ~2 minutes (each draft is also built).
draft-eval: $(VENV)/.draft
	$(PY) -m drafter.evaluate --write

# Debian's Chromium for the browser tests, installed only when missing (needs root and apt).
chromium: $(CHROMIUM)
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser-test: $(VENV)/.test chromium
	$(PY) -m pytest -q tests/browser

# Rewrite the README's screenshots in docs/ (home, fact sheet summary, article, search results, timeline); the
# browser tests alone write them in build/screenshots.
screenshots: $(VENV)/.test chromium
	SCREENSHOT_DIR=$(CURDIR)/docs $(PY) -m pytest -q tests/browser

# 5,000 articles (the curated ones, copied) through the whole pipeline against the same work by hand, and the
# site under load and each kind of abuse; writes bench/README.md (how, and every table), bench/results.json,
# bench/results.md and README's table. ~15 minutes; one part: make bench BENCH_ARGS="--part serving".
BENCH_ARGS ?=
bench: $(VENV)/.test
	$(PY) -m bench.run $(BENCH_ARGS)

# Re-pin every layer after editing requirements/*.in (each layer on top of the ones before it).
lock:
	rm -rf build/lockenv && $(PYTHON) -m venv build/lockenv && : > build/lockenv/before.txt
	set -e; for layer in build draft test; do \
	  build/lockenv/bin/pip install --quiet --disable-pip-version-check -r requirements/$$layer.in; \
	  build/lockenv/bin/pip freeze --disable-pip-version-check | sort -f > build/lockenv/after.txt; \
	  { echo "# Generated by 'make lock' from requirements/$$layer.in (installed after the layers before it)."; \
	    grep -vxF -f build/lockenv/before.txt build/lockenv/after.txt || true; } > requirements/$$layer.txt; \
	  cp build/lockenv/after.txt build/lockenv/before.txt; done
	rm -rf build/lockenv

clean:
	rm -rf build
