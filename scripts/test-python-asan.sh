#!/usr/bin/env bash
# The pytest suite against an AddressSanitizer + UBSan build of the extension: the core and
# the binding compiled with the sanitizers (Debug, as the asan preset), loaded into the venv's
# ordinary Python with the sanitizer runtimes preloaded. Leak checking is off: CPython keeps
# objects alive at exit on purpose.
#   scripts/test-python-asan.sh PYTHON [pytest args...]
set -euo pipefail
python=$1
shift
build=build/asan-python
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFINFUSION_BUILD_PYTHON=ON \
  -DFINFUSION_BUILD_TESTS=OFF -DFINFUSION_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$python" \
  -Dpybind11_DIR="$("$python" -m pybind11 --cmakedir)" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" --target _core
# The package as installed, with the sanitized extension in it.
rm -rf "$build/pkg"
mkdir -p "$build/pkg"
cp -r bindings/python/finfusion "$build/pkg/"
cp "$build"/bindings/python/_core*.so "$build/pkg/finfusion/"
export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
PYTHONPATH="$PWD/$build/pkg" "$python" -c 'import finfusion, finfusion._core as c; assert "asan-python" in c.__file__, c.__file__'
# (The check that the suite imports an installed wheel is the ordinary run's, not this one's.)
PYTHONPATH="$PWD/$build/pkg" exec "$python" -m pytest -p no:cacheprovider \
  --deselect tests/python/test_surface.py::test_tests_import_the_installed_package "$@"
