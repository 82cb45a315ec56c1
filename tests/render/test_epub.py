"""The EPUB edition, read back as an e-reader would: the zip, the package, the nav, the pages.

Books are opened with :mod:`zipfile` and their XHTML parsed as XML; epubcheck
(Debian's package, installed by ``make test``) validates them in a slow test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from factories import sample_edition
from htmltools import REPO, make_settings
from translate.errors import RenderError
from translate.render.epub import BOOK, render_epub
from translate.render.fonts import fc_list

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "epub": "http://www.idpf.org/2007/ops"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

needs_cjk_font = pytest.mark.skipif(not fc_list(":lang=zh"), reason="no CJK font installed (fonts-noto-cjk)")


class Book:
    """One EPUB file, its members parsed on demand."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(name))

    def page(self, name: str) -> ElementTree.Element:
        return self.xml(f"EPUB/{name}")

    @property
    def package(self) -> ElementTree.Element:
        return self.xml("EPUB/package.opf")

    def metadata(self, tag: str) -> list[str]:
        return [e.text for e in self.package.find("opf:metadata", NS).findall(f"dc:{tag}", NS)]

    def ids(self, name: str) -> set[str]:
        return {e.get("id") for e in self.page(name).iter() if e.get("id")}


def text_of(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


def classes(element: ElementTree.Element) -> list[str]:
    return (element.get("class") or "").split()


def by_class(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in root.iter() if name in classes(e)]


@pytest.fixture
def build(tmp_path):
    """``build(edition=None, **settings) -> folder``: render the EPUBs (no font unless asked) into tmp_path."""
    def _build(edition=None, **changes):
        changes.setdefault("epub_embed_font", False)
        settings = make_settings(tmp_path / "build", **changes)
        render_epub(edition or sample_edition(), settings)
        return settings.build_dir / "epub"

    return _build


def test_writes_the_edition_and_one_epub_per_article(tmp_path):
    settings = make_settings(tmp_path / "build", epub_embed_font=False)
    paths = render_epub(sample_edition(), settings)
    folder = settings.build_dir / "epub"
    assert paths == [folder / BOOK, folder / "interview.epub", folder / "essay.epub"]
    for path in paths:
        entries = zipfile.ZipFile(path).infolist()
        first = entries[0]
        # OCF: mimetype first, stored, no extra field, so that `file` and readers recognise the book
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert path.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"
        assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
        container = Book(path).text("META-INF/container.xml")
        assert 'full-path="EPUB/package.opf"' in container


def test_paragraphs_interleave_chinese_then_english_each_tagged_with_its_language(build):
    page = Book(build() / "interview.epub").page("interview.xhtml")
    pairs = [e for e in page.iter() if "pair" in classes(e)]
    assert len(pairs) == 5  # two paragraphs, a question and an answer, a list item (heading and image aside)
    for pair in pairs:
        paragraphs = pair.findall(".//x:p", NS)
        assert [p.get("lang") for p in paragraphs] == ["zh-Hans", "en"]
        assert [p.get(XML_LANG) for p in paragraphs] == ["zh-Hans", "en"]
    first = page.find(".//x:div[@id='b002']", NS)
    zh, en = first.findall("x:p", NS)
    assert text_of(zh) == "周明创立了澜舟科技。他认为大模型很重要。"
    assert text_of(en) == "Zhou Ming founded Langboat. He thinks big models matter."
    heading = page.find(".//x:h2[@id='b001']", NS)
    assert [(s.get("lang"), text_of(s)) for s in heading] == [("zh-Hans", "大模型创业"), ("en", "Large model start-ups")]


@pytest.mark.parametrize("order, langs, languages", [
    ("en-first", ["en", "zh-Hans"], ["en", "zh-Hans"]),
    ("zh", ["zh-Hans"], ["zh-Hans", "en"]),
    ("en", ["en"], ["en", "zh-Hans"]),
])
def test_the_order_setting_puts_english_first_or_keeps_one_language(build, order, langs, languages):
    book = Book(build(epub_order=order) / "interview.epub")
    page = book.page("interview.xhtml")
    pair = page.find(".//x:div[@id='b003']", NS)
    assert [p.get("lang") for p in pair.findall("x:p", NS)] == langs
    assert book.metadata("language") == languages
    # the glossary links back to the sentences of whichever language comes first
    entry = book.page("glossary.xhtml")
    targets = [a.get("href").split("#")[1] for a in entry.iter(f"{{{NS['x']}}}a")]
    assert targets and set(targets) <= book.ids("interview.xhtml")


def test_speaker_labels_are_in_each_language(build):
    page = Book(build() / "interview.epub").page("interview.xhtml")
    question = page.find(".//x:div[@id='b003']", NS)
    assert "role-question" in classes(question)
    labels = [text_of(b) for b in question.iter(f"{{{NS['x']}}}b")]
    assert labels[0] == "晚点：" and labels[1].endswith(":") and labels[1] != "晚点:"
    answer = page.find(".//x:div[@id='b004']", NS)
    assert [text_of(b) for b in answer.iter(f"{{{NS['x']}}}b")] == ["周明：", "Zhou Ming:"]


def test_nav_names_every_article_in_both_languages_and_its_sections(build):
    book = Book(build() / BOOK)
    nav = book.page("nav.xhtml")
    toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == "toc")
    entries = toc.findall("x:ol/x:li", NS)
    labels = [" ".join(text_of(li.find("x:a", NS)).split()) for li in entries]
    assert labels == ["周明谈大模型 · Zhou Ming on large models", "為什麼中國沒有誕生ChatGPT · Why ChatGPT was not born in China",
                      "Glossary · 术语表", "Colophon · 版本说明"]
    titles = entries[0].find("x:a", NS).findall("x:span", NS)
    assert [(s.get("lang"), s.get("class")) for s in titles] == [("zh-Hans", "zh"), (None, "en")]
    assert entries[1].find("x:a/x:span", NS).get("lang") == "zh-Hant"
    sections = [a.get("href") for a in entries[0].findall("x:ol/x:li/x:a", NS)]
    assert sections == ["interview.xhtml#b001"]
    for li in entries:  # every link of the nav lands on a page of the book (and an id in it)
        for a in li.iter(f"{{{NS['x']}}}a"):
            page, _, anchor = a.get("href").partition("#")
            assert f"EPUB/{page}" in book.zip.namelist()
            assert not anchor or anchor in book.ids(page)
    manifest = book.package.find("opf:manifest", NS)
    assert [i.get("href") for i in manifest if i.get("properties") == "nav"] == ["nav.xhtml"]


