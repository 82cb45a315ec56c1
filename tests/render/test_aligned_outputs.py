"""Aligned English (``bitext align``) in every output: labelled as a person's translation not yet checked, its 2-1
beads' English shown once with the joined Chinese in its place, its confidence in the report and never to readers."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import replace

import pytest

from alignedtools import JOINED_EN, SURE_EN, UNSURE_EN, aligned_edition
from factories import HOSTILE
from htmltools import by_class, make_settings, text_of
from translate.render import views


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _plain(markup: str) -> str:
    """Markup's text, tags dropped in place (a term link inside a sentence leaves the sentence whole)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _spans(page, side: str):
    """``data-seg`` → the sentence spans of one side (``zh`` or ``en``)."""
    out: dict[str, list] = {}
    for column in by_class(page, side):
        for span in by_class(column, "seg"):
            out.setdefault(span.get("data-seg"), []).append(span)
    return out


# --- the page model ---------------------------------------------------------------------------------------------


def test_the_shares_count_aligned_english_and_say_what_it_is():
    edition = aligned_edition()
    interview = edition.articles[0]
    shares = views.provenance(interview.segments)
    assert shares.aligned == 4  # the 2-1 bead's two segments, the sure and the unsure bead
    assert shares.total == len(interview.segments)
    assert "4 aligned from an existing English translation (not yet checked sentence by sentence)" in shares.sentence()
    assert "segments aligned from an existing English translation" in views.english_label(interview)
    assert views.colophon(edition).has_aligned and views.colophon(edition).aligned_note == views.ALIGNED_NOTE
    assert views.colophon(edition, edition.articles[1]).aligned_note == ""  # the essay has none
    assert edition.report.segments_by_origin["aligned"] == 4


def test_a_joined_segment_pairs_with_its_carriers_english():
    edition = aligned_edition()
    model = views.article_model(edition, edition.articles[0])
    by_id = {v.segment.id: v for b in model.blocks for v in b.segments}
    carrier, joined, sure = by_id["b002.s1"], by_id["b002.s2"], by_id["b003.s1"]
    assert joined.joined and joined.pairs_with == "b002.s1"
    assert carrier.pairs_with == "b002.s1" and carrier.joins == ("b002.s2",)
    assert carrier.uncertain and not sure.uncertain and by_id["b004.s1"].uncertain
    assert carrier.provenance.startswith(views.ORIGIN_LABELS["aligned"])
    assert "one English for 2 Chinese sentences" in carrier.provenance
    assert "not yet checked" in views.ORIGIN_LABELS["aligned"]


def test_a_broken_or_looping_join_pairs_a_segment_with_itself():
    edition = aligned_edition()
    interview = edition.articles[0]
    loop = {"b002.s1": "b002.s2", "b002.s2": "b002.s1"}
    blocks = tuple(replace(b, segments=tuple(replace(s, en="", joined=loop[s.id]) if s.id in loop else s
                                             for s in b.segments)) for b in interview.blocks)
    assert views.english_carriers(replace(interview, blocks=blocks)) == {}
    gone = tuple(replace(b, segments=tuple(replace(s, joined="b999.s1") if s.id == "b002.s2" else s
                                           for s in b.segments)) for b in interview.blocks)
    assert views.english_carriers(replace(interview, blocks=gone)) == {}
    assert views.english_carriers(interview) == {"b002.s2": "b002.s1"}


# --- HTML -------------------------------------------------------------------------------------------------------


def test_the_html_reader_shows_a_beads_english_once_and_links_both_chinese_sentences_to_it(render):
    site = render(aligned_edition())
    page_text = site.text("interview.html")
    page = site.page("interview.html")
    assert text_of(page).count(JOINED_EN) == 1
    english = _spans(page, "en")
    chinese = _spans(page, "zh")
    assert "b002.s2" not in english  # no English span of its own: not shown empty, not "untranslated"
    assert [text_of(s) for s in english["b002.s1"]] == [JOINED_EN]
    # Both Chinese sentences pair with the carrier's English; each keeps its own anchor.
    assert sorted(s.get("id") for s in chinese["b002.s1"]) == ["b002.s1", "b002.s2"]
    row = next(r for r in by_class(page, "row") if r.get("id") == "b002")
    assert "周明创立了澜舟科技。" in text_of(row) and "他认为大模型很重要。" in text_of(row)
    assert "untranslated" not in page_text.lower()
    assert "  " not in text_of(by_class(row, "en")[0])


def test_the_html_reader_labels_aligned_english_and_marks_the_unsure_for_serve_only(render):
    site = render(aligned_edition())
    page = site.page("interview.html")
    english = _spans(page, "en")
    carrier, sure, unsure = english["b002.s1"][0], english["b003.s1"][0], english["b004.s1"][0]
    for span in (carrier, sure, unsure):
        assert span.get("data-origin") == "aligned" and "origin-aligned" in span.get("class").split()
        assert span.get("title").startswith(views.ORIGIN_LABELS["aligned"])
    assert "uncertain" in carrier.get("class").split() and "uncertain" in unsure.get("class").split()
    assert "uncertain" not in sure.get("class").split()
    assert text_of(unsure) == UNSURE_EN  # hostile English is text, not markup
    assert "<script>" not in site.text("interview.html")
    assert "0.42" not in site.text("interview.html") and "0.3" not in _text(site.text("interview.html"))
    legend = text_of(by_class(page, "legend")[0])
    assert "machine English" in legend and "dashed underline" in legend and "aligned" in legend
    assert text_of(by_class(site.page("index.html"), "colophon")[0]).count("4 aligned from an existing") == 1


