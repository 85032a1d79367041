"""Build the Simplified Chinese edition, and update its translation catalogues.

The English book is the source. The Chinese edition is the same book built
with ``language = zh_CN``: Sphinx replaces each paragraph, heading and
admonition by its translation from ``locale/zh_CN/LC_MESSAGES/<page>.po``
and keeps the English where a message is not translated. Both commands read
the book's own ``_config.yml`` and add only the settings of the edition, so
there is one configuration to maintain.

Usage (from the repository root)::

    python scripts/book_edition.py locale   # after an English change: update the .po files
    python scripts/book_edition.py zh       # the Chinese edition, into _build/zh/html
    python scripts/book_edition.py pot DIR  # only extract the English messages into DIR

``locale`` extracts the messages with Sphinx's gettext builder (notebooks are
not executed for it) into ``_build/gettext`` and merges them into the
catalogues with sphinx-intl: new messages appear untranslated, changed ones
fuzzy, so ``tests/test_translation.py`` shows what needs translating.

The book's title (an HTML setting) and the sidebar's part captions are taken
from the landing page's catalogue (``intro.po``), where its heading and the
captions of ``_toc.yml`` are translated.

The pages listed in ``locale/zh_CN/translated.txt`` are translated in full;
every other page of the Chinese edition shows the English text under a
one-line note in Chinese (``scripts/book_html.py``).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGE = "zh_CN"
TRANSLATED_LIST = LOCALE / LANGUAGE / "translated.txt"
GLOSSARY = ROOT / "chapters" / "glossary.md"
BUILD = ROOT / "_build"

# A glossary term line: English, then its Chinese form in parentheses.
_TERM = re.compile(r"^(?P<en>[^\s(][^(]*?) \((?P<zh>[^)]*[\u4e00-\u9fff][^)]*)\)$")


def glossary_terms(path: Path = GLOSSARY) -> list[tuple[str, str]]:
    """The (English, Chinese) pairs of the glossary's terms, in page order.

    >>> ("totally unimodular", "全单模") in glossary_terms()
    True
    """
    terms = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside and line and not line[0].isspace():
            match = _TERM.match(line)
            if match is None:
                raise ValueError(f"glossary term without a Chinese form: {line!r}")
            terms.append((match["en"], match["zh"]))
    return terms


def translated_pages() -> list[str]:
    """The pages (document names) whose translation is complete."""
    lines = TRANSLATED_LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def landing_translations(messages: list[str]) -> dict[str, str]:
    """The translations in ``intro.po`` (neither empty nor fuzzy) of ``messages``."""
    from babel.messages.pofile import read_po

    with open(LOCALE / LANGUAGE / "LC_MESSAGES" / "intro.po", "rb") as f:
        catalogue = read_po(f)
    found = {}
    for message in messages:
        entry = catalogue.get(message)
        if entry is not None and entry.string and not entry.fuzzy:
            found[message] = entry.string
    return found


def translated_title() -> str | None:
    """The book's title in Chinese, or None while it is not translated.

    Jupyter Book makes ``_config.yml``'s ``title`` the HTML title (sidebar
    and browser tab), a setting gettext does not translate; the landing
    page's heading is the same title, so its translation in ``intro.po`` is
    the Chinese title, kept in one place.

    >>> translated_title()
    '人工智能与工作：可执行的批判版'
    """
    import yaml

    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    return landing_translations([title]).get(title)


def site_baseurl() -> str:
    """Where the English book is published (``html.baseurl``), ending in ``/``.

    >>> site_baseurl().endswith("/")
    True
    """
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["html"]["baseurl"].rstrip("/") + "/"


def caption_translations() -> dict[str, str]:
    """The part captions of ``_toc.yml`` and their translations in ``intro.po``.

    >>> caption_translations()["Appendix"]
    '附录'
    """
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return landing_translations([part["caption"] for part in toc.get("parts", [])])


# A part caption of the sidebar (a figure's caption-text is not in a heading paragraph).
_SIDEBAR_CAPTION = re.compile(
    r'(<p aria-level="2" class="caption" role="heading">'
    r'<span class="caption-text">)([^<]*)(</span>)'
)


def translate_captions(page: str, captions: dict[str, str]) -> str:
    """Replace the sidebar's part captions in an HTML page by their translations.

    Sphinx translates a toctree's caption when it reads the page, but Jupyter
    Book inserts the toctrees of ``_toc.yml`` later, so the captions stay
    English in the sidebar although ``intro.po`` translates them.

    >>> translate_captions('<p aria-level="2" class="caption" role="heading">'
    ...                    '<span class="caption-text">Appendix</span></p>', {"Appendix": "附录"})
    '<p aria-level="2" class="caption" role="heading"><span class="caption-text">附录</span></p>'
    """

    def replace(match: re.Match) -> str:
        english = html.unescape(match[2])
        return match[1] + html.escape(captions.get(english, english), quote=False) + match[3]

    return _SIDEBAR_CAPTION.sub(replace, page)


# The theme's own words (buttons, tooltips, landmarks, the footer) that its
# translations leave English, or give in traditional characters, in zh_CN.
CHROME = {
    "Search this book...": "搜索本书……",
    "Toggle primary sidebar": "切换主侧边栏",
    "Toggle secondary sidebar": "切换页内目录",
    "Launch interactive content": "启动交互式内容",
    "Launch on Binder": "在 Binder 中运行",
    "Launch on Colab": "在 Colab 中运行",
    "Binder logo": "Binder 标志",
    "Colab logo": "Colab 标志",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统设置",
    "Source repositories": "源代码仓库",
    "Repository": "代码仓库",
    "Open issue": "提交问题",
    "列印成 PDF": "打印为 PDF",
    "Link to this heading": "链接到此标题",
    "Link to this term": "链接到此术语",
    "Main": "主导航",
    "Page": "本页",
    "© Copyright 2026.": "© 版权所有 2026。",
    "作者： The course authors": "作者：课程作者",
    "Code under the MIT licence, text and figures under CC BY 4.0; see LICENSE.":
        "代码采用 MIT 许可证，文字与图采用 CC BY 4.0 许可；见 LICENSE。",
}
_CHROME_ATTRIBUTE = re.compile(r'((?:aria-label|title|placeholder|alt)=")([^"]*)(")')
_CHROME_TEXT = re.compile(r"(>\s*)([^<>]*?)(\s*<)")
_ARTICLE = re.compile(r'(<article class="bd-article".*?</article>)', re.S)
_SECTIONS_OF = re.compile(r"^Sections of (.+)$")


def translate_chrome(page: str, table: dict[str, str] = CHROME) -> str:
    """Translate the theme's words in an HTML page: attributes anywhere, text outside the article.

    The article's own text comes from the catalogues; only a whole attribute
    value or a whole text node that is a key of ``table`` is replaced.

    >>> translate_chrome('<button aria-label="Toggle primary sidebar"></button><p> Repository </p>')
    '<button aria-label="切换主侧边栏"></button><p> 代码仓库 </p>'
    >>> translate_chrome('<article class="bd-article"><p>Repository</p></article>')
    '<article class="bd-article"><p>Repository</p></article>'
    >>> translate_chrome('<ul aria-label="Sections of 附录">')
    '<ul aria-label="“附录”的各节">'
    """

    def word(english: str) -> str | None:
        sections = _SECTIONS_OF.match(english)
        return f"“{sections[1]}”的各节" if sections else table.get(english)

    def attribute(match: re.Match) -> str:
        chinese = word(html.unescape(match[2]))
        return match[0] if chinese is None else match[1] + html.escape(chinese) + match[3]

    def text(match: re.Match) -> str:
        chinese = table.get(html.unescape(match[2]))
        return match[0] if chinese is None else match[1] + html.escape(chinese, quote=False) + match[3]

    parts = _ARTICLE.split(_CHROME_ATTRIBUTE.sub(attribute, page))
    return "".join(part if i % 2 else _CHROME_TEXT.sub(text, part) for i, part in enumerate(parts))


def write_search_dictionary(path: Path) -> Path:
    """Write a jieba user dictionary of the glossary's Chinese terms.

    jieba splits 全单模 into 全 and 单模 by default; listed with a high
    frequency, each term stays one word in the search index and in a query.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    words = sorted({zh for _, zh in glossary_terms()} | {"众包用工"})
    path.write_text("".join(f"{w} 100000 n\n" for w in words), encoding="utf-8")
    return path


