"""Show the library's own source code in a chapter.

The book teaches the code that the tests test: a chapter displays a function
of :mod:`lib` with :func:`show_source` rather than copying it. This works in
the built HTML (the cell's output is rendered at build time) and in Colab,
where Sphinx's ``literalinclude`` does not exist.
"""

from __future__ import annotations

import inspect
from typing import Any

from IPython.display import Code

__all__ = ["show_source"]


def show_source(obj: Any) -> Code:
    """Return the syntax-highlighted source of a function, class or module.

    Parameters
    ----------
    obj : function, class or module
        Something :func:`inspect.getsource` can read.

    Returns
    -------
    IPython.display.Code
        Displays as highlighted code in a notebook and in the HTML book.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source (a number, a built-in function).

    Examples
    --------
    >>> from lib.matching import assignment_total
    >>> code = show_source(assignment_total)
    >>> code.data.splitlines()[0]
    'def assignment_total('
    """
    try:
        source = inspect.getsource(obj)
    except (TypeError, OSError):
        raise TypeError(
            f"show_source needs a function, class or module of lib; got {obj!r}."
        ) from None
    return Code(source, language="python")
