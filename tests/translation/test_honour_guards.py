"""The cheap tests before the honour patterns, and the gloss's remembered words: never a different answer.

A term's pattern is compiled and run only when the English may hold it (each literal piece of one of its
forms is there, ignoring case as ``re.IGNORECASE`` does); a repeat is collapsed only when the target may
be there twice. These tests hold the guarded answers to the patterns' own, where ``str.lower`` and
``re.IGNORECASE`` part ways (ı, İ, ſ and the Kelvin sign match ASCII letters), and hold the gloss's
remembered words to the dictionary they came from.
"""

import itertools
import re
import string

import pytest

import translate.dictionary as dictionary
from translate.dictionary import DictEntry, Dictionary
from translate.glossary import honour
from translate.glossary.honour import (FOLDS_TO_ASCII, find_term, target_honoured, target_pattern, term_honoured,
                                       term_pattern, term_spans)
from translate.models import Term
from translate.translation import gloss
from translate.translation.constraints import _collapse_repeats, _repeats
from translate.translation.gloss import GlossEngine

TERMS = (
    Term(zh="大模型", en="large model", pos="noun"),
    Term(zh="创业公司", en="start-up", alternates=("startup company",)),
    Term(zh="公司", en="company", pos="noun"),
    Term(zh="部署", en="deploy", pos="verb", alternates=("rollout",)),
    Term(zh="澜舟科技", en="Langboat", case="exact"),
    Term(zh="密度定律", en="Densing Law", keep=True, case="exact"),
    Term(zh="显卡", en="GPU", keep=True, pos="noun"),
    Term(zh="技能", en="skill", pos="noun"),
    Term(zh="工具包", en="kit"),
    Term(zh="算力", en="computing power"),
    Term(zh="咖啡馆", en="café"),
    Term(zh="思考", en="think", pos="verb"),
    Term(zh="模型即服务", en="model-as-a-service"),
)

#: English that the cheap test and the patterns could read differently: the letters re folds to ASCII ones
#: (ſ → s, ı and İ → i, the Kelvin sign → k), other non-ASCII text, hyphens, commas, quotes, case.
ENGLISH = (
    "A large model is coming.", "LARGE MODELS", "large  model", "large-model era", "large modelſ",
    "ſtart-up", "a START UP", "two startups", "startup company", "ſtartup", "three companies", "compaNİES",
    "deployed", "DEPLOYİNG", "a rollout", "Langboat", "langboat", "Langboat’s", "Densing Law", "densing law",
    "GPUs", "gpus", "two ſkills", "SKİLLS", "a \u212ait", "\u212aIT", "kits", "computing power", "computıng power",
    "a café", "CAFÉ", "cafe", "thınking", "THINKİNG", "thinks", "model-as-a-service", "MODEL AS A SERVICE",
    "modelſ-as-a-ſervice", "nothing here", "", "’‘", "Zhou Ming’s view",
)


def test_the_letters_re_folds_to_ascii_ones_are_the_list():
    everything = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    letters = "|".join(string.ascii_letters)
    assert set(re.findall(f"(?i:{letters})", everything)) == FOLDS_TO_ASCII
    assert set(re.findall("[A-Za-z0-9]", everything, re.IGNORECASE)) == FOLDS_TO_ASCII


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.en)
def test_the_guarded_answers_are_the_patterns(term):
    for english in ENGLISH:
        normal = english.replace("’", "'").replace("‘", "'")
        expected = tuple(m.span() for m in term_pattern(term).finditer(normal))
        assert term_spans(term, english) == expected, english
        assert term_honoured(term, english) is bool(expected), english
        assert find_term(term, english) == (expected[0] if expected else None), english
        assert target_honoured(term, english) is (target_pattern(term).search(normal) is not None), english


@pytest.mark.parametrize("term, english", [
    (TERMS[0], "large modelſ"),          # the plural s as a long s
    (TERMS[1], "ſtart-up"),              # the first piece itself
    (TERMS[2], "compaNİES"),             # a dotted capital I
    (TERMS[7], "two ſkills"),
    (TERMS[8], "a \u212ait"),            # the Kelvin sign
    (TERMS[11], "thınking"),             # a dotless i
])
def test_a_letter_that_folds_to_ascii_is_still_found(term, english):
    assert target_honoured(term, english)
    assert term_spans(term, english)


