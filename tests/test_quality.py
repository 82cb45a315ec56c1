"""The quality report: term success, violations, and suspicious output."""

import pytest

from factories import sample_edition
from translate.models import Segment
from translate.quality import check_edition, segment_flags, summary_table


def seg(zh, en):
    return Segment(id="b001.s1", zh=zh, zh_original=zh, en=en, engine="fake")


def kinds(zh, en):
    return sorted({f["kind"] for f in segment_flags(seg(zh, en))})


@pytest.mark.parametrize(
    ("zh", "en", "expected"),
    [
        ("周明创立了澜舟科技，公司很小。", "Zhou Ming founded Langboat; the company is small.", []),
        ("周明创立了澜舟科技，公司很小。", "", ["empty"]),
        ("周明创立了澜舟科技，公司很小。", "Zhou Ming 创立 Langboat, the company is small.", ["untranslated"]),
        ("周明创立了澜舟科技，公司很小。", "the the the the company company", ["loop"]),
        ("周明创立了澜舟科技，公司很小，但是很有潜力。", "Small.", ["too_short"]),
        ("2020年底他离开了微软亚洲研究院。", "At the end of the year he left Microsoft Research Asia.", ["number_lost"]),
        ("OpenAI发布了GPT-3，引起了关注。", "It released a model that drew attention.", ["latin_lost", "number_lost"]),
        ("详见https://example.com/a页面。", "See the page for details at example.", ["url_lost"]),
        ("截至2022年11月，融资总额下降61%。", "By November 2022, total funding fell 61%.", []),
        ("截至2022年11月，融资总额下降61%。", "By October 2022, total funding fell 61%.", ["number_lost"]),
        ("90年代他去了清华，投了5个项目。", "In the 1990s he went to Tsinghua and backed five projects.", []),
        ("90年代他去了清华，投了5个项目。", "In the 1980s he went to Tsinghua and backed four projects.", ["number_lost"]),
    ],
)
def test_segment_flags(zh, en, expected):
    assert kinds(zh, en) == expected


def test_punctuation_only_source_is_never_flagged():
    assert segment_flags(seg("……", "")) == []


def test_report_counts_violations_and_damaged_spans():
    report = check_edition(sample_edition())
    assert report.violations == 1
    # speaker labels and captions are segments too: 周明 as a label and in a caption count
    assert (report.terms.pairs, report.terms.honoured) == (8, 7)
    assert report.term_success_rate == pytest.approx(7 / 8)
    interview = report.articles[0]
    assert interview.violations[0]["segment"] == "b002.s2"
    assert interview.damaged_spans == ({"block": "b007", "line": 22, "text": "閿欒"},)
    assert report.is_gloss is True
    gloss = report.segments_by_origin["gloss"]
    assert gloss > 0
    assert report.warnings() == {"glossary violations": 1, "damaged spans": 1, "gloss segments": gloss}
    assert report.warnings(allow_gloss=True) == {"glossary violations": 1, "damaged spans": 1}


def test_the_report_survives_its_json_and_counts_by_origin():
    from translate.models import QualityReport

    report = check_edition(sample_edition())
    data = report.to_json()
    assert data["edition"]["segments_by_origin"] == {"edited": 0, "aligned": 0, "mt": 0, "gloss": 12}
    assert data["edition"]["terms_by_origin"]["gloss"]["term_pairs"] == 8
    assert data["edition"]["terms_by_origin"]["gloss"]["term_occurrences"] == 8  # the pairs, under their old name
    assert QualityReport.from_json(data) == report


def test_summary_table_names_every_article_and_the_gloss_label():
    table = summary_table(check_edition(sample_edition()))
    assert "interview" in table and "essay" in table
    assert "87.5%" in table
    assert "terms: 7 of 8 segment–term pairs honoured; 8 term occurrences in the Chinese" in table.splitlines()
    assert "dictionary gloss" in table


def test_term_figures_name_their_unit_and_count_the_chinese_occurrences_beside_it():
    from translate.models import TermFigures, TermUse

    # 大模型 twice in one segment: one pair (the check's unit), two occurrences in the Chinese
    uses = [TermUse("大模型", "large model", "大模型", True, ((0, 3), (8, 11))), TermUse("周明", "Zhou Ming", "周明", False)]
    figures = TermFigures.of(uses)
    assert (figures.pairs, figures.honoured, figures.occurrences) == (2, 1, 3)
    assert figures.sentence() == "1 of 2 segment–term pairs honoured; 3 term occurrences in the Chinese"
    assert TermFigures.from_json(figures.to_json()) == figures
    older = {"term_occurrences": 2018, "terms_honoured": 2017, "term_success_rate": 2017 / 2018}
    assert TermFigures.from_json(older).sentence() == "2,017 of 2,018 segment–term pairs honoured"


def test_an_argos_edition_is_labelled_with_its_model_not_as_a_gloss():
    table = summary_table(check_edition(sample_edition(engine="argos")))
    assert any(line.startswith("machine engine: argos — zh_en_tiny-1.0") for line in table.splitlines())
    assert "dictionary gloss" not in table


def test_digits_and_latin_inside_glossary_terms_are_not_flagged():
    from translate.models import TermUse

    segment = Segment(id="b001.s1", zh="他认为 2B 的生意更靠谱，AIInfra 也是。", zh_original="", en="He thinks To B business is "
                      "more reliable, and so is AI infrastructure.", engine="gloss",
                      terms=(TermUse("2B", "To B", "2B", True), TermUse("AIInfra", "AI infrastructure", "AIInfra", True)))
    assert segment_flags(segment) == []


def test_latin_names_compare_without_spaces():
    assert kinds("我们有AI2.0项目，这是新的时代的开始。", "We have the AI 2.0 project, the start of a new era.") == []


def test_chinese_magnitudes_match_english_ones():
    """1000万 is "10 million", 2.5万 is "25,000", 10亿 is "1 billion": none of them is a lost number."""
    from translate.models import Segment

    zh = "英伟达一年大概生产100万颗GPU，训练GPT4要2.5万颗，投入10亿元。"
    right = Segment("b1.s1", zh, zh, "Nvidia makes about 1 million GPUs a year; GPT-4 took 25,000; 1 billion yuan.", "x")
    assert not [f for f in segment_flags(right) if f["kind"] in ("number_lost", "latin_lost")]
    wrong = Segment("b1.s1", zh, zh, "Nvidia makes about 100 GPUs a year; GPT-4 took 2.5; 10 yuan.", "x")
    assert {f["detail"] for f in segment_flags(wrong) if f["kind"] == "number_lost"} == {"100", "2.5", "10"}


def test_each_article_is_given_its_own_stale_edits_not_the_editions_list():
    # A report of 60 articles with 3,000 stale edits used to look at every stale edit once per article.
    from dataclasses import dataclass, replace

    from translate.postedit.apply import StaleEdit

    reads = []

    @dataclass(frozen=True)
    class Counted(StaleEdit):
        def __getattribute__(self, name):
            if name == "article":
                reads.append(1)
            return object.__getattribute__(self, name)

    edition = sample_edition()
    articles = tuple(replace(a, article=replace(a.article, slug=f"{a.slug}-{n}")) for n in range(30) for a in edition.articles)
    stale = [Counted(a.slug, "b001.s1", "乙。", "甲。", "A.") for a in articles for _ in range(50)]
    report = check_edition(replace(edition, articles=articles), stale)
    assert report.stale_edits == len(stale)
    assert len(reads) <= 3 * len(stale), f"{len(reads):,} reads for {len(stale):,} stale edits"
