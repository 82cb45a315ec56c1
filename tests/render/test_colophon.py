"""One colophon for every output: the facts are decided once (views.colophon), and each output credits the model's licence."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import replace

from factories import sample_edition
from htmltools import make_settings
from translate.engines import model_licence
from translate.render import views
from translate.render.epub import render_epub
from translate.render.html import render_html
from translate.render.pdf.printviews import colophon_view

MODEL = "opus-mt/opus-mt-zh-en@1a2b3c4d"


def machine_edition():
    """The sample edition as the machine translated it: every segment's English is the model's."""
    edition = sample_edition(engine="ct2")
    articles = tuple(replace(a, blocks=tuple(replace(b, segments=tuple(replace(s, origin="mt") for s in b.segments))
                                             for b in a.blocks)) for a in edition.articles)
    return replace(edition, articles=articles, model=MODEL)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_colophon_credits_the_models_licence_when_its_english_is_shown():
    credit = model_licence(MODEL)
    assert "CC-BY 4.0" in credit
    assert views.colophon(machine_edition()).model_licence == credit
    assert views.colophon(sample_edition()).model_licence == ""  # a gloss: no model's English is shown
    edition = machine_edition()
    assert views.colophon(edition) is views.colophon(edition)  # made once for the edition


def test_html_epub_and_pdf_colophons_all_credit_the_models_licence(tmp_path):
    edition = machine_edition()
    credit = model_licence(MODEL)
    settings = make_settings(tmp_path / "build")
    render_html(edition, settings)
    for page in ("index.html", "glossary.html", "report.html", "interview.html"):
        assert credit in _text((settings.build_dir / "html" / page).read_text(encoding="utf-8")), page
    for book in render_epub(edition, settings):
        with zipfile.ZipFile(book) as epub:
            assert credit in _text(epub.read("EPUB/colophon.xhtml").decode("utf-8")), book.name
    assert credit in colophon_view(edition, None)["licences"]
    assert credit in colophon_view(edition, None, edition.articles[0])["licences"]


def test_a_gloss_edition_credits_no_model(tmp_path):
    settings = make_settings(tmp_path / "build")
    render_html(sample_edition(), settings)
    assert "Translation model" not in (settings.build_dir / "html" / "index.html").read_text(encoding="utf-8")
