"""The fonts read through HarfBuzz (loaded once a process) give what fontTools reads from the same files."""

from __future__ import annotations

import pytest

from translate.render import fonts

INSTALLED = fonts.fc_list(":lang=zh") + fonts.fc_list("Noto Serif")


@pytest.mark.skipif(not INSTALLED or fonts._harfbuzz() is None, reason="no CJK font or no HarfBuzz here")
def test_harfbuzz_reads_the_same_space_advance_as_fonttools_for_every_installed_face():
    from fontTools.ttLib import TTFont

    for path, index in sorted({(face.path, face.index) for face in INSTALLED})[:24]:
        font = TTFont(str(path), fontNumber=index, lazy=True)
        glyph = font.getBestCmap().get(0x20)
        expected = font["hmtx"][glyph][0] / font["head"].unitsPerEm if glyph is not None else 0.25
        assert fonts._harfbuzz_space_advance(path, index) == expected, (path, index)


def test_a_face_harfbuzz_cannot_open_falls_back_to_fonttools(tmp_path):
    missing = tmp_path / "none.otf"
    assert fonts._harfbuzz_space_advance(missing, 0) is None
    fonts.space_advance.cache_clear()
    assert fonts.space_advance(missing, 0) == 0.25  # fontTools cannot read it either: the default
