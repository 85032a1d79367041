"""The Source map lists every numbered section of every article."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEEDS

SOURCE_MAP = ROOT / "chapters" / "appendix" / "source_map.md"
HEADING_RE = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.? (.+)$")


def numbered_headings(path):
    """(number, heading) of every numbered heading outside code fences."""
    headings, in_code = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else HEADING_RE.match(line.rstrip())
        if match:
            headings.append((match.group(1), match.group(2).strip()))
    return headings


def map_rows(seed: str) -> dict[str, str]:
    text = SOURCE_MAP.read_text(encoding="utf-8")
    match = re.search(rf"^## Seed {seed}\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, f"the Source map has no section for seed {seed}"
    rows = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("§"):
            rows[cells[0][1:]] = cells[2]
    return rows


SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_three_seeds_present():
    assert [p.name[:3] for p in SEED_FILES] == ["000", "001", "002"]


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name[:3] for p in SEED_FILES])
def test_every_numbered_section_is_mapped(path):
    headings = numbered_headings(path)
    assert len(headings) > 20
    rows = map_rows(path.name[:3])
    missing = [number for number, _ in headings if number not in rows]
    assert not missing, f"seed {path.name[:3]} sections missing from the Source map: {missing}"
    for number, _ in headings:
        assert rows[number], f"§{number} of seed {path.name[:3]} has an empty 'Covered in' cell"


# Seeds whose every numbered section is covered by a page (no "not yet").
FULLY_COVERED = {"000", "001", "002"}


@pytest.mark.parametrize("seed", sorted(FULLY_COVERED))
def test_fully_covered_seeds_have_no_gaps(seed):
    rows = map_rows(seed)
    gaps = [number for number, cell in rows.items() if "not yet" in cell]
    assert not gaps, f"seed {seed}: sections still 'not yet': {gaps}"
