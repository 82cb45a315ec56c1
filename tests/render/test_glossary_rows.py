"""The glossary page in a long-lived process: a term edit renders again only the entries it changed,
and the page is byte for byte a fresh render's."""

from __future__ import annotations

from dataclasses import replace

from htmltools import make_settings
from factories import sample_edition
from translate.render import html


def _render(edition, build_dir) -> bytes:
    html.render_html(edition, make_settings(build_dir))
    return (build_dir / "html" / "glossary.html").read_bytes()


def _fresh(edition, build_dir, monkeypatch) -> bytes:
    """The page as a process that never rendered before writes it (no rows or pages kept)."""
    with monkeypatch.context() as patch:
        patch.setattr(html, "_GLOSSARY_ROWS", html.reuse.Renders())
        patch.setattr(html, "_PAGES", html._Pages())
        return _render(edition, build_dir)


def test_a_term_edit_renders_again_only_its_glossary_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "_GLOSSARY_ROWS", html.reuse.Renders())
    monkeypatch.setattr(html, "_PAGES", html._Pages())
    rendered: list[str] = []
    original = html.reuse.Renders.rendered

    def counting(self, file, inputs, render):
        def render_counted():
            rendered.append(file)
            return render()
        return original(self, file, inputs, render_counted)

    monkeypatch.setattr(html.reuse.Renders, "rendered", counting)
    edition = sample_edition()
    first = _render(edition, tmp_path / "a")
    anchors = [f"term-{n}" for n in range(1, len(edition.terms) + 1)]
    assert sorted(f for f in rendered if f.startswith("term-")) == anchors

    # The same edition again: no entry rendered, the same page.
    rendered.clear()
    assert _render(edition, tmp_path / "a") == first
    assert [f for f in rendered if f.startswith("term-")] == []

    # One term's English and note edited: its entry alone rendered again; the page a fresh render's.
    edited_term = replace(edition.terms[2], en="Langboat Technology", note="A <edited> note")
    edited = replace(edition, terms=(*edition.terms[:2], edited_term, *edition.terms[3:]))
    rendered.clear()
    after = _render(edited, tmp_path / "a")
    assert [f for f in rendered if f.startswith("term-")] == ["term-3"]
    assert after != first and b"Langboat Technology" in after and b"A &lt;edited&gt; note" in after
    assert after == _fresh(edited, tmp_path / "b", monkeypatch)


def test_an_edited_entry_template_is_used_at_once(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(html, "_GLOSSARY_ROWS", html.reuse.Renders())
    templates = tmp_path / "templates"
    shutil.copytree(html.DEFAULT_TEMPLATES, templates / "html")
    settings = make_settings(tmp_path / "build", templates_dir=templates)
    edition = sample_edition()
    html.render_html(edition, settings)
    row = templates / "html" / "glossary_entry.html"
    row.write_text(row.read_text(encoding="utf-8").replace('class="entry"', 'class="entry edited"'), encoding="utf-8")
    html.render_html(edition, settings)
    page = (tmp_path / "build" / "html" / "glossary.html").read_text(encoding="utf-8")
    assert page.count('class="entry edited"') == len(edition.terms)


def test_an_older_glossary_template_looping_over_entries_gives_the_same_page(tmp_path, monkeypatch):
    """A publisher's copy of ``glossary.html`` from before the rows: the entry markup inline, looped over
    ``entries``; the page is the default templates' byte for byte."""
    monkeypatch.setattr(html, "_GLOSSARY_ROWS", html.reuse.Renders())
    edition = sample_edition()
    default = _render(edition, tmp_path / "default")
    templates = tmp_path / "templates" / "html"
    templates.mkdir(parents=True)
    entry = (html.DEFAULT_TEMPLATES / "glossary_entry.html").read_text(encoding="utf-8")
    entry = entry[entry.index("#}\n") + 3:]  # the row template's own comment line
    page = (html.DEFAULT_TEMPLATES / "glossary.html").read_text(encoding="utf-8")
    loop = "{% for row in rows %}{{ row }}{% endfor %}\n"
    assert loop in page
    (templates / "glossary.html").write_text(
        page.replace(loop, "{% for entry in entries %}\n" + entry + "{% endfor %}\n"), encoding="utf-8")
    html.render_html(edition, make_settings(tmp_path / "older", templates_dir=tmp_path / "templates"))
    assert (tmp_path / "older" / "html" / "glossary.html").read_bytes() == default
