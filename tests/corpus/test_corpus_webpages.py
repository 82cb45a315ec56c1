"""Web pages (issue 29): a saved page is read as HTML, through the main-content extractor, into the one document model.

What the page is made of (headings, paragraphs, nested and ordered lists, tables, figures and their
captions, quotes, footnotes) comes out as the cleaner's Markdown; what is not the article (scripts,
the head, navigation, share bars, related links, ads) is removed with the reason in the log; the
page's own metadata fills the front matter; and the log still accounts for every character of the
page as it was saved. The eight saved pages of the second held-out set are cleaned here too.
"""

from __future__ import annotations

import time

import pytest

from heldout2_cases import HELDOUT2, _blocks, _structure_missing, kind_of
from heldout_cases import measure, norm, read_cases
from translate.corpus import clean
from translate.corpus.sources import kind
from translate.errors import CorpusError, DecodeError

PAGES = [c for c in read_cases(HELDOUT2) if kind_of(c) == "html"]


def _page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>页面</title>{head}</head>\n<body>\n'
            f'<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/tech">科技</a></nav>\n'
            f'<article>{body}</article>\n<footer>版权所有 © 2024 某网站 京ICP备12345678号</footer>\n</body></html>\n')


ARTICLE = """
<h1>无人驾驶小巴开进东钱湖</h1>
<p>四月八日上午，一辆白色的无人驾驶小巴从东钱湖南岸的停靠站缓缓驶出，车上坐着十几位乘客，其中不少是第一次体验自动驾驶的游客。</p>
<p>据运营方介绍，线路自三月八日试运营以来，首月累计载客已超过两万人次，平均每天发车六十余班，准点率保持在百分之九十五以上。</p>
<h2>乘客最关心安全和准点</h2>
<p>运营方负责人表示，车辆配备了激光雷达、毫米波雷达和多路摄像头，能够在三百米范围内识别行人和障碍物，遇到突发情况会自动减速停车。</p>
<ul><li>第一条：车内设有安全员<ul><li>安全员可随时接管车辆</li><li>每班次配一名</li></ul></li><li>第二条：全程限速三十公里</li></ul>
<ol><li>购票上车</li><li>系好安全带</li><li>到站下车</li></ol>
<blockquote><p>“坐起来和普通公交没什么两样，就是更稳一些。”</p></blockquote>
<figure><img src="/img/bus.jpg" alt="小巴"><figcaption>东钱湖畔试运营的无人驾驶小巴。</figcaption></figure>
<p>下一步，运营方计划把线路延长到湖区北岸，并在暑期旅游高峰前增加车辆，进一步缩短乘客的候车时间，让更多游客体验到新技术。</p>
<table><tr><th>指标</th><th>数值</th></tr><tr><td>首月载客</td><td>2万人次</td></tr><tr><td>日均班次</td><td>60班</td></tr></table>
<p>业内人士认为，景区是无人驾驶技术落地的理想场景，线路固定、车速较低，既能积累运营数据，也能让公众逐步建立对新技术的信任。</p>
"""

HEAD = ('<meta property="og:title" content="无人驾驶小巴开进东钱湖">'
        '<meta property="og:site_name" content="甬江晚报">'
        '<meta property="article:published_time" content="2025-04-09T09:32:15+08:00">'
        '<meta name="author" content="周立群">')


@pytest.fixture(scope="module")
def article():
    return clean(_page(ARTICLE, HEAD).encode("utf-8"), "minibus.html")


# Inputs by what they are.

@pytest.mark.parametrize("raw, name, expected", [
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "saved.txt", "html"),
    (b"\xef\xbb\xbf  <html lang='zh'><head></head><body>x</body></html>", "page", "html"),
    (b"<!-- saved from url=(0042)https://example.com -->\n<html><body>x</body></html>", "a.txt", "html"),
    (b"<div><p>x</p></div>", "page.htm", "html"),
    (b"PK\x03\x04rest-of-a-zip", "report.docx", "docx"),
    (b"%PDF-1.7\n...", "scan.txt", "pdf"),
    (b"# Title\n\ntext", "note.md", "markdown"),
    (b"<p>a scrape with a stray tag</p>\nand text", "scrape.txt", "text"),
    ("正文。\n".encode("utf-8"), "a.txt", "text"),
])
def test_a_source_is_read_as_what_it_is_by_content_then_name(raw, name, expected):
    assert kind(raw, name) == expected


def test_a_txt_that_holds_a_web_page_is_cleaned_as_one(article):
    as_text = clean(_page(ARTICLE, HEAD).encode("utf-8"), "minibus.txt")
    assert as_text.body == article.body and as_text.conserved()


def test_a_pdf_is_recognised_and_named_in_the_error_or_read():
    try:
        cleaned = clean(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "scan.pdf")
    except CorpusError as error:
        assert "scan.pdf" in str(error) and "\n" not in str(error)
    else:
        assert cleaned.conserved()


# The page's structure, as Markdown the loader reads back.

