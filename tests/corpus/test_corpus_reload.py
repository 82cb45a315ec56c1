"""Reading the corpus again in one process (``bitext serve``): an unchanged file is not parsed again, a changed one is."""

from __future__ import annotations

from translate.corpus import load_article, load_corpus
from translate.corpus import article as article_module
from translate.errors import CorpusError

import pytest

ARTICLE = """---
title: 测试
source_file: 001_x.txt
script: simplified
---

第一段。

第二段。
"""


def _corpus(tmp_path, *slugs):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for slug in slugs:
        (folder / f"{slug}.md").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_an_unchanged_file_gives_the_article_read_last_time_and_a_changed_one_is_read_again(tmp_path):
    folder = _corpus(tmp_path, "one", "two")
    first = {a.slug: a for a in load_corpus(folder)}
    again = {a.slug: a for a in load_corpus(folder)}
    assert again["one"] is first["one"] and again["two"] is first["two"]

    (folder / "two.md").write_text(ARTICLE.replace("第二段。", "第二段改了。"), encoding="utf-8")
    edited = {a.slug: a for a in load_corpus(folder)}
    assert edited["one"] is first["one"]
    assert edited["two"] is not first["two"]
    assert [b.text for b in edited["two"].blocks] == ["第一段。", "第二段改了。"]


def test_an_error_is_raised_again_and_a_removed_article_is_forgotten(tmp_path):
    folder = _corpus(tmp_path, "one", "two")
    load_corpus(folder)
    (folder / "two.md").write_text("no front matter\n", encoding="utf-8")
    for _ in range(2):  # a broken file is never served from what it held before
        with pytest.raises(CorpusError, match="two.md"):
            load_article(folder / "two.md")
    (folder / "two.md").unlink()
    assert [a.slug for a in load_corpus(folder)] == ["one"]
    assert str(folder / "two.md") not in article_module._LOADED
