"""Documents as they are written (issue 28): Markdown sources are parsed, not guessed; HTML tables become pipe tables.

The fixtures (tests/corpus/fixtures/documents/) are a Notion export of a supply-chain memo
(properties, table of contents, callout, a cost table with alignment, nested lists, an ordered
list, a task list, footnotes, code, an image with a %20 path) and a GBK-encoded saved page with
an HTML table among navigation and script noise. Each is cleaned as ``bitext corpus import``
cleans it and loaded back with the loader (``load_article``).
"""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from click.testing import CliRunner
from factories import edition_folder

from translate.cli import cli
from translate.corpus import clean, frontmatter, load_article
from translate.corpus.draft import Draft, Edit
from translate.corpus.layout import is_markdown
from translate.corpus.markdownchecks import problems
from translate.errors import CorpusError

from corpus_cases import FIXTURES

DOCUMENTS = FIXTURES / "documents"
MEMO = DOCUMENTS / "notion-memo.md"
PAGE = DOCUMENTS / "fabric-inspection.html"


def _load(cleaned, tmp_path, slug="memo"):
    path = tmp_path / f"{slug}.md"
    path.write_text(cleaned.markdown, encoding="utf-8")
    return load_article(path)


@pytest.fixture(scope="module")
def memo():
    return clean(MEMO.read_bytes(), MEMO.name)


@pytest.fixture(scope="module")
def page():
    return clean(PAGE.read_bytes(), PAGE.name)


def _source_code(text: str) -> str:
    """The fenced code of the source, as written between its fences."""
    return re.search(r"```python\n(.*?)\n```", text, re.S).group(1)


def test_memo_loads_into_the_blocks_it_was_written_as(memo, tmp_path):
    article = _load(memo, tmp_path)
    where = [(b.kind, b.depth, b.number, b.checked, b.quoted) for b in article.blocks if b.kind != "cell"]
    assert where == [
        ("quote", 0, None, None, 1),  # the callout, icon gone
        ("heading", 0, None, None, 0),
        ("paragraph", 0, None, None, 0),
        ("heading", 0, None, None, 0),
        ("list_item", 1, 1, None, 0),
        ("list_item", 2, None, None, 0),
        ("list_item", 3, None, None, 0),
        ("list_item", 2, None, None, 0),
        ("list_item", 1, 2, None, 0),
        ("paragraph", 1, None, None, 0),  # the second paragraph of item 2 stays in it
        ("list_item", 1, 3, None, 0),
        ("list_item", 1, None, True, 0),
        ("list_item", 1, None, False, 0),
        ("image", 0, None, None, 0),
        ("paragraph", 0, None, None, 0),
        ("code", 0, None, None, 0),
        ("rule", 0, None, None, 0),
        ("heading", 0, None, None, 0),
        ("quote", 0, None, None, 1),
        ("footnote", 0, None, None, 0),
        ("footnote", 0, None, None, 0),
    ]
    quotes = [b.original for b in article.blocks if b.kind == "quote"]
    assert quotes[0].startswith("本备忘录仅供内部讨论") and quotes[1].startswith("下周与两家深圳供应商")
    assert [b.note for b in article.blocks if b.kind == "footnote"] == ["1", "2"]


def test_memo_table_keeps_its_rows_columns_alignment_and_reference(memo, tmp_path):
    cells = [b for b in _load(memo, tmp_path).blocks if b.kind == "cell"]
    assert {b.cell.table for b in cells} == {"t1"}
    assert Counter(b.cell.row for b in cells) == {0: 3, 1: 3, 2: 3, 3: 3, 4: 3}
    assert [b.cell.align for b in cells[:3]] == ["left", "right", "center"]
    assert [b.original for b in cells if b.cell.header] == ["部件", "单机成本（元）", "占比"]
    assert cells[3].original == "主控芯片[^2]"
    assert [b.original for b in cells if b.cell.column == 1] == ["单机成本（元）", "1,250", "480", "360", "3,000"]
    body = memo.body
    assert "|:--|--:|:-:|\n" in body
    assert "[^1]: 数据来自" in body and "[^2]: 主控芯片" in body  # ASCII colons: still definitions


def test_memo_nested_lists_stay_nested_and_code_stays_verbatim(memo, tmp_path):
    source = MEMO.read_text(encoding="utf-8")
    article = _load(memo, tmp_path)
    code = next(b for b in article.blocks if b.kind == "code")
    assert code.lang == "python"
    assert code.text == _source_code(source)  # its ':' and ',' beside Chinese stay half-width
    nested = [b.original for b in article.blocks if b.kind == "list_item" and b.depth == 3]
    assert nested == ["其中两家在深圳：一家已经在越南建厂。"]  # the repair rules still run on item text
    image = next(b for b in article.blocks if b.kind == "image")
    assert image.url == "%E6%99%BA%E8%83%BD%E7%A1%AC%E4%BB%B6%203f2a9c1e/line%20photo%201.png"
    assert image.original == "深圳的一条试产线"


