"""Static reading of the code listings in the source articles.

The book never runs (or prints) an article's code. :func:`article_listing`
returns a listing as the article prints it, from the excerpts that ship with
``lib`` (``lib/_excerpts.py``, written from ``sources/excerpts/`` by
``scripts/source_index.py``), so a chapter reads it wherever ``lib`` is
installed; :func:`analyse_listing` reads it with :mod:`ast`, which parses
Python into a syntax tree without executing anything: which functions are
defined and how often, which names are used but never defined, and which
subtractions take a value from itself.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["ArticleListing", "ListingReport", "analyse_listing", "article_listing", "section_code_blocks"]

_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class ArticleListing:
    """A code listing of a source article, block by block, as the article prints it.

    Attributes
    ----------
    seed : str
        The article's seed number, such as ``"000"``.
    file : str
        The article's file name, such as ``"000_c391b6d7dd97dab3.txt"``.
    section : str
        The number of the section that holds the listing, such as ``"5.2"``.
    heading : str
        The section's heading in the article (Chinese).
    lines : str
        The article's lines the excerpt keeps, such as ``"248–297, 301–350"``.
    blocks : tuple of str
        The section's fenced Python blocks, in order, without the fences.
    code : str
        The blocks joined by newlines (a property).

    Examples
    --------
    >>> listing = article_listing(seed="000", section="5.2")
    >>> listing.file, listing.section, len(listing.blocks)
    ('000_c391b6d7dd97dab3.txt', '5.2', 4)
    >>> listing.code.count("def objective_function(")
    18
    """

    seed: str
    file: str
    section: str
    heading: str
    lines: str
    blocks: tuple[str, ...]

    @property
    def code(self) -> str:
        """The blocks joined by newlines."""
        return "\n".join(self.blocks)


def article_listing(seed: str, section: str) -> ArticleListing:
    """The code listing of one section of a source article, from the excerpts ``lib`` carries.

    ``lib`` carries the listings a chapter analyses (seed 000 §5.2, read in
    Part I chapter 3); every other excerpt the book quotes is in the
    repository's ``sources/excerpts/``.

    Parameters
    ----------
    seed : str
        The article's seed number: ``"000"``, ``"001"`` or ``"002"``.
    section : str
        The section's number, such as ``"5.2"``.

    Returns
    -------
    ArticleListing
        The listing's blocks, with its seed file, section and heading.

    Examples
    --------
    >>> listing = article_listing(seed="000", section="5.2")
    >>> listing.heading, listing.code.splitlines()[0]
    ('源代码详细实现', 'from sympy import symbols, minimize, Function')
    """
    from lib._excerpts import EXCERPTS  # here: scripts/source_index.py writes it with this module's help

    for name, value in (("seed", seed), ("section", section)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string such as '000' or '5.2'; got {type(value).__name__}.")
    if not re.fullmatch(r"\d{3}", seed):
        raise ValueError(f"seed must be a three-digit seed number such as '000'; got {seed!r}.")
    if not re.fullmatch(r"\d+(\.\d+)*", section):
        raise ValueError(f"section must be a number such as '5.2'; got {section!r}.")
    if (seed, section) not in EXCERPTS:
        shipped = ", ".join(f"seed {s} §{n}" for s, n in sorted(EXCERPTS))
        raise ValueError(
            f"lib carries no listing of seed {seed} §{section} (seed and section); it carries {shipped}. "
            "The other excerpts the book quotes are in the repository's sources/excerpts/."
        )
    entry = EXCERPTS[seed, section]
    blocks = tuple(section_code_blocks(entry["text"], section))
    return ArticleListing(seed, entry["file"], section, entry["heading"], entry["lines"], blocks)


def section_code_blocks(text: str, section: str, language: str = "python") -> list[str]:
    """The fenced code blocks of one numbered section (``"5.2"``) of a seed's text.

    Parameters
    ----------
    text : str
        The article's text, or an excerpt of it (Markdown).
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
