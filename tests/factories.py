"""Small hand-made values of the pipeline's data types, for tests of later stages.

``sample_edition()`` has every block kind, an interview, a damaged span, a
glossary violation, a Traditional-script article and hostile text.
``edition_folder()`` makes the folder every ``bitext`` command but ``init`` needs.
"""

from __future__ import annotations

from pathlib import Path

from translate.models import (
    Article,
    ArticleMeta,
    BilingualArticle,
    BilingualBlock,
    Block,
    Edition,
    Segment,
    Term,
    TranslationStats,
)

def edition_folder(folder: Path, settings: str = "") -> Path:
    """``folder`` (created if needed) as an edition: its ``edition.toml`` holds ``settings`` (default: none set)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.toml").write_text(settings, encoding="utf-8")
    return folder


#: A four-article project whose articles share terms (大模型, 算力, 芯片) in different ways; "delta" holds none.
REUSE_ARTICLE = """---
title: {title}
source_file: {n:03d}_x.txt
script: simplified
---

{body}
"""
REUSE_BODIES = {
    "alpha": "大模型正在改变世界。算力是关键。",
    "beta": "芯片短缺影响算力。",
    "gamma": "大模型需要芯片。",
    "delta": "今天天气很好。",
}


def reuse_project(root: Path, terms_csv: str) -> Path:
    """``root`` as an edition of :data:`REUSE_BODIES` with the glossary ``terms_csv`` (gloss engine)."""
    (root / "corpus").mkdir(parents=True)
    (root / "glossary").mkdir()
    for n, (slug, body) in enumerate(REUSE_BODIES.items(), 1):
        (root / "corpus" / f"{slug}.md").write_text(REUSE_ARTICLE.format(title=f"标题{n}", n=n, body=body),
                                                    encoding="utf-8")
    (root / "glossary" / "terms.csv").write_text(terms_csv, encoding="utf-8")
    (root / "edition.toml").write_text('[edition]\ntitle = "Reuse"\n\n[translation]\nengine = "gloss"\n',
                                       encoding="utf-8")
    return root


def print_fonts():
    """The print's default fonts (Noto Serif CJK SC and Noto Serif), or None where no CJK font is installed."""
    from translate.render.fonts import choose_fonts

    try:
        return choose_fonts("Noto Serif CJK SC", "Noto Serif")
    except Exception:  # noqa: BLE001 - no CJK font: the PDF tests elsewhere say which package to install
        return None


HOSTILE = '<script>alert("x")</script> "quotes" & <b>tags</b>'

TERMS = (
    Term(zh="大模型", en="large model", note="The standard rendering of 大模型.", kind="concept", line=2),
    Term(zh="周明", en="Zhou Ming", note='Founder of Langboat; "quoted" <note>', kind="person", line=3),
    Term(zh="澜舟科技", en="Langboat", variants=("瀾舟科技",), kind="company", line=4),
    Term(zh="Densing Law", en="Densing Law", keep=True, case="exact", kind="concept", line=5),
)


def glossary():
    """The factories' termbase, ready to match."""
    from translate.glossary import Glossary

    return Glossary.from_terms(TERMS)


def _seg(block_id: str, n: int, zh: str, en: str, *, original: str | None = None, note: str = "",
         slug: str = "interview") -> Segment:
    """A gloss segment whose terms and violations come from the one honour rule, spans and all."""
    from translate.glossary.honour import proof_terms

    segment_id = f"{block_id}.s{n}"
    terms, violations = proof_terms(slug, block_id, segment_id, zh, en, glossary())
    return Segment(id=segment_id, zh=zh, zh_original=original or zh, en=en, engine="gloss",
                   terms=terms, violations=violations, note=note, origin="gloss")


def _speaker(block: Block, slug: str = "interview"):
    from translate.translation.translator import speaker_segment

    return speaker_segment(slug, block, glossary(), "gloss")


