"""The PDF edition, read back through poppler: text, fonts, contents, ink, errors.

PDFs are checked through their text, fonts and pages, never byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from factories import HOSTILE, sample_edition
from translate.errors import BlockedURLError, FontMissingError
from translate.render.fonts import FontFile, choose_fonts
from translate.render.pdf.edition import BOOK, PdfJob, check_url, render_document, render_pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def make_settings(build_dir: Path, **changes) -> Settings:
    return replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=build_dir, jobs=1), **changes)


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample edition rendered once: (settings, written paths)."""
    settings = make_settings(tmp_path_factory.mktemp("pdf") / "build")
    return settings, render_pdf(sample_edition(), settings)


@pytest.mark.slow
def test_writes_the_book_and_one_pdf_per_article(built):
    settings, paths = built
    folder = settings.build_dir / "pdf"
    assert paths == [folder / BOOK, folder / "interview.pdf", folder / "essay.pdf"]
    for path in paths:
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_pdftotext_finds_the_chinese_and_the_english_of_every_article(built):
    settings, _ = built
    book = pdftotext(settings.build_dir / "pdf" / BOOK)
    for article in sample_edition().articles:
        own = pdftotext(settings.build_dir / "pdf" / f"{article.slug}.pdf")
        for text in (book, own):
            assert article.title_en in text
            # script = "source": the Traditional essay is printed in Traditional
            assert article.article.meta.title_original in text
    assert "周明创立了澜舟科技。" in book
    assert "Zhou Ming founded Langboat." in book
    assert "Langboat matters." in book
    assert "瀾舟科技很重要。" in book


@pytest.mark.slow
def test_hostile_text_is_printed_as_text(built):
    settings, _ = built
    text = pdftotext(settings.build_dir / "pdf" / "interview.pdf")
    assert '<script>alert("x")</script>' in text
    assert "<b>tags</b>" in text
    assert HOSTILE.split()[0] in text


@pytest.mark.slow
def test_every_font_is_embedded_and_the_cjk_one_is_a_subset(built):
    settings, paths = built
    for path in paths:
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        assert rows
        for row in rows:
            name, emb, sub = row[0], row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), f"{path.name}: {name} not embedded as a subset"
        assert any("bitext-CJK" in row[0] for row in rows)


def _toc_numbers(book: Path) -> dict[str, int]:
    """Contents page: English titles → page number at the end of their leader line."""
    numbers = {}
    for line in pdftotext(book, "-f", "2", "-l", "2", "-layout").splitlines():
        match = re.match(r"\s*(.+?)[ .]*\s(\d+)\s*$", line)
        if match and "." in line:
            numbers[match[1].strip()] = int(match[2])
    return numbers


def _outline(book: Path) -> dict[str, int]:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(book)],
                         capture_output=True, text=True, check=True).stdout
    return {label: int(page) for page, label in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)}


@pytest.mark.slow
def test_contents_page_numbers_match_the_outline_and_the_pages(built):
    settings, _ = built
    book = settings.build_dir / "pdf" / BOOK
    toc, outline = _toc_numbers(book), _outline(book)
    edition = sample_edition()
    for article in edition.articles:
        label = next(k for k in outline if k.endswith(article.title_en))
        assert toc[article.title_en] == outline[label]
        # and the article really starts there
        assert article.title_en in pdftotext(book, "-f", str(outline[label]), "-l", str(outline[label]))
    assert outline["Contents · 目录"] == 2
    assert toc["Glossary · 术语表"] == outline["Glossary · 术语表"]
    assert toc["Colophon · 版本说明"] == outline["Colophon · 版本说明"] == page_count(book)
    assert outline["大模型创业 · Large model start-ups"] == outline[next(k for k in outline if "Zhou Ming on" in k)]


