"""Loading cleaned articles: blocks, speakers, scripts, and errors that name file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from translate.corpus import load_article, load_corpus
from translate.errors import CorpusError

from corpus_cases import ROOT

ARTICLE = """---
title: 独家对话刘知远
title_original: 獨家對話劉知遠
source_file: 003_x.txt
script: traditional
authors:
- 二維馬曉寧
date: '2025-03-04'
interviewers:
- AI 科技評論
cleaning:
  pinyin: 12
---

導語：這是一個與「朱嘯虎們」相反的 AGI 敘事。

## 1 AI 資本寒冬的親歷者

**AI 科技評論：**記得 2023 年5 月採訪跟您交流時，您就提到**平民版**大模型？

**劉知遠：**2021 年我們在智源做完第一版「悟道」模型之後。

接下來的回答，沒有標籤。

1. 第一點
2. 第二點

> 引用的一段話。

![澜舟科技创始人兼 CEO 周明](https://example.com/a.jpg)

![視頻 | 圖片來源：OpenAI 官網]()

這裡有⟦?yàn)橛⟧損壞的字。
"""


def write(tmp_path: Path, text: str, name: str = "a.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_blocks_speakers_and_scripts(tmp_path):
    article = load_article(write(tmp_path, ARTICLE))
    assert article.slug == "a"
    assert article.meta.title == "独家对话刘知远"
    assert article.meta.title_original == "獨家對話劉知遠"
    assert article.meta.interviewers == ("AI 科技评论",)
    assert article.meta.cleaning == (("pinyin", 12),)
    blocks = article.blocks
    assert [b.id for b in blocks] == [f"b{i:03d}" for i in range(1, len(blocks) + 1)]
    assert [b.kind for b in blocks] == ["paragraph", "heading", "paragraph", "paragraph", "paragraph",
                                        "list_item", "list_item", "quote", "image", "image", "paragraph"]
    assert blocks[0].line == 15
    assert blocks[1].level == 2 and blocks[1].text == "1 AI 资本寒冬的亲历者"
    question, answer, follow = blocks[2], blocks[3], blocks[4]
    assert (question.speaker, question.role) == ("AI 科技评论", "question")
    assert question.original == "記得 2023 年5 月採訪跟您交流時，您就提到**平民版**大模型？"
    assert question.text == "记得 2023 年5 月采访跟您交流时，您就提到**平民版**大模型？"
    assert (answer.speaker, answer.role) == ("刘知远", "answer")
    assert (follow.speaker, follow.role) == (None, None)
    assert blocks[8].url == "https://example.com/a.jpg" and blocks[8].text == "澜舟科技创始人兼 CEO 周明"
    assert blocks[9].url is None and blocks[9].original == "視頻 | 圖片來源：OpenAI 官網"
    assert "⟦?yàn)橛⟧" in blocks[10].original


@pytest.mark.parametrize("text,message,line", [
    ("---\ntitle: [unclosed\n---\n\nx\n", "front matter is not valid YAML", 2),
    ("---\ntitle: T\nsource_file: a.txt\nscript: simplified\ncolour: red\n---\n\nx\n",
     "unknown front-matter key 'colour'", 5),
    ("---\nsource_file: a.txt\nscript: simplified\n---\n\nx\n", "front matter has no 'title'", 1),
    ("---\ntitle: T\nsource_file: a.txt\nscript: klingon\n---\n\nx\n", "'script' must be simplified or traditional", 4),
    ("---\ntitle: T\nsource_file: a.txt\nscript: simplified\ndate: March\n---\n\nx\n", "'date' must be YYYY-MM-DD", 5),
    ("no front matter\n", "no front matter", 1),
])
def test_errors_name_file_and_line(tmp_path, text, message, line):
    path = write(tmp_path, text)
    with pytest.raises(CorpusError) as info:
        load_article(path)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_corpus_order_and_speed():
    start = time.perf_counter()
    articles = load_corpus(ROOT / "corpus")
    elapsed = time.perf_counter() - start
    assert [a.meta.source_file for a in articles] == sorted(a.meta.source_file for a in articles)
    assert elapsed < 0.3, f"loading the corpus took {elapsed:.2f} s"


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


@pytest.mark.hostile("corpus")
def test_lists_nested_too_deep_to_read_are_refused_with_their_line(tmp_path):
    """markdown-it stops reading nested containers at its nesting limit: an article edited that deep by hand is
    refused, naming the line, rather than losing what lies deeper."""
    front = "---\ntitle: 深\nsource_file: deep.txt\nscript: simplified\n---\n\n"
    body = "".join("  " * depth + "- 第%d层\n" % depth for depth in range(30))
    path = tmp_path / "deep.md"
    path.write_text(front + body, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_article(path)
    assert "nested too deep" in str(caught.value) and caught.value.line > 7
    path.write_text(front + "".join("  " * depth + "- 第%d层\n" % depth for depth in range(5)), encoding="utf-8")
    assert [b.depth for b in load_article(path).blocks] == [1, 2, 3, 4, 5]


def test_the_memo_has_every_construct_in_its_place():
    from documents import memo_article

    blocks = memo_article().blocks
    by_kind = {}
    for block in blocks:
        by_kind.setdefault(block.kind, []).append(block)
    cells = by_kind["cell"]
    assert len(cells) == 15 and {c.cell.table for c in cells} == {"t1"}
    assert [c.cell.align for c in cells[:3]] == ["left", "right", "center"] and all(c.cell.header for c in cells[:3])
    assert cells[3].text == "主控芯片[^2]" and (cells[3].cell.row, cells[3].cell.column) == (1, 0)
    assert cells[12].text == "" and cells[12].translatable  # an empty cell is a cell still, with no text
    items = [(b.depth, b.number, b.checked, b.quoted) for b in by_kind["list_item"]]
    assert items[:7] == [(1, 1, None, 0), (2, None, None, 0), (2, None, None, 0), (3, None, None, 0),
                         (1, 2, None, 0), (1, 3, None, 0), (1, None, True, 0)]
    assert (1, None, None, 1) in items  # a list inside a quote
    assert [b.note for b in by_kind["footnote"]] == ["1", "1", "2"]
    assert [(b.lang, b.depth) for b in by_kind["code"]] == [("python", 0), ("bash", 1)]
    assert by_kind["code"][0].text.splitlines()[0] == "# 导出成本数据" and not by_kind["code"][0].translatable
    assert len(by_kind["rule"]) == 1 and by_kind["image"][0].text == "深圳的一条试产线"
    assert next(b for b in blocks if b.kind == "paragraph" and b.depth == 1).text.startswith("平均交付周期")
