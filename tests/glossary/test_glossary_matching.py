"""Matching: leftmost-longest over Simplified, Traditional and mixed text, Latin on word boundaries."""

import pytest
from glossary_cases import FIXTURES, read_cases

from translate.glossary import Glossary
from translate.models import Term

GLOSSARY = Glossary.load(FIXTURES / "terms.csv")
CASES = read_cases("matching.txt")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matching_cases(case):
    (text,), expected = case.parts
    matches = GLOSSARY.find(text)
    assert [f"{m.surface} → {m.term.zh}" for m in matches] == list(expected), f"{case.where}: {case.title}"
    for match in matches:
        assert text[match.start:match.end] == match.surface


def test_offsets_are_in_the_original_text():
    matches = GLOSSARY.find("在瀾舟科技做大模型")
    assert [(m.start, m.end) for m in matches] == [(1, 5), (6, 9)]


def test_a_capital_that_lowers_to_two_characters_keeps_offsets():
    matches = GLOSSARY.find("İ大模型 AI")
    assert [(m.surface, m.start) for m in matches] == [("大模型", 1), ("AI", 5)]


def test_traditional_forms_are_derived_and_listed_as_variants():
    term = GLOSSARY.lookup("澜舟科技")
    assert term.variants == ("澜舟", "瀾舟科技", "瀾舟")
    assert GLOSSARY.lookup("後臺").zh == "后台"
    assert GLOSSARY.lookup("不存在") is None


def test_terms_keep_file_order_and_fields():
    assert len(GLOSSARY) == 12
    assert [t.zh for t in GLOSSARY.terms][:3] == ["大模型创业", "大模型", "模型"]
    densing = GLOSSARY.lookup("Densing Law")
    assert (densing.keep, densing.case, densing.line, densing.note) == (True, "exact", 10, "stays untranslated")
    assert GLOSSARY.lookup("大模型").note == 'The standard rendering; not "big model"'


def test_version_is_a_short_hash_of_the_file_bytes(tmp_path):
    copy = tmp_path / "terms.csv"
    copy.write_bytes((FIXTURES / "terms.csv").read_bytes())
    assert Glossary.load(copy).version == GLOSSARY.version
    assert len(GLOSSARY.version) == 12
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert Glossary.load(copy).version != GLOSSARY.version


def test_from_terms_for_other_stages():
    glossary = Glossary.from_terms([Term("后台", "back end"), Term("AI", "AI", case="exact")])
    assert [m.surface for m in glossary.find("後臺的AI和ai")] == ["後臺", "AI"]
    assert glossary.version == Glossary.from_terms([Term("后台", "back end"), Term("AI", "AI", case="exact")]).version


def test_an_empty_glossary_finds_nothing():
    assert Glossary.from_terms([]).find("大模型") == []


def test_from_terms_of_a_loaded_glossary_is_the_same_glossary():
    # The renderers rebuild the glossary from Edition.terms: deriving twice adds nothing.
    assert Glossary.from_terms(GLOSSARY.terms).terms == GLOSSARY.terms


def test_matching_the_whole_corpus_is_fast():
    # ~120k characters, the size of the five articles, split like paragraphs. The budget is
    # 50 ms on a quiet machine; the bound here only catches a matcher that scans term by term.
    import time

    paragraph = "澜舟科技的周明认为，大模型创业不是做AI芯片；OpenAI 的 GPT-4 和後臺都是另一回事。" * 4
    paragraphs = [paragraph] * (120_000 // len(paragraph))
    started = time.perf_counter()
    found = sum(len(GLOSSARY.find(p)) for p in paragraphs)
    assert time.perf_counter() - started < 0.5
    assert found == len(paragraphs) * 4 * 7