def test_memo_export_debris_is_removed_and_logged(memo):
    removed = {e.note: e.removed for e in memo.log if e.rule == "export" and e.removed}
    toc = removed["table of contents (links to the page's own headings)"]
    assert toc.count("](#") == 3 and "](#" not in memo.body
    properties = "".join(v for k, v in removed.items() if k.startswith("export property"))
    for key in ("创建时间", "作者", "状态", "标签", "URL"):
        assert key in properties and f"{key}:" not in memo.body
    assert memo.meta["authors"] == ["陈晓雨"]
    assert memo.meta["date"] == "2025-03-18"
    assert "<aside>" not in memo.body and "💡" not in memo.body
    assert memo.meta["cleaning"]["export"] > 0


def test_memo_conserves_every_character_and_cleans_again_to_itself(memo):
    assert memo.conserved()
    again = clean(memo.markdown.encode("utf-8"), "corpus/memo.md")
    assert again.markdown == memo.markdown
    assert [e for e in again.log if e.removed or e.inserted] == []


def test_structure_rules_leave_constructs_alone_and_say_so(memo):
    kept = [e for e in memo.log if e.action == "keep" and "document construct" in e.note]
    assert {e.rule for e in kept} >= {"wraps", "lists"}  # they would have joined rows and flattened items
    source = MEMO.read_text(encoding="utf-8")
    for line in ("    - 前三家供应商占 68% 的份额，集中在华南。", "        - 其中两家在深圳：一家已经在越南建厂。",
                 "    平均交付周期从 6 周延长到 11 周。"):
        assert f"\n{line}\n" in memo.body
    assert source.count("|") == memo.body.count("|")


def test_a_held_region_refuses_other_rules_and_locked_characters_refuse_all():
    draft = Draft.from_text("段落\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", "x.md")
    start = draft.text.index("|")
    end = len(draft.text) - 1
    draft.hold(start, end, frozenset({"punctuation"}), [(start, start + 1)])
    assert draft.apply("wraps", [Edit(start - 1, start, "", "join", "hard wrap")]) == 0  # joins the table in
    assert draft.apply("wraps", [Edit(end - 9, end - 9, "\n", "mark")]) == 0  # splits it
    assert draft.apply("punctuation", [Edit(start, start + 1, "｜", "replace")]) == 0  # a locked pipe
    assert draft.apply("punctuation", [Edit(start + 2, start + 3, "丙", "replace")]) == 1
    assert draft.text == "段落\n| 丙 | 乙 |\n|---|---|\n| 1 | 2 |\n"
    assert [e.action for e in draft.log] == ["keep", "keep", "keep", "replace"]


def test_is_markdown_sees_tables_fences_and_footnotes():
    assert is_markdown("一段文字。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n")
    assert is_markdown("一段文字。\n\n```\ncode\n```\n")
    assert is_markdown("一段文字[^1]。\n\n[^1]: 注。\n[^2]: 注。\n")
    assert not is_markdown("一段文字。\n\n另一段文字：有冒号。\n")


def test_a_sources_own_front_matter_goes_to_the_articles():
    source = ("---\ntitle: 一篇博客\nauthor: 王五\ndate: 2024-06-01\ntags: [AI, 芯片]\n---\n\n"
              "这是一篇关于芯片的博客文章，写于六月。\n\n| 型号 | 算力 |\n|---|--:|\n| A | 100 |\n")
    cleaned = clean(source.encode("utf-8"), "post.md")
    assert cleaned.meta["title"] == "一篇博客"
    assert cleaned.meta["authors"] == ["王五"]
    assert cleaned.meta["date"] == "2024-06-01"
    assert "tags" not in cleaned.markdown and cleaned.body.startswith("这是一篇")
    assert "| 型号 | 算力 |\n|---|--:|\n| A | 100 |" in cleaned.body
    assert cleaned.conserved()


