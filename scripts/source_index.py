"""The section index and the excerpts of the three source articles.

The repository does not keep the articles' full text: they remain their
authors' work (``sources/README.md``, ``LICENSE``). This script reads them
from a folder named on the command line and writes what the repository keeps:

* ``sources/section_index.json``: for each article, its file name, title,
  SHA-256 and length (lines, and characters of its non-blank lines, against
  which ``tests/test_source_map.py`` bounds the excerpts), every numbered
  heading (number, Chinese heading, line) and a few 40-character probes of
  its prose, which ``tests/test_release.py`` looks for in the built site and
  the offline bundle;
* ``sources/excerpts/<seed>_<section>.md``: the passages, formulas, tables,
  diagrams and code listings the book quotes or analyses (``EXCERPTS``
  below), verbatim, each labelled with its seed file, section and heading;
* ``lib/_excerpts.py``: the excerpts a chapter reads through ``lib`` (the code
  listing of seed 000 §5.2), so that they are installed wherever ``lib`` is.

    python scripts/source_index.py /path/to/articles           # (re)write them
    python scripts/source_index.py /path/to/articles --check   # exit 1 if out of date

``tests/test_source_map.py`` checks the written files against each other (every
excerpt's label against the index, lib's copy against the excerpt) without
the articles (which it never needs); a maintainer who holds the articles
runs ``--check`` after editing ``EXCERPTS``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
INDEX = SOURCES / "section_index.json"
EXCERPT_DIR = SOURCES / "excerpts"
LIB_EXCERPTS = ROOT / "lib" / "_excerpts.py"

#: An article's file: a three-digit seed number, then a 16-digit hex digest.
ARTICLE_NAME = re.compile(r"^(\d{3})_[0-9a-f]{16}\.txt$")
#: A numbered heading: "## 4.", "### 4.1", "#### 2.2.1", then the heading.
HEADING = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.? (.+)$")
#: Probes per article, and their length in characters.
PROBES, PROBE_LENGTH = 8, 40
#: Where a piece of an excerpt leaves out the article's lines before it.
GAP = "[…]"


@dataclass(frozen=True)
class Excerpt:
    """What the book takes from one section of an article: the article's
    lines (1-based, inclusive ranges), where the book uses them, and whether
    ``lib`` carries them (a chapter reads them through ``lib``)."""

    seed: str
    section: str
    lines: tuple[tuple[int, int], ...]
    used_in: str
    lib: bool = False


EXCERPTS = (
    # Only what the book quotes or analyses (computes with, checks in a cell or
    # in the Errata); a section it summarises in its own words is not kept.
    # ---------------------------------------------------------------- seed 000
    Excerpt("000", "2.1", ((40, 46), (48, 48), (53, 53)),
            "Part I introduction, p1-concept-diagram: the diagram, redrawn in English, against the "
            "sentence that says it links AI to all four policies and the 'AI and social policy' link "
            "it quotes (errata 000 §2.1)."),
    Excerpt("000", "3.2", ((74, 74), (79, 79), (85, 85), (88, 88), (90, 90), (93, 93)),
            "Part I introduction: the four step headings, redrawn as the cycle; chapter I.3, "
            "p1-policy-cycle and p1-incomplete-learning: 'evaluate and adjust' (lines 88, 93) gives no "
            "rule for how much policy changes (errata 000 §3.2)."),
    Excerpt("000", "4.1", ((134, 136), (142, 144), (150, 152), (154, 154), (158, 160)),
            "Chapter I.1: the three losses written L(., P, P_s) (p1-loss-dependence, cell c006), the "
            "social loss P_s,n - P_s,n and its gloss (p1-social-loss, cells c008-c010) and J "
            "(p1-J-pairing); lib.policy writes them in sympy (errata 000 §4.1, §4.1-4.2)."),
    Excerpt("000", "4.2", ((178, 180), (184, 184), (186, 188)),
            "Chapter I.1: the stated gradient -2(S_n - E_n), N times the true one (p1-gradient-factor, "
            "cell c013; lib.policy.article_education_gradient_expr), and 'substituting the gradients "
            "into J' (p1-J-pairing) (errata 000 §4.2, §4.1-4.2)."),
    Excerpt("000", "4.3", ((196, 196), (198, 198), (210, 212), (214, 214)),
            "Chapter I.2: the printed lists (p1-example-data), J = 5.6 and the claim drawn from it "
            "(p1-example-J, p1-second-term); lib.policy.ARTICLE_EXAMPLE (errata 000 §4.3)."),
    Excerpt("000", "5.1", ((225, 228), (231, 233), (236, 238)),
            "Chapter I.3, p1-setup: Python 3.8, pandas and scikit-learn never used, sympy installed "
            "twice (errata 000 §5.1)."),
    Excerpt("000", "5.2", ((248, 297), (301, 350), (354, 414), (418, 486)),
            "Chapter I.3, p1-sympy-code (cells c3c01-c3c05): its four code blocks, read by "
            "lib.listing.article_listing and parsed whole by lib.listing.analyse_listing "
            "(errata 000 §5.2).", lib=True),
    Excerpt("000", "7", ((531, 531), (533, 533), (541, 541), (569, 569)),
            "Part I introduction, p1-resources: the four claims it quotes (HuggingFace, CLUE, Python "
            "as a deep learning framework, the papers as LLM fine-tuning) (errata 000 §7)."),
    # ---------------------------------------------------------------- seed 001
    Excerpt("001", "2.1", ((30, 30), (37, 43)),
            "Part II introduction: the gloss of 共享用工 (p2-employee-sharing) and the diagram, "
            "redrawn, whose arrows have no stated meaning (p2-concept-diagram) (errata 001 §2.1)."),
    Excerpt("001", "3.2", ((60, 60),),
            "Chapter II.1, p2-auction, and chapter II.2, p2-core: the auction mechanisms (拍卖机制) it "
            "names (errata 001 §3.2)."),
    Excerpt("001", "3.3", ((69, 69),),
            "Part II introduction, p2-pros-cons: the quoted lower pay of freelancers "
            "(errata 001 §3.3, 6, 7)."),
    Excerpt("001", "4.1", ((94, 108),),
            "Chapter II.1: the 'task completion rate' against the objective (p2-objective-text) and the "
            "LP as written (p2-lp-as-written); chapter II.3, X_j read as a capacity (errata 001 §4.1)."),
    Excerpt("001", "4.2", ((112, 116),),
            "Chapter II.2: integer program, slack variables and penalty terms, Lagrange multipliers and "
            "KKT, integerisation (p2-tu, p2-duals, p2-kkt) (errata 001 §4.2)."),
    Excerpt("001", "4.3", ((120, 120),),
            "Chapter II.3, p2-skills: the platform it names, which could not be identified "
            "(errata 001 §3.2, 4.3)."),
    Excerpt("001", "5.1", ((133, 133), (135, 135)),
            "Chapter II.1, p2-python38: Python 3.8 as the latest stable version, TensorFlow, PyTorch "
            "and Flask (errata 001 §5.1)."),
    Excerpt("001", "5.2", ((142, 184),),
            "Chapter II.1: the listing analysed whole, its arrays (cell c029), loss (p2-code-loss), API "
            "(p2-tf-api) and printed row (p2-printed-result); lib.matching.ARTICLE_SCORES, "
            "ARTICLE_TASK_SKILLS, ARTICLE_WORKER_SKILLS (errata 001 §5.2, 5.2-5.3)."),
    Excerpt("001", "5.3", ((190, 190), (197, 197)),
            "Chapter II.1, p2-lagrange-claim: the two descriptions it quotes, Lagrange multipliers and "
            "the loss (errata 001 §5.2-5.3)."),
    Excerpt("001", "5.4", ((203, 217),),
            "Chapter II.1, p2-printed-result (cells c024-c025, c027): the printed losses and 'optimal "
            "solution'; lib.matching.ARTICLE_PRINTED_LOSSES, ARTICLE_PRINTED_SOLUTION (errata 001 §5.4)."),
    Excerpt("001", "6.1", ((231, 231),),
            "Part II introduction, p2-cases: the one number of §6 it quotes (errata 001 §3.3, 6, 7)."),
    Excerpt("001", "7", ((269, 269), (286, 286)),
            "Part II introduction, p2-cases: the two titles it quotes, which could not be identified "
            "(errata 001 §3.3, 6, 7)."),
    # ---------------------------------------------------------------- seed 002
    Excerpt("002", "2", ((34, 34), (47, 47), (53, 53), (65, 65), (69, 69), (97, 97), (100, 100)),
            "Part III introduction, p3-concepts: the feedback the text under §2.1 asserts (line 53) and "
            "the leaf 实时监控 under three parents, each with its parent's arrow (errata 002 §2.1-2.3)."),
    Excerpt("002", "3.2", ((167, 167), (172, 172), (174, 174), (177, 178), (182, 182)),
            "Part III introduction, p3-pipeline: the four step headings, redrawn, and the "
            "classification loss and measures of steps 2 and 3 (errata 002 §3.2)."),
    Excerpt("002", "3.3", ((193, 193),),
            "Part III introduction, p3-pipeline, and chapter III.1, p3-wild: the robustness claim "
            "(errata 002 §3.3)."),
    Excerpt("002", "4.1", ((224, 232),),
            "Chapter III.1, p3-normal-equations and p3-intercept (cell a29a1885): the model and the "
            "normal-equations formula (errata 002 §4.1)."),
    Excerpt("002", "4.2", ((238, 238),),
            "Chapter III.1, p3-notation: one letter for records and features (errata 002 §4.2)."),
    Excerpt("002", "4.3", ((250, 250),),
            "Chapter III.1, p3-data and p3-omitted: 200 records with five features (errata 002 §4.3)."),
    Excerpt("002", "5.1", ((267, 270), (273, 275), (278, 280)),
            "Chapter III.1, p3-setup: Python 3.8, CUDA 11.1 and TensorFlow (errata 002 §5.1)."),
    Excerpt("002", "5.2", ((295, 299), (309, 317), (322, 324), (326, 330), (334, 334), (339, 339),
                           (343, 349), (353, 353), (356, 356), (377, 377), (385, 396), (400, 402),
                           (405, 405), (409, 409), (412, 413), (415, 415)),
            "Chapter III.1, p3-code: the regression code's imports, data, split, Adam recipe and loop "
            "(errata 002 §5.2-5.3); chapter III.2, p3-bert and p3-report-clues (cell f3646991): the "
            "BERT model, evaluate()'s labels and report, the undefined datasets and the claim that it "
            "is complete (errata 002 §5.2-5.3, 5.2-5.4)."),
    Excerpt("002", "5.3", ((425, 425), (427, 427)),
            "Chapter III.1, p3-code: the normalisation the description promises (errata 002 §5.2-5.3)."),
    Excerpt("002", "5.4", ((449, 467), (469, 469)),
            "Chapter III.2: the report recomputed (p3-report-check), its B- supports against CoNLL-2003 "
            "(p3-report-clues, cell 9ad396f0) and its headline (p3-headline); "
            "lib.metrics.ARTICLE_NER_REPORT, ARTICLE_NER_SUMMARY (errata 002 §5.4, 5.2-5.4)."),
    Excerpt("002", "6", ((494, 494), (498, 498)),
            "Part III introduction, p3-applications: §6 is about fine-tuning language models and is "
            "cut off (errata 002 §6)."),
)


def articles(folder: Path) -> dict[str, Path]:
    """The articles in ``folder``, by seed number.

    >>> sorted(articles(Path("/nonexistent")))
    []
    """
    found = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        match = ARTICLE_NAME.match(path.name)
        if match:
            found[match.group(1)] = path
    return found


def numbered_headings(lines: list[str]) -> list[dict]:
    """Every numbered heading outside code fences: number, heading, line (1-based).

    >>> numbered_headings(["# Title", "## 1. 背景", "```", "## 2. code", "```", "### 1.1 问题"])
    [{'number': '1', 'heading': '背景', 'line': 2}, {'number': '1.1', 'heading': '问题', 'line': 6}]
    """
    found, in_code = [], False
    for k, line in enumerate(lines, start=1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else HEADING.match(line.rstrip())
        if match:
            found.append({"number": match.group(1), "heading": match.group(2).strip(), "line": k})
    return found


def title(lines: list[str]) -> str | None:
    """The article's title: its first level-1 heading, if it has one.

    >>> title(["", "# 标题", "## 1. 背景"]), title(["## 1. 背景"])
    ('标题', None)
    """
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip()
        if HEADING.match(line.rstrip()):
            return None
    return None


def probes(lines: list[str], count: int = PROBES) -> list[str]:
    """``count`` evenly spaced probes of the prose: the first 40 characters of
    long lines of Chinese text outside code fences and displayed formulas (not
    headings or tables, which the book may quote).

    >>> probes(["```", "代码" * 40, "```", "$$", "公式" * 40, "$$", "# " + "标题" * 40, "正文" * 40], 2)
    ['正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文']
    """
    prose, fence, maths = [], False, False
    for line in lines:
        text = line.strip()
        if text.startswith("```"):
            fence = not fence
            continue
        if text == "$$":
            maths = not maths
            continue
        chinese = len(re.findall(r"[\u4e00-\u9fff]", text[:PROBE_LENGTH]))
        if not (fence or maths) and len(text) >= 60 and chinese >= 10 and not text.startswith(("#", "|")):
            prose.append(text)
    step = max(1, len(prose) // count)
    return [text[:PROBE_LENGTH] for text in prose[::step][:count]]


def characters(lines: list[str]) -> int:
    """The characters of the non-blank lines, each without its leading and
    trailing whitespace: the length ``tests/test_source_map.py`` measures the
    excerpts against.

    >>> characters(["  公式 ", "", "   ", "ab"])
    4
    """
    return sum(len(line.strip()) for line in lines)


def section_span(sections: list[dict], number: str, n_lines: int) -> tuple[int, int]:
    """First and last line of a section (its heading to the line before the
    next heading that is not one of its subsections).

    >>> s = [{"number": "1", "line": 1}, {"number": "1.1", "line": 3}, {"number": "2", "line": 6}]
    >>> section_span(s, "1", 9), section_span(s, "1.1", 9), section_span(s, "2", 9)
    ((1, 5), (3, 5), (6, 9))
    """
    start = next(k for k, s in enumerate(sections) if s["number"] == number)
    end = next((s["line"] - 1 for s in sections[start + 1:]
                if not s["number"].startswith(number + ".")), n_lines)  # fmt: skip
    return sections[start]["line"], end


def index_entry(path: Path) -> dict:
    """The index's entry for one article."""
    data = path.read_bytes()
    lines = data.decode("utf-8").splitlines()
    return {
        "file": path.name,
        "title": title(lines),
        "sha256": hashlib.sha256(data).hexdigest(),
        "lines": len(lines),
        "characters": characters(lines),
        "sections": numbered_headings(lines),
        "probes": probes(lines),
    }


