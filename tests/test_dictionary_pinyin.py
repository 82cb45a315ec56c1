"""CC-CEDICT readings with tone marks: each syllable's marks worked out once, the same readings every time."""

from translate.dictionary import _syllable, tone_marks


def test_tone_marks_follow_the_rules_and_are_remembered_per_syllable():
    _syllable.cache_clear()
    assert tone_marks("Zhong1 guo2") == "Zhōng guó"
    assert tone_marks("lu:4 nu:3 shou3 xiao5") == "lǜ nǚ shǒu xiao"  # u: is ü; the fifth tone unmarked
    assert tone_marks("gou3 xue2") == "gǒu xué"  # the o of ou; otherwise the last vowel
    assert tone_marks("Zhong1 guo2 ren2") == "Zhōng guó rén"
    info = _syllable.cache_info()
    assert info.hits == 2 and info.misses == 9  # Zhong1 and guo2 read again, not worked out again
