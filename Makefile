# Kofu: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint pytest bench browser-deps services messages css css-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q '.[dev]'
	touch $(STAMP)

# `make messages` runs with DEBUG on (a generated SECRET_KEY is allowed only then: config/settings.py)
messages: export DEBUG := 1
# `make run` runs as production does, DEBUG off: WhiteNoise serves the collected static files and
# errors show Kofu's own pages. Its SECRET_KEY is made once and kept in var/ (not committed).
run: export DEBUG := 0
run: export SECRET_KEY = $(shell cat var/secret_key 2>/dev/null)
# WhiteNoise serves the files from the apps' folders, uncompressed (collecting and compressing
# them all, as production does, takes minutes)
run: export WHITENOISE_USE_FINDERS := 1
run: export STATICFILES_STORAGE := django.contrib.staticfiles.storage.StaticFilesStorage

var/secret_key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

## run: install, migrate the SQLite database, load the demo data and the published figures, fire
## timers, serve on :8000 with DEBUG off
run: $(STAMP) var/secret_key
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo_load
	$(BIN)/python manage.py seed_figures_load
	$(BIN)/python manage.py workflow_timer_loop --every 60 & \
	  trap 'kill $$!' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, layer contract, the committed CSS is current, and the whole suite on the embedded default
test: $(STAMP) browser-deps css-check
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

## bench: the benchmarks in bench/, written to BENCHMARKS.md (WeasyPrint needs Debian's pango)
bench: $(STAMP) services
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)
	$(BIN)/python -m bench

## browser-deps: Debian's chromium for the browser tests (Playwright drives it; no download); from npm,
## axe-core and the CSS toolchain (Tailwind CSS, the Digital Agency's tokens)
browser-deps: node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-ipaexfont >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; }

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's npm for axe-core"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	touch $@

## css: rebuild static/kofu/kofu.css (committed) from web/static_src/kofu.css with Tailwind CSS and
## the Digital Agency's design tokens, from the templates' classes; copy htmx into static/vendor/
css: node_modules/axe-core/axe.min.js
	npm run --silent css
	npm run --silent vendor

## css-check: fail if the committed CSS (or htmx) is not what `make css` builds from today's sources
css-check: node_modules/axe-core/axe.min.js
	@npx tailwindcss -i web/static_src/kofu.css -o .css-check.css --minify 2>/dev/null
	@cmp -s .css-check.css static/kofu/kofu.css || { rm -f .css-check.css; \
	  echo "static/kofu/kofu.css is stale: run make css and commit it"; exit 1; }
	@rm -f .css-check.css
	@cmp -s node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js || { \
	  echo "static/vendor/htmx/htmx.min.js is not the htmx of package-lock.json: run make css and commit it"; exit 1; }

## services: start PostgreSQL and Redis on this machine if they are down
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

## messages: regenerate the Japanese and English message catalogues
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l ja -l en --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) var .test.sqlite3 kofu.sqlite3 node_modules
