"""Nothing moves or disappears silently (issue 29): prose removed or moved is a warning; close calls are listed.

A line that reads as prose — a sentence, a question, a speaker's turn, a long line of clauses — that a
rule removes or moves into the front matter is a warning in ``bitext corpus import`` and ``bitext corpus
check`` naming the source's file and line and the rule; ``--strict`` exits 1 on it. ``bitext corpus check``
also lists the chrome decisions taken by the smallest margin (:mod:`translate.corpus.decisions`).
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from factories import edition_folder

from translate.cli import cli
from translate.corpus import clean, cleaninglog
from translate.corpus.decisions import REVIEW_MAX, WARNINGS_MAX, reads_as_prose, report, review, warnings
from translate.corpus.draft import LogEntry

ARTICLE = """大模型创业公司的第二年
周明是在国内 AI 市场温度降到谷底的时刻决定创业的，那是两年前的冬天，他考虑了很久。
他说，大模型会成为基础设施，而基础设施需要有人耐心地去建设，这件事不能等。
公司成立之后，第一年几乎所有的钱都花在了算力和数据上，收入却只有几百万元。
"""
#: A page whose chrome surrounds a reader's question: the chrome rule removes it (between page chrome).
PAGE = ("首页 | 新闻 | 科技 | 财经 | 登录\n" + ARTICLE + "相关文章\n{comments}关于我们 | 联系我们 | 广告服务 | 网站地图\n")
QUESTION = "请问这家公司的客户是怎么找到的？"


def page(comments: str = QUESTION + "\n") -> bytes:
    return PAGE.format(comments=comments).encode("utf-8")


@pytest.mark.parametrize("line", [
    "记者：这一轮融资之后，公司最优先要做的事情是什么？",
    "记者：为什么是嘉兴？",
    "问：你们敢涨价，底气是什么？",
    "Q：明年还会涨价吗？",
    "A：客户自己的 Excel。",
    "充电桩还能赚钱吗？",
    "以下为对话实录，经栈桥科技编辑整理。",
    "钱蕾（云表科技 CFO）：我补充一个数字。今年新签的客户里，年付合同的比例第一次超过了月付。",
    "The industry’s equipment makers have spent the past two years building regional redundancy into supply.",
])
def test_what_reads_as_prose(line):
    assert reads_as_prose(line)


@pytest.mark.parametrize("line", [
    "责任编辑：刘洋", "来源：钱江晚报", "作者：陈晓雨", "2025-03-18 09:32:15", "首页 | 新闻 | 科技", "阅读量：12,345",
    "专访灵巧智能创始人沈嘉树：机器人的手，要先学会拧螺丝", "description: \"科创观察站，专注新能源报道，欢迎关注。\",",
    "var title = \"大模型创业公司的第二年。\";", "分享到：", "",
])
def test_what_does_not(line):
    assert not reads_as_prose(line)


def test_a_question_removed_as_chrome_is_a_warning_with_line_and_rule():
    cleaned = clean(page(), "page.txt")
    assert QUESTION not in cleaned.body
    assert [(w.line, w.rule, w.text) for w in cleaned.warnings] == [(7, "chrome", QUESTION)]
    assert "between page chrome" in cleaned.warnings[0].message and "--disable chrome" in cleaned.warnings[0].message


def test_a_question_taken_for_a_byline_would_be_a_warning():
    log = [LogEntry("bylines", 18, "move", "记者：为什么是嘉兴？\n", "", "byline → front matter"),
           LogEntry("title", 1, "move", "充电桩还能赚钱吗？\n", "", "title → front matter"),
           LogEntry("chrome", 30, "remove-line", "版权所有，禁止转载。\n", "", "reprint notice"),
           LogEntry("chrome", 31, "remove-line", "转载请注明出处，谢谢大家好吗？\n", "", "reprint notice"),
           LogEntry("punctuation", 5, "replace", "?", "？", "full-width")]
    listed, more = warnings(log)
    # The title is shown as the title; furniture the vocabulary names is not warned about unless it asks.
    assert [(w.line, w.rule) for w in listed] == [(18, "bylines"), (31, "chrome")] and more == 0
    assert "moved into the front matter" in listed[0].message


def test_the_seeds_logs_have_no_warning():
    """The five seeds' committed logs (whose conservation test_corpus_sources checks) warn of nothing."""
    from corpus_cases import ROOT

    logs = sorted((ROOT / "corpus").glob("*.log"))
    assert len(logs) == 5
    for log in logs:
        assert warnings(cleaninglog.read(log)[1]) == ((), 0), log.name


@pytest.fixture()
def project(tmp_path):
    edition_folder(tmp_path)
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    (tmp_path / "corpus" / "raw" / "page.txt").write_bytes(page())
    return tmp_path


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "corpus", *args])