def test_the_cheap_test_says_no_only_where_the_pattern_cannot_match():
    # Where it says no, no pattern is compiled: a term absent from every sentence costs no regex.
    term = Term(zh="奇点", en="technological singularity", pos="noun")
    honour._compiled.cache_clear()
    assert not target_honoured(term, "the large model is here")
    assert not term_spans(term, "the large model is here")
    assert honour._compiled.cache_info().currsize == 0
    assert target_honoured(term, "two Technological Singularities")
    assert honour._compiled.cache_info().currsize == 1


def test_an_edited_term_is_checked_as_edited():
    before = Term(zh="基座模型", en="foundation model", pos="noun")
    after = Term(zh="基座模型", en="base model", pos="noun")
    assert target_honoured(before, "two foundation models") and not target_honoured(before, "two base models")
    assert target_honoured(after, "two base models") and not target_honoured(after, "two foundation models")
    assert term_spans(after, "the base model") == ((4, 14),)


@pytest.mark.parametrize("target, exact, english, collapsed", [
    ("Langboat", True, "Langboat Langboat said", "Langboat said"),
    ("Langboat", True, "Langboat, Langboat said", "Langboat said"),
    ("Langboat", True, "Langboat,Langboat", "Langboat"),
    ("Langboat", True, "langboat Langboat", "langboat Langboat"),          # exact: case counts
    ("large model", False, "large model, LARGE MODEL is", "large model is"),
    ("large model", False, "large model, large models", "large model, large models"),
    ("Spark", False, "Spark ſpark", "Spark"),                                # ſ is an s to re.IGNORECASE
    ("kit", False, "kit, \u212aIT and", "kit and"),
    ("skill", False, "a skill", "a skill"),
    ("café", False, "café, CAFÉ", "café"),                                  # not ASCII: the pattern decides
])
def test_repeats_are_collapsed_as_the_pattern_collapses_them(target, exact, english, collapsed):
    term = Term(zh="词", en=target, case="exact" if exact else "insensitive")
    assert _collapse_repeats(english, (term,)) == collapsed
    assert _repeats(target, exact).sub(r"\1", english) == collapsed


def test_repeats_across_every_pair_match_the_pattern():
    words = ("Langboat", "langboat", "LANGBOAT", "ſpark", "Spark", "spark", ",", " ", ", ", "x")
    for target, exact in (("Langboat", True), ("Langboat", False), ("Spark", False), ("spark", True)):
        term = Term(zh="词", en=target, case="exact" if exact else "insensitive")
        for parts in itertools.product(words, repeat=3):
            english = " ".join(parts)
            assert _collapse_repeats(english, (term,)) == _repeats(target, exact).sub(r"\1", english), english


# -- the gloss's remembered words ------------------------------------------------------------------


def _dictionary(sense: str) -> Dictionary:
    return Dictionary({"奇点": (DictEntry("奇点", "奇點", "qi2 dian3", (sense,)),)}, "test")


def test_a_word_is_glossed_again_with_another_dictionary(monkeypatch):
    monkeypatch.setattr(dictionary, "segment_words", lambda text, *args, **kwargs: [text])
    engine = GlossEngine()
    first = _dictionary("singularity")
    monkeypatch.setattr(dictionary, "load_dictionary", lambda: first)
    assert engine.gloss("奇点") == "singularity"
    assert engine.gloss("奇点") == "singularity"
    second = _dictionary("odd point")
    monkeypatch.setattr(dictionary, "load_dictionary", lambda: second)
    assert engine.gloss("奇点") == "odd point"


def test_the_remembered_words_are_bounded(monkeypatch):
    words = {f"词{i}": (DictEntry(f"词{i}", f"詞{i}", "ci2", (f"word {i}",)),) for i in range(50)}
    small = Dictionary(words, "test")
    monkeypatch.setattr(dictionary, "segment_words", lambda text, *args, **kwargs: [text])
    monkeypatch.setattr(dictionary, "load_dictionary", lambda: small)
    monkeypatch.setattr(gloss._WordGlosses, "limit", 10)
    remembered = gloss._WordGlosses()
    monkeypatch.setattr(gloss, "_WORD_GLOSSES", remembered)
    engine = GlossEngine()
    for i in range(50):
        assert engine._gloss_chinese(f"词{i}") == [f"word {i}"]
        assert len(remembered._state[1]) <= 10
    assert engine._gloss_chinese("词3") == ["word 3"]
