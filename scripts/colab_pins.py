"""Regenerate ``tests/colab-runtime.txt``, the Colab versions the Colab
emulation installs, from a freeze of Colab's published runtime.

Colab publishes the output of ``pip freeze`` of its runtime (the
googlecolab/backend-info repository, ``pip-freeze.txt``). The course needs
only the packages its notebooks use (:data:`ROOTS`) and what they depend on.
This script asks pip to resolve :data:`ROOTS` with every package constrained
to its version in the freeze (``pip install --dry-run --report``, so nothing
is installed; it needs the package index), and writes the resolved set, one
``name==version`` a line, under a header naming the freeze's source and date.

    python scripts/colab_pins.py path/to/pip-freeze.txt
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "colab-runtime.txt"
#: What the notebooks import or run on, as Colab ships it (the setup cell
#: installs lib with --no-deps, so these are never replaced).
ROOTS = ["numpy", "scipy", "sympy", "matplotlib", "ipywidgets", "ipykernel", "ipython",
         "networkx", "scikit-learn"]


def freeze_pins(text: str) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a freeze.

    Examples
    --------
    >>> freeze_pins("# a comment\\nnumpy==2.1.3\\nfoo @ file:///x\\n")
    {'numpy': '2.1.3'}
    """
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and " @ " not in line:
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    return pins


def freeze_header(text: str) -> list[str]:
    """The freeze's leading comment lines (its source, date and Python)."""
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    return header


def resolve(freeze: Path, roots: list[str] = ROOTS) -> dict[str, str]:
    """Resolve ``roots`` at the freeze's versions; return every package pip
    would install, ``name -> version``."""
    pins = freeze_pins(freeze.read_text(encoding="utf-8"))
    missing = [name for name in roots if name not in pins]
    if missing:
        raise ValueError(f"the freeze {freeze} does not pin {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in pins.items()), encoding="utf-8")
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--disable-pip-version-check", "--report", str(report), "-c", str(constraints),
             *(f"{name}=={pins[name]}" for name in roots)],
            check=True,
        )  # fmt: skip
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in installs}


def render(freeze: Path, resolved: dict[str, str]) -> str:
    text = freeze.read_text(encoding="utf-8")
    lines = [
        "# Colab's runtime versions of what the course's notebooks use, and of",
        "# their dependencies: the Colab emulation (tests/test_classroom.py)",
        "# installs exactly these. Copied from Colab's published freeze:",
        *[line.replace("# ", "#   ", 1) for line in freeze_header(text)[:1]],
        f"# Roots: {', '.join(ROOTS)}. Regenerate with",
        "#   python scripts/colab_pins.py path/to/pip-freeze.txt",
        f"# (generated {datetime.date.today().isoformat()}).",
    ]
    by_name = sorted(resolved.items(), key=lambda kv: kv[0].lower())
    lines += [f"{name}=={version}" for name, version in by_name]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("freeze", type=Path, help="Colab's pip-freeze.txt")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    resolved = resolve(args.freeze)
    args.output.write_text(render(args.freeze, resolved), encoding="utf-8")
    print(f"wrote {len(resolved)} pins to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