def test_saved_page_html_table_becomes_a_pipe_table(page, tmp_path):
    assert page.encoding == "gb18030"
    assert "| 指标 | 人工验布 | AI验布 |\n|---|---|---|\n" in page.body
    assert "| 单班人数 \\| 人 | 12 | 2 |" in page.body  # a pipe in a cell is escaped, inner tags gone
    assert "指标人工验布" not in page.body
    assert "_hmt" not in page.body and "document.write" not in page.body
    cells = [b for b in _load(page, tmp_path, "fabric").blocks if b.kind == "cell"]
    assert [(b.cell.row, b.cell.column) for b in cells] == [(r, c) for r in range(4) for c in range(3)]
    assert [b.cell.header for b in cells] == [True] * 3 + [False] * 9
    assert [b.original for b in cells if b.cell.row == 2] == ["漏检率", "8.5%", "1.2%"]
    assert cells[9].original == "单班人数 | 人"  # the escape belongs to the table syntax, the pipe to the text
    assert page.conserved()
    table = [e for e in page.log if e.note == "HTML table → pipe table"]
    assert len(table) == 1 and table[0].removed.startswith("<table") and table[0].removed.endswith("</table>")
    again = clean(page.markdown.encode("utf-8"), "corpus/fabric.md")
    assert again.markdown == page.markdown


def test_an_html_table_with_spanning_cells_is_left_to_the_tag_stripping():
    source = "<p>数据如下。</p>\n<table><tr><th colspan=\"2\">合并</th></tr><tr><td>1</td><td>2</td></tr></table>\n"
    cleaned = clean(source.encode("utf-8"), "x.html")
    assert "|" not in cleaned.body and cleaned.conserved()


BROKEN = """---
title: 坏表格
source_file: broken.md
script: simplified
---

正文提到一个注释[^9]和[^1]。

| 甲 | 乙 | 丙 |
|---|---|---|
| 1 | 2 |
| 1 | 2 | 3 |

一段文字
| 看起来 | 像表格 |

[^1]: 有定义的注释。
[^2]: 没有人引用的注释。
"""


def test_problems_name_the_line_of_each_construct_gone_wrong():
    _, body, first_line = frontmatter.split(BROKEN)
    found = [(p.line, p.message.split(";")[0]) for p in problems(body, first_line)]
    assert found == [
        (7, "footnote reference [^9] has no definition"),
        (11, "table row has 2 cells, its header 3: the missing cells are left empty"),
        (15, "this line looks like a table row but is read as text"),
        (18, "footnote [^2] is never referred to, so it is left out"),
    ]


def test_corpus_check_warns_and_strict_fails(tmp_path):
    edition_folder(tmp_path)
    (tmp_path / "corpus").mkdir(exist_ok=True)
    (tmp_path / "corpus" / "broken.md").write_text(BROKEN, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(tmp_path), "corpus", "check"], catch_exceptions=False)
    assert result.exit_code == 0
    path = tmp_path / "corpus" / "broken.md"
    assert f"Warning: {path}:11: table row has 2 cells, its header 3" in result.output
    assert f"Warning: {path}:7: footnote reference [^9] has no definition" in result.output
    assert result.output.splitlines()[-1] == "1 articles, 0 damaged spans flagged, 4 Markdown warnings"
    strict = runner.invoke(cli, ["--root", str(tmp_path), "corpus", "check", "--strict"])
    assert strict.exit_code == 1
    assert "Error: 4 Markdown warnings" in strict.output


# Hostile sources: bounded time, no crash, and a one-line error naming the file and line where refused.

def _timed(source: str, name: str = "hostile.md"):
    started = time.perf_counter()
    cleaned = clean(source.encode("utf-8"), name)
    return cleaned, time.perf_counter() - started


@pytest.mark.hostile("corpus")
def test_a_table_ten_thousand_columns_wide(tmp_path):
    width = 10_000
    source = ("# 宽表\n\n说明文字。\n\n| " + " | ".join(f"列{i}" for i in range(width)) + " |\n"
              + "|" + "---|" * width + "\n| " + " | ".join(str(i) for i in range(width)) + " |\n")
    cleaned, seconds = _timed(source)
    assert seconds < 30
    assert cleaned.conserved()
    assert cleaned.body.count("|") == source.count("|")


@pytest.mark.hostile("corpus")
def test_a_table_ten_thousand_rows_long():
    source = "# 长表\n\n| 序号 | 名称 |\n|---|---|\n" + "".join(f"| {i} | 名称{i}, 说明 |\n" for i in range(10_000))
    cleaned, seconds = _timed(source)
    assert seconds < 30
    assert cleaned.body.count("\n| ") == 10_000 and cleaned.body.count("\n") == 10_002  # no row joined to another
    assert cleaned.conserved()