@pytest.mark.slow
def test_workers_get_the_contents_length_early_the_folios_behind_the_parts_and_the_contents_is_right(tmp_path,
                                                                                                   monkeypatch):
    """Cold: the folios right behind the first part made, the provisional contents laid out (for its length) as
    soon as the plan is made, ahead of the last parts made; then the real contents, and the offprints numbered
    meanwhile."""
    import json

    from translate.render.pdf import workers as pdf_workers

    submitted = []
    submit, call = pdf_workers.Workers.submit, pdf_workers.Workers.call
    monkeypatch.setattr(pdf_workers.Workers, "submit", lambda self, job: submitted.append(job.name) or submit(self, job))
    monkeypatch.setattr(pdf_workers.Workers, "call", lambda self, function, *args: submitted.append(
        f"{function.__name__}({getattr(args[0], 'name', '')})") or call(self, function, *args))
    settings = make_settings(tmp_path / "build", jobs=2)
    edition = sample_edition()
    render_pdf(edition, settings)
    # The glossary goes from a thread once its faces are cut (whenever that is), and before the contents, which
    # waits for every part's layout. The others wait for the plan: the interview prints 编辑, which the first cut
    # lacks, and the essay and the colophon are the last parts made. So: the contents' length, the first part
    # queued with the folios right behind it, the others, the contents, the offprints numbered.
    assert submitted.count("_glossary.pdf") == 1 and submitted.index("_glossary.pdf") < submitted.index("front.pdf")
    others = [name for name in submitted if name != "_glossary.pdf"]
    assert others[:4] == ["count_pages(front.pdf)", "interview.pdf", "folios.pdf", "essay.pdf"]
    assert others[4:] == ["back.pdf", "front.pdf"] + ["number_pages()"] * len(edition.articles)
    book = settings.build_dir / "pdf" / BOOK
    toc, outline = _toc_numbers(book), _outline(book)
    for article in edition.articles:
        assert toc[article.title_en] == outline[next(k for k in outline if k.endswith(article.title_en))]
    assert toc["Colophon · 版本说明"] == page_count(book)
    folios = json.loads((settings.build_dir / "pdf" / ".parts" / "folios.pdf.json").read_text())["pages"]
    assert folios >= page_count(book)

    submitted.clear()  # two articles changed: their parts and the contents; length and folios are known
    changed = tuple(replace(a, title_en=f"{a.title_en}, again") for a in edition.articles)
    render_pdf(replace(edition, articles=changed), settings)
    assert sorted(submitted) == sorted([f"{a.slug}.pdf" for a in edition.articles] + ["front.pdf"]
                                       + ["number_pages()"] * len(edition.articles))
    assert "again" in pdftotext(book, "-f", "2", "-l", "2")


