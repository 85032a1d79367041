"""The public API is documented: every module of lib declares ``__all__``, every
name in it exists, and every public function and class in it has a numpydoc
docstring with a summary line, a Parameters section naming exactly its
parameters, a Returns (or Yields) section unless it returns None, and an
Examples section with at least one ``>>>`` line (the examples run as doctests,
``--doctest-modules`` in pyproject.toml).

The sections are read with a small parser of the numpydoc layout (a title
underlined with dashes; entries ``name : type`` at the section's indentation),
since numpydoc itself is not a dependency of the book."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
import textwrap

import pytest

import lib
import lib.checks

# The package's __init__ only describes its modules (imported on demand, so
# that ``import lib`` stays fast): it exports nothing.
PACKAGES_WITHOUT_API = {"lib"}
# The chapters' registration modules of lib.checks export nothing: they fill
# the registry when lib.checks imports them. Those with an __all__ are checked.
REGISTRATION_PREFIX = "lib.checks.p"

MODULES = ["lib", *sorted(m.name for m in pkgutil.walk_packages(lib.__path__, "lib."))]


def _module_names() -> list[str]:
    names = []
    for name in MODULES:
        if name in PACKAGES_WITHOUT_API:
            continue
        if name.startswith(REGISTRATION_PREFIX) and not hasattr(importlib.import_module(name), "__all__"):
            continue
        names.append(name)
    return names


MODULE_NAMES = _module_names()


def _public_objects() -> list[tuple[str, object]]:
    found = []
    for module_name in MODULE_NAMES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            # Document each object once, where it is defined (lib.checks re-exports _core's).
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
                found.append((f"{module_name}.{name}", obj))
    return found


PUBLIC = _public_objects()

_ENTRY = re.compile(r"^(\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?$")


def sections(doc: str) -> dict[str, list[str]]:
    """The docstring's numpydoc sections: title -> the lines under it (dedented)."""
    lines = inspect.cleandoc(doc).splitlines()
    titles = [i for i in range(len(lines) - 1)
              if lines[i].strip() and re.fullmatch(r"-{3,}", lines[i + 1].strip())
              and len(lines[i + 1].strip()) == len(lines[i].strip())]  # fmt: skip
    found = {"": lines[: titles[0]] if titles else lines}
    for k, start in enumerate(titles):
        end = titles[k + 1] if k + 1 < len(titles) else len(lines)
        found[lines[start].strip()] = textwrap.dedent("\n".join(lines[start + 2 : end])).splitlines()
    return found


def documented_names(lines: list[str]) -> list[str]:
    """The names a Parameters (or Attributes) section lists: its unindented entries."""
    names = []
    for line in lines:
        if line.strip() and not line[0].isspace():
            match = _ENTRY.match(line.strip())
            assert match, f"not a numpydoc entry ('name : type'): {line!r}"
            names += [n.strip().lstrip("*") for n in match.group(1).split(",")]
    return names


def parameters(obj) -> list[str]:
    """The names a caller passes: the signature without self/cls (for a
    dataclass, its fields, without private ones such as a cache);
    *args and **kwargs by their bare names."""
    target = obj
    if inspect.isclass(obj):
        target = obj.__init__ if "__init__" in vars(obj) else obj
    names = []
    for p in inspect.signature(target).parameters.values():
        if p.name in ("self", "cls") and target is not obj:
            continue
        if inspect.isclass(obj) and p.name.startswith("_"):
            continue
        names.append(p.name)
    return names


def returns_something(func) -> bool:
    """Whether the function returns a value: by its annotation, else by its source."""
    annotation = inspect.signature(func).return_annotation
    if annotation is not inspect.Signature.empty:
        return annotation not in (None, "None")
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    body = tree.body[0]
    nodes = [n for n in ast.walk(body) if not (n is not body and isinstance(n, (ast.FunctionDef, ast.Lambda)))]
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) or (isinstance(n, ast.Return) and n.value is not None)
               for n in nodes)  # fmt: skip


def problems(obj) -> list[str]:
    """What the docstring of ``obj`` lacks (empty when it is complete)."""
    doc = obj.__doc__
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and doc and doc.startswith(obj.__name__ + "("):
        doc = None  # the docstring dataclasses writes when there is none
    if not doc or not doc.strip():
        return ["no docstring"]
    found = sections(doc)
    issues = []
    summary = found[""]
    if not summary or not summary[0].strip():
        issues.append("no summary line")
    expected = parameters(obj)
    if inspect.isclass(obj) and "Parameters" not in found:
        # A record class documents its fields as Attributes (it may list more:
        # derived properties).
        listed = documented_names(found.get("Attributes", []))
        missing = [n for n in expected if n not in listed]
        if missing:
            issues.append(f"Attributes (or Parameters) do not list {missing}")
    elif expected or "Parameters" in found:
        listed = documented_names(found.get("Parameters", []))
        if listed != expected:
            issues.append(f"Parameters list {listed}, the signature has {expected}")
    if inspect.isfunction(obj) and returns_something(obj) and not ({"Returns", "Yields"} & found.keys()):
        issues.append("no Returns (or Yields) section")
    if not any(line.lstrip().startswith(">>>") for line in found.get("Examples", [])):
        issues.append("no Examples section with a >>> line")
    return issues


@pytest.mark.parametrize("module_name", MODULE_NAMES)
def test_module_declares_its_api(module_name):
    module = importlib.import_module(module_name)
    assert hasattr(module, "__all__"), f"{module_name} has no __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ names what the module lacks: {missing}"
    assert len(set(module.__all__)) == len(module.__all__), f"{module_name}.__all__ repeats a name"


@pytest.mark.parametrize("name, obj", [pytest.param(name, obj, id=name) for name, obj in PUBLIC])
def test_public_object_has_a_complete_docstring(name, obj):
    issues = problems(obj)
    assert not issues, f"{name}: " + "; ".join(issues)


def test_the_parser_reads_numpydoc():
    # The parser against a docstring written out by hand, complete and not.
    def f(a, b=1, *args, c, **kwargs):
        """Add.

        Parameters
        ----------
        a, b : int
            The terms.
        *args : int
            More terms.
        c : int
        **kwargs
            Ignored.

        Returns
        -------
        int

        Examples
        --------
        >>> 1
        1
        """
        return a

    assert problems(f) == []
    f.__doc__ = "Add.\n\nParameters\n----------\na : int\n"
    assert problems(f) == [
        "Parameters list ['a'], the signature has ['a', 'b', 'args', 'c', 'kwargs']",
        "no Returns (or Yields) section",
        "no Examples section with a >>> line",
    ]
    assert len(PUBLIC) > 50 and len(MODULE_NAMES) > 15
