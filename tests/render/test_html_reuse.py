"""A render in a long-lived process (``bitext serve``) reuses the pages made from equal inputs, and only those.

Every test renders an edition, changes something, renders again in the same
process, and checks the bytes against a fresh render (the caches emptied): the
pages that show the change must be new, and the others the same bytes as a
fresh render would write.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from factories import sample_edition
from htmltools import make_settings
from translate import rebuild
from translate.render import html, reuse, views


@pytest.fixture
def fresh_caches(monkeypatch):
    """Empty caches now; ``fresh()`` empties them again (a new process)."""

    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])  # a long-lived process (bitext serve)

    def fresh() -> None:
        monkeypatch.setattr(html, "_PAGES", html._Pages())
        monkeypatch.setattr(html, "_SENTENCES", {})
        monkeypatch.setattr(html, "_ROWS", {})
        monkeypatch.setattr(html, "_WRITTEN", {})
        monkeypatch.setattr(views, "_SHOWN", {})
        monkeypatch.setattr(views, "_FIGURES", {})
        monkeypatch.setattr(reuse, "_READS", {})

    fresh()
    return fresh


@pytest.fixture
def counted(monkeypatch):
    """The article pages each render sets with the template (by file name), as a list per render."""
    rendered: list[str] = []
    original = reuse.Renders.rendered

    def rendered_counting(self, file, inputs, render):
        def counting():
            if file.endswith(".html"):  # a page, not a glossary entry (keyed by its anchor)
                rendered.append(file)
            return render()

        return original(self, file, inputs, counting)

    monkeypatch.setattr(reuse.Renders, "rendered", rendered_counting)
    return rendered


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _render(edition, build_dir: Path, **changes) -> dict[str, bytes]:
    settings = make_settings(build_dir, **changes)
    html.render_html(edition, settings)
    return _files(settings.build_dir / "html")


def _with_term_english(edition, zh: str, old: str, new: str):
    """The edition after a glossary edit: the term's English and every sentence that shows it."""
    terms = tuple(replace(t, en=new) if t.zh == zh else t for t in edition.terms)

    def segment(s):
        return replace(s, en=s.en.replace(old, new)) if any(u.zh == zh for u in s.terms) else s

    articles = tuple(replace(a, blocks=tuple(replace(b, segments=tuple(segment(s) for s in b.segments))
                                             for b in a.blocks))
                     for a in edition.articles)
    return replace(edition, terms=terms, articles=articles)


def _showing(edition, zh: str) -> set[str]:
    return {html.article_file(a.slug) for a in edition.articles if any(u.zh == zh for s in a.segments for u in s.terms)}


def _larger(edition, copies: int = 3):
    """The sample's articles ``copies`` times, each copy under its own slug (the first keep theirs)."""
    articles = tuple(a if n == 0 else replace(a, article=replace(a.article, slug=f"{a.slug}-{n}"))
                     for n in range(copies) for a in edition.articles)
    return replace(edition, articles=articles)


def test_a_term_edit_rewrites_every_page_that_shows_it_and_sets_only_those_again(tmp_path, fresh_caches, counted):
    edition = _larger(sample_edition())
    zh = "大模型"
    assert any("large model" in s.en for a in edition.articles for s in a.segments)
    _render(edition, tmp_path / "live")
    first = list(counted)
    assert len(first) == len(edition.articles)

    edited = _with_term_english(edition, zh, "large model", "big model")
    counted.clear()
    again = _render(edited, tmp_path / "live")
    set_again = list(counted)
    fresh_caches()
    fresh = _render(edited, tmp_path / "fresh")
    assert again == fresh
    showing = _showing(edited, zh)
    assert showing and len(showing) < len(edition.articles)
    assert sorted(set_again) == sorted(showing)
    for page in showing:
        assert b"big model" in again[page]


def test_an_unchanged_edition_sets_no_article_page_again(tmp_path, fresh_caches, counted):
    edition = sample_edition()
    first = _render(edition, tmp_path / "live")
    counted.clear()
    # Equal, not the same objects: a new build gathers the edition anew.
    again = _render(replace(edition, articles=tuple(replace(a) for a in edition.articles)), tmp_path / "live")
    assert counted == [] and again == first


