"""Static reading of the code listings in the source articles.

The book never runs (or copies) an article's code. It reads the listing from
``sources/seeds/`` and analyses it with :mod:`ast`, which parses Python into a
syntax tree without executing anything: which functions are defined and how
often, which names are used but never defined, and which subtractions take a
value from itself.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ListingReport", "analyse_listing", "section_code_blocks", "seed_path"]

_BUILTINS = frozenset(dir(builtins))


def seed_path(name: str) -> Path:
    """Path of a source article in the repository's ``sources/seeds/``.

    Looks next to the installed ``lib`` (a clone of the repository), then in
    the working directory and its parents.

    Parameters
    ----------
    name : str
        File name of the seed, such as ``"000_c391b6d7dd97dab3.txt"``.

    Returns
    -------
    pathlib.Path
        The path of the existing file.

    Examples
    --------
    >>> seed_path("000_c391b6d7dd97dab3.txt").name
    '000_c391b6d7dd97dab3.txt'
    """
    if not isinstance(name, str) or "/" in name or "\\" in name or not name.endswith(".txt"):
        raise ValueError(f"name must be a seed file name such as '000_c391b6d7dd97dab3.txt'; got {name!r}.")
    places = [Path(__file__).resolve().parent.parent, *Path.cwd().resolve().parents, Path.cwd().resolve()]
    for root in places:
        candidate = root / "sources" / "seeds" / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"sources/seeds/{name} was not found next to lib, in the working folder or "
        "its parents; it is in the course repository: clone the repository, or "
        f"download the file to ./sources/seeds/{name}."
    )


def section_code_blocks(text: str, section: str, language: str = "python") -> list[str]:
    """The fenced code blocks of one numbered section (``"5.2"``) of a seed's text.

    Parameters
    ----------
    text : str
        The article's text (Markdown).
    section : str
        The section's number, such as ``"5.2"``.
    language : str, default "python"
        The language named after the opening fence.

    Returns
    -------
    list of str
        The blocks' contents, in order, without the fences.

    Examples
    --------
    >>> text = "### 5.2 x\\n```python\\na = 1\\n```\\n## 6. y\\n```python\\nb = 2\\n```\\n"
    >>> section_code_blocks(text, "5.2")
    ['a = 1\\n']
    """
    if not isinstance(text, str) or not isinstance(section, str):
        raise TypeError("text and section must be strings.")
    if not re.fullmatch(r"\d+(\.\d+)*", section):
        raise ValueError(f"section must be a number such as '5.2'; got {section!r}.")
    heading = re.search(rf"^#+\s*{re.escape(section)}\b.*$", text, flags=re.MULTILINE)
    if heading is None:
        raise ValueError(f"the text has no heading numbered {section}.")
    rest = text[heading.end():]
    following = re.search(r"^#{1,3}\s*\d+(\.\d+)*\.?\s", rest, flags=re.MULTILINE)
    body = rest if following is None else rest[: following.start()]
    # [ \t]* after the language, not \s*: a block's leading blank lines are its own.
    return re.findall(rf"^```{re.escape(language)}[ \t]*\n(.*?)^```", body, flags=re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class ListingReport:
    """What a static reading of a listing finds.

    ``definitions``: how many times each function name is defined;
    ``imports``: (module, name) pairs imported; ``undefined``: names read but
    never bound where they are read (function bodies and the top level
    separately); ``self_differences``: source text of every ``a - a``.

    Attributes
    ----------
    definitions : collections.Counter
        How many times each function name is defined.
    imports : list of tuple of (str, str)
        The ``(module, name)`` pairs of the ``from ... import`` statements.
    undefined : dict of str to list of str
        For each function (and ``"top level"``), the names read but never bound.
    self_differences : list of str
        The source text of every ``a - a``.

    Examples
    --------
    >>> report = analyse_listing("from math import pi\\ndef f(a):\\n    return a - a\\n")
    >>> report.definitions, report.imports, report.self_differences
    (Counter({'f': 1}), [('math', 'pi')], ['a - a'])
    """

    definitions: Counter
    imports: list[tuple[str, str]]
    undefined: dict[str, list[str]]
    self_differences: list[str]


def _stored(nodes: list[ast.AST]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                names.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in sub.names)
            elif isinstance(sub, ast.arg):
                names.add(sub.arg)
    return names


def _loaded(nodes: list[ast.AST]) -> set[str]:
    return {sub.id for node in nodes for sub in ast.walk(node)
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)}  # fmt: skip


def analyse_listing(code: str) -> ListingReport:
    """Analyse Python source without running it.

    Parameters
    ----------
    code : str
        Python source.

    Returns
    -------
    ListingReport
        Repeated definitions, imports, undefined names and ``a - a`` differences.

    Examples
    --------
    >>> r = analyse_listing(
    ...     "from m import f\\ndef g(a):\\n    return a - a + b\\ndef g(a):\\n    return 0\\n"
    ... )
    >>> r.definitions["g"], r.undefined["g"], r.self_differences
    (2, ['b'], ['a - a'])
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a string of Python source; got {type(code).__name__}.")
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise ValueError(f"code is not valid Python: {exc}") from None
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    top_level = [n for n in tree.body if n not in functions]
    module_names = _stored(top_level) | {f.name for f in functions}
    undefined: dict[str, list[str]] = {}
    for func in functions:
        local = _stored([func.args, *func.body])
        missing = _loaded(func.body) - local - module_names - _BUILTINS
        undefined[func.name] = sorted(set(undefined.get(func.name, [])) | missing)
    undefined["top level"] = sorted(_loaded(top_level) - module_names - _BUILTINS)
    imports = [(n.module or "", a.name)
               for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names]  # fmt: skip
    self_differences = [ast.get_source_segment(code, n) or ast.unparse(n) for n in ast.walk(tree)
                        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub)
                        and ast.dump(n.left) == ast.dump(n.right)]  # fmt: skip
    definitions = Counter(f.name for f in ast.walk(tree)
                          if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)))  # fmt: skip
    return ListingReport(definitions, imports, undefined, self_differences)