@pytest.mark.slow
def test_no_temporary_font_folder_outlives_a_render_in_workers_or_in_this_process(tmp_path, monkeypatch):
    """WeasyPrint puts each stylesheet's fonts in a temporary folder that its finalizer could not remove."""
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # the workers' and the child's temporary folder
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # this process's
    render_pdf(sample_edition(), make_settings(tmp_path / "build", jobs=2))
    assert [p for p in temp.iterdir() if p.name != "jieba.cache"] == []  # jieba's own dictionary cache, kept on purpose
    script = textwrap.dedent("""
        from dataclasses import replace
        from pathlib import Path
        from factories import sample_edition
        from translate.render.pdf.edition import render_pdf
        from translate.settings import Settings
        root = Path(%r)
        render_pdf(sample_edition(), Settings(root=root, templates_dir=root / "templates", build_dir=Path(%r), jobs=1))
    """) % (str(REPO), str(tmp_path / "alone"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=REPO / "tests",
                            env={**os.environ, "PYTHONPATH": str(REPO / "tests")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Exception ignored" not in result.stderr
    assert [p for p in temp.iterdir() if p.name != "jieba.cache"] == []


def test_a_worker_keeps_the_garbage_collector_off_what_it_imported():
    import gc

    from translate.render.pdf import workers as pdf_workers

    with pdf_workers.Workers(1) as workers:
        threshold = workers.call(gc.get_threshold).result(timeout=120)
        frozen = workers.call(gc.get_freeze_count).result(timeout=120)
    assert threshold[0] == pdf_workers.WORKER_GC_THRESHOLD > gc.get_threshold()[0]
    assert frozen > 10_000  # WeasyPrint's modules and tables, never walked again


def _last_line(pdf: Path, page: int) -> str:
    lines = [line.strip() for line in pdftotext(pdf, "-f", str(page), "-l", str(page), "-layout").splitlines()]
    return next(line for line in reversed(lines) if line)


@pytest.mark.slow
def test_the_book_is_numbered_continuously_and_each_offprint_from_one(built):
    """Parts are set without folios; the folios are stamped on when the book is assembled."""
    import pypdf

    settings, paths = built
    for path in paths:
        pages = page_count(path)
        first = 2 if path.name == BOOK else 1  # the cover has no folio
        for number in range(first, pages + 1):
            assert _last_line(path, number) == str(number), f"{path.name} page {number}"
        assert pypdf.PdfReader(path).page_labels == [str(n) for n in range(1, pages + 1)]


@pytest.mark.slow
def test_offprints_end_with_the_colophon_and_the_book_holds_it_once(built):
    settings, _ = built
    folder = settings.build_dir / "pdf"
    book = pdftotext(folder / BOOK)
    assert book.count("Licences of bundled data") == 1
    for article in sample_edition().articles:
        offprint = folder / f"{article.slug}.pdf"
        last = pdftotext(offprint, "-f", str(page_count(offprint)), "-l", str(page_count(offprint)))
        assert "Colophon · 版本说明" in last
        before = pdftotext(offprint, "-f", "1", "-l", str(page_count(offprint) - 1))
        assert "Colophon" not in before  # a page of its own, which the book leaves out
        assert sample_edition().title.split(" · ")[0] in last  # the edition line
    # every article page is in the book: the offprints less their colophon page, plus front and back
    body = sum(page_count(folder / f"{a.slug}.pdf") - 1 for a in sample_edition().articles)
    assert page_count(folder / BOOK) >= 2 + body + 1


@pytest.mark.slow
def test_contents_entries_link_to_the_pages_the_outline_names(built):
    import pypdf

    settings, _ = built
    reader = pypdf.PdfReader(settings.build_dir / "pdf" / BOOK)
    targets = set()
    for annotation in reader.pages[1].get("/Annots", []):
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
            targets.add(reader.get_page_number(annotation["/Dest"][0].get_object()) + 1)
    outline = _outline(settings.build_dir / "pdf" / BOOK)
    assert targets == {page for label, page in outline.items() if label != "Contents · 目录"}


@pytest.mark.slow
def test_a_body_page_has_ink_in_both_columns(built, tmp_path):
    from PIL import Image

    settings, _ = built
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-gray", "-f", "1", "-l", "1",
                    str(settings.build_dir / "pdf" / "interview.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    body = image.crop((0, int(height * 0.3), width, int(height * 0.8)))
    half = body.width // 2

    def ink(box) -> int:
        return sum(body.crop(box).histogram()[:128])  # dark pixels

    assert ink((int(body.width * 0.1), 0, half - 10, body.height)) > 100
    assert ink((half + 10, 0, int(body.width * 0.9), body.height)) > 100


@pytest.mark.slow
def test_colophon_states_engine_glossary_date_rate_and_licences(built):
    settings, _ = built
    text = " ".join(pdftotext(settings.build_dir / "pdf" / BOOK).split())
    assert "The English is a dictionary gloss, not a translation." in text
    assert "abc123" in text and "2026-11-22" in text
    assert "87.5 %" in text  # 7 of 8 term occurrences in the sample, speaker labels and captions included
    assert "CC-CEDICT" in text and "Creative Commons" in text
    assert "Langboat" in text and "large model" in text  # the glossary appendix


@pytest.mark.slow
def test_a_render_with_nothing_to_set_leaves_no_worker_running(tmp_path):
    import multiprocessing

    settings = make_settings(tmp_path / "build", jobs=2)
    render_pdf(sample_edition(), settings)
    started = time.monotonic()
    render_pdf(sample_edition(), settings)  # its workers start before it knows there is nothing to set
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_the_build_process_reads_weasyprints_version_without_importing_it():
    script = textwrap.dedent("""
        import sys
        from factories import sample_edition
        from translate.render.pdf.printviews import colophon_view
        colophon = colophon_view(sample_edition(), None)
        print(colophon["weasyprint"], "weasyprint" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            cwd=REPO / "tests", env={**os.environ, "PYTHONPATH": str(REPO / "tests")})
    import weasyprint

    assert result.stdout.split() == [weasyprint.__version__, "False"], result.stderr[-2000:]


def test_a_worker_parses_a_stylesheet_once_for_every_part_that_uses_it(monkeypatch):
    from translate.render.pdf import workers as pdf_workers

    monkeypatch.setattr(pdf_workers, "_STYLESHEETS", {})
    job = PdfJob("a.pdf", "<p>One part</p>", "p { color: #222; }", REPO.as_uri() + "/", (REPO,))
    first = render_document(job)
    second = render_document(replace(job, name="b.pdf", html="<p>Another part</p>"))
    assert (first.pages, second.pages) == (1, 1) and first.pdf != second.pdf
    assert len(pdf_workers._STYLESHEETS) == 1
    for n in range(6):  # a bounded cache: the parts' and the folios' stylesheets of a build or two
        render_document(replace(job, css=f"p {{ margin: {n}pt; }}"))
    assert len(pdf_workers._STYLESHEETS) == 4


def test_without_harfbuzzs_subsetter_fonts_are_cut_with_fonttools_and_it_says_so_once(tmp_path, monkeypatch, caplog):
    from translate.render import fonts

    source = tmp_path / "Face.otf"
    source.write_bytes(b"not really a font")
    cut = []
    monkeypatch.setattr(fonts, "_harfbuzz_subset", lambda face, chars: None)
    monkeypatch.setattr(fonts, "_fonttools_subset", lambda face, chars: cut.append(chars) or b"subset:" + chars.encode())
    fonts._warn_fonttools_fallback.cache_clear()
    face = FontFile("Face", source, 0, 80)
    with caplog.at_level("WARNING", logger=fonts.__name__):
        first = fonts.subset_font(face, "中文", tmp_path / "cut").read_bytes()
        second = fonts.subset_font(face, "英文", tmp_path / "cut").read_bytes()  # a new subset replaces the old
    assert (first, second) == ("subset:中文".encode(), "subset:英文".encode())
    assert cut == ["中文", "英文"]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "install libharfbuzz-subset0" in warnings[0]


def test_unchanged_pdfs_are_not_set_again_and_a_changed_article_is(tmp_path):
    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    paths = render_pdf(edition, settings)
    before = {p.name: p.stat().st_ino for p in paths}
    render_pdf(edition, settings)
    assert {p.name: p.stat().st_ino for p in paths} == before
    essay = edition.articles[1]
    changed = replace(essay, title_en="A new title")
    render_pdf(replace(edition, articles=(edition.articles[0], changed)), settings)
    after = {p.name: p.stat().st_ino for p in paths}
    assert after["interview.pdf"] == before["interview.pdf"]
    assert after["essay.pdf"] != before["essay.pdf"]
    assert after[BOOK] != before[BOOK]
    assert "A new title" in pdftotext(settings.build_dir / "pdf" / "essay.pdf")


@pytest.mark.slow
@pytest.mark.parametrize("page_size, points", [("Letter", "612 x 792"), ("A5", "419.528 x 595.276")])
def test_page_size_setting(tmp_path, page_size, points):
    settings = make_settings(tmp_path / "build", page_size=page_size)
    edition = sample_edition()
    edition = replace(edition, articles=edition.articles[1:])
    render_pdf(edition, settings)
    info = subprocess.run(["pdfinfo", str(settings.build_dir / "pdf" / "essay.pdf")],
                          capture_output=True, text=True).stdout
    assert points in info


@pytest.mark.slow
def test_simplified_setting_prints_the_traditional_article_in_simplified(tmp_path):
    settings = make_settings(tmp_path / "build")
    edition = replace(sample_edition(), script="simplified")
    render_pdf(replace(edition, articles=edition.articles[1:]), settings)
    text = pdftotext(settings.build_dir / "pdf" / "essay.pdf")
    assert "为什么中国没有诞生ChatGPT" in text
    assert "澜舟科技很重要。" in text


# --- fonts ---------------------------------------------------------------------------


def test_no_cjk_font_says_which_package_to_install():
    with pytest.raises(FontMissingError, match=r"no CJK font found; install Debian's fonts-noto-cjk"):
        choose_fonts("Noto Serif CJK SC", "Noto Serif", lookup=lambda pattern: [])


def test_a_missing_cjk_family_names_the_setting_and_what_is_installed():
    installed = [FontFile("Noto Sans CJK SC", Path("/fonts/NotoSansCJK-Regular.ttc"), 2, 80)]
    with pytest.raises(FontMissingError) as caught:
        choose_fonts("Noto Serif CJK SC", "Noto Serif", lookup=lambda pattern: installed)
    assert "layout.cjk_font" in str(caught.value)
    assert "Noto Sans CJK SC" in str(caught.value)


def test_regular_and_bold_faces_are_chosen_and_a_missing_latin_face_falls_back():
    faces = [FontFile("Noto Serif CJK SC", Path("/f/Bold.ttc"), 2, 200),
             FontFile("Noto Serif CJK SC", Path("/f/Regular.ttc"), 2, 80)]
    choice = choose_fonts("noto serif cjk sc", "No Such Latin", lookup=lambda p: faces if p == ":lang=zh" else [])
    assert choice.cjk_regular.path.name == "Regular.ttc"
    assert choice.cjk_bold.path.name == "Bold.ttc"
    assert choice.latin_family is None


@pytest.mark.slow
def test_render_pdf_without_any_font_stops_with_the_install_hint(tmp_path):
    """A real fontconfig that knows no fonts at all (FONTCONFIG_FILE → an empty config)."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        from pathlib import Path
        from factories import sample_edition
        from translate.errors import FontMissingError
        from translate.render.pdf.edition import render_pdf
        from translate.settings import Settings
        try:
            render_pdf(sample_edition(), Settings(root=Path({str(tmp_path)!r}), build_dir=Path({str(tmp_path / "b")!r})))
        except FontMissingError as exc:
            print("ERROR:", exc)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert "ERROR: no CJK font found; install Debian's fonts-noto-cjk" in result.stdout, result.stderr[-2000:]
    assert not (tmp_path / "b" / "pdf" / BOOK).exists()


# --- URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://example.com/photo.jpg", "https://example.com/a.png",
                                 "file:///etc/passwd", f"file://{REPO}/../../etc/passwd", "data:image/png;base64,AA=="])
def test_remote_urls_and_files_outside_the_project_are_refused(url):
    with pytest.raises(BlockedURLError, match="refused to load"):
        check_url(url, [REPO])


def test_a_file_inside_the_project_may_be_loaded():
    assert check_url((REPO / "templates" / "pdf" / "print.css.j2").as_uri(), [REPO]).name == "print.css.j2"


@pytest.mark.slow
@pytest.mark.parametrize("src", ["http://example.com/x.png", "file:///etc/passwd"])
def test_a_hostile_image_stops_the_render_with_the_url_named(src):
    job = PdfJob("x.pdf", f'<p>图片</p><img src="{src}">', "", REPO.as_uri() + "/", (REPO,))
    with pytest.raises(BlockedURLError) as caught:
        render_document(job)
    assert src in str(caught.value)


def test_the_english_column_shows_english_speaker_and_byline_labels():
    """The PDF used to print 《晚点》: and Chinese-only bylines in the English column; it shows what the HTML shows."""
    from translate.glossary import Glossary
    from translate.models import Term
    from translate.render.pdf.printviews import article_view
    from translate.translation.translator import speaker_segment

    edition = sample_edition()
    terms = edition.terms + (Term(zh="晚点", en="LatePost", kind="publication"),)
    article = edition.articles[0]
    question = article.blocks[2]
    block = replace(question.block, speaker="《晚点》")
    marked = replace(question, block=block, speaker=speaker_segment("interview", block, Glossary.from_terms(terms),
                                                                    "gloss"))
    article = replace(article, blocks=article.blocks[:2] + (marked,) + article.blocks[3:])
    edition = replace(edition, terms=terms, articles=(article,) + edition.articles[1:])
    view = article_view(article, edition)
    pair = next(p for p in view.pairs if p.anchor.endswith("b003"))
    assert (pair.speaker_zh, pair.speaker_en) == ("《晚点》", "LatePost")
    answer = next(p for p in view.pairs if p.anchor.endswith("b004"))
    assert answer.speaker_en == "Zhou Ming"
    assert view.byline_en == "By Zhu Likun · Edited by Cheng Manqi · LatePost · 2023-03-01"
    assert "作者 朱丽琨" in view.byline


# --- print polish: each fault a reader saw in build/pdf/edition.pdf (issue 18) ----------------------------------

#: Points per millimetre; the A4 page's top margin (where the running head sits) is 22 mm.
PT_PER_MM = 72 / 25.4
A4_WIDTH = 595.28
CJK_SIZE = 10.5


@pytest.fixture(scope="module")
def faults_built(tmp_path_factory):
    """The edition with every reader-facing fault (tests/render/readerfaults.py), set once: its PDF folder."""
    from readerfaults import faults_edition

    settings = make_settings(tmp_path_factory.mktemp("faults") / "build")
    render_pdf(faults_edition(), settings)
    return settings.build_dir / "pdf"


def bbox_words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of every word pdftotext finds on ``page`` (points from the top left)."""
    import html

    xml = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    words = [(float(a), float(b), float(c), float(d), html.unescape(text)) for a, b, c, d, text in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]
    # The justified Chinese column has a (zero-width) stretch space between its characters, which pdftotext
    # takes for word breaks: Chinese pieces of one line closer than a third of an em are read as one word.
    merged: list[tuple[float, float, float, float, str]] = []
    for word in words:
        if merged and _cjk(merged[-1][4][-1:]) and _cjk(word[4][:1]) and abs(merged[-1][3] - word[3]) < 1 and (
                -0.5 <= word[0] - merged[-1][2] < (word[3] - word[1]) / 3):
            last = merged.pop()
            word = (last[0], min(last[1], word[1]), word[2], max(last[3], word[3]), last[4] + word[4])
        merged.append(word)
    return merged


def _cjk(char: str) -> bool:
    return bool(char) and ("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef")


def lines_of(words) -> list[list[tuple]]:
    """Words grouped into lines (same baseline within 2 pt), each sorted left to right."""
    lines: list[list[tuple]] = []
    for word in sorted(words, key=lambda w: (w[3], w[0])):
        if lines and abs(lines[-1][0][3] - word[3]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line) for line in lines]


@pytest.mark.slow
def test_justified_chinese_lines_keep_latin_words_close(faults_built):
    """Justification stretched the only spaces of a Chinese line, those around Latin words (可是     AI     界)."""
    words = bbox_words(faults_built / "faults.pdf", 1)
    start = min(w[1] for w in words if w[4].startswith("可是"))
    column = [w for w in words if w[2] < A4_WIDTH * 0.47 and w[1] >= start - 1]
    lines = lines_of(column)
    assert len(lines) >= 8 and sum(any(c.isascii() and c.isalpha() for c in w[4]) for w in column) >= 12
    # The gaps at Latin words (the Chinese column now also justifies between its ideographs: an underfull
    # line before a long Latin word spreads its characters, which is the justifier's, not this fault's).
    latin = lambda word: any(c.isascii() and c.isalpha() for c in word[4])  # noqa: E731
    gaps = [(right[0] - left[2]) / CJK_SIZE for line in lines for left, right in zip(line, line[1:])
            if latin(left) or latin(right)]
    widest = max(gaps, default=0)
    assert len(gaps) >= 12 and widest < 0.5, f"a gap of {widest:.2f} em in the Chinese column: {lines}"


@pytest.mark.slow
def test_the_running_head_fits_one_line(faults_built):
    """The head (Chinese · English title) wrapped to two lines on every page of a long-titled article."""
    from readerfaults import TITLE_ZH

    seen = 0
    for pdf in (faults_built / "faults.pdf", faults_built / BOOK):
        for page in range(1, page_count(pdf) + 1):
            head = [w for w in bbox_words(pdf, page) if w[3] < 22 * PT_PER_MM]
            if not head or not any(w[4].startswith(TITLE_ZH[:6]) for w in head):
                continue
            seen += 1
            assert len(lines_of(head)) == 1, f"{pdf.name} page {page}: {head}"
            assert head[-1][4].endswith("…")  # shortened, visibly
            assert A4_WIDTH * 0.05 < head[0][0] and head[-1][2] < A4_WIDTH * 0.95
    assert seen >= 2


@pytest.mark.parametrize("page_size", ["A4", "Letter", "A5"])
def test_running_titles_are_shortened_to_the_page_width(page_size):
    from readerfaults import TITLE_EN, TITLE_ZH
    from translate.render.pdf.printviews import running_title
    from translate.render.pdf.stylesheet import running_head_width

    budget = running_head_width(page_size)
    title = running_title(TITLE_ZH, TITLE_EN, budget)
    assert title.startswith(TITLE_ZH[:8]) and " · The earliest" in title and title.endswith("…")
    assert running_title("周明谈大模型", "Zhou Ming on large models", budget) == "周明谈大模型 · Zhou Ming on large models"
    assert running_title(TITLE_ZH, TITLE_EN, budget * 3) == f"{TITLE_ZH} · {TITLE_EN}"


@pytest.mark.slow
def test_machine_english_has_curly_quotes_and_no_stray_space(faults_built):
    from readerfaults import CURLY

    text = " ".join(pdftotext(faults_built / "faults.pdf").split())
    assert CURLY in text
    assert 'model. "' not in text and '"' not in text.split("Colophon")[0].replace('<script>alert("x")</script>', "")


@pytest.mark.slow
def test_placeholder_alt_texts_are_not_printed_as_captions(faults_built):
    text = pdftotext(faults_built / "faults.pdf")
    assert "Image not included" in text
    assert "Picture" not in text
    assert text.count("图片") == text.count("图片未收录")
    interview = pdftotext(faults_built / "interview.pdf")
    assert "Zhou Ming in his office" in interview  # a real caption stays


@pytest.mark.slow
def test_glossary_appendix_is_in_alphabetical_order_of_the_english(faults_built):
    text = pdftotext(faults_built / BOOK, "-layout")
    appendix = text[text.rindex("Glossary · 术语表"):]
    targets = ("Densing Law", "Langboat", "large model", "Zhou Ming")
    order = []
    for row in appendix.splitlines():  # each row's English comes before its note (which may name another term)
        found = sorted((row.index(t), t) for t in targets if t in row)
        if found:
            order.append(found[0][1])
    assert order == list(targets)


@pytest.mark.slow
def test_pdf_metadata_names_translators_subject_keywords_and_language(faults_built):
    import pypdf
    from readerfaults import TITLE_EN

    for name, subject in ((BOOK, "A bilingual edition"), ("faults.pdf", "From 中国大模型创业者 <i>")):
        reader = pypdf.PdfReader(faults_built / name)
        info = reader.metadata
        assert info.author == "Ada Translator, Bo Reviser", name
        assert info.subject == subject, name
        assert {"Chinese", "English", "bilingual edition"} <= set(info["/Keywords"].split(", ")), name
        assert reader.trailer["/Root"]["/Lang"] == "en", name
        assert info.creation_date is not None and info.creation_date.year == 2026, name
    assert pypdf.PdfReader(faults_built / "faults.pdf").metadata.title.endswith(TITLE_EN)
    assert "LatePost" in pypdf.PdfReader(faults_built / "faults.pdf").metadata["/Keywords"]


def test_byline_names_are_built_from_glossary_terms_where_the_whole_name_is_not_one():
    from translate.glossary import Glossary
    from translate.models import Term
    from translate.render.views import name_english

    glossary = Glossary.from_terms((Term(zh="深网", en="Shenwang"), Term(zh="腾讯新闻", en="Tencent News"),
                                    Term(zh="小满工作室", en="Xiaoman Studio")))
    assert name_english("深网·腾讯新闻小满工作室", glossary) == "Shenwang · Tencent News Xiaoman Studio"
    assert name_english("康晓", glossary) == "Kang Xiao"


def test_the_colophon_names_each_model_familys_licence():
    from translate.engines import model_licence

    assert "non-commercial" in model_licence("nllb/nllb-200-distilled-600M@1a2b3c4d")
    assert "CC-BY 4.0" in model_licence("opus-mt/opus-mt-zh-en@1a2b3c4d")
    assert "MIT" in model_licence("m2m100/m2m100_418M@1a2b3c4d")
    assert "Argos Translate package" in model_licence("translate-zh_en-1_9")
