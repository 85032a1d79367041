"""Every public function of lib is in exactly one differential file's tables.

Each ``tests/test_differential*.py`` module has a ``REFERENCES`` dict (the
functions it compares with an independent reference) and a ``NO_REFERENCE``
dict (the functions without one, with the reason). The files are found by
glob, so a new differential file counts as soon as it exists. A public
function is a function named in a lib module's ``__all__`` and defined in
that module (found by ``pkgutil.walk_packages`` over lib); a name re-exported
by another module (``lib.checks.is_placeholder``) counts as the function it
is, in the module that defines it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import lib

TESTS = Path(__file__).resolve().parent
DIFFERENTIAL_FILES = sorted(
    p.stem for p in TESTS.glob("test_differential*.py") if p.stem != Path(__file__).stem
)


def public_functions() -> set[str]:
    """``module.function`` of every function in a lib module's ``__all__``
    that is defined in that module."""
    names = set()
    for info in pkgutil.walk_packages(lib.__path__, "lib."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                names.add(f"{module.__name__}.{name}")
    return names


def resolve(entry: str) -> str | None:
    """The entry as ``lib.module.function`` of the module that defines it
    (entries may omit the ``lib.`` prefix); None when no such function exists."""
    dotted = entry if entry.startswith("lib.") else f"lib.{entry}"
    module_name, _, name = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    obj = getattr(module, name, None)
    if not inspect.isfunction(obj):
        return None
    return f"{obj.__module__}.{obj.__name__}"


def tables() -> dict[str, dict[str, set[str]]]:
    """File -> {"REFERENCES": entries, "NO_REFERENCE": entries}, as written."""
    out = {}
    for stem in DIFFERENTIAL_FILES:
        module = importlib.import_module(stem)
        out[stem] = {
            "REFERENCES": set(module.REFERENCES),
            "NO_REFERENCE": set(module.NO_REFERENCE),
        }
    return out


TABLES = tables()


def test_the_differential_files_are_found():
    assert "test_differential" in TABLES and len(TABLES) >= 2


@pytest.mark.parametrize("stem", DIFFERENTIAL_FILES)
def test_every_entry_names_an_existing_function(stem):
    for table, entries in TABLES[stem].items():
        missing = sorted(e for e in entries if resolve(e) is None)
        assert not missing, f"{stem}.{table} names functions that do not exist: {missing}"


@pytest.mark.parametrize("stem", DIFFERENTIAL_FILES)
def test_no_function_is_both_compared_and_without_reference(stem):
    compared = {resolve(e) for e in TABLES[stem]["REFERENCES"]}
    without = {resolve(e) for e in TABLES[stem]["NO_REFERENCE"]}
    assert not (compared & without) - {None}


def test_every_public_function_is_in_exactly_one_file():
    files_of: dict[str, list[str]] = {}
    for stem, both in TABLES.items():
        for name in {resolve(e) for entries in both.values() for e in entries} - {None}:
            files_of.setdefault(name, []).append(stem)
    functions = public_functions()
    missing = sorted(f for f in functions if f not in files_of)
    twice = {f: files for f, files in sorted(files_of.items()) if len(files) > 1}
    assert not missing, f"public functions in no differential file: {missing}"
    assert not twice, f"public functions in more than one differential file: {twice}"
    # Every entry is a public function (not a private helper or a re-export of one).
    assert set(files_of) <= functions, sorted(set(files_of) - functions)
