"""A one-off build keeps and analyses nothing for reuse; a process that starts keeping later reuses only what is current.

:meth:`translate.render.reuse.Renders.begin` skips the template analysis when
:func:`translate.rebuild.keeping_pieces` is off (no next render could reuse a page). Pages
rendered then must never be taken by a later render once the process keeps pieces
(``bitext serve`` turns it on): every render is checked against a fresh one.
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
    def fresh() -> None:
        monkeypatch.setattr(html, "_PAGES", html._Pages())
        monkeypatch.setattr(html, "_SENTENCES", {})
        monkeypatch.setattr(html, "_ROWS", {})
        monkeypatch.setattr(html, "_WRITTEN", {})
        monkeypatch.setattr(html, "_GLOSSARY_ROWS", reuse.Renders())
        monkeypatch.setattr(views, "_SHOWN", {})
        monkeypatch.setattr(views, "_FIGURES", {})
        monkeypatch.setattr(reuse, "_READS", {})

    fresh()
    return fresh


def _render(edition, build_dir: Path) -> dict[str, bytes]:
    settings = make_settings(build_dir)
    html.render_html(edition, settings)
    return {p.name: p.read_bytes() for p in sorted((settings.build_dir / "html").iterdir())}


def _retitled(edition, title: str):
    first = edition.articles[0]
    return replace(edition, articles=(replace(first, title_en=title), *edition.articles[1:]))


def test_a_one_off_render_analyses_and_keeps_nothing_then_keeping_reuses_only_current_pages(
        tmp_path, fresh_caches, monkeypatch):
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [False])  # a one-off build
    edition = sample_edition()
    one_off = _render(edition, tmp_path / "live")
    # Only the glossary page is read (whether it lays out ``rows``): no page's reads for reuse.
    assert {name for _, name in reuse._READS} == {"glossary.html"}, reuse._READS.keys()
    assert html._PAGES.renders._pages == {} and html._GLOSSARY_ROWS._pages == {}

    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [True])  # the process now builds again and again
    edited = _retitled(edition, "A title of this render")
    kept_then = _render(edited, tmp_path / "live")
    assert html._PAGES.renders._pages, "keeping pieces, the pages are kept for the next render"
    again = _retitled(edited, "Another title")
    live = _render(again, tmp_path / "live")

    fresh_caches()
    assert live == _render(again, tmp_path / "fresh-again")
    fresh_caches()
    assert kept_then == _render(edited, tmp_path / "fresh-edited")
    page = html.article_file(edition.articles[0].slug)
    assert b"Another title" in live[page] and b"A title of this render" in kept_then[page]
    assert one_off[page] != live[page]


def test_one_off_renders_in_a_row_each_show_their_own_edition(tmp_path, fresh_caches, monkeypatch):
    monkeypatch.setattr(rebuild, "_KEEP_PIECES", [False])
    edition = sample_edition()
    _render(edition, tmp_path / "live")
    edited = _retitled(edition, "Renamed once")
    live = _render(edited, tmp_path / "live")
    fresh_caches()
    assert live == _render(edited, tmp_path / "fresh")