def test_a_neighbour_s_new_title_sets_the_pages_that_link_to_it_again(tmp_path, fresh_caches, counted):
    edition = _larger(sample_edition())
    _render(edition, tmp_path / "live")
    middle = edition.articles[1]
    retitled = replace(edition, articles=(edition.articles[0], replace(middle, title_en="A new title"),
                                          *edition.articles[2:]))
    counted.clear()
    again = _render(retitled, tmp_path / "live")
    set_again = list(counted)
    fresh_caches()
    assert again == _render(retitled, tmp_path / "fresh")
    neighbours = {html.article_file(a.slug) for a in retitled.articles[:3]}
    assert sorted(set_again) == sorted(neighbours)  # the page itself and the two whose pager names it
    assert b"A new title" in again[html.article_file(edition.articles[0].slug)]


def test_an_edited_template_sets_every_page_again(tmp_path, fresh_caches, counted):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(Path(html.__file__).resolve().parents[2] / "templates", templates)
    edition = sample_edition()
    _render(edition, tmp_path / "live", templates_dir=templates)
    article = templates / "html" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>edited template</p></article>", 1),
                       encoding="utf-8")
    counted.clear()
    again = _render(edition, tmp_path / "live", templates_dir=templates)
    assert len(counted) == len(edition.articles)
    assert all(b"edited template" in again[html.article_file(a.slug)] for a in edition.articles)


def test_a_new_term_rate_sets_no_other_page_again(tmp_path, fresh_caches, counted):
    """Every page's footer reads one line of the edition's colophon (compared by the attributes read), not its
    term rate, which any term edit may move: the other pages are not set again, and all are a fresh render's."""
    edition = _larger(sample_edition())
    _render(edition, tmp_path / "live")
    first = edition.articles[0]
    segment = next(s for s in first.segments if any(u.honoured for u in s.terms))

    def missed(s):
        return replace(s, terms=tuple(replace(u, honoured=False) for u in s.terms)) if s is segment else s

    changed = replace(first, blocks=tuple(replace(b, segments=tuple(missed(s) for s in b.segments))
                                          for b in first.blocks))
    edited = replace(edition, articles=(changed, *edition.articles[1:]))
    assert views.colophon(edited).term_rate != views.colophon(edition).term_rate
    assert views.colophon(edited).model_licence == views.colophon(edition).model_licence
    counted.clear()
    again = _render(edited, tmp_path / "live")
    assert set(counted) <= {html.article_file(first.slug)}  # that page at most (it may show no honour flag)
    fresh_caches()
    assert again == _render(edited, tmp_path / "fresh")


def test_a_template_that_reads_the_whole_edition_is_compared_whole(tmp_path, fresh_caches, counted):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(Path(html.__file__).resolve().parents[2] / "templates", templates)
    article = templates / "html" / "article.html"
    # A table of contents on every page: every page shows every article's title.
    article.write_text(article.read_text(encoding="utf-8").replace(
        "</article>", "<ol>{% for a in edition.articles %}<li>{{ a.title_en }}</li>{% endfor %}</ol></article>", 1),
        encoding="utf-8")
    edition = sample_edition()
    _render(edition, tmp_path / "live", templates_dir=templates)
    last = edition.articles[-1]
    retitled = replace(edition, articles=(*edition.articles[:-1], replace(last, title_en="Quite another title")))
    counted.clear()
    again = _render(retitled, tmp_path / "live", templates_dir=templates)
    assert len(counted) == len(edition.articles)
    assert all(b"Quite another title" in again[html.article_file(a.slug)] for a in edition.articles)


def test_what_a_template_reads_is_found_in_it_and_in_the_templates_it_extends():
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader({
        "base.html": "{{ edition.title }}{% block body %}{% endblock %}{{ csp }}",
        "page.html": '{% extends "base.html" %}{% block body %}{% if next %}{{ next.file }}{% endif %}'
                     "{{ previous | length }}{% endblock %}",
        "dynamic.html": "{% include name %}",
    }))
    reads = reuse.template_reads(env, "page.html")
    assert {"edition", "csp", "next", "previous"} <= reads.names
    assert reads.attributes["edition"] == {"title"} and reads.attributes["next"] == {"file"}
    assert "previous" not in reads.attributes  # filtered whole: compared whole
    assert reuse.template_reads(env, "dynamic.html") is None


