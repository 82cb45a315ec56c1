"""A cloned edition's templates cannot run code: both renderers use Jinja2's immutable sandbox."""

from __future__ import annotations

import shutil

import pytest

from factories import sample_edition
from htmltools import REPO, make_settings as settings_for
from translate.errors import RenderError

ATTACK = "{{ cycler.__init__.__globals__.os.popen('echo PWNED > %s').read() }}"


def _project_templates(tmp_path, kind: str, name: str, attack: str):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / kind, templates / kind)
    page = templates / kind / name
    page.write_text(attack + page.read_text(encoding="utf-8"), encoding="utf-8")
    return templates


@pytest.mark.hostile("templates")
def test_an_html_template_cannot_reach_os(tmp_path):
    from translate.render.html import _environment, render_html

    marker = tmp_path / "pwned"
    templates = _project_templates(tmp_path, "html", "index.html", ATTACK % marker)
    _environment.cache_clear()
    settings = settings_for(tmp_path / "build", templates_dir=templates)
    with pytest.raises(RenderError, match=r"HTML template error: .*unsafe|access to attribute"):
        render_html(sample_edition(), settings)
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.hostile("templates")
def test_a_pdf_template_cannot_reach_os(tmp_path):
    from translate.render.pdf import render_pdf

    marker = tmp_path / "pwned"
    templates = _project_templates(tmp_path, "pdf", "front.html.j2", ATTACK % marker)
    settings = settings_for(tmp_path / "build", templates_dir=templates)
    with pytest.raises(RenderError, match=r"PDF template error: .*(unsafe|access to attribute)"):
        render_pdf(sample_edition(), settings)
    assert not marker.exists()
