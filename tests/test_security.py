"""Security: lib evaluates no text a user could supply, widgets pass numbers
only, the Colab setup installs the pinned reference without dependencies,
and nothing in the repository carries a secret."""

from __future__ import annotations

import ast
import re
import subprocess

import pytest

from conftest import ROOT

LIB_FILES = sorted((ROOT / "lib").rglob("*.py"))  # lib/checks/ included
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr", "S", "loads", "system", "popen"}
FORBIDDEN_IMPORTS = {"pickle", "subprocess", "marshal", "shelve"}
#: nsimplify parses strings too; it is allowed only where its argument has been
#: checked to be a number (required_constant_support validates ``target``).
CHECKED_NSIMPLIFY = {"policy.py"}


@pytest.mark.parametrize("path", LIB_FILES, ids=[p.name for p in LIB_FILES])
def test_lib_evaluates_no_text(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"
            if name == "nsimplify":
                assert path.name in CHECKED_NSIMPLIFY, f"{path.name}:{node.lineno} calls nsimplify"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                assert module.split(".")[0] not in FORBIDDEN_IMPORTS, f"{path.name} imports {module}"
                assert not module.startswith("sympy.parsing"), f"{path.name} imports {module}"


def test_nsimplify_arguments_are_numbers():
    from lib.policy import required_constant_support

    for bad in ("__import__('os').system('true')", "5.6", None, [5.6]):
        with pytest.raises(TypeError, match="must be a real number"):
            required_constant_support("stretched", bad)


def test_widgets_take_numbers_only():
    tree = ast.parse((ROOT / "lib" / "widgets.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "widgets"}  # fmt: skip
    controls = used - {"VBox", "HBox", "Output"}
    assert controls <= {"IntSlider", "FloatSlider", "FloatLogSlider", "Checkbox"}, controls


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA |)PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"sk-[A-Za-z0-9]{32,}"),
    re.compile(r"(?i)(password|passwd|secret|api_key|apikey|token)\s*[:=]\s*['\"][^'\"\s]{8,}['\"]"),
]


def test_no_secrets_in_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert files, "git ls-files listed nothing"
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".woff", ".woff2", ".ttf", ".eot"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        # Third-party minified code is full of names like `token:`; only the
        # key formats themselves are searched there.
        patterns = SECRET_PATTERNS[:-1] if name.startswith("_vendor/") else SECRET_PATTERNS
        for pattern in patterns:
            match = pattern.search(text)
            assert not match, f"{name} looks like it holds a secret: {match.group(0)[:40]}"
