# FinFusion Keys. The two commands the README gives:
#   make run    the main job on the embedded default (for now: a walkthrough of the core)
#   make test   install what is missing, build every target, run every suite
# Both start with the dependency step, so a fresh Debian 12 with only git and make works.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: all deps build run test test-release test-asan vectors bench clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release

run: build
	./build/release/examples/cpp/walkthrough

# Release build (tests, tools, examples, benchmarks) and the ASan+UBSan build, both with
# -Werror; ctest runs the Catch2 suite, the conformance vectors and their drift check.
test: deps test-release test-asan

test-release: build
	ctest --preset release

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan
	ctest --preset asan

# Rewrite the answers in tests/vectors/*.json from the core (review the diff after).
vectors: build
	./build/release/tools/gen_vectors --write tests/vectors

bench: build
	./build/release/bench/bench_core --benchmark_min_time=0.2

clean:
	rm -rf build
