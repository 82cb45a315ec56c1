"""The glossary is a part of its own (issue 33): it needs only the glossary and the settings, so a build sets it
while the articles are translated (``prepare``). The part is the same whether set ahead or with the others; an
edition whose own back.html.j2 still prints the glossary keeps one back matter part, as before."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from factories import sample_edition
from translate.render.pdf import edition as pdf_edition
from translate.render.pdf import workers as pdf_workers
from translate.render.pdf.edition import BACK, BOOK, GLOSSARY, PARTS, plan_pdfs, prepare, start_pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def make_settings(build_dir: Path, edition, **changes) -> Settings:
    return replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=build_dir, jobs=2,
                            title=edition.title, subtitle=edition.subtitle, script=edition.script), **changes)


def glossary_of(edition):
    return SimpleNamespace(terms=edition.terms, version=edition.glossary_version)


def own_back_template(root: Path) -> Path:
    """An edition's templates folder whose back.html.j2 is the old one: glossary and colophon."""
    folder = root / "templates" / "pdf"
    folder.mkdir(parents=True)
    glossary = (REPO / "templates" / "pdf" / "glossary.html.j2").read_text(encoding="utf-8")
    section = glossary[glossary.index('<section class="glossary"'):glossary.index("</section>") + len("</section>")]
    back = (REPO / "templates" / "pdf" / "back.html.j2").read_text(encoding="utf-8")
    (folder / "back.html.j2").write_text(back.replace('{% set c = colophon %}', section + '\n{% set c = colophon %}'),
                                         encoding="utf-8")
    return root / "templates"


def test_the_glossary_is_a_part_of_its_own_made_from_the_glossary_alone(tmp_path):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build", edition)
    plan = plan_pdfs(edition, settings)
    assert plan.back == (GLOSSARY, BACK)
    glossary, back = (job for job in plan.parts if job.name in plan.back)
    assert 'id="glossary"' in glossary.html and 'id="colophon"' not in glossary.html
    assert 'id="colophon"' in back.html and 'id="glossary"' not in back.html
    # Another edition with the same glossary and settings (other articles, another engine): the same part.
    other = replace(edition, articles=edition.articles[:1], engine="argos", model="m", build_date="2020-01-01")
    again = plan_pdfs(other, settings)
    assert again.digests[GLOSSARY] == plan.digests[GLOSSARY] and again.digests[BACK] != plan.digests[BACK]
    # ...but a changed term is a changed part.
    edited = replace(edition, terms=(replace(edition.terms[0], en=edition.terms[0].en + " (ed.)"), *edition.terms[1:]))
    assert plan_pdfs(edited, settings).digests[GLOSSARY] != plan.digests[GLOSSARY]


def test_an_editions_own_back_template_that_prints_the_glossary_keeps_one_back_part(tmp_path):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build", edition, templates_dir=own_back_template(tmp_path))
    plan = plan_pdfs(edition, settings)
    assert plan.back == (BACK,)
    back, = (job for job in plan.parts if job.name == BACK)
    assert back.html.count('id="glossary"') == 1 and 'id="colophon"' in back.html
    assert set(back.anchors) == {"glossary", "colophon"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_book_with_one_back_part_is_whole(tmp_path):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build", edition, templates_dir=own_back_template(tmp_path))
    with pdf_workers.Workers(2) as workers:
        assert prepare(glossary_of(edition), settings, workers=workers).result(timeout=60) is None
        start_pdf(edition, settings, workers=workers).finish()
    assert not (settings.build_dir / "pdf" / PARTS / GLOSSARY).exists()
    text = subprocess.run(["pdftotext", str(settings.build_dir / "pdf" / BOOK), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("Glossary · 术语表") == 2 and text.index("Glossary") < text.index("Colophon")  # contents, page


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The names of the jobs the workers are given, in order."""
    names: list[str] = []
    submit = pdf_workers.Workers.submit
    monkeypatch.setattr(pdf_workers.Workers, "submit", lambda self, job: names.append(job.name) or submit(self, job))
    return names


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_glossary_set_ahead_is_taken_by_the_plan_and_is_the_part_set_without_it(tmp_path, sent):
    edition = sample_edition()

    plain = make_settings(tmp_path / "plain", edition)
    start_pdf(edition, plain).finish()
    assert sent.count(GLOSSARY) == 1

    sent.clear()
    ahead = make_settings(tmp_path / "ahead", edition)
    with pdf_workers.Workers(2) as workers:
        prepared = prepare(glossary_of(edition), ahead, workers=workers)
        assert prepared.result(timeout=60) is not None and sent == [GLOSSARY]
        start_pdf(edition, ahead, workers=workers, prepared=prepared).finish()
    assert sent.count(GLOSSARY) == 1  # not set again by the plan
    for name in (GLOSSARY, BACK):
        parts = [settings.build_dir / "pdf" / PARTS / name for settings in (ahead, plain)]
        assert parts[0].read_bytes() == parts[1].read_bytes()
    text = subprocess.run(["pdftotext", str(ahead.build_dir / "pdf" / BOOK), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.index("Glossary") < text.index("Colophon")
    assert text == subprocess.run(["pdftotext", str(plain.build_dir / "pdf" / BOOK), "-"], capture_output=True,
                                  text=True, check=True).stdout

    # The next build finds the part current: nothing is set ahead.
    sent.clear()
    with pdf_workers.Workers(2) as workers:
        assert prepare(glossary_of(edition), ahead, workers=workers).result(timeout=60) is None
    assert sent == []


@pytest.mark.slow
def test_a_glossary_set_ahead_from_another_glossary_is_dropped(tmp_path, sent):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build", edition)
    stale = SimpleNamespace(terms=edition.terms[1:], version="old")
    with pdf_workers.Workers(2) as workers:
        prepared = prepare(stale, settings, workers=workers)
        start_pdf(edition, settings, workers=workers, prepared=prepared).finish()
    assert sent.count(GLOSSARY) == 2  # the plan's own glossary was set: the one set ahead is not the edition's
    plan = plan_pdfs(edition, settings)
    hashes = json.loads((settings.build_dir / "pdf" / pdf_edition.HASHES).read_text(encoding="utf-8"))
    assert hashes[GLOSSARY] == plan.digests[GLOSSARY]


def test_without_workers_of_this_process_nothing_is_prepared(tmp_path):
    edition = sample_edition()
    settings = make_settings(tmp_path / "build", edition)
    assert prepare(glossary_of(edition), settings, workers=None) is None
    assert prepare(glossary_of(edition), settings, workers=object()) is None  # e.g. a cluster's