def test_glossary_appendix_links_back_to_each_sentence_using_the_term(build):
    edition = sample_edition()
    book = Book(build(edition) / BOOK)
    glossary = book.page("glossary.xhtml")
    terms = glossary.findall(".//x:dt", NS)
    # a reader's order: alphabetically by the English, case aside
    assert [text_of(dt.find("x:dfn", NS)) for dt in terms] == ["Densing Law", "Langboat", "large model", "Zhou Ming"]
    links = {}
    for dt, dd in zip(terms, glossary.findall(".//x:dd", NS)):
        anchors = dd.findall(".//x:a", NS)
        links[dt.find("x:span", NS).text] = [a.get("href") for a in anchors]
        # numbered 1, 2, 3… per article: no sentence ids shown to the reader
        assert all(re.fullmatch(r"\d+", text_of(a)) for a in anchors)
    files = {"interview": "interview.xhtml", "essay": "essay.xhtml"}
    # exactly the sentences whose TermUse names the term (the spans of the translation stage, not a re-match)
    expected = {}
    for article in edition.articles:
        for block in article.blocks:
            for segment in block.segments:
                for use in segment.terms:
                    href = f"{files[article.slug]}#{segment.id}"
                    if href not in expected.setdefault(use.zh, []):
                        expected[use.zh].append(href)
    assert {zh: hrefs for zh, hrefs in links.items() if hrefs} == expected
    for hrefs in links.values():
        for href in hrefs:
            page, anchor = href.split("#")
            assert anchor in book.ids(page)
    # and the terms in the text link to their entry
    page = book.page("interview.xhtml")
    marked = {(text_of(a), a.get("href")) for a in page.iter(f"{{{NS['x']}}}a") if "term" in classes(a)}
    entry_of = {dt.find("x:span", NS).text: f"glossary.xhtml#{dt.get('id')}" for dt in terms}
    assert ("澜舟科技", entry_of["澜舟科技"]) in marked and ("Langboat", entry_of["澜舟科技"]) in marked
    assert all(a.get(EPUB_TYPE) == "glossref" for a in page.iter(f"{{{NS['x']}}}a") if "term" in classes(a))