def line_ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    """The ranges as a reader writes them.

    >>> line_ranges(((5, 5), (7, 9)))
    '5, 7–9'
    """
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)


def excerpt_body(excerpt: Excerpt, lines: list[str], sections: list[dict]) -> str:
    """The excerpt's text: the article's lines, verbatim, each piece under the
    heading of the section it comes from; ``[…]`` where lines are left out."""
    out: list[str] = []
    last = 0  # the last article line written

    def take(first: int, final: int) -> None:
        nonlocal last
        gap = lines[last:first - 1]
        if out and any(g.strip() for g in gap):
            out.extend(["", GAP, ""])
        elif out:
            out.extend(gap)  # blank lines only: kept as they are
        out.extend(lines[first - 1:final])
        last = final

    for first, final in excerpt.lines:
        heading = max((s for s in sections if s["line"] <= first), key=lambda s: s["line"])
        if heading["line"] > last:  # a new section: its heading first
            take(heading["line"], heading["line"])
        take(first, final)
    return "\n".join(out) + "\n"


def excerpt_label(excerpt: Excerpt, entry: dict) -> str:
    """The first line of an excerpt's file: seed, section, Chinese heading."""
    heading = next(s["heading"] for s in entry["sections"] if s["number"] == excerpt.section)
    return f"# Seed {excerpt.seed} §{excerpt.section} {heading}"


