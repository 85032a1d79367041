"""The Source map lists every numbered section of every article; the excerpts
the repository keeps are each labelled with their source.

The full articles are not in the repository. ``sources/section_index.json``
(every numbered heading of each article) and ``sources/excerpts/`` are written
from them by ``scripts/source_index.py``; these tests read what it wrote.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import EXCERPTS, ROOT, SECTION_INDEX
from lib._excerpts import EXCERPTS as LIB_EXCERPTS
from lib.listing import analyse_listing, article_listing, section_code_blocks

SOURCE_MAP = ROOT / "chapters" / "appendix" / "source_map.md"
INDEX = json.loads(SECTION_INDEX.read_text(encoding="utf-8"))
SEEDS = sorted(INDEX["seeds"])
EXCERPT_FILES = sorted(EXCERPTS.glob("*.md"))
HEADING_RE = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.? (.+)$")
LABEL_RE = re.compile(r"^# Seed (\d{3}) §(\d+(?:\.\d+)*) (.+)$")


def map_rows(seed: str) -> dict[str, tuple[str, str]]:
    """Section number -> (heading, "Covered in" cell) of the map's table for a seed."""
    text = SOURCE_MAP.read_text(encoding="utf-8")
    match = re.search(rf"^## Seed {seed}\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, f"the Source map has no section for seed {seed}"
    rows = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("§"):
            rows[cells[0][1:]] = (cells[1], cells[2])
    return rows


def section_span(seed: str, number: str) -> tuple[int, int]:
    """First and last line of a section: its heading to the line before the
    next heading that is not one of its subsections."""
    entry = INDEX["seeds"][seed]
    sections = entry["sections"]
    k = next(i for i, s in enumerate(sections) if s["number"] == number)
    later = [s["line"] for s in sections[k + 1:] if not s["number"].startswith(number + ".")]
    return sections[k]["line"], (later[0] - 1 if later else entry["lines"])


def excerpt_parts(path) -> tuple[dict[str, str], str]:
    """An excerpt file's label fields and its body (the article's text)."""
    text = path.read_text(encoding="utf-8")
    head, rule, body = text.partition("\n---\n\n")
    assert rule, f"{path.name}: no rule between the label and the text"
    match = LABEL_RE.match(head.splitlines()[0])
    assert match, f"{path.name}: the first line is not '# Seed NNN §N.N heading'"
    fields = dict(zip(("seed", "section", "heading"), match.groups()))
    for key in ("Article", "Lines", "Used in"):
        found = re.search(rf"^- {key}: (.+)$", head, flags=re.M)
        assert found, f"{path.name}: no '- {key}:' line"
        fields[key] = found.group(1)
    return fields, body


# ------------------------------------------------------------- the index


def test_three_seeds_present():
    assert SEEDS == ["000", "001", "002"]
    for seed in SEEDS:
        entry = INDEX["seeds"][seed]
        assert re.fullmatch(rf"{seed}_[0-9a-f]{{16}}\.txt", entry["file"]), entry["file"]
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        lines = [s["line"] for s in entry["sections"]]
        assert lines == sorted(set(lines)) and 0 < lines[-1] <= entry["lines"]
        assert len(entry["probes"]) == 8 and all(len(p) == 40 for p in entry["probes"])
    assert INDEX["seeds"]["000"]["title"] and INDEX["seeds"]["002"]["title"] is None  # 002 has none


@pytest.mark.parametrize("seed", SEEDS)
def test_every_numbered_section_is_mapped(seed):
    headings = [(s["number"], s["heading"]) for s in INDEX["seeds"][seed]["sections"]]
    assert len(headings) > 20
    rows = map_rows(seed)
    missing = [number for number, _ in headings if number not in rows]
    assert not missing, f"seed {seed} sections missing from the Source map: {missing}"
    for number, heading in headings:
        assert rows[number][0] == heading, f"§{number} of seed {seed}: the map says {rows[number][0]!r}"
        assert rows[number][1], f"§{number} of seed {seed} has an empty 'Covered in' cell"
    extra = sorted(set(rows) - {number for number, _ in headings})
    assert not extra, f"seed {seed}: the Source map lists sections the article does not have: {extra}"


# Seeds whose every numbered section is covered by a page (no "not yet").
FULLY_COVERED = {"000", "001", "002"}


@pytest.mark.parametrize("seed", sorted(FULLY_COVERED))
def test_fully_covered_seeds_have_no_gaps(seed):
    rows = map_rows(seed)
    gaps = [number for number, (_, cell) in rows.items() if "not yet" in cell]
    assert not gaps, f"seed {seed}: sections still 'not yet': {gaps}"


# ------------------------------------------------------------- the excerpts


def test_the_excerpts_are_there():
    assert len(EXCERPT_FILES) >= 20
    assert {p.name[:3] for p in EXCERPT_FILES} == set(SEEDS)


@pytest.mark.parametrize("path", EXCERPT_FILES, ids=[p.stem for p in EXCERPT_FILES])
def test_every_excerpt_is_labelled_with_its_source(path):
    """Seed file, section number and Chinese heading as the index has them;
    its lines inside that section; every heading it quotes one of the section's."""
    fields, body = excerpt_parts(path)
    seed, number = fields["seed"], fields["section"]
    assert path.name == f"{seed}_{number}.md"
    entry = INDEX["seeds"][seed]
    headings = {s["number"]: s["heading"] for s in entry["sections"]}
    assert headings.get(number) == fields["heading"], f"{path.name}: §{number} is {headings.get(number)!r}"
    assert f"`{entry['file']}`" in fields["Article"]
    assert (f"*{entry['title']}*" if entry["title"] else "untitled") in fields["Article"]
    first, last = section_span(seed, number)
    for part in fields["Lines"].split(", "):
        a, _, b = part.partition("–")
        assert first < int(a) <= int(b or a) <= last, f"{path.name}: lines {part} are not in §{number}"
    quoted, fence = [], False
    for line in body.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (match := HEADING_RE.match(line)):
            quoted.append(match.groups())
    assert not fence, f"{path.name}: a code fence is left open"
    assert quoted, f"{path.name}: the text does not start under the section's heading"
    for n, heading in quoted:
        assert n == number or n.startswith(number + "."), f"{path.name}: §{n} is not in §{number}"
        assert headings[n] == heading.strip()
    assert fields["Used in"].strip()


def test_lib_carries_its_excerpts_verbatim():
    """lib/_excerpts.py (what a chapter reads where only lib is installed) is
    the text of the matching files in sources/excerpts/."""
    assert set(LIB_EXCERPTS) == {("000", "5.2")}
    for (seed, number), entry in LIB_EXCERPTS.items():
        fields, body = excerpt_parts(EXCERPTS / f"{seed}_{number}.md")
        assert entry["text"] == body
        assert (entry["heading"], entry["lines"]) == (fields["heading"], fields["Lines"])
        assert f"`{entry['file']}`" in fields["Article"]


def test_article_listing_is_the_excerpts_code():
    listing = article_listing(seed="000", section="5.2")
    body = excerpt_parts(EXCERPTS / "000_5.2.md")[1]
    assert list(listing.blocks) == section_code_blocks(body, "5.2") and len(listing.blocks) == 4
    assert (listing.file, listing.heading) == (INDEX["seeds"]["000"]["file"], "源代码详细实现")
    assert analyse_listing(listing.code).definitions["objective_function"] == 18
    for bad, error in ((("001", "5.2"), "carries no listing"), (("0", "5.2"), "seed"),
                       (("000", "§5.2"), "section")):  # fmt: skip
        with pytest.raises(ValueError, match=error):
            article_listing(*bad)
    with pytest.raises(TypeError, match="seed"):
        article_listing(0, "5.2")


# How much of each article the excerpts may hold, in characters of their text
# below the rule (non-blank lines, stripped; the […] marks left out): exactly
# what they hold now that they are cut down to what the book quotes or
# analyses (as shares of the articles: 000 12.4 %, plus 31.6 % for the §5.2
# listing lib carries; 001 29.1 %; 002 30.7 %). Most of it is code and printed
# output the book analyses line by line: the §5.2 listing of 000 (four
# near-identical blocks, parsed whole), the TensorFlow listing and its printed
# run in 001, the regression and BERT code and the classification report in
# 002. Any growth fails: raise a number only with a new excerpt the book
# quotes or analyses, and say so in sources/README.md.
EXCERPT_CHARACTERS = {"000": 1766, "001": 2779, "002": 3596}
LIB_LISTING_CHARACTERS = {"000": 4495, "001": 0, "002": 0}


def excerpt_characters(path) -> int:
    """The characters of an excerpt's text, counted as the index counts the
    article's: non-blank lines, stripped; the marks of left-out lines excluded."""
    body = excerpt_parts(path)[1]
    return sum(len(line.strip()) for line in body.splitlines() if line.strip() not in ("", "[…]"))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_excerpts_keep_a_bounded_share_of_each_article(seed):
    """The excerpts must not grow back towards the full text: no excerpt of an
    article holds more than it does now, lib's listing counted separately."""
    total = INDEX["seeds"][seed]["characters"]
    assert isinstance(total, int) and total > INDEX["seeds"][seed]["lines"], total
    carried = {f"{s}_{n}.md" for s, n in LIB_EXCERPTS}
    files = [p for p in EXCERPT_FILES if p.name.startswith(f"{seed}_")]
    assert files, f"seed {seed} has no excerpt"
    kept = sum(excerpt_characters(p) for p in files if p.name not in carried)
    assert 0 < kept <= EXCERPT_CHARACTERS[seed], (
        f"the excerpts of seed {seed} hold {kept} characters ({kept / total:.1%} of the article), more "
        f"than the {EXCERPT_CHARACTERS[seed]} allowed: keep only what the book quotes or analyses")
    listing = sum(excerpt_characters(p) for p in files if p.name in carried)
    assert listing <= LIB_LISTING_CHARACTERS[seed], f"lib's listing of seed {seed} holds {listing} characters"
    assert (kept + listing) / total < 0.45, "no article is kept even half"


def test_sources_readme_names_every_excerpt():
    readme = (ROOT / "sources" / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in EXCERPT_FILES if p.name not in readme]
    assert not missing, f"sources/README.md does not list {missing}"
    for seed in SEEDS:
        assert INDEX["seeds"][seed]["file"] in readme


# ------------------------------------------------------------- the script


def test_the_index_script_examples_hold():
    run = subprocess.run([sys.executable, "-m", "doctest", "-v", "scripts/source_index.py"],
                         cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    passed = re.search(r"(\d+) passed and 0 failed", run.stdout)
    assert passed and int(passed[1]) >= 6, run.stdout[-300:]


def test_the_index_script_cuts_excerpts_under_their_headings(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import source_index as si

    lines = ["# T", "", "## 1. 甲", "intro", "### 1.1 乙", "a", "b", "", "c", "d", "## 2. 丙", "e"]
    sections = si.numbered_headings(lines)
    assert [(s["number"], s["line"]) for s in sections] == [("1", 3), ("1.1", 5), ("2", 11)]
    assert si.section_span(sections, "1", len(lines)) == (3, 10)
    body = si.excerpt_body(si.Excerpt("x", "1", ((4, 4), (6, 6), (9, 9)), "here"), lines, sections)
    assert body == "## 1. 甲\nintro\n### 1.1 乙\na\n\n[…]\n\nc\n"
