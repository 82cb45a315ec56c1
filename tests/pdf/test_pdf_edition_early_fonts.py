"""A cold PDF edition sets each part as soon as its HTML is made (issue 33), with CJK faces cut from the characters
known before the articles' views are made. A view may print one those lack (the credits' labels 作者, 编辑 are
the views' own words): the part that prints it is set with faces cut again for every character, the others with
the first cut, and the book is whole."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from factories import sample_edition
from translate.render.fonts import missing_glyphs
from translate.render.pdf import edition as pdf_edition
from translate.render.pdf import workers as pdf_workers
from translate.render.pdf.edition import BOOK, FONTS, known_chars, plan_pdfs, render_pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def make_settings(build_dir: Path, **changes) -> Settings:
    return replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=build_dir, jobs=2), **changes)


def test_the_known_characters_hold_the_editions_and_the_templates_but_not_every_views(tmp_path):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build")
    plan = plan_pdfs(edition, settings)
    known = set(known_chars(edition, plan.fonts, pdf_edition._template_env(settings)))
    assert set(edition.title) <= known and set(edition.articles[0].blocks[0].block.text) <= known
    assert "文" in known  # glossary.html.j2's own heading, not any article's
    assert set(plan.chars) - known == set("作编辑")  # the credits' labels: the views' words


def test_made_parts_go_to_the_workers_at_once_in_order_glossary_longest_colophon(tmp_path):
    made = []
    plan = plan_pdfs(sample_edition(), make_settings(tmp_path / "build"), ready=lambda job, digest: made.append(
        (job.name, digest)))
    assert [name for name, _ in made] == ["_glossary.pdf", "interview.pdf", "essay.pdf", "back.pdf"]
    assert dict(made) == {job.name: plan.digests[job.name] for job in plan.parts}
    assert [job.name for job in plan.parts] == ["interview.pdf", "essay.pdf", "_glossary.pdf", "back.pdf"]  # the book's order


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_part_printing_a_character_the_first_cut_lacks_is_set_with_faces_cut_again(tmp_path, monkeypatch):
    sent = {}
    submit = pdf_workers.Workers.submit
    monkeypatch.setattr(pdf_workers.Workers, "submit", lambda self, job: sent.setdefault(job.name, job) and submit(self, job))
    settings = make_settings(tmp_path / "build")
    render_pdf(sample_edition(), settings)
    fonts = settings.build_dir / "pdf" / FONTS
    first, = (path for path in fonts.glob("*.otf") if "-80-" in path.name)
    again, = (path for path in (fonts / "more").glob("*.otf") if "-80-" in path.name)
    assert missing_glyphs("作编辑", first) == "作编辑" and missing_glyphs("作编辑", again) == ""
    assert again.resolve().as_uri() in sent["interview.pdf"].css  # it prints 编辑
    assert first.resolve().as_uri() in sent["essay.pdf"].css and first.resolve().as_uri() in sent["back.pdf"].css
    text = subprocess.run(["pdftotext", str(settings.build_dir / "pdf" / BOOK), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "编辑" in text


def test_the_folios_are_counted_from_the_edition_generously_and_alike_for_alike():
    edition = sample_edition()
    settings = make_settings(Path("build"))
    count = pdf_edition._pages_at_most(edition, settings)
    assert count == pdf_edition._pages_at_most(replace(edition, articles=edition.articles[::-1]), settings)
    assert pdf_edition._pages_at_most(edition, replace(settings, page_size="A5")) > 1.8 * count
    assert pdf_edition._pages_at_most(replace(edition, articles=edition.articles * 2), settings) > count
