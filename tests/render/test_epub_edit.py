"""Rebuilding the EPUBs after an edit in the same process: the books whose members are unchanged are not
zipped again (nor rewritten), and a changed one is exactly the book a fresh process writes."""

from __future__ import annotations

from dataclasses import replace

from factories import sample_edition
from htmltools import make_settings
from translate.render import epub
from translate.render.epub import BOOK, render_epub


def _stamps(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.epub")}


def test_an_edit_to_one_article_zips_and_writes_only_its_books_and_they_match_a_fresh_build(tmp_path, monkeypatch):
    settings = replace(make_settings(tmp_path / "build"), epub_embed_font=False)
    edition = sample_edition()
    render_epub(edition, settings)
    folder = settings.build_dir / "epub"
    before = _stamps(folder)
    zipped = []
    real = epub.epub_bytes
    monkeypatch.setattr(epub, "epub_bytes", lambda members: zipped.append(members["EPUB/package.opf"]) or real(members))
    first, second = edition.articles
    edited = replace(edition, articles=(first, replace(second, title_en="An essay, edited")))
    render_epub(edited, settings)
    after = _stamps(folder)
    assert len(zipped) == 2  # the edition and the edited article's offprint; the other offprint taken as zipped
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {BOOK, f"{second.slug}.epub"}
    kept = {name: (folder / name).read_bytes() for name in after}
    epub._ZIPPED.clear()  # as a fresh process: every book zipped from its members
    for path in folder.glob("*.epub"):
        path.unlink()
    render_epub(edited, settings)
    assert {name: (folder / name).read_bytes() for name in after} == kept
    assert "An essay, edited" in _text(folder / BOOK) and "An essay, edited" in _text(folder / f"{second.slug}.epub")
    assert "An essay, edited" not in _text(folder / f"{first.slug}.epub")


def _text(book) -> str:
    import zipfile

    with zipfile.ZipFile(book) as z:
        return "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist() if name.endswith(".xhtml"))


def test_the_same_path_with_other_members_is_zipped_again(tmp_path):
    path = tmp_path / "book.epub"
    one = epub._zipped(path, {"EPUB/a.xhtml": b"one"})
    two = epub._zipped(path, {"EPUB/a.xhtml": b"two"})
    renamed = epub._zipped(path, {"EPUB/b.xhtml": b"two"})
    assert len({one, two, renamed}) == 3
    assert two == epub.epub_bytes({"EPUB/a.xhtml": b"two"})
    assert epub._zipped(path, {"EPUB/a.xhtml": b"two"}) == two
