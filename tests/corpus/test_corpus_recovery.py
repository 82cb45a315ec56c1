"""Damaged GBK spans read back from their bytes (issue 30): a dropped private-use pair, a pinyin tail."""

from __future__ import annotations

from translate.corpus.draft import Draft
from translate.corpus.mojibake import rule as mojibake_rule
from translate.corpus.recovery import dropped_pairs


def _shifted(hexpairs: str) -> str:
    """GBK bytes read one byte out of step, as the scrape shows them."""
    return bytes.fromhex(hexpairs).decode("gb18030")


def _damaged_trillion() -> str:
    # 這是因為它站在萬億參數…: 為 (9E E9) lost its first byte; read out of step the rest pairs as
    # E9CB FCD5 BED4 DAC8 66; FC D5 decodes to a private-use character, which the scrape dropped.
    assert bytes.fromhex("fcd5") in dropped_pairs()
    return ("它僅靠一個小團隊就打敗了對手，這是因?yàn)" + _shifted("e9cb" + "bed4" + "dac8") + "f"
            + "億參數大模型的基礎上，才能更好地理解物理規律。\n")


def test_a_span_with_a_dropped_pair_is_read_back_and_its_magnitude_recovered():
    draft = Draft.from_text(_damaged_trillion(), "x.txt")
    mojibake_rule(draft)
    assert "在萬億參數大模型" in draft.text
    assert "樗" not in draft.text and "谌" not in draft.text
    # What the bytes leave open is flagged, never guessed: at most the pronoun and the verb.
    assert draft.text.count("⟦") <= 1


def test_every_recovered_character_is_logged():
    source = _damaged_trillion()
    draft = Draft.from_text(source, "x.txt")
    mojibake_rule(draft)
    repairs = [e for e in draft.log if e.rule == "mojibake" and e.action == "repair"]
    assert len(repairs) == 1 and "GBK bytes recovered" in repairs[0].note and "dropped pair" in repairs[0].note
    entry = repairs[0]
    assert source.replace(entry.removed, entry.inserted, 1) == draft.text


def test_clean_text_and_a_real_question_stay_as_they_are():
    text = "這是因為它站在萬億參數大模型的基礎上嗎?他說，我們還不知道。\n"
    draft = Draft.from_text(text, "x.txt")
    mojibake_rule(draft)
    assert draft.text == text


def test_a_lost_byte_after_a_pinyin_annotation_is_repaired():
    # 規模化 in GBK is D2 8E | C4 A3 | BB AF: 規 was annotated (guī), then C4 was lost, A3 BB read as a
    # full-width semicolon (made half-width) and AF, alone before 、, as a question mark.
    assert _shifted("a3bb") == "；"
    text = "資本不斷質疑他們做 ToB 難以規(guī)?;?、毛利差,市場上沒有人投 AI。\n"
    draft = Draft.from_text(text, "x.txt")
    mojibake_rule(draft)
    assert "難以規(guī)模化、毛利差" in draft.text
