"""The Chinese edition's catalogues, glossary and search (scripts/book_edition.py).

The pages listed in locale/zh_CN/translated.txt are translated in full: each
message of their current English text has a translation that is neither empty
nor fuzzy, and each glossary term is given the glossary's Chinese form.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


edition = _load("book_edition")
book_html = _load("book_html")
TRANSLATED = edition.translated_pages()


def catalogue(page: str):
    with open(MESSAGES / f"{page}.po", "rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def english_messages(tmp_path_factory) -> dict[str, set[str]]:
    """The messages of the English source as it is now, extracted by Sphinx."""
    pot = tmp_path_factory.mktemp("gettext") / "pot"
    subprocess.run([sys.executable, "scripts/book_edition.py", "pot", str(pot)],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    found = {}
    for page in TRANSLATED:
        with open(pot / f"{page}.pot", "rb") as f:
            found[page] = {m.id for m in read_po(f) if m.id}
    return found


def test_translated_pages_exist():
    assert {"intro", "chapters/glossary", "chapters/part2_matching/index"} <= set(TRANSLATED)
    for page in TRANSLATED:
        assert (ROOT / f"{page}.md").exists() or (ROOT / f"{page}.ipynb").exists(), page


@pytest.mark.parametrize("page", TRANSLATED)
def test_translated_page_has_no_untranslated_or_fuzzy_message(page, english_messages):
    entries = {m.id: m for m in catalogue(page) if m.id}
    missing = sorted(english_messages[page] - entries.keys())
    assert not missing, f"{page}: not in the catalogue (run `make locale`): {missing[:3]}"
    for msgid in english_messages[page]:
        entry = entries[msgid]
        assert entry.string and entry.string.strip(), f"{page}: untranslated: {msgid[:60]!r}"
        assert not entry.fuzzy, f"{page}: fuzzy (English changed): {msgid[:60]!r}"


def test_glossary_terms_have_chinese_forms():
    terms = edition.glossary_terms()
    assert len(terms) >= 40
    pairs = dict(terms)
    assert pairs["totally unimodular"] == "全单模"
    assert pairs["competitive ratio"] == "竞争比"
    assert pairs["macro average"] == "宏平均"
    assert pairs["crowdsourcing"] == "众包"
    assert pairs["duality"] == "对偶"
    assert len(set(pairs.values())) == len(terms), "two terms share one Chinese form"


def test_part_glossaries_point_to_the_course_glossary():
    for part in ("part1_policy", "part2_matching", "part3_quality"):
        text = (ROOT / "chapters" / part / "index.md").read_text(encoding="utf-8")
        glossary = text[text.index("## Glossary"):]
        assert "../glossary" in glossary and "|---|" not in glossary, part


@pytest.mark.parametrize("page", TRANSLATED)
def test_translations_use_the_glossary_chinese_forms(page):
    """Where the English of a message uses a glossary term, its translation uses the term's Chinese form."""
    wrong = []
    for english, chinese in edition.glossary_terms():
        pattern = re.compile(rf"\b{re.escape(english)}(s|es)?\b", re.IGNORECASE)
        for entry in catalogue(page):
            if entry.id and pattern.search(entry.id) and chinese not in entry.string:
                wrong.append((english, chinese, entry.id[:50]))
    assert not wrong, wrong


def test_sidebar_title_and_part_captions_are_translated():
    """The Chinese edition's sidebar: the book title (an HTML setting) and the parts of _toc.yml."""
    import yaml

    han = re.compile(r"[\u4e00-\u9fff]")
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    title = edition.translated_title()
    assert title and han.search(title) and title != english
    # The captions: each part of _toc.yml has a translation in intro.po, and the
    # sidebar heading of every built page is rewritten with it.
    intro = catalogue("intro")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = edition.caption_translations()
    for caption in (part["caption"] for part in toc["parts"]):
        entry = intro.get(caption)
        assert entry is not None and han.search(entry.string) and not entry.fuzzy, caption
        sidebar = f'<p aria-level="2" class="caption" role="heading"><span class="caption-text">{caption}</span></p>'
        assert edition.translate_captions(sidebar, captions) == sidebar.replace(caption, entry.string)
    # A figure's caption that happens to read like a part is left alone.
    figure = '<figcaption><p><span class="caption-text">Appendix</span></p></figcaption>'
    assert edition.translate_captions(figure, captions) == figure