def test_an_offprint_carries_only_the_glossary_entries_its_article_uses(build):
    glossary = Book(build() / "essay.epub").page("glossary.xhtml")
    assert [text_of(dt.find("x:dfn", NS)) for dt in glossary.findall(".//x:dt", NS)] == ["Langboat"]


def test_metadata_title_translators_languages_dates_and_a_stable_identifier(build, tmp_path):
    edition = replace(sample_edition(), translators=("Ada Translator", "Bo Reviser"))
    folder = build(edition)
    book = Book(folder / BOOK)
    assert book.metadata("title") == ["中国大模型创业者 <i>", "A bilingual edition"]
    assert book.metadata("language") == ["zh-Hans", "zh-Hant", "en"]
    assert book.metadata("contributor") == ["Ada Translator", "Bo Reviser"]
    package = book.package
    roles = {m.get("refines"): m.text for m in package.iter(f"{{{NS['opf']}}}meta") if m.get("property") == "role"}
    assert roles == {"#translator-1": "trl", "#translator-2": "trl"}
    assert book.metadata("date") == ["2026-11-22"]
    modified = [m.text for m in package.iter(f"{{{NS['opf']}}}meta") if m.get("property") == "dcterms:modified"]
    assert modified == ["2026-11-22T00:00:00Z"]
    identifier = book.metadata("identifier")[0]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    assert package.get("unique-identifier") == package.find("opf:metadata/dc:identifier", NS).get("id")
    offprint = Book(folder / "interview.epub")
    assert offprint.metadata("title") == ["周明谈大模型 · Zhou Ming on large models"]
    assert offprint.metadata("creator") == ["Zhu Likun (朱丽琨)"]
    assert offprint.metadata("language") == ["zh-Hans", "en"]
    # stable: the same edition gets the same identifiers; another title, other ones
    again = render_epub(edition, make_settings(tmp_path / "again", epub_embed_font=False))
    assert Book(again[0]).metadata("identifier")[0] == identifier
    other = render_epub(replace(edition, title="Another edition"), make_settings(tmp_path / "other", epub_embed_font=False))
    assert Book(other[0]).metadata("identifier")[0] != identifier
    assert len({Book(p).metadata("identifier")[0] for p in again}) == 3


def test_cover_page_names_the_edition_translators_and_the_gloss(build):
    book = Book(build(replace(sample_edition(), translators=("Ada Translator",))) / BOOK)
    cover = book.page("cover.xhtml")
    assert cover.find("x:body", NS).get(EPUB_TYPE) == "cover"
    text = " ".join(text_of(cover).split())
    assert "中国大模型创业者 <i>" in text and "A bilingual edition" in text
    assert "Translated by Ada Translator" in text
    assert "the English is a dictionary gloss, not a translation" in text
    spine = [i.get("idref") for i in book.package.find("opf:spine", NS)]
    assert spine == ["cover", "nav", "article-interview", "article-essay", "glossary", "colophon"]


@pytest.mark.parametrize("script, expected, lang", [
    ("source", "瀾舟科技很重要。", "zh-Hant"),
    ("simplified", "澜舟科技很重要。", "zh-Hans"),
    ("traditional", "瀾舟科技很重要。", "zh-Hant"),
])
def test_the_editions_script_setting_is_honoured(build, script, expected, lang):
    book = Book(build(replace(sample_edition(), script=script)) / "essay.epub")
    paragraph = book.page("essay.xhtml").find(".//x:div[@id='b001']/x:p", NS)
    assert (text_of(paragraph), paragraph.get("lang")) == (expected, lang)
    assert book.metadata("language")[0] == lang
    # the term is still linked where the script conversion keeps the sentence's length
    assert [text_of(a) for a in paragraph.iter(f"{{{NS['x']}}}a")] == [expected[:4]]


def test_machine_english_is_typeset_and_a_translators_english_is_not(build):
    edition = sample_edition()
    interview = edition.articles[0]
    block = interview.blocks[1]
    machine = replace(block.segments[1], en='He said "big models matter. "')
    edited = replace(block.segments[0], en='Zhou Ming founded "Langboat" .', origin="edited")
    changed = replace(interview, blocks=(interview.blocks[0], replace(block, segments=(edited, machine)),
                                         *interview.blocks[2:]))
    page = Book(build(replace(edition, articles=(changed, edition.articles[1]))) / "interview.epub").page(
        "interview.xhtml")
    english = text_of(page.find(".//x:div[@id='b002']/x:p[@lang='en']", NS))
    assert english == 'Zhou Ming founded "Langboat" . He said “big models matter.”'


