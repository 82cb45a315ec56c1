"""One page model: article → sections → paired blocks → segments, decided once and laid out by HTML, EPUB and PDF."""

from __future__ import annotations

from dataclasses import replace

from factories import sample_edition
from translate.render import views
from translate.render.epub import _chapter
from translate.render.pdf.printviews import article_view


def _edition(script: str = "source"):
    return views.shown_edition(replace(sample_edition(), script=script))


def test_an_article_is_sections_of_paired_blocks_of_segments():
    edition = _edition()
    model = views.article_model(edition, edition.articles[0])
    assert [s.title_en for s in model.sections] == ["Large model start-ups"]
    assert model.lead == () and model.sections[0].blocks == model.blocks  # the heading opens the article
    assert [b.block.block.id for b in model.blocks] == ["b001", "b002", "b003", "b004", "b005", "b006", "b007"]
    assert [len(b.segments) for b in model.blocks] == [1, 2, 1, 1, 1, 1, 1]
    question, answer = model.blocks[2], model.blocks[3]
    assert (question.speaker_zh, answer.speaker_zh) == ("晚点", "周明") and answer.speaker_en == "Zhou Ming"
    first = model.blocks[1].segments[0]
    assert ("澜舟科技" in {zh for _, _, zh in first.zh_spans}) and first.zh == "周明创立了澜舟科技。"
    assert [b.segments[0].damaged for b in model.blocks][-1] and not first.damaged
    assert views.article_model(edition, edition.articles[0]) is model  # made once per edition


def test_the_shown_script_is_decided_once_for_every_output():
    edition = _edition("traditional")
    model = views.article_model(edition, edition.articles[0])
    assert model.script == "traditional" and model.lang == "zh-Hant"
    assert model.title_zh == "周明談大模型" and model.blocks[0].zh == "大模型創業"
    assert model.sections[0].title_zh == "大模型創業"
    chapter = _chapter(edition, edition.articles[0], ("zh", "en"), {t.zh for t in edition.terms})
    pdf = article_view(edition.articles[0], edition)
    assert [(s.zh, s.en) for s in chapter.sections] == [(s.title_zh, s.title_en) for s in model.sections]
    assert [(s.zh, s.en) for s in pdf.sections] == [(s.title_zh, s.title_en) for s in model.sections]
    assert chapter.title_zh == pdf.title_zh == model.title_zh


def test_a_placeholder_image_is_shown_by_no_output():
    edition = _edition()
    article = edition.articles[0]
    image = article.blocks[5]
    placeholder = replace(image, block=replace(image.block, text="图片", original="图片"))
    article = replace(article, blocks=(*article.blocks[:5], placeholder, *article.blocks[6:]))
    edition = replace(edition, articles=(article, *edition.articles[1:]))
    model = views.article_model(edition, article)
    assert [b.shown for b in model.blocks] == [True] * 5 + [False, True]
    chapter = _chapter(edition, article, ("zh", "en"), set())
    assert chapter.paragraphs[5].sides == () and chapter.paragraphs[4].sides != ()
    assert str(article_view(article, edition).pairs[5].zh) == ""


def test_a_segment_says_where_its_english_came_from():
    edition = _edition()
    segment = views.article_model(edition, edition.articles[0]).blocks[1].segments[0]
    assert segment.provenance == "Dictionary gloss"
    stale = views.SegmentView(replace(segment.segment, origin="mt", stale=True), segment.zh, (), ())
    assert stale.provenance == "Machine translation (a translator's edit awaits review)"
