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
    from translate.render.pdf.edition import render_pdf

    marker = tmp_path / "pwned"
    templates = _project_templates(tmp_path, "pdf", "front.html.j2", ATTACK % marker)
    settings = settings_for(tmp_path / "build", templates_dir=templates)
    with pytest.raises(RenderError, match=r"PDF template error: .*(unsafe|access to attribute)"):
        render_pdf(sample_edition(), settings)
    assert not marker.exists()


SECRET = "ghp_Zx9Kq2Lw8Rt5Yv3Nm7Bc1Df4Gh6Jk0PqRsTu"


@pytest.mark.hostile("templates")
@pytest.mark.parametrize("target", ["credentials", "proc"])
def test_a_template_linked_out_of_its_folder_is_refused_and_prints_nothing(tmp_path, target):
    from translate.render.html import _environment, render_html

    credentials = tmp_path / ".git-credentials"
    credentials.write_text(f"https://alice:{SECRET}@github.com\n", encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "html", templates / "html")
    page = templates / "html" / "glossary.html"
    page.unlink()
    page.symlink_to(credentials if target == "credentials" else "/proc/self/environ")
    _environment.cache_clear()
    with pytest.raises(RenderError) as raised:
        render_html(sample_edition(), settings_for(tmp_path / "build", templates_dir=templates))
    assert "template glossary.html is a link out of its folder" in str(raised.value)
    assert SECRET not in str(raised.value)
    assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace")
                   for p in (tmp_path / "build").rglob("*") if p.is_file())


def test_a_template_linked_to_another_in_its_folder_is_rendered(tmp_path):
    from translate.render.html import _environment, render_html

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "html", templates / "html")
    (templates / "html" / "base.html").rename(templates / "html" / "shared-base.html")
    (templates / "html" / "base.html").symlink_to("shared-base.html")
    _environment.cache_clear()
    assert render_html(sample_edition(), settings_for(tmp_path / "build", templates_dir=templates))


@pytest.mark.hostile("templates")
def test_a_template_that_is_not_utf8_is_one_template_error(tmp_path):
    from translate.render.html import _environment, render_html

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "html", templates / "html")
    (templates / "html" / "index.html").write_bytes(b"<p>\xff\xfe caf\xe9</p>")
    _environment.cache_clear()
    with pytest.raises(RenderError, match="HTML template error: template index.html is not UTF-8; save it as UTF-8"):
        render_html(sample_edition(), settings_for(tmp_path / "build", templates_dir=templates))