def test_no_internals_reach_the_reader(build):
    edition = sample_edition()
    interview = edition.articles[0]
    image = interview.blocks[5]
    placeholder = replace(image, block=replace(image.block, text="图片", original="图片"),
                          segments=(replace(image.segments[0], zh="图片", zh_original="图片", en="Picture", terms=()),))
    changed = replace(interview, blocks=(*interview.blocks[:5], placeholder, interview.blocks[6]))
    book = Book(build(replace(edition, articles=(changed, edition.articles[1]))) / BOOK)
    everything = " ".join(book.text(n) for n in book.zip.namelist() if n.endswith((".xhtml", ".opf")))
    assert "000_x.txt" not in everything and "002_x.txt" not in everything
    page = book.page("interview.xhtml")
    figure = page.find(".//x:figure[@id='b006']", NS)
    assert figure.find("x:figcaption", NS) is None and "Picture" not in text_of(figure)
    head = " ".join(text_of(page.find(".//x:header", NS)).split())
    assert "Source: LatePost, in Simplified Chinese." in head


def test_hostile_text_stays_text(build):
    page = Book(build() / "interview.epub").page("interview.xhtml")  # parses as XML: nothing broke out
    paragraph = page.find(".//x:div[@id='b007']/x:p", NS)
    assert text_of(paragraph).startswith('<script>alert("x")</script> "quotes" & <b>tags</b>')
    assert not list(page.iter(f"{{{NS['x']}}}script"))


def test_identical_input_gives_identical_bytes_and_unchanged_books_are_not_rewritten(tmp_path):
    settings = make_settings(tmp_path / "build", epub_embed_font=False)
    edition = sample_edition()
    paths = render_epub(edition, settings)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in paths}
    again = render_epub(edition, make_settings(tmp_path / "elsewhere", epub_embed_font=False))
    assert [p.read_bytes() for p in again] == [before[p.name][1] for p in paths]
    render_epub(edition, settings)
    assert {p.name: p.stat().st_ino for p in paths} == {name: ino for name, (ino, _) in before.items()}
    essay = replace(edition.articles[1], title_en="A new title")
    render_epub(replace(edition, articles=(edition.articles[0], essay)), settings)
    after = {p.name: p.stat().st_ino for p in paths}
    assert after["interview.epub"] == before["interview.epub"][0]
    assert after["essay.epub"] != before["essay.epub"][0] and after[BOOK] != before[BOOK][0]
    assert "A new title" in Book(settings.build_dir / "epub" / "essay.epub").text("EPUB/essay.xhtml")
    # an article that leaves the edition takes its book along
    render_epub(replace(edition, articles=edition.articles[:1]), settings)
    assert not (settings.build_dir / "epub" / "essay.epub").exists()


@needs_cjk_font
def test_the_embedded_font_is_a_subset_with_every_chinese_character_of_the_book(build):
    from fontTools.ttLib import TTFont
    import io

    book = Book(build(epub_embed_font=True) / "essay.epub")
    manifest = {i.get("href"): i.get("media-type") for i in book.package.find("opf:manifest", NS)}
    assert manifest["fonts/cjk.otf"] == "font/otf"
    font = book.zip.read("EPUB/fonts/cjk.otf")
    assert len(font) < 200_000  # the face is 20+ MB: a subset
    cmap = TTFont(io.BytesIO(font)).getBestCmap()
    chinese = {c for n in book.zip.namelist() if n.endswith(".xhtml") for c in book.text(n)
               if "\u4e00" <= c <= "\u9fff"}
    assert chinese and all(ord(c) in cmap for c in chinese)
    assert '@font-face { font-family: "bitext CJK"; src: url("fonts/cjk.otf")' in book.text("EPUB/edition.css")
    without = Book(build(epub_embed_font=False) / "essay.epub")
    assert "EPUB/fonts/cjk.otf" not in without.zip.namelist() and "@font-face" not in without.text("EPUB/edition.css")


def test_a_missing_cjk_font_says_what_to_install_or_which_setting_to_change(tmp_path):
    from translate.errors import FontMissingError

    with pytest.raises(FontMissingError, match=r"fonts-noto-cjk.*epub\.embed_font = false"):
        render_epub(sample_edition(), make_settings(tmp_path / "build", epub_embed_font=True), lookup=lambda p: [])
    assert not (tmp_path / "build" / "epub").exists()  # nothing written


