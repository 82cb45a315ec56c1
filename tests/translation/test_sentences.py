"""Chinese sentence segmentation, case by case from fixtures/sentences.txt."""

from pathlib import Path

import pytest

from translate.corpus.sentences import sentence_spans, split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "sentences.txt"


def _cases():
    lines = [line for line in FIXTURES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    blocks, current = [], []
    for line in lines:
        if line == ".":
            blocks.append(current)
            current = []
        else:
            current.append(line)
    blocks.append(current)
    # blocks alternate: [title, input] then [expected...]
    for head, expected in zip(blocks[0::2], blocks[1::2]):
        title, text = head
        yield pytest.param(text, expected, id=title)


@pytest.mark.parametrize("text, expected", list(_cases()))
def test_segmentation(text, expected):
    assert split_sentences(text) == expected


def test_spans_point_into_the_text():
    text = "  周明认为，大模型很重要。 他说这很难！ "
    assert [text[s:e] for s, e in sentence_spans(text)] == ["周明认为，大模型很重要。", "他说这很难！"]