def build(builder: str, outdir: Path, overrides: dict) -> int:
    """Build the book with ``_config.yml`` plus ``overrides``, strictly."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {"nitpicky": True, "locale_dirs": ["locale"], "gettext_compact": False,
                 "latex_individualpages": False, **overrides}
    result = build_sphinx(
        str(ROOT), str(outdir), noconfig=True, path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides, doctreedir=str(outdir.parent / f"doctrees-{builder}"),
        builder=builder, warningiserror=True, keep_going=True,
    )  # fmt: skip
    return result if isinstance(result, int) else 1


def extract_messages(pot: Path) -> int:
    """Write one .pot file of English messages a page into ``pot``."""
    return build("gettext", pot, {"nb_execution_mode": "off"})


def update_catalogues() -> int:
    """Extract the English messages and merge them into the .po files."""
    pot = BUILD / "gettext"
    status = extract_messages(pot)
    if status:
        return status
    return subprocess.call(
        [sys.executable, "-m", "sphinx_intl", "update", "-p", str(pot), "-d", str(LOCALE),
         "-l", LANGUAGE, "-w", "0"]
    )  # fmt: skip


def build_chinese() -> int:
    """Build the Chinese edition into ``_build/zh/html``."""
    start = time.perf_counter()
    out = BUILD / "zh" / "html"
    dictionary = write_search_dictionary(BUILD / "zh" / "search_dict.txt")
    title = translated_title()
    status = build("html", out, {
        **({"html_title": title} if title else {}),
        # Published in the site's zh/ folder (scripts/assemble_site.py): the
        # canonical address of a Chinese page is there, not the English page's.
        "html_baseurl": site_baseurl() + "zh/",
        "language": LANGUAGE,
        "html_search_language": "zh",
        "html_search_options": {"dict": str(dictionary)},
        "translated_pages": translated_pages(),
        # Notebooks run once for both editions: share the English cache.
        "nb_execution_cache_path": str(BUILD / ".jupyter_cache"),
    })  # fmt: skip
    captions = caption_translations()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        translated = translate_chrome(translate_captions(text, captions))
        if translated != text:
            page.write_text(translated, encoding="utf-8")
    print(f"Chinese edition built in {time.perf_counter() - start:.0f} s: {out / 'index.html'}")
    return status


if __name__ == "__main__":
    import os

    os.chdir(ROOT)  # _config.yml's paths (local extensions, bibliography) are relative
    commands = {"locale": update_catalogues, "zh": build_chinese}
    if len(sys.argv) == 3 and sys.argv[1] == "pot":  # the messages only, for the tests
        sys.exit(extract_messages(Path(sys.argv[2]).resolve()))
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python {Path(__file__).name} {{{'|'.join(commands)}}}")
    sys.exit(commands[sys.argv[1]]())
