"""The five real sources: golden articles, conservation, idempotence, the logs on disk."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from translate.corpus import clean, cleaninglog, load_article
from translate.corpus.decoding import decode
from translate.corpus.slugs import slugify

from corpus_cases import RAW, ROOT

SOURCES = sorted(RAW.glob("*.txt"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cleaned():
    return {path.name: clean(path.read_bytes(), path.name) for path in SOURCES}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_golden_article(cleaned, source):
    """The committed corpus/<slug>.md is what the cleaner writes (review the diff by eye when it changes)."""
    golden = ROOT / "corpus" / f"{slugify(source.name)}.md"
    assert cleaned[source.name].markdown == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_conservation_from_the_log_file(source):
    """Source characters = kept + removed − inserted, read back from corpus/<slug>.log."""
    slug = slugify(source.name)
    text, _ = decode(source.read_bytes(), source.name)
    header, entries = cleaninglog.read(ROOT / "corpus" / f"{slug}.log")
    body = (ROOT / "corpus" / f"{slug}.md").read_text(encoding="utf-8").split("---\n", 2)[2].removeprefix("\n")
    removed = Counter("".join(e.removed for e in entries))
    inserted = Counter("".join(e.inserted for e in entries))
    assert Counter(text) + inserted == Counter(body) + removed
    assert header["source"].startswith(f"{source.name} (utf-8, {len(text)} characters)")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_cleaning_an_article_again_changes_nothing(cleaned, source):
    once = cleaned[source.name]
    twice = clean(once.markdown.encode("utf-8"), f"corpus/{slugify(source.name)}.md")
    assert twice.markdown == once.markdown
    assert [e for e in twice.log if e.removed or e.inserted] == []


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_damage_left_unmarked(cleaned, source):
    body = cleaned[source.name].body
    unflagged = re.sub(r"⟦[^⟧]*⟧", "", body)
    assert not re.search(r"[\u4e00-\u9fff][(（][a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-z]*[)）]", unflagged), "pinyin annotation left"
    assert not re.search(r"</?\w+>|/p>|\[[A-Z]{2,5}\d\]", unflagged), "HTML remnant or editorial mark left"
    assert not re.search(r"[\u4e00-\u9fff]\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", unflagged), "mojibake left"
    for chrome in ("瀏覽器", "轉載", "分享：", "相關文章", "姓名", "立即設置", "丁香五月"):
        assert chrome not in unflagged


def test_structure_found_in_all_five():
    articles = {a.meta.source_file: a for a in (load_article(p) for p in sorted((ROOT / "corpus").glob("*.md")))}
    assert len(articles) == 5
    for source, article in articles.items():
        kinds = Counter(b.kind for b in article.blocks)
        assert article.meta.title, source
        assert kinds["heading"] >= 2, source
        assert kinds["paragraph"] >= 30, source
    assert articles["000_4695234a35547297.txt"].meta.authors == ("朱丽琨",)
    assert articles["000_4695234a35547297.txt"].meta.editors == ("程曼祺",)
    assert articles["001_9be88a1045dac41e.txt"].meta.authors == ("叶蓁",)
    assert articles["003_4c29f9f2258dec6c.txt"].meta.date == "2025-03-04"
    assert articles["002_6e338a6dd3e78412.txt"].meta.title == "为什么ChatGPT没有诞生在中国"
    speakers = {s: {b.speaker for b in a.blocks if b.speaker} for s, a in articles.items()}
    assert speakers["000_4695234a35547297.txt"] == {"《晚点》", "周明"}
    assert speakers["001_9be88a1045dac41e.txt"] == {"孙天澍", "王小川", "邱锡鹏"}
    assert speakers["003_4c29f9f2258dec6c.txt"] == {"AI 科技评论", "刘知远"}
    assert speakers["004_6e8fcd411fc43378.txt"] == {"极客公园", "宋春雨"}
    questions = [b for b in articles["004_6e8fcd411fc43378.txt"].blocks if b.role == "question"]
    assert questions and all(b.speaker == "极客公园" for b in questions)