def test_search_dictionary_keeps_glossary_terms_whole(tmp_path):
    import jieba

    jieba.setLogLevel(logging.ERROR)
    text = "全单模矩阵的竞争比和宏平均"
    plain = jieba.Tokenizer()
    # Without the dictionary jieba splits these terms (so the dictionary matters).
    assert "全单模" not in plain.lcut_for_search(text)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(edition.write_search_dictionary(tmp_path / "dict.txt")))
    words = tokenizer.lcut_for_search(text)
    assert {"全单模", "竞争比", "宏平均"} <= set(words)


def test_mark_chinese_wraps_runs_outside_code_and_maths():
    html = '<p>众包 and 对偶</p><code>众包</code><div class="math notranslate">\\(\\text{对偶}\\)</div>'
    marked = book_html.mark_chinese(html)
    assert marked.count('<span lang="zh">') == 2
    # Removing the spans gives back the page unchanged.
    assert re.sub(r'</?span(?: lang="zh")?>', "", marked) == html


# What a translation must carry over from its English message unchanged: the
# maths, the code, where each link and cross-reference points, and the bold.
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s](?:[^$]*?[^$\s])?\$", re.S)
_CODE = re.compile(r"(?<![}`])`([^`]+)`")
_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _role_target(content: str) -> str:
    """The target of ``{role}`text <target>``` (or of ``{role}`target```)."""
    inner = re.search(r"<([^<>]+)>\s*$", content)
    return (inner[1] if inner else content).strip().lower()


def markup_of(message: str) -> dict[str, list[str]]:
    """The pieces of a message a translation keeps: maths, code, targets, bold."""
    roles = [(role, _role_target(content)) for role, content in _ROLE.findall(message)]
    rest = _ROLE.sub("", message)
    return {
        "maths": sorted(_MATH.findall(rest)),
        "code": sorted(_CODE.findall(_MATH.sub("", rest))),
        # A glossary term may be inflected in English ("matchings"): its target is the term.
        "references": sorted(f"{role}:{target}" for role, target in roles if role != "term"),
        "terms": sorted({target.rstrip("s") for role, target in roles if role == "term"}),
        "links": sorted(_LINK.findall(message)),
        "bold": [str(message.count("**"))],
    }


def test_markup_of_a_message():
    message = "The **dual** $y_i \\ge 0$ of `linprog` ({term}`matchings <matching>`, {doc}`ch <01_x>`, [a](b.md))."
    found = markup_of(message)
    assert found["maths"] == ["$y_i \\ge 0$"] and found["code"] == ["linprog"]
    assert found["references"] == ["doc:01_x"] and found["terms"] == ["matching"]
    assert found["links"] == ["b.md"] and found["bold"] == ["2"]


@pytest.mark.parametrize("page", TRANSLATED)
def test_translation_keeps_maths_code_links_and_references(page):
    """A translation may reword the prose, never the maths, code or where a link points."""
    changed = []
    for entry in catalogue(page):
        if entry.id and entry.string:
            english, chinese = markup_of(entry.id), markup_of(entry.string)
            for kind in english:
                if english[kind] != chinese[kind]:
                    changed.append((kind, english[kind], chinese[kind], entry.id[:50]))
    assert not changed, changed[:5]


def test_theme_words_are_chinese_in_the_chinese_edition(zh_book):
    """Buttons, tooltips, landmarks and the footer of every Chinese page are in Chinese."""
    for page in zh_book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert edition.translate_chrome(text) == text, f"{page.relative_to(zh_book)}: English theme words left"
    intro = (zh_book / "intro.html").read_text(encoding="utf-8")
    for english, chinese in (("Search this book...", "搜索本书……"), ("Toggle primary sidebar", "切换主侧边栏"),
                             ("© Copyright 2026.", "© 版权所有 2026。")):  # fmt: skip
        assert english not in intro and chinese in intro, english
    assert 'aria-label="Sections of' not in intro
