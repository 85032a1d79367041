"""Decode the data a grading kernel (or sandbox) printed, without evaluating it.

The kernel is the submission's: what it prints is data to parse strictly,
never code. Numbers become Python numbers, arrays numpy arrays, and a sympy
``srepr`` is rebuilt node by node from an allow-list of sympy classes (the
text is parsed with :mod:`ast`, never passed to ``eval`` or ``sympify``).
"""

from __future__ import annotations

import ast
import decimal
import re
from fractions import Fraction
from typing import Any

import numpy as np


class BadValue(ValueError):
    """Data that does not decode to an answer (the message says why)."""


def decode(data: Any) -> Any:
    """The value a tagged record from :func:`grading.capture.encode` stands for.

    Examples
    --------
    >>> decode({"type": "fraction", "num": "1", "den": "3"})
    Fraction(1, 3)
    >>> decode({"type": "list", "items": [{"type": "int", "value": "2"}]})
    [2]
    """
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadValue("not a tagged value")
    kind = data["type"]
    if kind == "ellipsis":
        return ...
    if kind == "none":
        return None
    if kind == "bool":
        return bool(data["value"])
    if kind == "int":
        if data["value"] == "huge":
            # Only its size is known; 2**bits is as huge (lib's check says so).
            return 2 ** min(int(data.get("bits", 4000)), 10_000)
        return int(str(data["value"]))
    if kind == "float":
        return float(str(data["value"]))
    if kind == "str":
        return str(data["value"])
    if kind == "fraction":
        return Fraction(int(str(data["num"])), int(str(data["den"])))
    if kind == "decimal":
        return decimal.Decimal(str(data["value"]))
    if kind == "array":
        items = [decode(v) for v in data["data"]]
        if not all(isinstance(v, (bool, int, float)) for v in items):
            raise BadValue("an array of non-numbers")
        dtype = {"b": bool, "i": np.int64, "u": np.uint64, "f": float}.get(data["dtype"], float)
        shape = tuple(int(n) for n in data["shape"])
        return np.array(items, dtype=dtype).reshape(shape)
    if kind in ("list", "tuple"):
        items = [decode(v) for v in data["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in data["items"]}
    if kind == "sympy":
        return parse_srepr(str(data["srepr"]))
    if kind == "unsupported":
        raise BadValue(f"the answer is {data.get('repr', 'of an unsupported type')}")
    raise BadValue(f"unknown value type {kind!r}")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _sympy_names() -> dict[str, Any]:
    """The sympy classes and functions an srepr may name (no module access)."""
    import sympy as sp

    allowed = {}
    for name in dir(sp):
        obj = getattr(sp, name)
        if isinstance(obj, type) and issubclass(obj, sp.Basic):
            allowed[name] = obj
    for name in ("Symbol", "Dummy", "Integer", "Rational", "Float", "Tuple", "Indexed",
                 "IndexedBase", "Idx", "Sum", "Product", "KroneckerDelta", "Function"):
        allowed[name] = getattr(sp, name)
    for name in ("Matrix", "MutableDenseMatrix", "ImmutableDenseMatrix", "ImmutableMatrix"):
        allowed[name] = getattr(sp, name)
    allowed["true"], allowed["false"] = sp.true, sp.false
    return allowed


_SYMBOL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_{}^\\,']{0,63}")
_NAME_TEXT = {"Symbol": _SYMBOL_NAME, "Dummy": _SYMBOL_NAME, "Function": _SYMBOL_NAME,
              "IndexedBase": _SYMBOL_NAME, "Idx": _SYMBOL_NAME, "Wild": _SYMBOL_NAME,
              "Float": re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")}
_NO_TEXT = re.compile(r"(?!)")  # matches nothing


def _node(node: ast.AST, names: dict[str, Any], budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise BadValue("the sympy expression is too large")
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool, type(None))):
        if isinstance(node.value, int) and abs(node.value).bit_length() > 4000:
            raise BadValue("a huge integer inside a sympy expression")
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _node(node.operand, names, budget)
        if isinstance(value, (int, float)):
            return -value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_node(e, names, budget) for e in node.elts)
    if isinstance(node, ast.Name) and node.id in names and node.id in ("true", "false"):
        return names[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
        func = names[node.func.id]
        args = [_node(a, names, budget) for a in node.args]
        # sympy's constructors sympify their arguments, and sympify parses text
        # with eval: text is allowed only where it is a name or a float's digits.
        for arg in args:
            if isinstance(arg, str) and not _NAME_TEXT.get(node.func.id, _NO_TEXT).fullmatch(arg):
                raise BadValue("text inside a sympy expression where none belongs")
        kwargs = {}
        for kw in node.keywords:
            value = _node(kw.value, names, budget)
            if kw.arg is None or not isinstance(value, (bool, int, float, type(None))):
                raise BadValue("an unexpected keyword in a sympy expression")
            kwargs[kw.arg] = value
        if node.func.id == "Function":  # Function('f') is a class; calling it applies it
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except (TypeError, ValueError, AttributeError) as exc:
            raise BadValue(f"not a valid sympy expression ({exc})") from exc
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
            and isinstance(node.func.func, ast.Name) and node.func.func.id == "Function"):
        applied = _node(node.func, names, budget)  # an undefined function f(x)
        return applied(*[_node(a, names, budget) for a in node.args])
    raise BadValue("the sympy expression contains something other than sympy objects")


def parse_srepr(text: str) -> Any:
    """Rebuild a sympy object from its ``srepr`` without evaluating text.

    Examples
    --------
    >>> parse_srepr("Add(Symbol('x'), Integer(2))")
    x + 2
    >>> parse_srepr("__import__('os')")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    grading.values.BadValue: the sympy expression contains something other than sympy objects
    >>> parse_srepr("Add('x+1', Integer(2))")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    grading.values.BadValue: text inside a sympy expression where none belongs
    """
    if len(text) > 200_000:
        raise BadValue("the sympy expression is too large")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise BadValue("not an srepr") from exc
    return _node(tree.body, _sympy_names(), [50_000])