def excerpt_file(excerpt: Excerpt, entry: dict, body: str) -> str:
    """An excerpt's file: its label, its source and use, then the text."""
    name = f"*{entry['title']}*" if entry["title"] else "untitled"
    return (
        f"{excerpt_label(excerpt, entry)}\n\n"
        f"- Article: {name}, `{entry['file']}`\n"
        f"- Lines: {line_ranges(excerpt.lines)}\n"
        f"- Used in: {excerpt.used_in}\n\n"
        "The text below the rule is the article's, verbatim (its authors' work, quoted\n"
        f"for critique); {GAP} marks lines left out. Written by `scripts/source_index.py`.\n\n"
        "---\n\n"
        f"{body}"
    )


def quote(text: str) -> str:
    """A Python string literal of ``text`` (JSON's escapes are Python's).

    >>> quote('say "好"\\n')
    '"say \\\\"好\\\\"\\\\n"'
    """
    return json.dumps(text, ensure_ascii=False)


def lib_module(entries: dict[str, dict], bodies: dict[Excerpt, str]) -> str:
    """The source of ``lib/_excerpts.py``: the excerpts lib carries."""
    out = [
        '"""Excerpts of the source articles that lib reads when a chapter runs.',
        "",
        "Written by ``scripts/source_index.py`` from the full articles, which the",
        "repository does not keep (``sources/README.md``); do not edit by hand. Each",
        "text is the body of the excerpt's file in ``sources/excerpts/``, verbatim",
        "(``tests/test_source_map.py`` compares them). The articles remain their",
        "authors' work; these excerpts are quoted for the book's critique.",
        '"""',
        "",
        '__all__ = ["EXCERPTS"]',
        "",
        "#: (seed, section) -> the article's file, the section's heading, the",
        "#: article's lines kept, and the excerpt's text.",
        "EXCERPTS: dict[tuple[str, str], dict[str, str]] = {",
    ]
    for excerpt, body in bodies.items():
        entry = entries[excerpt.seed]
        heading = next(s["heading"] for s in entry["sections"] if s["number"] == excerpt.section)
        out += [
            f"    ({quote(excerpt.seed)}, {quote(excerpt.section)}): {{",
            f'        "file": {quote(entry["file"])},',
            f'        "heading": {quote(heading)},',
            f'        "lines": {quote(line_ranges(excerpt.lines))},',
            '        "text": (',
            *[f"            {quote(line)}" for line in body.splitlines(keepends=True)],
            "        ),",
            "    },",
        ]
    out += ["}", ""]
    return "\n".join(out)


