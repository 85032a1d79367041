"""Serialise a student's answer inside the grading kernel (standard library only).

The grader copies this file into each submission's kernel directory and runs
a cell ``_course_capture.capture(label, answer)`` after each answer cell.
Each call prints one line, a marker followed by JSON: the answer as *data*
(numbers as repr, sympy via ``srepr``, arrays as nested lists, a function as
its source code and what that code refers to). The grader parses this data
with its own strict decoder (:mod:`grading.values`) and never trusts anything
else the kernel prints: a submission that forges a line only changes its own
answer, which is then checked by the grader's own ``lib.checks``.
"""

from __future__ import annotations

import builtins
import inspect
import json
import textwrap
import types

MARKER = "@@course-grading-capture@@"
_MAX_DEPTH = 6
_MAX_ITEMS = 100_000


def encode(value, depth=0):
    """A JSON-able tagged form of ``value`` (see the module docstring)."""
    if depth > _MAX_DEPTH:
        return {"type": "unsupported", "repr": "nested too deeply"}
    if value is Ellipsis:
        return {"type": "ellipsis"}
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        # As text: a huge integer stays exact, and the grader judges it.
        return {"type": "int", "value": str(value)} if value.bit_length() < 4000 else {
            "type": "int", "value": "huge", "bits": value.bit_length()}
    if isinstance(value, float):  # numpy's float64 too: its repr would name numpy
        return {"type": "float", "value": repr(float(value))}
    if isinstance(value, str):
        return {"type": "str", "value": value[:10_000]}
    module = type(value).__module__.split(".")[0]
    if module == "fractions":
        return {"type": "fraction", "num": str(value.numerator), "den": str(value.denominator)}
    if module == "decimal":
        return {"type": "decimal", "value": str(value)}
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.ndarray):
            if value.size > _MAX_ITEMS or value.dtype.kind not in "biuf":
                return {"type": "unsupported", "repr": f"array of {value.dtype} with {value.size} items"}
            return {"type": "array", "dtype": value.dtype.kind, "shape": list(value.shape),
                    "data": [encode(v.item(), depth + 1) for v in value.reshape(-1)]}
        if isinstance(value, np.generic):
            return encode(value.item(), depth)
    if module == "sympy":
        import sympy as sp

        if isinstance(value, (sp.Basic, sp.MatrixBase)):
            return {"type": "sympy", "srepr": sp.srepr(value)}
    if isinstance(value, (list, tuple)):
        if len(value) > _MAX_ITEMS:
            return {"type": "unsupported", "repr": f"{type(value).__name__} of {len(value)} items"}
        return {"type": "list" if isinstance(value, list) else "tuple",
                "items": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"type": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1)]
                                          for k, v in list(value.items())[:_MAX_ITEMS]]}
    if callable(value):
        return encode_function(value)
    return {"type": "unsupported", "repr": f"an object of type {type(value).__name__}"}


def _names(code):
    """Every global name a code object (and the functions inside it) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _source(func):
    try:
        return textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return None


def encode_function(func, _seen=None):
    """A function as its source, the helpers it calls and what its names mean.

    The grader re-creates it in a fresh process: modules are imported again,
    functions of installed modules (lib's included) are imported by name,
    functions defined in the notebook are re-created from their source, and
    plain values (numbers, arrays) are passed as data.
    """
    seen = set() if _seen is None else _seen
    func = getattr(func, "__func__", func)
    code = getattr(func, "__code__", None)
    if code is None:
        if callable(func):
            target = getattr(func, "func", None) or getattr(func, "__wrapped__", None)
            if target is not None:  # functools.partial or a decorated function
                return encode_function(target, seen)
        return {"type": "unsupported", "repr": f"a callable of type {type(func).__name__}"}
    out = {"type": "function", "name": func.__name__, "source": _source(func),
           "closure": bool(func.__closure__), "modules": {}, "imports": {}, "values": {},
           "helpers": []}
    seen.add(id(func))
    namespace = getattr(func, "__globals__", {})
    for name in sorted(_names(code)):
        if name not in namespace or hasattr(builtins, name) and namespace[name] is getattr(builtins, name):
            continue
        value = namespace[name]
        if isinstance(value, types.ModuleType):
            out["modules"][name] = value.__name__
        elif callable(value) and getattr(value, "__module__", None) == "__main__":
            if id(value) not in seen:
                out["helpers"].append(encode_function(value, seen))
        elif callable(value) and getattr(value, "__module__", None):
            out["imports"][name] = [value.__module__, getattr(value, "__qualname__", name)]
        else:
            out["values"][name] = encode(value)
    return out


def capture(label, value):
    """Print the marker line with ``label``'s answer (never raises)."""
    try:
        record = {"label": label, "answer": encode(value)}
    except Exception as exc:  # noqa: BLE001 - any answer gives a record
        record = {"label": label, "answer": {"type": "unsupported", "repr": repr(exc)[:300]}}
    print(MARKER + json.dumps(record), flush=True)
