"""English typography in the shared view layer: machine English set as a reader expects it, in every output."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import sample_edition
from translate.markup import plain_text
from translate.models import Segment, TermUse
from translate.render.views import english_typography, shown_edition, shown_segment

CASES = [
    # (what the engine gave, what the reader sees)
    ('He said "large model. "', "He said “large model.”"),
    ('body weight more big. "', "body weight more big.”"),  # the quote an earlier sentence opened
    ('"We technology research question', "“We technology research question"),
    ('He admit, "have To C ambition person , roughly".', "He admit, “have To C ambition person, roughly”."),
    ('coin "upper bound", return', "coin “upper bound”, return"),
    ('"**large model**" is', "“**large model**” is"),
    ("it's Zhou's 'idea'", "it’s Zhou’s ‘idea’"),
    ("A  double  space ", "A double space"),
    ("( note )", "(note)"),
    ('x "  y "', "x “y”"),
    ("Already “curly” and fine.", "Already “curly” and fine."),
    # not prose: link destinations, code spans and escaped quotes keep their characters
    ('See [here](https://example.com/"x") and `a "b"`', 'See [here](https://example.com/"x") and `a "b"`'),
    ('say \\"x\\"', 'say \\"x\\"'),
]


@pytest.mark.parametrize("engine, reader", CASES, ids=[c[0] for c in CASES])
def test_english_typography(engine, reader):
    assert english_typography(engine) == reader
    assert english_typography(reader) == reader  # setting it twice changes nothing


def _segment(en: str, term: str, origin: str = "mt") -> Segment:
    start = plain_text(en).index(term)
    use = TermUse(zh="大模型", en=term, surface="大模型", honoured=True, zh_spans=((0, 3),),
                  en_spans=((start, start + len(term)),))
    return Segment(id="b001.s1", zh="大模型", zh_original="大模型", en=en, engine="gloss", terms=(use,),
                   origin=origin)


def test_term_spans_move_with_the_text_they_mark():
    segment = shown_segment(_segment('Zhou Ming ,  "large model" .', "large model"))
    assert segment.en == "Zhou Ming, “large model”."
    (start, end), = segment.terms[0].en_spans
    assert plain_text(segment.en)[start:end] == "large model"


def test_a_translators_english_is_left_as_written():
    edited = _segment('Zhou Ming , "large model"', "large model", origin="edited")
    assert shown_segment(edited) is edited


def test_the_shown_edition_typesets_titles_speakers_and_sentences_of_every_article():
    edition = sample_edition()
    interview = edition.articles[0]
    block = interview.blocks[1]
    quoted = replace(block.segments[1], en='He thinks "big models" matter .')
    changed = replace(interview, title_en='Zhou Ming on "large models"',
                      blocks=(interview.blocks[0], replace(block, segments=(block.segments[0], quoted)),
                              *interview.blocks[2:]))
    shown = shown_edition(replace(edition, articles=(changed, edition.articles[1])))
    article = shown.articles[0]
    assert article.title_en == "Zhou Ming on “large models”"
    assert article.blocks[1].segments[1].en == "He thinks “big models” matter."
    assert article.blocks[1].en == "Zhou Ming founded Langboat. He thinks “big models” matter."
    assert shown.articles[1] == edition.articles[1]  # nothing to set: the same article


def test_the_shown_edition_is_made_once_per_edition_and_is_its_own():
    edition = sample_edition()
    shown = shown_edition(edition)
    assert shown is not edition
    assert shown_edition(edition) is shown  # the HTML, the EPUB and the PDF of one build share it
    assert shown_edition(shown) is shown  # a renderer handed the shown edition does not typeset it again
    other = replace(edition, title="Another edition")
    assert shown_edition(other) is not shown and shown_edition(other).title == "Another edition"
