# FinFusion Keys. The two commands the README gives:
#   make run    the main job on the embedded default: a finfusion-keys session on SQLite, then
#               the admin API and the browser console on that registry (until Ctrl-C)
#   make test   install what is missing, build every target, run every suite
# Both start with the dependency step, so a fresh Debian 12 with only git and make works.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: all deps build run test test-release test-asan python-install test-python python-stubs wasm test-node test-java java-jar test-examples package-size fuzz vectors bench clean

VENV := .venv
PY := $(VENV)/bin/python
DIST := build/dist
WASM_BUILD := build/wasm
EMSDK_ENV := NODE_PATH=/usr/share/nodejs

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release

run: build python-install wasm
	scripts/run-session.sh build/release/bindings/cli/finfusion-keys $(abspath $(PY))

# Release build (tests, tools, examples, benchmarks) and the ASan+UBSan build, both with
# -Werror; ctest runs the Catch2 suite, the conformance vectors and their drift check.
test: deps test-release test-asan test-python test-node test-java test-examples

# The PostgreSQL tests run against a throwaway server (scripts/with-postgres.sh) and fail,
# rather than skip, when it is missing.
WITH_POSTGRES := FINFUSION_REQUIRE_POSTGRES=1 $(CURDIR)/scripts/with-postgres.sh

test-release: build
	$(WITH_POSTGRES) ctest --preset release

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan
	$(WITH_POSTGRES) ctest --preset asan

# The Python package, as a user gets it: `python -m build` makes the sdist and builds the
# wheel from that sdist; the wheel goes into .venv and the sdist into a fresh venv, and the
# suite runs against each installed copy (never the source tree), and once more against an
# ASan+UBSan build of the extension (scripts/test-python-asan.sh). Then the .pyi drift
# check, mypy --strict on the examples, a typed usage file and the admin service, the admin
# API's suite (a real server on 127.0.0.1; the seed's curl command) and the quickstart.
$(VENV)/.tools: bindings/python/requirements-dev.txt services/admin/requirements.txt | deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r bindings/python/requirements-dev.txt -r services/admin/requirements.txt
	touch $@