def check_excerpt(excerpt: Excerpt, entry: dict, lines: list[str], body: str) -> None:
    """Refuse an excerpt whose lines leave its section or cut a code fence,
    and a lib excerpt that does not keep every code block of its section."""
    first, last = section_span(entry["sections"], excerpt.section, len(lines))
    for a, b in excerpt.lines:
        if not first < a <= b <= last:
            raise SystemExit(f"seed {excerpt.seed} §{excerpt.section}: lines {a}-{b} are not in "
                             f"the section (lines {first}-{last}).")
    if sum(line.startswith("```") for line in body.splitlines()) % 2:
        raise SystemExit(f"seed {excerpt.seed} §{excerpt.section}: the lines cut a code fence.")
    if excerpt.lib:
        sys.path.insert(0, str(ROOT))
        from lib.listing import section_code_blocks

        whole = section_code_blocks("\n".join(lines), excerpt.section)
        if section_code_blocks(body, excerpt.section) != whole:
            raise SystemExit(f"seed {excerpt.seed} §{excerpt.section}: the excerpt does not keep "
                             "every code block of the section.")


def build(folder: Path) -> dict[Path, str]:
    """Every file this script writes, and its text, from the articles in ``folder``."""
    found = articles(folder)
    if sorted(found) != ["000", "001", "002"]:
        raise SystemExit(f"{folder}: expected the articles 000_*.txt, 001_*.txt and 002_*.txt; "
                         f"found {sorted(p.name for p in found.values())}.")
    entries = {seed: index_entry(path) for seed, path in found.items()}
    index = {
        "about": "Every numbered heading of the three source articles (number, heading, line), "
                 "with each article's title, SHA-256, length in lines and in characters (of its "
                 "non-blank lines, stripped) and probes of its prose. "
                 "Written by scripts/source_index.py from the full articles, which the repository "
                 "does not keep; the articles remain their authors' work.",
        "seeds": entries,
    }  # fmt: skip
    files = {INDEX: json.dumps(index, ensure_ascii=False, indent=1) + "\n"}
    bodies: dict[Excerpt, str] = {}
    for excerpt in EXCERPTS:
        entry = entries[excerpt.seed]
        lines = found[excerpt.seed].read_text(encoding="utf-8").splitlines()
        body = excerpt_body(excerpt, lines, entry["sections"])
        check_excerpt(excerpt, entry, lines, body)
        files[EXCERPT_DIR / f"{excerpt.seed}_{excerpt.section}.md"] = excerpt_file(excerpt, entry, body)
        if excerpt.lib:
            bodies[excerpt] = body
    files[LIB_EXCERPTS] = lib_module(entries, bodies)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="the folder holding the three articles (NNN_<hex>.txt)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    files = build(args.articles)
    stale = sorted(p for p, text in files.items()
                   if not p.exists() or p.read_text(encoding="utf-8") != text)  # fmt: skip
    extra = sorted(set(EXCERPT_DIR.glob("*.md")) - set(files))
    if args.check:
        for path in [*stale, *extra]:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale or extra else 0
    for path in extra:
        path.unlink()
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
