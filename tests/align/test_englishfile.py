"""Reading an article's English for ``bitext align``: text, Markdown, HTML and Word into paragraphs of sentences,
and files that are no English text refused with one line naming them."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from translate.align import englishfile
from translate.align.englishfile import read_english
from translate.errors import BitextError


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_plain_text_paragraphs_end_at_blank_lines(tmp_path):
    text = read_english(write(tmp_path / "a.txt", "The Title\n\nOne sentence. And a second\none, wrapped.\n\nLast.\n"))
    assert text.kind == "text"
    assert text.paragraphs == (("The Title",), ("One sentence.", "And a second one, wrapped."), ("Last.",))
    assert text.paragraph_of == [0, 1, 1, 2]


def test_plain_text_without_blank_lines_is_one_paragraph_a_line_and_its_marks_escaped(tmp_path):
    text = read_english(write(tmp_path / "a.txt", "First line. Still first.\nSecond *line* with 5_000_000.\n"))
    assert text.paragraphs == (("First line.", "Still first."), (r"Second \*line\* with 5\_000\_000.",))


def test_markdown_blocks_are_paragraphs_and_code_is_left_out(tmp_path):
    source = ("# The Title\n\nA **bold** claim. A [link](https://example.com/x).\n\n- An item.\n- Another item.\n\n"
              "| Head |\n|---|\n| A cell. |\n\n> Quoted words.\n\n![A caption.](pic.png)\n\n```\nprint('code.')\n```\n")
    text = read_english(write(tmp_path / "a.md", source))
    assert text.kind == "markdown"
    assert text.paragraphs == (("The Title",), ("A **bold** claim.", "A [link](https://example.com/x)."),
                               ("An item.",), ("Another item.",), ("Head",), ("A cell.",), ("Quoted words.",),
                               ("A caption.",))


PAGE = """<!DOCTYPE html><html><head><title>Battery plant | Example News</title>
<meta property="og:title" content="New battery factory opens in Beijing"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<div class="share">Share on Facebook Share on Twitter</div>
<article><h1>New battery factory opens in Beijing</h1>
<p>The conference was held in Beijing in 2019. Three companies announced a partnership to develop a new battery.</p>
<p>The factory will employ two thousand workers. Tesla and CATL both sent representatives to the opening.</p>
<p>The project's total investment is 5 billion yuan, and production is expected to start in 2025.</p>
</article>
<footer><p>Copyright 2024 Example News. All rights reserved. Subscribe to our newsletter.</p></footer>
</body></html>"""


def test_a_web_page_gives_its_article_without_the_chrome(tmp_path):
    text = read_english(write(tmp_path / "page.html", PAGE))
    assert text.kind == "html"
    assert text.paragraphs[0] == ("New battery factory opens in Beijing",)
    sentences = text.sentences
    assert "The factory will employ two thousand workers." in sentences
    for chrome in ("Home", "Share", "Copyright", "Subscribe"):
        assert not any(chrome in s for s in sentences), chrome


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for style, words in paragraphs:
        document.add_paragraph(words, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_gives_its_paragraphs(tmp_path):
    data = _docx([("Title", "New battery factory opens in Beijing"),
                  ("Normal", "The conference was held in Beijing in 2019. Three companies announced it."),
                  ("List Bullet", "An item of a list.")])
    text = read_english(write(tmp_path / "english.docx", data))
    assert text.kind == "docx"
    assert text.paragraphs == (("New battery factory opens in Beijing",),
                               ("The conference was held in Beijing in 2019.", "Three companies announced it."),
                               ("An item of a list.",))


@pytest.mark.hostile("corpus")
@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", "", "is empty; give the article's English"),
    ("blank.txt", " \n\n \t\n", "is empty; give the article's English"),
    ("binary.txt", b"Some words.\n\x00\x01\x02\x03", "2: is binary (a NUL byte), not an English text"),
    ("latin1.txt", "Caf\xe9 society.\n".encode("latin-1"), "1: is not UTF-8 (byte 0xe9); save it as UTF-8"),
    ("numbers.txt", "\u4e00\u4e8c\u4e09。\n", "holds no English sentences"),
    ("fake.docx", b"PK\x03\x04 not a zip at all", "not a Word file"),
    ("doc.pdf", b"%PDF-1.7\n...", "is a PDF, which is not read here"),
])
def test_a_file_that_is_no_english_text_is_one_line_naming_it(tmp_path, name, content, message):
    path = write(tmp_path / name, content)
    with pytest.raises(BitextError) as caught:
        read_english(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:") and message in text and "\n" not in text


@pytest.mark.hostile("corpus")
def test_a_file_over_50_mb_is_refused_unread(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 50 MB and a byte, without writing them
        handle.truncate(englishfile.MAX_BYTES + 1)
    from translate import inputs

    def refuse(path, *args, **kwargs):
        raise AssertionError("the huge file was read")

    monkeypatch.setattr(inputs, "read_input", refuse)
    with pytest.raises(BitextError) as caught:
        read_english(huge)
    assert str(caught.value) == f"{huge}: is {englishfile.MAX_BYTES + 1:,} bytes; an English file may have at most 50 MB"


@pytest.mark.hostile("corpus")
def test_a_link_into_proc_a_fifo_and_a_folder_are_refused(tmp_path):
    link = tmp_path / "environ.txt"
    link.symlink_to("/proc/self/environ")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (link, fifo, tmp_path, tmp_path / "missing.txt"):
        with pytest.raises(BitextError) as caught:
            read_english(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    assert "/proc" in str(pytest.raises(BitextError, read_english, link).value)


@pytest.mark.hostile("corpus")
def test_control_characters_do_not_reach_the_sentences(tmp_path):
    text = read_english(write(tmp_path / "a.txt", "A \x1b]0;owned\x07title.\n\nSecond\u202e line.\n"))
    assert all(c.isprintable() for s in text.sentences for c in s)
