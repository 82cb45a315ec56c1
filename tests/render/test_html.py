"""DOM tests of the HTML edition: structure, pairing, escaping, script, pages and writes."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from htmltools import by_class, classes, make_settings, sides, text_of
from factories import HOSTILE, TERMS, sample_edition
from translate.errors import RenderError
from translate.models import Term

PAGES = ("index.html", "interview.html", "essay.html", "glossary.html", "report.html")


def words_data(site) -> tuple[dict, dict]:
    """The two globals of ``words.js``: BITEXT_WORDS and BITEXT_TERMS."""
    text = site.text("words.js")
    found = dict(re.findall(r"^window\.(BITEXT_\w+) = (.*);$", text, flags=re.M))
    return json.loads(found["BITEXT_WORDS"]), json.loads(found["BITEXT_TERMS"])


def test_writes_every_page_and_asset(render):
    site = render()
    names = sorted(p.name for p in site.files)
    assert names == sorted([*PAGES, "words.js", "edition.css", "edition.js"])
    assert all(p.parent == site.folder for p in site.files)


def test_every_source_block_appears_once_as_a_pair(render):
    site = render()
    for article in sample_edition().articles:
        page = site.page(f"{article.slug}.html")
        rows = by_class(page, "row")
        assert [r.get("id") for r in rows] == [b.block.id for b in article.blocks]
        for row, bblock in zip(rows, article.blocks):
            cells = sides(row)
            assert [classes(c)[0] for c in cells] == ["zh", "en"], row.get("id")
            for side in cells:
                keys = [s.get("data-seg") for s in by_class(side, "seg")]
                assert keys == [s.id for s in bblock.segments], (row.get("id"), classes(side))


def test_headings_pair_with_headings_and_paragraphs_with_paragraphs(render):
    page = render().page("interview.html")
    row = page.find(".//*[@id='b001']")
    assert [c[0].tag for c in row] == ["h2", "h2"]
    row = page.find(".//*[@id='b002']")
    assert [c[0].tag for c in row] == ["p", "p"]
    row = page.find(".//*[@id='b005']")
    assert [c[0].tag for c in row] == ["ul", "ul"]


def test_hostile_text_is_escaped_everywhere(render):
    site = render()
    for name in PAGES:
        page = site.page(name)
        scripts = page.findall(".//script")
        assert all(s.get("src") in ("words.js", "edition.js") and not (s.text or "").strip() for s in scripts), name
        assert not page.findall(".//b"), name  # the <b>tags</b> in the source stay text
        for element in page.iter():
            assert not [a for a in element.attrib if a.lower().startswith("on")], (name, element.tag)
            href = element.get("href") or element.get("src") or ""
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (name, href)
    page = site.page("interview.html")
    row = page.find(".//*[@id='b007']")
    assert HOSTILE in text_of(row)
    assert "&lt;script&gt;" in site.text("interview.html")


def test_javascript_links_render_as_text_and_safe_links_stay(render):
    page = render().page("essay.html")
    hrefs = [a.get("href") for a in page.iter("a")]
    assert "https://example.com" in hrefs
    assert "(javascript:alert(1))" in text_of(page.find(".//*[@id='b002']"))


def test_quotes_and_tags_in_glossary_notes_are_escaped(render):
    site = render()
    entry = [e for e in by_class(site.page("glossary.html"), "entry") if "周明" in text_of(e)][0]
    assert 'Founder of Langboat; "quoted" <note>' in text_of(entry)
    assert not site.page("glossary.html").findall(".//note")
    _, terms = words_data(site)
    assert terms["周明"]["note"] == 'Founder of Langboat; "quoted" <note>'
    assert "</script>" not in site.text("words.js")


def test_every_page_has_a_strict_content_security_policy(render):
    site = render()
    for name in PAGES:
        metas = [m for m in site.page(name).iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert len(metas) == 1, name
        policy = metas[0].get("content")
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy, policy


def test_remote_images_are_placeholders_unless_the_publisher_opts_in(render, tmp_path):
    site = render()
    page = site.page("interview.html")
    assert not page.findall(".//img")
    figure = page.find(".//*[@id='b006']")
    links = [a.get("href") for a in figure.iter("a")]
    assert links == ["https://example.com/photo.jpg"]
    assert "周明在办公室" in text_of(figure) and "Zhou Ming in his office" in text_of(figure)

    site = render(remote_images=True)
    images = site.page("interview.html").findall(".//img")
    assert [i.get("src") for i in images] == ["https://example.com/photo.jpg"]
    assert images[0].get("alt") == "Zhou Ming in his office"
    policy = [m.get("content") for m in site.page("interview.html").iter("meta") if m.get("http-equiv")][0]
    assert "img-src 'self' data: https:" in policy


def test_an_image_with_an_unsafe_url_gets_no_link(render):
    edition = sample_edition()
    article = edition.articles[0]
    image = article.blocks[5]
    bad = replace(image, block=replace(image.block, url="javascript:alert(1)"))
    blocks = article.blocks[:5] + (bad,) + article.blocks[6:]
    site = render(replace(edition, articles=(replace(article, blocks=blocks),) + edition.articles[1:]), remote_images=True)
    figure = site.page("interview.html").find(".//*[@id='b006']")
    assert not figure.findall(".//a") and not figure.findall(".//img")


def test_every_block_says_its_language(render):
    site = render()
    for name, zh_lang in (("interview.html", "zh-Hans"), ("essay.html", "zh-Hant")):
        page = site.page(name)
        assert page.get("lang") == "en"
        for row in by_class(page, "row"):
            zh, en = sides(row)
            assert zh.get("lang") == zh_lang and en.get("lang") == "en"


def test_headings_go_down_one_level_at_a_time(render):
    site = render()
    for name in PAGES:
        levels = [int(e.tag[1]) for e in site.page(name).iter() if re.fullmatch(r"h[1-6]", str(e.tag))]
        assert levels and levels[0] == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)


def test_pages_are_valid_html5_with_unique_ids(render):
    import html5lib

    site = render()
    for name in PAGES:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        page = parser.parse(site.text(name))  # raises on any parse error
        ids = [e.get("id") for e in page.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), name
        assert site.text(name).startswith("<!DOCTYPE html>")


def test_glossary_terms_are_marked_on_both_sides(render):
    page = render().page("interview.html")
    row = page.find(".//*[@id='b002']")
    zh, en = [c for c in row if {"zh", "en"} & set(classes(c))]
    assert [t.get("data-term") for t in by_class(zh, "term")] == ["周明", "澜舟科技", "大模型"]
    assert [(t.get("data-term"), text_of(t)) for t in by_class(en, "term")] == [
        ("周明", "Zhou Ming"), ("澜舟科技", "Langboat")]
    answer = page.find(".//*[@id='b004']")
    assert "large models" in [text_of(t) for t in by_class(answer, "term")]


def test_violations_are_marked_with_a_banner_linking_to_the_report(render):
    site = render()
    page = site.page("interview.html")
    banner = [b for b in by_class(page, "banner-warn")]
    assert len(banner) == 1 and [a.get("href") for a in banner[0].iter("a")] == ["report.html#interview"]
    flagged = [s for s in by_class(page, "violation")]
    assert [s.get("data-seg") for s in flagged] == ["b002.s2"]
    flag = by_class(page, "flag")[0]
    assert flag.get("href") == "report.html#v-interview-b002.s2"
    report = site.page("report.html")
    assert report.find(".//*[@id='v-interview-b002.s2']") is not None
    assert not by_class(site.page("essay.html"), "banner-warn")


def _with_origin(edition, origin, slugs=None):
    """The edition with every segment of the given articles (all by default) marked with ``origin``."""
    def article(a):
        if slugs is not None and a.slug not in slugs:
            return a
        blocks = tuple(replace(b, segments=tuple(replace(s, origin=origin) for s in b.segments),
                               speaker=b.speaker and replace(b.speaker, origin=origin)) for b in a.blocks)
        return replace(a, blocks=blocks)

    return replace(edition, articles=tuple(article(a) for a in edition.articles))


def test_gloss_banner_only_on_pages_with_gloss_segments_and_counts_them(render, tmp_path):
    site = render()
    for name in PAGES:
        banner = text_of(by_class(site.page(name), "banner-gloss")[0])
        assert "a word-by-word dictionary gloss (CC-CEDICT), not a translation" in banner
    assert "12 segments are" in text_of(by_class(site.page("index.html"), "banner-gloss")[0])
    assert "10 segments are" in text_of(by_class(site.page("interview.html"), "banner-gloss")[0])
    site = render(_with_origin(sample_edition(engine="argos"), "mt"))
    for name in PAGES:
        assert not by_class(site.page(name), "banner-gloss"), name
    site = render(_with_origin(sample_edition(), "edited", {"interview"}))
    assert not by_class(site.page("interview.html"), "banner-gloss")
    assert "2 segments are" in text_of(by_class(site.page("index.html"), "banner-gloss")[0])


def test_machine_segments_carry_a_quiet_marker_and_a_legend(render):
    page = render(_with_origin(sample_edition(), "edited", {"essay"})).page("interview.html")
    segs = [s for s in page.iter() if "seg" in classes(s) and s.get("data-origin")]
    assert segs and all(s.get("data-origin") == "gloss" and "origin-gloss" in classes(s) for s in segs)
    assert "Dictionary gloss" in segs[0].get("title")
    assert "machine English" in text_of(by_class(page, "legend")[0])
    assert any(b.get("data-toggle-provenance") is not None for b in page.iter("button"))
    edited = render(_with_origin(sample_edition(), "edited")).page("interview.html")
    assert not by_class(edited, "legend")
    assert {s.get("data-origin") for s in edited.iter() if s.get("data-origin")} == {"edited"}
    assert "10 of 12 segments edited by the translators; 2 dictionary gloss" in text_of(render(_with_origin(
        sample_edition(), "edited", {"interview"})).page("index.html"))


def test_interview_speakers_are_labelled_and_styled_by_role(render):
    page = render().page("interview.html")
    question, answer = page.find(".//*[@id='b003']"), page.find(".//*[@id='b004']")
    assert "role-question" in classes(question) and "role-answer" in classes(answer)
    labels = [text_of(s) for s in by_class(answer, "speaker")]
    assert labels == ["周明：", "Zhou Ming: "]  # English from the glossary
    labels = [text_of(s) for s in by_class(question, "speaker")]
    assert labels[0] == "晚点：" and labels[1].startswith("Wan")  # pinyin when the glossary lacks it


def test_damaged_spans_are_marked_and_not_annotated(render):
    page = render().page("interview.html")
    damaged = by_class(page.find(".//*[@id='b007']"), "damaged")
    assert [text_of(d) for d in damaged] == ["閿欒"]
    assert not by_class(damaged[0], "w")


def test_traditional_source_embeds_both_scripts_with_a_switch(render):
    site = render()
    essay = site.page("essay.html")
    assert essay.get("data-script") == "traditional" and essay.get("data-script-switch") is not None
    seg = essay.find(".//*[@id='b001.s1']")
    assert [(s.get("lang"), text_of(s)) for s in seg] == [("zh-Hant", "瀾舟科技很重要。"), ("zh-Hans", "澜舟科技很重要。")]
    assert [b.get("data-set-script") for b in essay.iter("button") if b.get("data-set-script")] == [
        "traditional", "simplified"]
    interview = site.page("interview.html")
    assert interview.get("data-script-switch") is None
    assert not [b for b in interview.iter("button") if b.get("data-set-script")]


@pytest.mark.parametrize("script, expected, lang", [
    ("simplified", "澜舟科技很重要。", "zh-Hans"),
    ("traditional", "瀾舟科技很重要。", "zh-Hant"),
])
def test_a_forced_script_shows_one_script_only(render, script, expected, lang):
    site = render(replace(sample_edition(), script=script))
    essay = site.page("essay.html")
    assert essay.get("data-script-switch") is None
    seg = essay.find(".//*[@id='b001.s1']")
    assert text_of(seg) == expected and not by_class(seg, "sc-t")
    assert by_class(essay, "zh")[0].get("lang") == lang
    interview = site.page("interview.html")  # a Simplified source converted when Traditional is forced
    heading = interview.find(".//*[@id='b001.s1']")
    assert text_of(heading) == ("大模型创业" if script == "simplified" else "大模型創業")


def test_word_help_covers_the_editions_words_only(render):
    site = render()
    words, terms = words_data(site)
    assert words["创业"][0][0] == "chuàng yè"
    assert any("to start a major task" in sense for _, sense in words["创业"])
    assert "重要" in words and "這裡" in words  # Traditional forms too
    assert len(words) < 60  # the edition's words, not the dictionary
    for name in ("interview.html", "essay.html"):
        shown = {text_of(w) for w in by_class(site.page(name), "w")}
        assert shown and shown <= set(words), shown - set(words)
    assert set(terms) == {t.zh for t in TERMS}
    assert terms["大模型"]["en"] == "large model" and terms["大模型"]["href"] == "glossary.html#term-1"
    assert terms["Densing Law"]["keep"] is True


def test_glossary_page_lists_every_term_and_links_each_occurrence(render):
    site = render()
    page = site.page("glossary.html")
    entries = {e.get("id"): e for e in by_class(page, "entry")}
    assert sorted(entries) == [f"term-{n}" for n in range(1, len(TERMS) + 1)]
    langboat = entries["term-3"]
    assert "Langboat" in text_of(langboat) and "瀾舟科技" in text_of(langboat)
    links = [a.get("href") for a in by_class(langboat, "occurrence")]
    assert links == ["interview.html#b002.s1", "essay.html#b001.s1"]
    for link in links:  # every occurrence link lands on a sentence
        name, anchor = link.split("#")
        assert site.page(name).find(f".//*[@id='{anchor}']") is not None
    assert "Not used in this edition" in text_of(entries["term-4"])  # Densing Law


def test_report_page_shows_rates_violations_and_engine_per_article(render):
    page = render().page("report.html")
    interview = page.find(".//*[@id='interview']")
    facts = {text_of(d.find("dt")): " ".join(text_of(d.find("dd")).split()) for d in interview.find(".//dl")}
    assert facts["Term success rate"] == "85.7% (6 of 7)"  # the real report: speaker labels count
    assert facts["Engine"] == "gloss CC-CEDICT"
    assert "He thinks big models matter." in text_of(interview.find(".//table"))
    assert [a.get("href") for a in interview.iter("a") if "#b002" in (a.get("href") or "")] == ["interview.html#b002.s2"]
    assert page.find(".//*[@id='essay']") is not None


def test_index_lists_each_article_with_its_facts(render):
    page = render().page("index.html")
    items = by_class(page, "contents-item")
    assert len(items) == 2
    first = " ".join(text_of(items[0]).split())
    for fact in ("周明谈大模型", "Zhou Ming on large models", "Zhu Likun", "LatePost", "2023-03-01",
                 "characters", "min read"):
        assert fact in first, fact
    assert "為什麼中國沒有誕生ChatGPT" in text_of(items[1])  # Traditional source shown as written
    hrefs = [a.get("href") for a in page.iter("a")]
    assert {"interview.html", "essay.html", "glossary.html", "report.html"} <= set(hrefs)
    assert "中国大模型创业者 <i>" in text_of(page.find(".//h1"))


def test_unchanged_pages_are_not_rewritten(tmp_path):
    from translate.render.html import render_html

    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    files = render_html(edition, settings)
    inodes = {p.name: p.stat().st_ino for p in files}
    render_html(edition, settings)
    assert {p.name: p.stat().st_ino for p in files} == inodes  # write_atomic would make new inodes

    essay = edition.articles[1]
    changed = replace(edition, articles=(edition.articles[0], replace(essay, title_en="A new title")))
    files = render_html(changed, settings)
    rewritten = {p.name for p in files if p.stat().st_ino != inodes[p.name]}
    assert rewritten == {"essay.html", "index.html", "interview.html", "glossary.html"}  # pager & glossary name it


def test_publisher_templates_override_the_defaults(tmp_path):
    from translate.render.html import render_html

    templates = tmp_path / "templates" / "html"
    templates.mkdir(parents=True)
    (templates / "index.html").write_text('{% extends "base.html" %}{% block main %}<h1>My own {{ edition.title }}</h1>{% endblock %}',
                                          encoding="utf-8")
    (templates / "edition.css").write_text("body { color: black; }\n", encoding="utf-8")
    settings = make_settings(tmp_path / "build", templates_dir=tmp_path / "templates")
    render_html(sample_edition(), settings)
    html_dir = settings.build_dir / "html"
    assert "<h1>My own 中国大模型创业者 &lt;i&gt;</h1>" in (html_dir / "index.html").read_text(encoding="utf-8")
    assert (html_dir / "edition.css").read_text(encoding="utf-8") == "body { color: black; }\n"
    assert 'class="row' in (html_dir / "interview.html").read_text(encoding="utf-8")  # default article template


def test_a_broken_template_is_a_render_error_naming_it(tmp_path):
    from translate.render.html import render_html

    templates = tmp_path / "templates" / "html"
    templates.mkdir(parents=True)
    (templates / "report.html").write_text("{% extends 'base.html' %}{% block main %}{{ nosuch.thing }}{% endblock %}",
                                           encoding="utf-8")
    settings = make_settings(tmp_path / "build", templates_dir=tmp_path / "templates")
    with pytest.raises(RenderError, match="HTML template error"):
        render_html(sample_edition(), settings)
    assert not (settings.build_dir / "html" / "index.html").exists()  # gather first, write last


def test_unsafe_slugs_are_refused_and_reserved_names_renamed():
    from translate.render.html import article_file

    assert article_file("interview") == "interview.html"
    assert article_file("index") == "index-article.html"
    for slug in ("../evil", "a/b", "", "中文"):
        with pytest.raises(RenderError, match="safe file name"):
            article_file(slug)


def test_english_terms_respect_case_for_kept_terms(render):
    from translate.glossary.honour import term_spans
    from translate.render.html import _annotate_en

    def mark(text, term):
        return _annotate_en(text, [(start, end, term) for start, end in term_spans(term, text)])

    keep = TERMS[3]
    assert 'data-term="Densing Law">Densing Law<' in mark("the Densing Law holds", keep)
    assert "span" not in mark("the densing law holds", keep)
    model = TERMS[0]
    assert ">Large models<" in mark("Large models & <x>", model)
    assert "&amp; &lt;x&gt;" in mark("Large models & <x>", model)
    quote = Term(zh="引号", en='say "hi"')
    assert 'data-term="引号">say &quot;hi&quot;<' in mark('they say "hi"', quote)


def test_every_honoured_term_is_highlighted_as_the_report_counts_it(render):
    """Hyphenated and inflected targets (large-model era, three companies) were counted but not marked."""
    from factories import _seg

    article = sample_edition().articles[0]
    seg = _seg("b002", 2, "他认为大模型很重要。", "He thinks the large-model era matters.")
    assert [t.honoured for t in seg.terms] == [True]
    block = replace(article.blocks[1], segments=(article.blocks[1].segments[0], seg))
    edition = sample_edition()
    edition = replace(edition, articles=(replace(article, blocks=(article.blocks[0], block) + article.blocks[2:]),)
                      + edition.articles[1:])
    row = render(edition).page("interview.html").find(".//*[@id='b002']")
    en = [c for c in row if "en" in classes(c)][0]
    assert [text_of(t) for t in by_class(en, "term")] == ["Zhou Ming", "Langboat", "large-model"]


def test_views_default_from_settings(render):
    site = render(html_view="interleaved")
    assert site.page("interview.html").get("data-view") == "interleaved"
    buttons = [b.get("data-set-view") for b in site.page("interview.html").iter("button") if b.get("data-set-view")]
    assert buttons == ["side-by-side", "interleaved", "zh", "en"]


def test_speaker_labels_in_title_marks_find_their_glossary_entry(render):
    edition = sample_edition()
    article = edition.articles[0]
    question = article.blocks[2]
    from translate.glossary import Glossary
    from translate.translation.translator import speaker_segment

    terms = edition.terms + (Term(zh="晚点", en="LatePost", kind="publication"),)
    block = replace(question.block, speaker="《晚点》")
    marked = replace(question, block=block, speaker=speaker_segment("interview", block, Glossary.from_terms(terms), "gloss"))
    blocks = article.blocks[:2] + (marked,) + article.blocks[3:]
    edition = replace(edition, terms=terms, articles=(replace(article, blocks=blocks),) + edition.articles[1:])
    row = render(edition).page("interview.html").find(".//*[@id='b003']")
    assert [text_of(s) for s in by_class(row, "speaker")] == ["《晚点》：", "LatePost: "]


def test_an_edition_without_a_report_still_renders(render):
    site = render(replace(sample_edition(), report=None))
    assert "Quality report" in text_of(site.page("report.html").find(".//h1"))
    assert len(by_class(site.page("index.html"), "contents-item")) == 2


# --- reader-facing faults (issue 18) -----------------------------------------------------------------------------


def test_machine_english_has_curly_quotes_and_no_stray_space_and_term_marks_stay(render):
    from readerfaults import CURLY, STRAIGHT, faults_edition

    site = render(faults_edition())
    page = site.page("faults.html")
    english = text_of(page.find(".//*[@id='b003']").find(".//*[@class='en']"))
    assert english.strip() == CURLY and STRAIGHT not in site.text("faults.html")
    marked = [text_of(t) for t in by_class(page.find(".//*[@id='b003']"), "term")]
    assert marked == ["大模型", "large model"]  # the span moved with the text it marks
    # a translator's English is shown exactly as written
    edition = sample_edition()
    interview = edition.articles[0]
    block = interview.blocks[1]
    edited = replace(block.segments[0], en='Zhou Ming founded "Langboat" .', origin="edited")
    changed = replace(interview, blocks=(interview.blocks[0], replace(block, segments=(edited, block.segments[1])),
                                         *interview.blocks[2:]))
    page = render(replace(edition, articles=(changed, edition.articles[1]))).page("interview.html")
    english = next(e for e in page.iter("span") if e.get("data-seg") == "b002.s1" and "origin-edited" in classes(e))
    assert text_of(english) == 'Zhou Ming founded "Langboat" .'


def test_the_article_header_names_the_publication_not_the_source_file(render):
    from readerfaults import SOURCE_FILE, faults_edition

    site = render(faults_edition())
    for name in ("faults.html", "interview.html"):
        assert SOURCE_FILE not in site.text(name) and "000_x.txt" not in site.text(name)
    byline = site.page("faults.html").find(".//*[@class='byline']")
    facts = {text_of(d.find("dt")): " ".join(text_of(d.find("dd")).split()) for d in byline}
    assert facts["Source"] == "LatePost 晚点 LatePost, in Simplified Chinese"
    assert "Published in" not in facts  # said once, in the Source line
    essay = {text_of(d.find("dt")): " ".join(text_of(d.find("dd")).split())
             for d in site.page("essay.html").find(".//*[@class='byline']")}
    assert essay["Source"] == "Traditional Chinese"


def test_glossary_occurrence_links_are_numbered_not_labelled_with_sentence_ids(render):
    page = render().page("glossary.html")
    large = next(e for e in by_class(page, "entry") if "大模型" in text_of(e))
    links = by_class(large, "occurrence")
    assert [text_of(a) for a in links] == ["1", "2", "3"]
    assert not re.search(r"\bb\d{3}\.s\d", text_of(page))
    assert [a.get("href") for a in links] == ["interview.html#b001.s1", "interview.html#b002.s2",
                                              "interview.html#b004.s1"]


def test_placeholder_alt_texts_are_not_captions(render):
    from readerfaults import faults_edition

    site = render(faults_edition(), remote_images=True)
    figure = site.page("faults.html").find(".//*[@id='b002']")
    assert "Picture" not in text_of(figure) and "图片" not in text_of(figure)
    assert [i.get("alt") for i in figure.iter("img")] == [""]  # decorative: no made-up description
    real = site.page("interview.html").find(".//*[@id='b006']")
    assert "Zhou Ming in his office" in text_of(real)


def test_glossary_page_is_in_alphabetical_order_of_the_english(render):
    page = render().page("glossary.html")
    english = [text_of(e.find(".//dd")).split(" kept as is")[0].split(" concept")[0].split(" company")[0]
               .split(" person")[0].strip() for e in by_class(page, "entry")]
    assert english == ["Densing Law", "Langboat", "large model", "Zhou Ming"]
    # anchors stay the termbase's, so the article pages' links to an entry are stable
    assert {e.get("id") for e in by_class(page, "entry")} == {f"term-{n}" for n in range(1, len(TERMS) + 1)}


def test_the_glossary_page_shows_each_terms_accepted_alternates_escaped(render):
    edition = sample_edition()
    terms = tuple(replace(t, alternates=("big-model <b>era</b>", "LLM")) if t.zh == "大模型" else t
                  for t in edition.terms)
    site = render(replace(edition, terms=terms))
    page = site.page("glossary.html")
    entry = [e for e in by_class(page, "entry") if "大模型" in text_of(e)][0]
    assert "Also accepted: big-model <b>era</b>, LLM" in text_of(entry)
    assert not page.findall(".//b")
    others = [e for e in by_class(page, "entry") if "大模型" not in text_of(e)]
    assert others and not any("Also accepted" in text_of(e) for e in others)