def test_a_broken_template_is_a_render_error_naming_it(tmp_path):
    templates = tmp_path / "templates"
    (templates / "epub").mkdir(parents=True)
    (templates / "epub" / "cover.xhtml.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(RenderError, match="EPUB template error") as caught:
        render_epub(sample_edition(), make_settings(tmp_path / "build", templates_dir=templates, epub_embed_font=False))
    assert "cover.xhtml.j2" in str(caught.value)


# --- epubcheck -------------------------------------------------------------------------------------------------


def epubcheck(path: Path) -> str:
    """epubcheck's report on one book (Debian installs the jar as /usr/bin/epubcheck)."""
    found = Path(shutil.which("epubcheck")).resolve()
    # A short-lived JVM: the client compiler alone starts it in half the time.
    command = ["java", "-XX:TieredStopAtLevel=1", "-jar", str(found)] if found.suffix == ".jar" else [str(found)]
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300)
    return result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("epubcheck") is None,
                    reason="epubcheck not installed (Debian's epubcheck package; make test installs it)")
@needs_cjk_font
def test_epubcheck_reports_no_errors_and_no_warnings(tmp_path):
    from htmltools import corpus_edition

    # The real corpus (every block kind, Traditional sources, interviews) plus the sample's hostile text.
    edition = corpus_edition(limit_blocks=60)
    books = render_epub(edition, make_settings(tmp_path / "build", epub_embed_font=True))
    english_first = render_epub(sample_edition(), make_settings(tmp_path / "en", epub_order="en-first",
                                                                epub_embed_font=False))
    checked = [books[0], english_first[1]]  # the book with its font; an offprint in the other order
    with ThreadPoolExecutor(len(checked)) as pool:
        reports = list(pool.map(epubcheck, checked))
    for path, report in zip(checked, reports):
        assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, f"{path.name}:\n{report}"


# --- the build -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_bitext_build_writes_the_epubs_and_no_epub_skips_them(tmp_path):
    from translate.cli import cli

    project = tmp_path / "edition"
    (project / "corpus").mkdir(parents=True)
    shutil.copy(REPO / "corpus" / "001-9be88a10.md", project / "corpus")
    shutil.copytree(REPO / "glossary", project / "glossary")
    (project / "edition.toml").write_text('[edition]\ntitle = "Test"\n[epub]\nembed_font = false\n'
                                          f'[paths]\nmodels = "{tmp_path / "models"}"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(project), "build", "--no-pdf", "--no-epub", "--engine", "gloss"])
    assert result.exit_code == 0, result.output
    assert not (project / "build" / "epub").exists()
    result = runner.invoke(cli, ["--root", str(project), "build", "--no-pdf", "--engine", "gloss"])
    assert result.exit_code == 0, result.output
    assert "Nothing changed" not in result.output  # asking for the EPUB is a change
    book = Book(project / "build" / "epub" / BOOK)
    assert "EPUB/001-9be88a10.xhtml" in book.zip.namelist()
    assert (project / "build" / "epub" / "001-9be88a10.epub").is_file()


def test_a_terms_links_are_the_same_in_the_edition_and_in_its_offprint(build):
    # One chapter serves both books: a term links to the same anchor, and in each book the anchor is an entry.
    folder = build()
    edition, offprint = Book(folder / BOOK), Book(folder / "essay.epub")

    def term_links(book: Book) -> list[str]:
        return [a.get("href") for a in book.page("essay.xhtml").iter(f"{{{NS['x']}}}a") if "term" in classes(a)]

    links = term_links(offprint)
    assert links and links == term_links(edition)
    for book in (edition, offprint):
        assert {href.partition("#")[2] for href in links} <= book.ids("glossary.xhtml")


def test_the_glossary_appendix_shows_each_terms_accepted_alternates_escaped(build):
    edition = sample_edition()
    terms = tuple(replace(t, alternates=("big-model <b>era</b>",)) if t.zh == "大模型" else t for t in edition.terms)
    glossary = Book(build(replace(edition, terms=terms)) / BOOK).page("glossary.xhtml")
    notes = {dt.find("x:span", NS).text: text_of(dd)
             for dt, dd in zip(glossary.findall(".//x:dt", NS), glossary.findall(".//x:dd", NS))}
    assert "Also accepted: big-model <b>era</b>." in notes["大模型"]
    assert not any("Also accepted" in text for zh, text in notes.items() if zh != "大模型")
