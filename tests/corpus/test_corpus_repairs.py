"""Repairs made with the libraries made for them (issue 29): Latin mojibake (ftfy), HTML entities, full-width ASCII."""

from __future__ import annotations

import time

import pytest

from translate.corpus import clean
from translate.corpus.draft import Draft
from translate.corpus.entities import rule as entities_rule
from translate.corpus.fullwidth import rule as fullwidth_rule
from translate.corpus.latin import rule as latin_rule
from translate.corpus.punctuation import punctuation_rule


def _draft(text: str) -> Draft:
    return Draft.from_text(text, "x.txt")


def test_latin_mojibake_is_repaired_and_each_fix_logged():
    draft = _draft("摘要\nthe industryâ€™s chain, what we call â€œregional redundancyâ€\x9d, "
                   "and services â€” not tools\n")
    latin_rule(draft)
    assert "the industry’s chain, what we call “regional redundancy”, and services — not tools" in draft.text
    fixes = [(e.rule, e.line, e.removed, e.inserted) for e in draft.log]
    assert fixes == [("latin", 2, "â€™", "’"), ("latin", 2, "â€œ", "“"), ("latin", 2, "â€\x9d", "”"),
                     ("latin", 2, "â€”", "—")]


def test_a_closing_quote_that_lost_its_last_byte_is_repaired():
    draft = _draft("what we call â€œregional redundancyâ€, raising costs\n")
    latin_rule(draft)
    assert draft.text == "what we call “regional redundancy”, raising costs\n"


def test_latin_repair_never_touches_chinese_or_the_gbk_mojibake():
    text = "正确的中文，café 和 naïve 都对。鍏徃鐨勬柊浜у搧\n"
    draft = _draft(text)
    latin_rule(draft)
    assert draft.text == text and not draft.log


@pytest.mark.parametrize("entity, char", [("&ldquo;", "“"), ("&rdquo;", "”"), ("&mdash;", "—"), ("&hellip;", "…"),
                                          ("&#8220;", "“"), ("&copy;", "©")])
def test_entities_are_decoded_in_a_text_source(entity, char):
    draft = _draft(f"他说{entity}好{entity}\n")
    entities_rule(draft)
    assert draft.text == f"他说{char}好{char}\n"
    assert {e.rule for e in draft.log} == {"entities"}


def test_markup_entities_are_left_to_the_html_rule():
    draft = _draft("a &lt;b&gt; &amp; c &unknownname; `&ldquo;`\n")
    entities_rule(draft)
    assert draft.text == "a &lt;b&gt; &amp; c &unknownname; `&ldquo;`\n"


def test_the_punctuation_rule_never_makes_an_entity_semicolon_full_width():
    draft = _draft("越州&ldquo;智造&rdquo;展厅&#8212;开放\n")
    punctuation_rule(draft)
    assert "&ldquo；" not in draft.text and "&ldquo;" in draft.text and "&#8212;" in draft.text


def test_a_plain_text_source_comes_out_with_its_entities_decoded():
    cleaned = clean("纺织厂的实验\n\n工厂把它叫作&ldquo;验布员&rdquo;&mdash;&mdash;一台相机。R&D 部门很满意。\n".encode(), "a.txt")
    assert "工厂把它叫作“验布员”——一台相机。" in cleaned.body
    assert "&ldquo" not in cleaned.body and cleaned.conserved()


def test_full_width_digits_and_letters_are_folded_and_logged():
    draft = _draft("补货系统ＨＩＳ要花２．６小时，缺货率从８％降到３％（ＳＫＵ），２０２３年。\n")
    fullwidth_rule(draft)
    assert draft.text == "补货系统HIS要花2.6小时，缺货率从8%降到3%（SKU），2023年。\n"
    assert ("ＨＩＳ", "HIS") in [(e.removed, e.inserted) for e in draft.log]
    assert all(e.rule == "fullwidth" and e.action == "fold" for e in draft.log)


def test_correct_full_width_chinese_punctuation_stays():
    text = "他问：为什么？（因为）好！对；是，的。摄影／本刊记者\n"
    draft = _draft(text)
    fullwidth_rule(draft)
    assert draft.text == text and not draft.log


def test_english_quotes_and_dashes_keep_their_spaces_in_english():
    cleaned = clean("标题\n\nAbstract: what we call “regional redundancy”, raising costs — not only tools.\n\n"
                    "他说 “好” 。\n".encode(), "a.txt")
    assert "what we call “regional redundancy”, raising costs — not only tools." in cleaned.body
    assert "他说“好”。" in cleaned.body


@pytest.mark.hostile("corpus")
def test_a_megabyte_of_full_width_characters_is_folded_in_bounded_time():
    text = ("ＡＢＣ１２３中" * 150_000)[:1_000_000] + "\n"
    started = time.monotonic()
    cleaned = clean(text.encode(), "wide.txt")
    assert time.monotonic() - started < 60
    assert "ＡＢＣ" not in cleaned.body and "ABC123" in cleaned.body


@pytest.mark.hostile("corpus")
def test_a_megabyte_of_latin_mojibake_is_repaired_in_bounded_time():
    text = "â€œquoteâ€\x9d " * 90_000 + "\n"
    draft = _draft(text)
    started = time.monotonic()
    latin_rule(draft)
    assert time.monotonic() - started < 60
    assert "â€" not in draft.text and draft.text.startswith("“quote” ")
