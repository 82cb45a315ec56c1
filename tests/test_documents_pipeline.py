"""Issue 28 end to end: a note app's export with every construct is imported, built into HTML, PDF and EPUB with
nothing lost, fused or untranslated, and a table cell and a footnote are edited through XLIFF and rebuilt.

The English is the dictionary gloss: these tests are about structure, never about translation quality.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.markup import parser

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "tests" / "corpus" / "fixtures" / "documents" / "notion-memo.md"
SLUG = "notion-memo"
CODE_LINE = 'rows = [("主控芯片", 1250), ("存储", 480)]'

pytestmark = pytest.mark.slow


def bitext(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--root", str(project), *args])
    assert result.exit_code == 0, f"bitext {' '.join(args)}: {result.output}{result.stderr}"
    return result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The export imported into a fresh edition and built whole (HTML, PDF, EPUB) with the gloss."""
    folder = tmp_path_factory.mktemp("documents") / "edition"
    (folder / "corpus" / "raw").mkdir(parents=True)
    shutil.copytree(ROOT / "glossary", folder / "glossary")
    shutil.copy(EXPORT, folder / "corpus" / "raw" / EXPORT.name)
    (folder / "edition.toml").write_text('[edition]\ntitle = "Documents"\n[translation]\nengine = "gloss"\n'
                                         f'[paths]\nmodels = "{folder / "no-models"}"\n', encoding="utf-8")
    bitext(folder, "corpus", "import", str(folder / "corpus" / "raw" / EXPORT.name))
    bitext(folder, "corpus", "check", "--strict")
    bitext(folder, "build")
    return folder


def words(markdown: str) -> re.Pattern:
    """What a reader sees of a segment, as a pattern for finding it in a :func:`flat` output: its text runs, a
    footnote reference as the number it shows."""
    parts = [re.escape(flat(child.content)) if child.type in ("text", "code_inline") else r"\d*"
             for token in parser().parseInline(markdown) for child in token.children or ()
             if child.type in ("text", "code_inline", "footnote_ref")]
    return re.compile("".join(parts))


def flat(text: str) -> str:
    """``text`` without spaces and the characters typesetting may change (hyphens, quotes)."""
    return re.sub(r"[\s\-‐‑­'’‘\"“”]", "", text)


def blocks(project: Path) -> list[dict]:
    return json.loads((project / "build" / "translations" / f"{SLUG}.json").read_text(encoding="utf-8"))["blocks"]


def html_text(project: Path) -> str:
    import html5lib

    page = html5lib.parse((project / "build" / "html" / f"{SLUG}.html").read_text(encoding="utf-8"),
                          namespaceHTMLElements=False)
    main = page.find(".//main")
    return "".join(main.itertext())


def epub_text(project: Path) -> str:
    with zipfile.ZipFile(next((project / "build").rglob("*.epub"))) as book:
        pages = [n for n in book.namelist() if n.endswith(".xhtml") and SLUG in n]
        assert pages, book.namelist()
        return "".join(html.unescape(re.sub(r"<[^>]+>", "", book.read(n).decode("utf-8"))) for n in pages)


def pdf_text(project: Path) -> str:
    from pypdf import PdfReader

    offprint = next(p for p in (project / "build").rglob("*.pdf") if SLUG in p.name)
    return "".join(page.extract_text() or "" for page in PdfReader(offprint).pages)


def test_the_import_keeps_every_construct(project):
    kinds = [b["kind"] for b in blocks(project)]
    assert kinds.count("cell") == 15 and kinds.count("code") == 1 and kinds.count("rule") == 1
    assert kinds.count("footnote") >= 2 and "quote" in kinds and "image" in kinds
    text = (project / "corpus" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "| 主控芯片[^2] | 1,250 | 41.7% |" in text and "[^1]: 数据来自" in text and CODE_LINE in text
    assert "创建时间" not in text and "](#成本结构)" not in text and "💡" not in text


@pytest.mark.parametrize("output", ["html", "epub", "pdf"])
def test_every_segment_reaches_every_output_in_both_languages(project, output):
    text = flat({"html": html_text, "epub": epub_text, "pdf": pdf_text}[output](project))
    missing = []
    for block in blocks(project):
        for segment in block["segments"]:
            assert segment["en"], segment  # nothing untranslated
            for side in ("zh", "en"):
                if not words(segment[side]).search(text):
                    missing.append((segment["id"], side, segment[side]))
    assert not missing, missing


@pytest.mark.parametrize("output", ["html", "epub", "pdf"])
def test_code_is_shown_once_and_never_translated(project, output):
    text = {"html": html_text, "epub": epub_text, "pdf": pdf_text}[output](project)
    assert flat(text).count(flat(CODE_LINE)) == 1


def test_a_cell_and_a_footnote_edited_through_xliff_reach_every_output(project):
    bitext(project, "postedit", "export", "--format", "xliff")
    path = project / "build" / "postedit" / f"{SLUG}.xlf"
    cell = next(s for b in blocks(project) if b["kind"] == "cell" for s in b["segments"] if s["zh"] == "主控芯片[^2]")
    note = next(s for b in blocks(project) if b["kind"] == "footnote" for s in b["segments"])
    text = path.read_text(encoding="utf-8")
    edits = {cell["id"]: "Main controller chip[^2]", note["id"]: "Quotations from twelve suppliers."}
    for unit, english in edits.items():
        start = text.index(f'<unit id="{unit}">')
        end = text.index("</unit>", start)
        inner = re.sub(r"<target>.*?</target>|<target/>", f"<target>{english}</target>", text[start:end], flags=re.S)
        inner = re.sub(r'<segment( state="[^"]*")?', '<segment state="translated"', inner)
        text = text[:start] + inner + text[end:]
    path.write_text(text, encoding="utf-8")
    bitext(project, "postedit", "import", str(path))
    bitext(project, "build")
    rebuilt = {s["id"]: s for b in blocks(project) for s in b["segments"]}
    for unit, english in edits.items():
        assert (rebuilt[unit]["en"], rebuilt[unit]["origin"]) == (english, "edited")
    for output in (html_text, epub_text, pdf_text):
        page = flat(output(project))
        assert flat("Main controller chip") in page and flat("Quotations from twelve suppliers.") in page