def test_headings_paragraphs_lists_quotes_figures_and_tables_are_kept(article, tmp_path):
    body = article.body
    assert "## 乘客最关心安全和准点" in body
    assert "- 第一条：车内设有安全员\n  - 安全员可随时接管车辆\n  - 每班次配一名\n- 第二条：全程限速三十公里" in body
    assert "> “坐起来和普通公交没什么两样，就是更稳一些。”" in body
    assert "![东钱湖畔试运营的无人驾驶小巴。](/img/bus.jpg)" in body  # the figcaption, not the alt
    assert "| 指标 | 数值 |\n|---|---|\n| 首月载客 | 2万人次 |\n| 日均班次 | 60班 |" in body
    blocks = _blocks(article.markdown)
    kinds = [b.kind for b in blocks]
    assert kinds.count("cell") == 6 and "quote" in kinds and "image" in kinds
    depth = {b.original: b.depth for b in blocks if b.kind == "list_item"}
    assert depth["安全员可随时接管车辆"] == depth["第一条：车内设有安全员"] + 1


def test_an_ordered_list_stays_a_list(article):
    assert "\n1. 购票上车\n2. 系好安全带\n3. 到站下车" in "\n" + article.body
    blocks = _blocks(article.markdown)
    assert [b.number for b in blocks if b.kind == "list_item" and b.number is not None] == [1, 2, 3]


def test_the_pages_metadata_fills_the_front_matter(article):
    meta = article.meta
    assert meta["title"] == "无人驾驶小巴开进东钱湖"
    assert meta["authors"] == ["周立群"] and meta["date"] == "2025-04-09" and meta["publication"] == "甬江晚报"
    assert "无人驾驶小巴开进东钱湖\n" not in article.body  # the headline went to the front matter, logged as moved
    assert any(e.note == "title → front matter" and "东钱湖" in e.removed for e in article.log)


def test_what_is_not_the_article_is_removed_with_its_reason_and_line(article):
    assert "首页" not in article.body and "版权所有" not in article.body and "ICP" not in article.body
    nav = [e for e in article.log if "首页" in e.removed]
    assert nav and nav[0].note == "outside the main content (trafilatura)" and nav[0].line == 4
    assert any(e.note == "HTML page head" and "<title>" in e.removed for e in article.log)


def test_every_character_of_the_saved_page_is_accounted_for(article):
    assert article.conserved()
    assert article.source_text == _page(ARTICLE, HEAD)


def test_entities_are_decoded_before_any_punctuation_rule():
    body = ("<p>公司负责人说：&ldquo;机器换人不是换掉人。&rdquo;R&amp;D投入占比超过15%&mdash;&mdash;这在行业里并不多见，"
            "更多的工人转到了质检和设备维护岗位上，收入也随之提高了不少。</p>"
            "<p>第二段文字，说明这家工厂在转型过程中遇到的困难，以及它们是如何一步一步解决这些问题的。</p>")
    cleaned = clean(_page(body).encode("utf-8"), "entities.html")
    assert "“机器换人不是换掉人。”R&D投入占比超过15%——这在行业里" in cleaned.body
    assert "&ldquo" not in cleaned.body and "；" not in cleaned.body and cleaned.conserved()
    entity = next(e for e in cleaned.log if e.removed == "&ldquo;")
    assert entity.rule == "webpage" and entity.inserted == "“" and entity.note == "HTML entity"


def test_a_picture_without_alt_takes_the_centred_caption_after_it():
    body = ("<p>一段足够长的正文，介绍超充站的建设情况和运营现状，以及司机们在站里等待充电时的所见所闻，篇幅较长。</p>"
            '<p style="text-align: center;"><img src="//p3.example.cn/a.jpeg"></p>'
            '<p style="text-align: center;"><span style="color: #a5a5a5;">杭州城西一座超充站内，等待充电的网约车。</span></p>'
            "<p>另一段足够长的正文，讲述运营商的账本，以及利用率不足带来的回本压力，还有价格战对行业的影响。</p>")
    cleaned = clean(_page(body).encode("utf-8"), "caption.html")
    assert "![杭州城西一座超充站内，等待充电的网约车。](//p3.example.cn/a.jpeg)" in cleaned.body
    assert cleaned.body.count("杭州城西一座超充站内") == 1 and cleaned.conserved()


def test_a_footnote_mark_and_its_note_become_markdown_footnotes(tmp_path):
    body = ('<p>前五大供应商合计占据了超过七成的市场份额，这一格局在过去十年里几乎没有变化，新进入者很难撼动。'
            '<sup><a href="#fn1" id="fnref1">[1]</a></sup></p>'
            "<p>第二段正文，介绍设备国产化的进展，以及国内企业在关键零部件上面临的主要瓶颈和突破方向。</p>"
            '<hr><div class="footnotes"><p id="fn1"><a href="#fnref1">[1]</a> 数据来源：公开资料整理。</p></div>')
    cleaned = clean(_page(body).encode("utf-8"), "notes.html")
    assert "份额，这一格局在过去十年里几乎没有变化，新进入者很难撼动。[^1]" in cleaned.body
    assert "[^1]: 数据来源：公开资料整理。" in cleaned.body and cleaned.conserved()
    assert any(b.kind == "footnote" for b in _blocks(cleaned.markdown))


