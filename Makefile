# christmas — build, test, run, benchmark. `make demo` and `make test` each set up everything they need.
SHELL := /bin/bash
NODE ?= node
CLI := $(NODE) dist/src/daemon/cli.js

.PHONY: all deps build native ts test demo run bench bench-quick chaos install clean distclean

all: build

# npm install honours the committed lockfile (npm ci refuses it here: see DESIGN.md build note).
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

deps: node_modules/.installed
	@scripts/ensure-tools.sh

native: node_modules/.installed
	$(NODE) scripts/build-native.mjs

ts: node_modules/.installed
	npx tsc -p .
	$(NODE) scripts/gen-config-validator.mjs
	@chmod +x dist/src/daemon/cli.js

build: native ts

test: deps build
	$(NODE) dist/test/run.js

demo: deps build
	$(CLI) demo

run: build
	$(CLI) run

bench: deps build
	$(NODE) scripts/build-native.mjs --tulind --optional
	$(CLI) bench

bench-quick: deps build
	$(CLI) bench --quick --compare

chaos: deps build
	CHRISTMAS_CHAOS_LONG=1 CHRISTMAS_CHAOS_RECORD=1 $(NODE) dist/test/run.js chaos

# Puts `christmas` on PATH (npm link: a symlink in npm's global bin folder to dist/src/daemon/cli.js).
install: build
	npm link --no-audit --no-fund

clean:
	rm -rf dist build

distclean: clean
	rm -rf node_modules