python-install: deps $(VENV)/.tools
	rm -rf $(DIST) build/venv-sdist build/stubs
	$(PY) -m build --outdir $(DIST) .
	$(PY) -m pip install -q --force-reinstall --no-deps $(DIST)/*.whl

test-python: python-install
	$(WITH_POSTGRES) $(PY) -m pytest
	$(WITH_POSTGRES) scripts/test-python-asan.sh $(PY) -q
	$(VENV)/bin/pybind11-stubgen finfusion._core -o build/stubs
	diff -u bindings/python/finfusion/_core.pyi build/stubs/finfusion/_core.pyi || \
	  { echo "the .pyi stub drifted: run make python-stubs and commit it" >&2; exit 1; }
	$(VENV)/bin/mypy --strict examples/python examples/python_service examples/sdk_usage tests/python/typed_usage.py \
	  services/admin/finfusion_admin
	$(PY) -m pytest -q tests/admin
	$(PY) examples/python/quickstart.py >/dev/null
	python3 -m venv build/venv-sdist
	build/venv-sdist/bin/python -m pip install -q -r bindings/python/requirements-dev.txt
	build/venv-sdist/bin/python -m pip install -q $(DIST)/*.tar.gz
	$(WITH_POSTGRES) build/venv-sdist/bin/python -m pytest -q

# Regenerate the committed .pyi from the installed module.
python-stubs: $(VENV)/.tools
	$(PY) -m pip install -q .
	$(VENV)/bin/pybind11-stubgen finfusion._core -o build/stubs
	cp build/stubs/finfusion/_core.pyi bindings/python/finfusion/_core.pyi

# The WebAssembly core, optimised for size (libsodium for WASM comes from a cache outside the clone, built once
# by scripts/build-libsodium-wasm.sh) and the npm package's dist/ (bindings/node/build.mjs).
wasm: deps
	sodium=$$(scripts/build-libsodium-wasm.sh) && \
	  $(EMSDK_ENV) emcmake cmake -S . -B $(WASM_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel \
	    -DFINFUSION_BUILD_WASM=ON -DFINFUSION_BUILD_TESTS=OFF -DFINFUSION_BUILD_EXAMPLES=OFF \
	    -DFINFUSION_SODIUM_WASM="$$sodium" >/dev/null
	$(EMSDK_ENV) cmake --build $(WASM_BUILD)
	node bindings/node/build.mjs $(WASM_BUILD)/bindings/wasm

# The package's own dependency (pg, for the PostgreSQL registry) where its files resolve it,
# as npm puts it for a user; then the test project, which links the package.
bindings/node/node_modules/.installed: bindings/node/package.json bindings/node/package-lock.json | deps
	cd bindings/node && npm ci --omit=dev --no-audit --no-fund
	touch $@

# --install-links=false: the package is linked, not copied, by every npm (Debian's npm 9
# copies by default), so it finds pg where the line above put it.
tests/node/node_modules/.installed: tests/node/package.json tests/node/package-lock.json | deps
	cd tests/node && npm ci --install-links=false --no-audit --no-fund
	touch $@

# node:test suites (per module, vectors, require/import, secrets, parity with Python's
# surface, the PostgreSQL registry and the fleet test with Python, the browser run in
# Chromium, the admin console end to end in Chromium) and tsc --noEmit on a typed usage file.
test-node: wasm python-install bindings/node/node_modules/.installed tests/node/node_modules/.installed
	$(MAKE) --no-print-directory package-size
	cd tests/node && npx tsc -p .
	cd tests/node && FINFUSION_PYTHON=$(abspath $(PY)) $(WITH_POSTGRES) node --test

# The Java binding: Maven (dependencies cached in ~/.m2, outside the clone) compiles the
# package with -Werror, runs the JUnit suites against the JNI library the release build made
# (vectors, parity with tests/surface.json, a -Xcheck:jni workout, Java and Python on the same
# signed requests and on one SQLite and one PostgreSQL registry), and packs the jar with the library inside; the
# quickstart then runs from that jar alone.
JAVA_NATIVE := $(CURDIR)/build/release/bindings/java
test-java: build python-install
	cd bindings/java && FINFUSION_PYTHON=$(abspath $(PY)) $(WITH_POSTGRES) mvn -B -ntp -Dfinfusion.native.dir=$(JAVA_NATIVE) verify
	java -cp bindings/java/target/finfusion-keys-$$(cat VERSION).jar examples/java/Quickstart.java >/dev/null

# The runnable examples: the Python and Node payment services on one throwaway PostgreSQL
# registry must answer the same requests alike (tests/examples), and the seed's SDK snippets
# run as written in both languages. Each example's node_modules links the package, as
# tests/node's does.
examples/%/node_modules/.installed: examples/%/package.json examples/%/package-lock.json | deps
	cd examples/$* && npm ci --install-links=false --no-audit --no-fund
	touch $@

test-examples: wasm python-install bindings/node/node_modules/.installed \
  examples/node_service/node_modules/.installed examples/sdk_usage/node_modules/.installed
	$(WITH_POSTGRES) $(PY) -m pytest -q tests/examples

package-size:
	@cd bindings/node && for f in dist/index.mjs dist/finfusion_core.mjs dist/finfusion_core.wasm dist/index.cjs dist/finfusion_core.cjs; do \
	  printf '%-26s %8d bytes raw %8d gzipped\n' $$f $$(wc -c < $$f) $$(gzip -9c $$f | wc -c); done

# Each libFuzzer harness for FUZZ_SECONDS (default 60) under ASan+UBSan, starting from the
# seed corpus in tests/fuzz/corpus (read only) and keeping what it finds in build/fuzz-corpus.
FUZZ_SECONDS ?= 60
FUZZERS := key scope time type_table stored_hash create_request structured_field signature webhook import sealed rotate
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz
	for name in $(FUZZERS); do \
	  mkdir -p build/fuzz-corpus/$$name; \
	  ./build/fuzz/tests/fuzz/fuzz_$$name build/fuzz-corpus/$$name tests/fuzz/corpus/$$name \
	    -dict=tests/fuzz/$$name.dict -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 | \
	    grep -E 'stat::number_of_executed_units|stat::new_units_added|ERROR|property violated|SUMMARY' | \
	    sed "s/^/$$name: /"; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# Rewrite the answers in tests/vectors/*.json from the core (review the diff after).
vectors: build
	./build/release/tools/gen_vectors --write tests/vectors

# Native figures, the constant-time check, then the signing table: native, Python (the
# package installed into .venv), Node (the WebAssembly package) and, for key verification,
# Java (the jar) side by side in one run.
bench: build wasm $(VENV)/.tools java-jar
	scripts/with-postgres.sh ./build/release/bench/bench_core --benchmark_min_time=0.2
	./build/release/bench/timing_ct
	$(PY) -m pip install -q . -r bench/requirements.txt
	$(PY) bench/tables.py $(abspath $(PY)) ./build/release/bench/bench_core \
	  $(CURDIR)/bindings/java/target/finfusion-keys-$$(cat VERSION).jar

# The Java package's jar alone (no tests), for the benchmarks.
java-jar: build
	cd bindings/java && mvn -B -q -ntp -DskipTests -Dfinfusion.native.dir=$(JAVA_NATIVE) package

clean:
	rm -rf build