@pytest.mark.hostile("corpus")
def test_a_cell_one_megabyte_long():
    cell = "很长的单元格内容，" * (1_000_000 // 27)
    source = f"# 大单元格\n\n| 甲 | 乙 |\n|---|---|\n| {cell} | 1 |\n"
    cleaned, seconds = _timed(source)
    assert seconds < 60
    assert cleaned.conserved() and cleaned.body.count("|") == source.count("|")


@pytest.mark.hostile("corpus")
def test_a_thousand_nested_list_levels_are_refused_with_the_line():
    source = "# 深列表\n\n说明文字。\n\n" + "".join("  " * i + f"- 第{i}层\n" for i in range(1000))
    started = time.perf_counter()
    with pytest.raises(CorpusError) as error:
        clean(source.encode("utf-8"), "deep.md")
    assert time.perf_counter() - started < 30
    message = str(error.value)
    assert "\n" not in message and "deep.md" in message and "nested more than 8 levels" in message
    line = int(re.search(r"deep\.md:(\d+)", message).group(1))
    assert source.split("\n")[line - 1].strip().startswith("- 第")


@pytest.mark.hostile("corpus")
def test_unbalanced_fences_do_not_crash_and_are_warned_about():
    source = "# 代码\n\n第一段文字。\n\n```python\nprint('未闭合')\n\n第二段文字, 在代码里。\n\n~~~\n```\n````\n"
    cleaned, seconds = _timed(source)
    assert seconds < 10 and cleaned.conserved()
    assert "第二段文字, 在代码里。" in cleaned.body  # inside the open fence: code, untouched
    warnings = problems(cleaned.body)
    assert any("never closed" in w.message for w in warnings)


def test_english_properties_and_a_titled_table_of_contents_go():
    source = ("# Supply chain memo 供应链备忘\n\nCreated: March 18, 2025 2:20 PM\nAuthor: Chen Xiaoyu\nStatus: Draft\n\n"
              "## Table of contents\n\n1. [成本](#成本)\n2. [发现](#发现)\n    1. [细节](#细节)\n\n"
              "## 成本\n\n正文第一段，说明成本结构的变化情况。\n")
    cleaned = clean(source.encode("utf-8"), "memo.md")
    assert cleaned.body == "## 成本\n\n正文第一段，说明成本结构的变化情况。\n"
    assert cleaned.meta["authors"] == ["Chen Xiaoyu"] and cleaned.meta["date"] == "2025-03-18"
    assert {e.rule for e in cleaned.log if e.removed} == {"export", "title", "paragraphs"}
    assert cleaned.conserved()


def test_a_comment_in_code_is_not_the_title_and_a_table_row_is_not_a_byline():
    source = ("一段说明文字，介绍脚本。\n\n```python\n# 导出数据\nx = 1\n```\n\n"
              "| 日期 | 作者 |\n|---|---|\n| 2024-05-01 | 张三 |\n\n最后一段文字。\n")
    cleaned = clean(source.encode("utf-8"), "x.md")
    assert cleaned.meta["title"] != "导出数据"
    assert "date" not in cleaned.meta and "publication" not in cleaned.meta
    assert "```python\n# 导出数据\nx = 1\n```" in cleaned.body and "| 2024-05-01 | 张三 |" in cleaned.body


def test_a_list_item_a_link_to_elsewhere_is_not_a_table_of_contents():
    source = "# 标题\n\n正文第一段，说明情况。\n\n- [官网](https://example.com/#about)\n- [报告](#成本)\n"
    cleaned = clean(source.encode("utf-8"), "x.md")
    assert "- [官网](https://example.com/#about)\n- [报告](#成本)" in cleaned.body


@pytest.mark.hostile("corpus")
def test_a_thousand_nested_block_quotes_are_refused_with_the_line():
    with pytest.raises(CorpusError) as error:
        clean(("# 引用\n\n正文。\n\n" + ">" * 1000 + " 很深的引用\n").encode("utf-8"), "quotes.md")
    assert str(error.value).startswith("quotes.md:5: lists or block quotes nested more than 8 levels deep")


def test_importing_the_memo_writes_an_article_that_checks_clean(tmp_path):
    edition_folder(tmp_path)
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    source = tmp_path / "corpus" / "raw" / "supply-memo.md"
    source.write_bytes(MEMO.read_bytes())
    runner = CliRunner()
    imported = runner.invoke(cli, ["--root", str(tmp_path), "corpus", "import", str(source)], catch_exceptions=False)
    assert imported.exit_code == 0, imported.output
    article = load_article(tmp_path / "corpus" / "supply-memo.md")
    assert sum(1 for b in article.blocks if b.kind == "cell") == 15
    checked = runner.invoke(cli, ["--root", str(tmp_path), "corpus", "check", "--strict"], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    assert "Warning" not in checked.output


@pytest.mark.hostile("corpus")
def test_check_warns_about_nesting_the_loader_cannot_read():
    body = "正文。\n\n" + "".join("  " * i + f"- 第{i}层\n" for i in range(30))
    found = problems(body, 10)
    assert len(found) == 1 and "nested more than 8 levels deep" in found[0].message
    assert body.split("\n")[found[0].line - 10].strip().startswith("- 第")
