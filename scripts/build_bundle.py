"""The offline bundle of a release: notebooks and a wheel of ``lib`` in one zip.

For classrooms where Colab or GitHub cannot be reached. ``make bundle``
writes ``_build/bundle/ai-and-work-<version>.zip`` holding

* ``notebooks/full/``: every chapter, with its solutions;
* ``notebooks/student/``: the student edition, without them;
* ``wheels/``: a wheel of the course's package ``lib``;
* ``README.txt``, ``LICENSE`` and ``CITATION.cff``.

The source articles are not in the bundle: they remain their authors' work,
and the course cites them by section and heading.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pin_binder import requirement_name  # noqa: E402
from release import package_version  # noqa: E402
from setup_cell import chapter_notebooks  # noqa: E402

README = """\
AI and Work: A Critical, Executable Edition -- offline bundle, version {version}

1. Install the course's package from the wheel in this folder, without
   touching the packages you have:

       python -m pip install --no-deps wheels/{wheel}

   (or, before starting Jupyter, set COURSE_LIB_SOURCE to the wheel's full
   path: the first cell of every notebook then installs it from there).
2. Open a notebook from notebooks/student/ (exercises without solutions) or
   notebooks/full/ (with solutions) in Jupyter, and run it from the top.

The notebooks need Python 3.10 or newer with these packages installed:
{required}.
Part III chapter 2 also compares its reports with {optional}
where they are installed (its cells say so when they are not).

Code is under the MIT licence, text and figures under CC BY 4.0 (LICENSE).
The three source articles the course discusses are not included: they
remain their authors' work.
"""


def readme(version: str, wheel: str) -> str:
    """The bundle's README.txt: how to install, and every package the
    notebooks import (lib's dependencies and its ``compare`` extra)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = ", ".join(requirement_name(r) for r in project["dependencies"])
    optional = " and ".join(requirement_name(r) for r in project["optional-dependencies"]["compare"])
    return README.format(version=version, wheel=wheel, required=required, optional=optional)


def build_wheel(out_dir: Path) -> Path:
    """Build a wheel of ``lib`` (no dependencies) into ``out_dir``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--no-build-isolation", "--wheel-dir", str(out_dir), str(ROOT)],
        check=True,
    )
    wheels = sorted(out_dir.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {out_dir}; found {len(wheels)}.")
    return wheels[0]


def build_bundle(out_dir: Path) -> Path:
    """Write the bundle zip into ``out_dir`` and return its path."""
    version = package_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"ai-and-work-{version}.zip"
    top = f"ai-and-work-{version}"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{top}/README.txt", readme(version, wheel.name))
            for name in ("LICENSE", "CITATION.cff"):
                zf.write(ROOT / name, f"{top}/{name}")
            zf.write(wheel, f"{top}/wheels/{wheel.name}")
            for path in chapter_notebooks():
                rel = path.relative_to(ROOT / "chapters")
                zf.write(path, f"{top}/notebooks/full/{rel}")
                student = ROOT / "student" / "chapters" / rel
                if not student.exists():
                    raise SystemExit(f"{student} is missing: run scripts/student_edition.py.")
                zf.write(student, f"{top}/notebooks/student/{rel}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_build" / "bundle"))
    args = parser.parse_args()
    target = build_bundle(Path(args.out))
    print(f"{target}: {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