def interview_article() -> BilingualArticle:
    """A Simplified interview with a heading, Q&A, a list, an image and a violation."""
    meta = ArticleMeta(title="周明谈大模型", title_original="周明谈大模型", source_file="000_x.txt",
                       script="simplified", authors=("朱丽琨",), editors=("程曼祺",),
                       publication="晚点 LatePost", date="2023-03-01", interviewers=("晚点",))
    blocks = (
        Block(id="b001", kind="heading", text="大模型创业", original="大模型创业", level=2, line=10),
        Block(id="b002", kind="paragraph", text="周明创立了澜舟科技。他认为大模型很重要。",
              original="周明创立了澜舟科技。他认为大模型很重要。", line=12),
        Block(id="b003", kind="paragraph", text="你为什么创业？", original="你为什么创业？",
              speaker="晚点", role="question", line=14),
        Block(id="b004", kind="paragraph", text="因为**大模型**会成为基础设施。", original="因为**大模型**会成为基础设施。",
              speaker="周明", role="answer", line=16),
        Block(id="b005", kind="list_item", text="第一点", original="第一点", line=18),
        Block(id="b006", kind="image", text="周明在办公室", original="周明在办公室",
              url="https://example.com/photo.jpg", line=20),
        Block(id="b007", kind="paragraph", text=HOSTILE + "⟦閿欒⟧", original=HOSTILE + "⟦閿欒⟧", line=22),
    )
    bb = (
        BilingualBlock(blocks[0], (_seg("b001", 1, "大模型创业", "Large model start-ups"),)),
        BilingualBlock(blocks[1], (
            _seg("b002", 1, "周明创立了澜舟科技。", "Zhou Ming founded Langboat."),
            _seg("b002", 2, "他认为大模型很重要。", "He thinks big models matter."),
        )),
        BilingualBlock(blocks[2], (_seg("b003", 1, "你为什么创业？", "Why did you start a company?"),),
                       _speaker(blocks[2])),
        BilingualBlock(blocks[3], (_seg("b004", 1, "因为**大模型**会成为基础设施。",
                                         "Because **large models** will become infrastructure."),),
                       _speaker(blocks[3])),
        BilingualBlock(blocks[4], (_seg("b005", 1, "第一点", "First point"),)),
        BilingualBlock(blocks[5], (_seg("b006", 1, "周明在办公室", "Zhou Ming in his office"),)),
        BilingualBlock(blocks[6], (_seg("b007", 1, HOSTILE + "⟦閿欒⟧", HOSTILE + " [damaged text]",
                                         note="damaged source span not translated"),)),
    )
    article = Article(slug="interview", meta=meta, blocks=blocks, path="corpus/interview.md")
    return BilingualArticle(article=article, title_en="Zhou Ming on large models", blocks=bb, engine="gloss",
                            model="CC-CEDICT", stats=TranslationStats(segments=8, cache_hits=0, cache_misses=8))


def traditional_article() -> BilingualArticle:
    """A Traditional-script essay with a link in its text."""
    meta = ArticleMeta(title="为什么中国没有诞生ChatGPT", title_original="為什麼中國沒有誕生ChatGPT",
                       source_file="002_x.txt", script="traditional")
    blocks = (
        Block(id="b001", kind="paragraph", text="澜舟科技很重要。", original="瀾舟科技很重要。", line=8),
        Block(id="b002", kind="paragraph", text="看[这里](https://example.com)和[那里](javascript:alert(1))。",
              original="看[這裡](https://example.com)和[那裡](javascript:alert(1))。", line=10),
    )
    bb = (
        BilingualBlock(blocks[0], (_seg("b001", 1, "澜舟科技很重要。", "Langboat matters.", original="瀾舟科技很重要。",
                                         slug="essay"),)),
        BilingualBlock(blocks[1], (_seg("b002", 1, blocks[1].text, "See [here](https://example.com) and "
                                         "[there](javascript:alert(1)).", original=blocks[1].original, slug="essay"),)),
    )
    article = Article(slug="essay", meta=meta, blocks=blocks, path="corpus/essay.md")
    return BilingualArticle(article=article, title_en="Why ChatGPT was not born in China", blocks=bb,
                            engine="gloss", model="CC-CEDICT", stats=TranslationStats(segments=2, cache_misses=2))


def sample_edition(engine: str = "gloss") -> Edition:
    """A two-article edition covering every block kind and the awkward cases."""
    articles = (interview_article(), traditional_article())
    from dataclasses import replace

    from translate.quality import check_edition

    edition = Edition(title="中国大模型创业者 <i>", subtitle="A bilingual edition", articles=articles, terms=TERMS,
                      glossary_version="abc123", engine=engine,
                      model="CC-CEDICT" if engine == "gloss" else "zh_en_tiny-1.0",
                      build_date="2026-11-22", script="source")
    return replace(edition, report=check_edition(edition))