def test_import_and_check_warn_naming_file_line_and_rule_and_strict_fails(project):
    source = project / "corpus" / "raw" / "page.txt"
    imported = run(project, "import", str(source))
    assert imported.exit_code == 0, imported.output
    expected = (f"Warning: {source}:7: the chrome rule removed a line that reads as prose (between page chrome): "
                f"「{QUESTION}」; if it is the article's, put it back in the article by hand, or re-import with "
                "--disable chrome")
    assert expected in imported.output.splitlines()
    strict = run(project, "import", "--strict", str(source))
    assert strict.exit_code == 1
    assert "Error: 1 line that reads as prose was removed or moved into the front matter" in strict.output
    checked = run(project, "check")
    assert checked.exit_code == 0
    article = project / "corpus" / "page.md"
    assert f"Warning: page.txt:7 ({article}): the chrome rule removed a line that reads as prose" in checked.output
    assert checked.output.splitlines()[-1].endswith(", 1 prose line removed or moved")
    strict = run(project, "check", "--strict")
    assert strict.exit_code == 1 and "1 line that reads as prose was removed" in strict.output
    disabled = run(project, "import", "--force", "--strict", "--disable", "chrome", str(source))
    assert disabled.exit_code == 0, disabled.output
    assert QUESTION in article.read_text(encoding="utf-8")


def test_check_lists_the_close_calls(project):
    run(project, "import", str(project / "corpus" / "raw" / "page.txt"))
    checked = run(project, "check")
    lines = checked.output.splitlines()
    start = lines.index("Close calls in page (chrome decisions by a small margin, closest first; check each line):")
    assert lines[start + 1] == f"  page.txt:7: removed 「{QUESTION}」 — between page chrome"


def test_a_kept_decision_keeps_its_text_in_the_log(tmp_path):
    entries = [LogEntry("chrome", 14, "keep", "", "", "kept: text next to page chrome, not surrounded by it", "来源：钱江晚报"),
               LogEntry("chrome", 15, "remove-line", "首页\n", "", "widget")]
    path = tmp_path / "a.log"
    path.write_text(cleaninglog.render(entries, source="a.txt", encoding="utf-8", characters=10, article="x"),
                    encoding="utf-8")
    assert cleaninglog.read(path)[1] == entries
    decided, more = review(entries)
    assert [(d.line, d.decision, d.text) for d in decided] == [(14, "kept", "来源：钱江晚报")] and more == 0
    assert decided[0].margin < 0  # kept although it reads as chrome: the closest call there is


@pytest.mark.hostile("corpus")
def test_a_hundred_thousand_prose_lines_removed_give_a_bounded_report_quickly():
    log = [LogEntry("chrome", n, "remove-line", f"请问第{n}家公司的客户是怎么找到的？\n", "", "between page chrome")
           for n in range(1, 100_001)]
    started = time.perf_counter()
    found = report(log)
    assert time.perf_counter() - started < 20
    assert len(found.warnings) == WARNINGS_MAX and found.more_warnings == 100_000 - WARNINGS_MAX
    assert found.warning_count == 100_000
    assert len(found.review) == REVIEW_MAX and found.more_review == 100_000 - REVIEW_MAX


@pytest.mark.hostile("corpus")
def test_a_page_of_ten_thousand_removed_questions_imports_with_a_bounded_warning_list(project):
    comments = "".join(f"请问第{n}家公司的客户是怎么找到的？\n" for n in range(10_000))
    source = project / "corpus" / "raw" / "page.txt"
    source.write_bytes(page(comments))
    started = time.perf_counter()
    imported = run(project, "import", str(source))
    checked = run(project, "check")
    assert time.perf_counter() - started < 20  # the chrome rule's neighbour verdicts were quadratic: minutes
    for result in (imported, checked):
        assert result.exit_code == 0, result.output
        warned = [line for line in result.output.splitlines() if line.startswith("Warning:")]
        assert len(warned) == WARNINGS_MAX + 1
        assert warned[-1].endswith(f"{10_000 - WARNINGS_MAX} more lines that read as prose were removed or moved "
                                   "(each is in the cleaning log)")
    assert len([line for line in checked.output.splitlines() if line.startswith("  page.txt:")]) == REVIEW_MAX
    assert f"  … and {10_000 - REVIEW_MAX} more in " in checked.output


def test_a_line_moved_within_the_article_is_no_warning():
    log = [LogEntry("webpage", 76, "restructure", "<img src=\"a.jpg\">", "\n\n![杭州城西一座超充站内，等待充电的网约车。](a.jpg)\n\n"),
           LogEntry("webpage", 77, "move", "杭州城西一座超充站内，等待充电的网约车。", "", "caption → its picture"),
           LogEntry("chrome", 90, "remove-line", "杭州城西一座超充站内，等待充电的网约车？\n", "", "between page chrome")]
    assert [w.line for w in warnings(log)[0]] == [90]