def test_a_term_edit_makes_again_only_the_sentences_that_hold_it_and_the_pages_are_a_fresh_render_s(
        tmp_path, fresh_caches, monkeypatch):
    made: list[tuple[str, str]] = []
    for side in ("_zh_segment", "_en_segment"):
        original = getattr(html, side)

        def counting(gather, slug, view, *args, original=original):
            made.append((slug, view.segment.id))
            return original(gather, slug, view, *args)

        monkeypatch.setattr(html, side, counting)
    edition = _larger(sample_edition())
    _render(edition, tmp_path / "live")
    edited = _with_term_english(edition, "大模型", "large model", "big model")
    made.clear()
    again = _render(edited, tmp_path / "live")
    remade = set(made)
    fresh_caches()
    assert again == _render(edited, tmp_path / "fresh")
    changed = {(a.slug, s.id) for old, a in zip(edition.articles, edited.articles)
               for s, was in zip(a.segments, old.segments) if s != was}
    # The sentences whose English changed are made again; of the others, only those of pages with notes (a note's
    # link depends on the sentences before it), which are made again whole.
    noted = {a.slug for a in edited.articles if views.article_model(edited, a).notes}
    assert changed and remade >= changed
    assert {slug for slug, _ in remade - changed} <= noted
    touched = {a.slug for a in edited.articles if any((a.slug, s.id) in changed for s in a.segments)} - noted
    kept = {(a.slug, s.id) for a in edited.articles if a.slug in touched for s in a.segments} - changed
    assert kept and not kept & remade  # a page made again, most of its sentences not


def test_a_byline_name_s_new_glossary_english_is_shown_and_other_bylines_are_kept(tmp_path, fresh_caches, counted):
    edition = _larger(sample_edition())
    named = next(a for a in edition.articles if a.article.meta.authors)
    author = named.article.meta.authors[0]
    entry = replace(edition.terms[0], zh=author, en="Author Glossary Name", variants=(), alternates=())
    with_entry = replace(edition, terms=(*edition.terms, entry))
    first = _render(with_entry, tmp_path / "live")
    assert b"Author Glossary Name" in first[html.article_file(named.slug)]
    renamed = replace(with_entry, terms=(*edition.terms, replace(entry, en="Another Name")))
    counted.clear()
    again = _render(renamed, tmp_path / "live")
    set_again = set(counted)
    fresh_caches()
    assert again == _render(renamed, tmp_path / "fresh")
    by = {html.article_file(a.slug) for a in renamed.articles if author in a.article.meta.authors}
    assert html.article_file(named.slug) in set_again and set_again == by
    assert b"Another Name" in again[html.article_file(named.slug)]


def test_a_term_edit_sets_again_only_the_rows_that_show_it(tmp_path, fresh_caches, counted, monkeypatch):
    edition = _larger(sample_edition())
    settings = make_settings(tmp_path / "live")
    template = html._environment(settings.templates_dir).get_template("article_row.html")
    rows: list[str] = []
    original = template.render

    def counting(*args, **kwargs):
        rows.append(kwargs["row"].id)
        return original(*args, **kwargs)

    monkeypatch.setattr(template, "render", counting)
    _render(edition, tmp_path / "live")
    edited = _with_term_english(edition, "大模型", "large model", "big model")
    rows.clear()
    counted.clear()
    again = _render(edited, tmp_path / "live")
    set_rows, set_pages = list(rows), list(counted)
    fresh_caches()
    assert again == _render(edited, tmp_path / "fresh")
    # The pages that show the term are set again, and of their rows only those whose sentences show it.
    changed_blocks = {b.block.id for old, a in zip(edition.articles, edited.articles) if a != old
                      for b, was in zip(a.blocks, old.blocks) if b != was}
    set_again = [a for a in edited.articles if html.article_file(a.slug) in set_pages]
    assert set_again and set_rows and set(set_rows) <= changed_blocks
    assert len(set_rows) < sum(len(a.blocks) for a in set_again) / 3
