"""The aligner's beads and confidences on inputs large enough for its band, pinned.

The inputs are built from the held-out pairs (tests/align/heldout/, helper-written text): all eight
at once with their paragraphs (the whole grid), twice over with a gap in the English (a band, whole
boxes between anchors), five times over with gaps on both sides and, in the third copy, the Chinese of
the last four pairs before the first four's (a book: the band follows the diagonals, and must widen
where the order differs), without and with paragraphs. The expected beads in
tests/align/pinned/ were written by the aligner as it was before its programme ran in numpy (the
per-cell Python programme); a speed-up must leave every bead and every confidence as it was.
Rewrite them (only for a change meant to move beads, said in its commit) with
``python tests/align/test_aligner_pinned.py --write``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from translate.align import align

HELDOUT = Path(__file__).parent / "heldout"
PINNED = Path(__file__).parent / "pinned"


def _pairs() -> list[tuple[list[str], list[str], list[int], list[int]]]:
    """Each held-out pair: Chinese lines, English lines, their paragraph indices."""
    out = []
    for gold in sorted(HELDOUT.glob("*.align")):
        read = lambda suffix: (HELDOUT / f"{gold.stem}.{suffix}").read_text(encoding="utf-8").splitlines()  # noqa: E731
        out.append((read("zh"), read("en"), [int(x) for x in read("zh.para")], [int(x) for x in read("en.para")]))
    return out


def _joined(copies: list[list[int]], drop_zh: dict[int, range], drop_en: dict[int, range]):
    """The pairs in the orders ``copies`` (one list of pair numbers a copy) joined; ``drop_zh``/``drop_en``:
    per copy, the lines of that copy left out of one side. Paragraph labels run on across pairs."""
    pairs = _pairs()
    zh, en, zpara, epara = [], [], [], []
    label = 0
    for copy, order in enumerate(copies):
        czh, cen, czp, cep = [], [], [], []
        for number in order:
            z, e, zp, ep = pairs[number]
            czh += z
            czp += [label + p for p in zp]
            label += max(zp) + 1
        for number in sorted(order):  # the English of the copy in the pairs' own order
            z, e, zp, ep = pairs[number]
            cen += e
            cep += [label + p for p in ep]
            label += max(ep) + 1
        cut_zh, cut_en = drop_zh.get(copy, range(0)), drop_en.get(copy, range(0))
        zh += [s for k, s in enumerate(czh) if k not in cut_zh]
        zpara += [p for k, p in enumerate(czp) if k not in cut_zh]
        en += [s for k, s in enumerate(cen) if k not in cut_en]
        epara += [p for k, p in enumerate(cep) if k not in cut_en]
    return zh, en, zpara, epara


def _inputs() -> dict[str, tuple[list[str], list[str], dict]]:
    eight = list(range(8))
    whole = _joined([eight], {}, {})
    chapter = _joined([eight, eight], {}, {1: range(30, 36)})
    book = _joined([eight, eight, [4, 5, 6, 7, 0, 1, 2, 3], eight, eight],
                   {3: range(20, 23)}, {1: range(10, 15), 4: range(100, 104)})
    return {
        "whole": (whole[0], whole[1], {"zh_paragraphs": whole[2], "en_paragraphs": whole[3]}),
        "chapter": (chapter[0], chapter[1], {"zh_paragraphs": chapter[2], "en_paragraphs": chapter[3]}),
        "book": (book[0], book[1], {}),
        "book-paragraphs": (book[0], book[1], {"zh_paragraphs": book[2], "en_paragraphs": book[3]}),
    }


def _format(beads) -> str:
    return "".join(f"{bead} {bead.confidence:.3f}\n" for bead in beads)


@pytest.mark.parametrize("name", ["whole", "chapter", "book", "book-paragraphs"])
def test_the_beads_and_their_confidence_are_those_pinned(name):
    zh, en, paragraphs = _inputs()[name]
    if name.startswith("book"):  # large enough that the band follows the anchors' diagonals (a book, not a chapter)
        assert len(zh) * len(en) > 16 * 40_000
    expected = (PINNED / f"{name}.beads").read_text(encoding="utf-8")
    got = _format(align(zh, en, **paragraphs))
    assert got.splitlines() == expected.splitlines()


if __name__ == "__main__" and "--write" in sys.argv:
    PINNED.mkdir(exist_ok=True)
    for key, (zh, en, paragraphs) in _inputs().items():
        (PINNED / f"{key}.beads").write_text(_format(align(zh, en, **paragraphs)), encoding="utf-8")
        print(key, len(zh), len(en))
