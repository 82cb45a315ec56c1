"""Bylines and header lines, as platforms print them, into authors / publication / date (issue 16, approach 7)."""

from __future__ import annotations

import pytest

from translate.corpus.draft import Draft
from translate.corpus.rules import RULES

BYLINES = dict(RULES)["bylines"]


@pytest.mark.parametrize("page,authors,publication,date", [
    ("原创 李晓明 硅谷前哨 2024年03月12日 08:30 北京", ["李晓明"], "硅谷前哨", "2024-03-12"),
    ("原创 硅谷前哨 2024-03-12 08:30", [], "硅谷前哨", "2024-03-12"),
    ("2024年04月18日 09:12 新浪科技", [], "新浪科技", "2024-04-18"),
    ("2024年08月20日 10:32:15 来源：凤凰网科技", [], "凤凰网科技", "2024-08-20"),
    ("王雨 · 2024-06-03 10:15\n文｜王雨\n编辑｜刘佳", ["王雨"], None, "2024-06-03"),
    ("码字的阿明 已于 2024-05-11 14:20:31 修改", ["码字的阿明"], None, "2024-05-11"),
    ("产品老王说\n2024-2-5 18:20 来自 微博 weibo.com", ["产品老王说"], None, "2024-02-05"),
    ("陈默\n某 SaaS 公司技术负责人，关注企业服务\n关注他", ["陈默"], None, None),
    ("码农阿杰\n发表于 2024-1-15 20:33 | 只看该作者 | 倒序浏览\n本帖最后由 码农阿杰 于 2024-1-15 21:02 编辑",
     ["码农阿杰"], None, "2024-01-15"),
    ("記者林怡君／台北報導\n2024-04-12 05:30", ["林怡君"], None, "2024-04-12"),
    ("撰文：陳嘉欣\n出版：2024-03-08 18:30\n更新：2024-03-08 19:05", ["陳嘉欣"], None, "2024-03-08"),
    ("分析师：赵磊\n2024年1月15日", ["赵磊"], None, "2024-01-15"),
])
def test_header_lines_whatever_the_order(page, authors, publication, date):
    text = page + "\n\n去年春天，一家头部大模型厂商把旗舰模型的调用价格砍掉了九成，一场价格战就此拉开序幕。\n"
    draft = Draft.from_text(text, "case.txt")
    BYLINES(draft)
    assert draft.meta.get("authors", []) == authors
    assert draft.meta.get("publication") == publication
    assert draft.meta.get("date") == date
    left = [line for line in draft.text.split("\n") if line.strip()][:-1]
    assert all(not line.startswith(("陈默", "关注")) for line in left) and len(left) <= 1, \
        "the byline lines are moved to the front matter (an author's profile line is not one)"


@pytest.mark.parametrize("line", [
    "作者认为，大模型会成为基础设施。",
    "2024年是大模型应用落地的一年，很多公司开始盈利。",
    "周明 2020 年底离开微软",
])
def test_prose_is_not_a_byline(line):
    draft = Draft.from_text(line + "\n", "case.txt")
    BYLINES(draft)
    assert draft.text == line + "\n" and not draft.meta