def test_an_edition_of_edited_and_aligned_english_says_nothing_of_machines(render, tmp_path):
    edition = aligned_edition()
    interview = edition.articles[0]
    blocks = tuple(replace(b, segments=tuple(s if s.origin == "aligned" else replace(s, origin="edited")
                                             for s in b.segments),
                           speaker=replace(b.speaker, origin="edited") if b.speaker is not None else None)
                   for b in interview.blocks)
    title = replace(interview.title, origin="edited") if interview.title is not None else None
    edition = replace(edition, articles=(replace(interview, blocks=blocks, title=title),))
    site = render(edition)
    page = site.page("interview.html")
    legend = text_of(by_class(page, "legend")[0])
    assert "machine" not in legend and "dashed underline" in legend
    button = next(b for b in page.iter("button") if b.get("data-toggle-provenance") is not None)
    assert text_of(button) == "Mark aligned English"
    from translate.render.epub import render_epub

    settings = make_settings(tmp_path / "epub-build")
    book = render_epub(edition, settings)[0]
    with zipfile.ZipFile(book) as epub:
        colophon = _text(epub.read("EPUB/colophon.xhtml").decode("utf-8"))
    assert views.ALIGNED_NOTE in colophon and "machine translation" not in colophon


def test_the_report_page_shows_the_aligned_share_and_the_beads_to_check_with_their_confidence(render):
    site = render(aligned_edition())
    report = site.page("report.html")
    text = _text(site.text("report.html"))
    assert "aligned from an existing translation" in text
    shares = [text_of(e) for e in by_class(report, "share-aligned")]
    assert shares and shares[0].startswith("4 aligned")
    tables = by_class(report, "to-check")
    assert len(tables) == 1  # the interview; the essay has no aligned English
    rows = [[text_of(td) for td in tr.iter("td")] for tr in tables[0].iter("tr") if list(tr.iter("td"))]
    assert [r[0] for r in rows] == ["b002.s1 (with b002.s2)", "b004.s1"]
    assert [r[1] for r in rows] == ["0.42", "0.30"]
    assert rows[1][2] == UNSURE_EN
    assert "<script>" not in site.text("report.html")
    assert SURE_EN not in text  # a sure bead is not listed


# --- EPUB and PDF -------------------------------------------------------------------------------------------------


def test_the_epub_shows_a_beads_english_once_keeps_the_anchors_and_says_what_aligned_means(tmp_path):
    from translate.render.epub import render_epub

    settings = make_settings(tmp_path / "build")
    book = render_epub(aligned_edition(), settings)[0]
    with zipfile.ZipFile(book) as epub:
        chapter = next(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith("interview.xhtml"))
        colophon = _text(epub.read("EPUB/colophon.xhtml").decode("utf-8"))
    assert _plain(chapter).count(JOINED_EN) == 1
    assert chapter.count('id="b002.s2"') == 1 and chapter.count('id="b002.s1"') == 1
    assert "他认为大模型很重要。" in chapter
    assert "<script>" not in chapter and "0.42" not in chapter
    assert views.ALIGNED_NOTE in colophon and "4 aligned from an existing English translation" in colophon


def test_the_pdf_shows_a_beads_english_once_and_its_colophon_says_what_aligned_means(tmp_path):
    from translate.render.pdf.edition import _template_env
    from translate.render.pdf.printviews import article_view, colophon_view

    edition = views.shown_edition(aligned_edition())
    view = article_view(edition.articles[0], edition)
    english = _plain(" ".join(str(getattr(p, "en", "")) for p in _pairs(view)))
    assert english.count(JOINED_EN) == 1
    chinese = re.sub(r"\s", "", _plain("".join(str(getattr(p, "zh", "")) for p in _pairs(view))))
    assert "周明创立了澜舟科技。他认为大模型很重要。" in chinese  # print spaces its Chinese: compare without
    settings = make_settings(tmp_path / "build")
    colophon = colophon_view(edition, None)
    assert colophon["has_aligned"] and "4 aligned" in colophon["provenance"]
    text = _text(_template_env(settings).get_template("_colophon.html.j2").render(c=colophon))
    assert views.ALIGNED_NOTE in text and "dictionary gloss" in text


def _pairs(view):
    """Every paired block of a PDF article view, tables' cells included."""
    out = []
    for item in view.items:
        if hasattr(item, "header") and hasattr(item, "body"):
            out += [*item.header, *(c for row in item.body for c in row)]
        else:
            out.append(item)
    return out


def test_hostile_text_in_the_shares_is_escaped_and_the_hostile_marker_stays_data(render):
    site = render(aligned_edition())
    assert HOSTILE not in site.text("interview.html") and HOSTILE not in site.text("report.html")


@pytest.mark.slow
@pytest.mark.browser
def test_in_a_browser_either_chinese_sentence_of_a_bead_lights_its_one_english(browser, tmp_path):
    from translate.render.html import render_html

    settings = make_settings(tmp_path / "build")
    render_html(aligned_edition(), settings)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((settings.build_dir / "html" / "interview.html").as_uri() + "#b002.s2")
        page.wait_for_load_state("load")
        lit = "el => [...document.querySelectorAll('.targeted')].map(e => e.closest('.zh, .en').className.split(' ')[0] + ':' + e.id)"
        # A link to the joined sentence lights the bead: both Chinese sentences and the one English.
        assert sorted(page.evaluate(f"({lit})()")) == ["en:", "zh:b002.s1", "zh:b002.s2"]
        page.locator("#b002\\.s2").hover()
        english = page.locator('.en .seg[data-seg="b002.s1"]')
        assert "linked" in english.get_attribute("class")
        page.locator('.en .seg[data-seg="b003.s1"]').hover()
        assert "linked" not in english.get_attribute("class")
        english.hover()
        assert "linked" in page.locator("#b002\\.s2").get_attribute("class")
        assert not errors, errors
    finally:
        context.close()
