"""The GitHub workflows: the tests on every push and pull request (ci.yml),
and the release (publish.yml), which would run end to end: valid, audited,
every action pinned, and every command one the project runs itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PUBLISH = WORKFLOWS / "publish.yml"
INSTRUCTORS = ROOT / "chapters" / "instructors.md"

FULL = "vars.BOOK_EDITION != 'student'"
STUDENT = "vars.BOOK_EDITION == 'student'"

#: Every command publish.yml may run: a make target (each one CI here runs
#: too, through the tests' make_once), the system packages, and the release.
ALLOWED = [
    re.compile(r"make [a-z][a-z-]*"),
    re.compile(r"bash scripts/ensure_system_packages\.sh"),
    re.compile(r"gh release create [^;&|]*( \|\| gh release upload [^;&|]*)?"),
]


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    on = workflow[True]  # YAML reads the key `on` as True
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def _lines(step: dict) -> list[str]:
    return [line.strip() for line in step.get("run", "").splitlines() if line.strip()]


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(step: dict, action: str) -> bool:
    return step.get("uses", "").startswith(action + "@")


@pytest.mark.parametrize("path", [CI, PUBLISH], ids=["ci", "publish"])
def test_workflow_is_valid_and_passes_the_security_audit(path):
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(BIN / "zizmor"), "--offline", str(path)],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", [CI, PUBLISH], ids=["ci", "publish"])
def test_workflow_actions_are_pinned_and_least_privileged(path):
    workflow = _load(path)
    assert workflow["permissions"] == {}, "no permission unless a job asks for it"
    for name, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, f"{name}: no timeout"
        assert "permissions" in job, f"{name}: no permissions of its own"
    for step in _steps(workflow):
        uses = step.get("uses")
        if uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{uses}: not pinned by a commit hash"
        if _uses(step, "actions/checkout"):
            assert step["with"]["persist-credentials"] is False
    text = path.read_text(encoding="utf-8")
    pinned = re.findall(r"uses: \S+@[0-9a-f]{40}(.*)", text)
    assert pinned and all(re.fullmatch(r"\s+# v\d+(\.\d+)*", c) for c in pinned), "a version comment per pin"


def test_ci_runs_the_readme_test_command_on_every_change():
    workflow = _load(CI)
    assert {"push", "pull_request"} <= set(_triggers(workflow))
    (job,) = workflow["jobs"].values()
    assert re.fullmatch(r"python:3\.11-bookworm", job["container"]["image"])
    commands = [line for step in job["steps"] for line in _lines(step)]
    assert commands == ["bash .ci/run"]
    # scripts/offline.sh needs a network namespace: either the container may
    # create one, or the workflow skips the isolation and says why.
    if "--privileged" not in job["container"].get("options", ""):
        assert job["env"]["OFFLINE_CHECK"] == "0"
        assert "network namespace" in CI.read_text(encoding="utf-8")


def test_publish_refuses_anything_but_the_release_tag():
    workflow = _load(PUBLISH)
    triggers = _triggers(workflow)
    assert triggers["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in triggers
    build = workflow["jobs"]["build"]
    first = next(step for step in build["steps"] if "run" in step)
    assert build["steps"].index(first) == 1 and _uses(build["steps"][0], "actions/checkout")
    assert _lines(first) == ["make release-check"]
    # A tag by its name, anything else by its full ref (never a bare name
    # that a branch could share with the tag).
    assert first["env"]["TAG"] == "${{ github.ref_type == 'tag' && github.ref_name || github.ref }}"
    assert "if" not in first, "the check runs for every edition"
    # No expression is expanded inside a command (template injection).
    assert not any("${{" in step.get("run", "") for step in _steps(workflow))


def test_publish_builds_in_debian_with_the_full_history():
    build = _load(PUBLISH)["jobs"]["build"]
    image = build["container"]["image"] if isinstance(build["container"], dict) else build["container"]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-bookworm", image), image
    checkout = next(step for step in build["steps"] if _uses(step, "actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    system = next(step for step in build["steps"] if "ensure_system_packages" in step.get("run", ""))
    assert _lines(system) == ["bash scripts/ensure_system_packages.sh"]
    assert str(system["env"]["CI"]) == "1"
    assert "fonts-noto-cjk" in (ROOT / "scripts" / "ensure_system_packages.sh").read_text(encoding="utf-8")


def test_publish_runs_only_the_projects_own_commands():
    for step in _steps(_load(PUBLISH)):
        for line in _lines(step):
            assert any(pattern.fullmatch(line) for pattern in ALLOWED), line


def test_publish_builds_both_editions_their_pdfs_the_site_and_the_bundle():
    build = _load(PUBLISH)["jobs"]["build"]
    by_edition: dict[str, list[str]] = {}
    for step in build["steps"]:
        by_edition.setdefault(step.get("if", ""), []).extend(_lines(step))
    full = by_edition[FULL]
    for command in ("make book", "make book-zh", "make pdf", "make pdf-zh", "make site", "make bundle"):
        assert command in full, command
    assert full.index("make book") < full.index("make pdf")  # make pdf prints the built book
    assert full.index("make book-zh") < full.index("make pdf-zh")
    assert full.index("make site") > max(full.index("make pdf"), full.index("make pdf-zh"))
    system = full.index("bash scripts/ensure_system_packages.sh")
    assert system < full.index("make pdf")
    # The site leaves the Debian container as an artifact; the Pages upload
    # runs on the runner itself (it writes to runner.temp, a host path).
    keep = next(step for step in build["steps"]
                if _uses(step, "actions/upload-artifact") and step["with"]["name"] == "site")  # fmt: skip
    assert keep["with"]["path"] == "_build/site" and "if" not in keep
    pages = _load(PUBLISH)["jobs"]["pages"]
    assert pages["needs"] == "build" and "container" not in pages
    fetch = next(step for step in pages["steps"] if _uses(step, "actions/download-artifact"))
    upload = next(step for step in pages["steps"] if _uses(step, "actions/upload-pages-artifact"))
    assert fetch["with"]["name"] == "site" and upload["with"]["path"] == fetch["with"]["path"]
    # A term that hides the solutions publishes the student book alone: no
    # PDF, no Chinese edition, no bundle (they hold the solutions).
    student = by_edition[STUDENT]
    assert student == ["make book-student", "make site-student"]


def test_publish_attaches_the_offline_bundle_to_the_release():
    workflow = _load(PUBLISH)
    jobs = workflow["jobs"]
    keep = next(step for step in jobs["build"]["steps"]
                if _uses(step, "actions/upload-artifact") and step["with"]["name"] == "offline-bundle")  # fmt: skip
    assert keep["with"]["path"] == "_build/bundle/*.zip"
    assert keep["if"] == FULL
    release = next(job for job in jobs.values() if job.get("permissions") == {"contents": "write"})
    assert release["needs"] == "build" and release["if"] == FULL
    assert not any(job.get("permissions", {}).get("contents") == "write"
                   for job in jobs.values() if job is not release), "only the release job may write"  # fmt: skip
    fetch = next(step for step in release["steps"] if _uses(step, "actions/download-artifact"))
    assert fetch["with"]["name"] == keep["with"]["name"]
    assert fetch["with"]["path"] == "_build/bundle"
    (command,) = [step for step in release["steps"] if "run" in step]
    line = command["run"].strip()
    assert line.startswith('gh release create "$TAG" _build/bundle/*.zip --verify-tag')
    assert command["env"] == {"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}",
                              "TAG": "${{ github.ref_name }}"}  # fmt: skip


def test_publish_deploys_to_the_pages_environment():
    deploy = _load(PUBLISH)["jobs"]["deploy"]
    assert deploy["needs"] == "pages"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_instructors_page_says_how_to_publish_a_fork():
    page = INSTRUCTORS.read_text(encoding="utf-8")
    section = " ".join(page[page.index("## Publishing the book"):].split("\n## ", 1)[0].split())
    for needed in ("GitHub Actions", "`github-pages`", "`v*`", "make release VERSION=x.y.z",
                   "`vx.y.z`", "offline bundle", "`BOOK_EDITION`"):  # fmt: skip
        assert needed in section, needed
    assert "is not allowed to deploy to github-pages due to environment protection rules" in section
    assert page.count("`BOOK_EDITION`") == 1, "one description of the student edition's switch"


def test_every_make_target_the_workflow_runs_is_run_by_ci_here():
    """What publishing runs is what CI here runs: each `make` target of
    publish.yml is built by the tests (make_once in tests/conftest.py), or
    by `.ci/run`, or run by a test (release-check)."""
    published = {m.group(1) for step in _steps(_load(PUBLISH)) for line in _lines(step)
                 for m in [re.match(r"make ([a-z][a-z-]*)", line)] if m}  # fmt: skip
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").glob("*.py"))]
    run_here = {t for text in sources for t in re.findall(r'make_once\("([a-z-]+)"', text)}
    run_here |= {t for text in sources for t in re.findall(r'\["make", [^\]]*"([a-z][a-z-]*)"\]', text)}
    run_here |= set(re.findall(r"^make ([a-z-]+)$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M))
    assert published >= {"book", "book-zh", "pdf", "pdf-zh", "site", "bundle", "release-check"}
    assert published <= run_here, f"run by the workflow, never by CI here: {sorted(published - run_here)}"