# The saved pages of the second held-out set.

@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
def test_each_saved_page_is_cleaned_conserved_and_keeps_its_structure(case):
    cleaned = clean(case.source.read_bytes(), case.source.name)
    assert cleaned.conserved()
    figures = measure(case, cleaned)
    assert figures.recall >= 0.98, figures.missing
    assert figures.title_right, figures.title
    assert cleaned.meta.get("date") == case.fields["date"]
    assert not _structure_missing(case, _blocks(cleaned.markdown))
    assert "<" not in "".join(line for line in cleaned.body.split("\n") if not line.startswith("!["))
    assert not any(w in cleaned.body for w in ("function(", "document.write", "_hmt", "&ldquo", "&nbsp"))


def test_the_page_title_and_authors_come_from_the_pages_metas():
    case = next(c for c in PAGES if c.name == "sohu-portal-supercharging")
    cleaned = clean(case.source.read_bytes(), case.source.name)
    # The portal (og:site_name 搜狐) is not the publication; the account that wrote it is.
    assert cleaned.meta["publication"] == "科创观察站"
    assert norm(cleaned.meta["title"]) == norm(case.title)  # not the account's sentence-long description


# Hostile pages: bounded, and a one-line error naming the file (and the line).

@pytest.mark.hostile("corpus")
def test_a_twenty_megabyte_page_is_refused_quickly():
    raw = _page("<p>" + "很长的段落。" * 3_500_000 + "</p>").encode("utf-8")
    assert len(raw) > 20_000_000
    started = time.perf_counter()
    with pytest.raises(CorpusError) as error:
        clean(raw, "huge.html")
    assert time.perf_counter() - started < 20
    message = str(error.value)
    assert "\n" not in message and "huge.html" in message and "million characters" in message


@pytest.mark.hostile("corpus")
def test_ten_thousand_nested_elements_are_refused_with_the_line():
    raw = _page("<div>" * 10_000 + "深处的文字。" + "</div>" * 10_000).encode("utf-8")
    started = time.perf_counter()
    with pytest.raises(CorpusError) as error:
        clean(raw, "deep.html")
    assert time.perf_counter() - started < 20
    message = str(error.value)
    assert "\n" not in message and "deep.html" in message and "nested deeper than" in message and "line 5" in message


@pytest.mark.hostile("corpus")
def test_a_page_whose_charset_meta_lies_is_read_by_its_bytes():
    text = ("<p>这是一段用来测试编码的正文，内容讲的是一家印染厂引进机器视觉验布系统之后发生的变化和工人们的去向。</p>"
            "<p>第二段正文，继续讲述工厂的转型故事，以及当地政府为中小企业提供的数字化改造补贴政策和服务。</p>")
    says_gbk_is_utf8 = clean(_page(text, charset="gb2312").encode("utf-8"), "lie1.html")
    assert says_gbk_is_utf8.encoding == "utf-8" and "机器视觉验布系统" in says_gbk_is_utf8.body
    says_utf8_is_gbk = clean(_page(text, charset="utf-8").encode("gb18030"), "lie2.html")
    assert says_utf8_is_gbk.encoding == "gb18030" and "机器视觉验布系统" in says_utf8_is_gbk.body
    says_big5_is_gbk = clean(_page(text, charset="big5").encode("gb18030"), "lie3.html")
    assert "机器视觉验布系统" in says_big5_is_gbk.body
    with pytest.raises(DecodeError) as error:
        clean(_page(text, charset="gb2312").encode("utf-8") + b"\xff\xfe\xff\x80\x81", "lie4.html")
    assert "\n" not in str(error.value) and "lie4.html" in str(error.value)


@pytest.mark.hostile("corpus")
def test_a_page_with_no_article_text_is_a_one_line_error():
    with pytest.raises(CorpusError) as error:
        clean(b"<!DOCTYPE html><html><head><script>var a = 1;</script></head><body><script>b()</script></body></html>",
              "empty.html")
    assert "\n" not in str(error.value) and "empty.html" in str(error.value)


@pytest.mark.hostile("corpus")
def test_a_page_of_many_blocks_left_out_is_imported_in_bounded_time():
    related = "".join(f"<div class='rel'><a href='/a/{i}'>相关文章第{i}篇：一个足够长的推荐标题，用来占据页面</a></div>\n"
                      for i in range(15_000))
    article = "".join(f"<p>正文第{i}段，讲述一个很长的故事，内容详实，句子完整，读来流畅。</p>\n" for i in range(800))
    raw = _page(article + related).encode("utf-8")
    assert len(raw) > 1_900_000
    started = time.perf_counter()
    cleaned = clean(raw, "many.html")
    assert time.perf_counter() - started < 30
    assert cleaned.conserved() and "正文第799段" in cleaned.body and "相关文章第14999篇" not in cleaned.body
