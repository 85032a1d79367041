"""Invalidate the book's execution cache when what the notebooks read changes.

Jupyter Book's cache is keyed on each notebook's code cells only, so after an
edit to `lib` (or to the stored benchmark results the "How fast, how big"
page reads) an unchanged notebook would keep outputs computed from the old
files. This script stores a hash of `lib/*.py` and `benchmarks/results/*.json`
next to the cache and deletes the cache when the hash differs. `make book` and
the test suite run it before every build.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"
# Sphinx only re-reads (and so re-executes) pages whose source changed; its
# saved environment must go too, or a cleared cache is never refilled.
DOCTREES = ROOT / "_build" / ".doctrees"
STAMP = ROOT / "_build" / ".lib_hash"


def lib_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    inputs = sorted((root / "lib").rglob("*.py")) + sorted((root / "benchmarks" / "results").glob("*.json"))
    for path in inputs:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def guard(root: Path = ROOT) -> bool:
    """Delete the cache if lib changed since it was filled; return True if it did."""
    current = lib_hash(root)
    stale = STAMP.exists() and STAMP.read_text().strip() != current
    orphaned = DOCTREES.exists() and not (CACHE / "global.db").exists()
    if stale or orphaned or (CACHE.exists() and not STAMP.exists()):
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.rmtree(DOCTREES, ignore_errors=True)
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(current + "\n")
    return stale


if __name__ == "__main__":
    if guard():
        print("lib changed since the last build: execution cache cleared")
