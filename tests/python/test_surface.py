"""The Python module exposes the binding surface of tests/surface.json (Node and Java are
checked against the same file), and nothing public is missing from it."""

import importlib
import json
import pathlib

import finfusion

SURFACE = json.loads((pathlib.Path(__file__).resolve().parents[1] / "surface.json").read_text())


def test_modules_expose_the_surface():
    for module, names in SURFACE["modules"].items():
        mod = importlib.import_module(f"finfusion.{module}")
        for name in names:
            assert hasattr(mod, name), f"finfusion.{module}.{name}"


def test_top_level_and_codes():
    for name in SURFACE["top_level"]:
        assert hasattr(finfusion, name), name
    assert finfusion.CODES == SURFACE["codes"]
    assert finfusion.__version__ == (pathlib.Path(__file__).resolve().parents[2] / "VERSION").read_text().strip()


def test_every_public_function_is_in_the_surface():
    for module, names in SURFACE["modules"].items():
        mod = importlib.import_module(f"finfusion.{module}")
        public = {n for n in getattr(mod, "__all__") if callable(getattr(mod, n)) and n[0].islower()}
        helpers = {"to_millis", "from_millis", "duration_millis"}  # Python conversions only
        assert public - set(names) - helpers == set(), module


def test_tests_import_the_installed_package():
    source_tree = pathlib.Path(__file__).resolve().parents[2] / "bindings"
    assert source_tree not in pathlib.Path(finfusion.__file__).resolve().parents
    assert "site-packages" in finfusion.__file__
