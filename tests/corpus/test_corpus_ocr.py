"""OCR'd pages (issue 29): running heads, folios, captions, footnotes and tables lifted out of the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.corpus import clean
from translate.corpus.title import page_headline

HELDOUT2 = Path(__file__).parent / "heldout2"


@pytest.fixture(scope="module")
def magazine():
    source = HELDOUT2 / "ocr-magazine-smart-retail.txt"
    return clean(source.read_bytes(), source.name)


@pytest.fixture(scope="module")
def report():
    source = HELDOUT2 / "ocr-report-hydrogen-trucks.txt"
    return clean(source.read_bytes(), source.name)


def _notes(cleaned, rule="pages"):
    return [(e.removed.strip(), e.note) for e in cleaned.log if e.rule == rule]


def test_running_heads_and_folios_go_and_the_split_sentence_is_whole_again(magazine):
    notes = _notes(magazine)
    assert ("46 智能商业评论 2024年第12期", "page furniture: running head") in notes
    assert ("47", "page furniture: folio") in notes
    assert ("封面故事\u3000COVER\u3000STORY", "page furniture: running head") in notes
    assert ("封面故事", "page furniture: section label") in notes
    assert "智能商业评论" not in magazine.body and "封面故事" not in magazine.body
    assert "一套完整的补货系统从开发到稳定运行，至少需要一支二十人的技术团队和两年时间。" in magazine.body
    assert "2023年，它开始在全部门店铺设电子价签" in magazine.body
    assert magazine.meta["publication"] == "智能商业评论"
    assert magazine.conserved()


def test_a_two_line_headline_is_the_title_whole(magazine):
    assert magazine.meta["title"] == "一块屏幕背后的零售算法战争"
    assert page_headline(["一块屏幕背后的", "零售算法战争", "当电子价签走进超市，竞争转移到后台。"]) == [0, 1]
    assert page_headline(["燃料电池重卡：从示范走向规模化", "", "3.1 推广规模"]) == [0]
    assert page_headline(["文｜本刊记者 孟婷", "正文。"]) == []  # a credit is no headline


def test_a_caption_read_into_a_sentence_is_lifted_out_as_the_figure(magazine):
    assert "![上海一家连锁超市里，顾客正在查看电子价签。]()" in magazine.body
    assert "数据会被回传到总部的算法平台，第二天一早，补货建议就会出现在店长的手机上。" in magazine.body
    assert "摄影" not in magazine.body and "刘放" not in magazine.body


def test_a_pull_quote_and_the_end_mark_go(magazine):
    assert magazine.body.count("算法不会替你选品") == 1
    assert "■" not in magazine.body
    assert any(n == "page furniture: pull quote (repeats the article)" for _, n in _notes(magazine))


def test_full_width_digits_and_letters_are_folded(magazine):
    assert "补货系统HIS生成，精确到每一个SKU" in magazine.body and "2.6小时" in magazine.body
    assert "SaaS服务商" in magazine.body and "从8%下降到了3%左右" in magazine.body


def test_the_report_keeps_its_footnote_table_and_headings(report):
    body = report.body
    assert report.meta["title"] == "燃料电池重卡：从示范走向规模化"
    assert "第三章" not in body and "— 23 —" not in body and "氢能交通发展观察" not in body and "____" not in body
    assert "其中重卡占比首次超过一半。[^1]" in body
    assert body.rstrip().endswith("[^1]: 本节所称重卡，指总质量31吨及以上的载货汽车和牵引车。")
    assert "| 年份 | 销量（辆） | 同比增速 | 重卡占比 |\n| --- | --- | --- | --- |\n| 2021 | 1620 | -31.2% | 22.4% |" in body
    assert "## 3.1 推广规模" in body and "## 3.2 经济性" in body
    assert "绕行数十公里才能完成一次加注。" in body
    assert report.conserved()


def test_ocr_confusions_of_digits_and_letters_are_repaired(report):
    body = report.body
    for repaired in ("Fuel Cell System", "额定功率120 kW", "Proton Exchange", "15000小时", "成本（TCO）"):
        assert repaired in body
    for damaged in ("Fue1", "Ce11", "l20", "Pr0ton", "15OOO", "TC0"):
        assert damaged not in body


def test_a_text_without_pages_is_left_to_the_other_rules():
    text = "标题行\n\n1\nAI 资本寒冬的亲历者\n\n第一段话写完了。\n\n2\n大模型还在快速演进\n\n第二段话。\n"
    cleaned = clean(text.encode(), "a.txt")
    assert not [e for e in cleaned.log if e.rule == "pages"]
    assert "## 2 大模型还在快速演进" in cleaned.body  # a bare number above a title line numbers a section


@pytest.mark.hostile("corpus")
def test_ten_thousand_pages_of_ocr_text_are_cleaned_in_bounded_time():
    import time

    page = "\u3000\u3000这是一段很长的正文，它在版面的宽度处被折行，然后在下一\n行继续写完。\n{n}\n刊物名称 2024年第1期\n"
    text = "".join(page.format(n=n) for n in range(1, 10_001))
    started = time.monotonic()
    cleaned = clean(text.encode(), "pages.txt")
    assert time.monotonic() - started < 120
    assert "刊物名称" not in cleaned.body


@pytest.mark.hostile("corpus")
def test_a_megabyte_of_short_lines_between_folios_is_cleaned_in_bounded_time():
    import time

    block = "\u3000\u3000一段正文写在这里，它在版面的宽度处被折行然后在下\n一行继续。\n短句一。\n短句二。\n" \
            "这是一个很长的句子，它没有在这一行结束，而是被页码打断\n{n}\n继续写完。\n"
    text = "".join(block.format(n=n) for n in range(1, 13_000))
    assert len(text) > 1_000_000
    started = time.monotonic()
    cleaned = clean(text.encode(), "pages.txt")
    assert time.monotonic() - started < 120
    assert cleaned.conserved()  # (the chrome rule takes lines that recur thousands of times as furniture)
