"""Shared set-up for the HTML edition's tests: render a site into a temporary folder and read it back."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest

from factories import sample_edition
from translate.models import (
    Article,
    ArticleMeta,
    BilingualArticle,
    BilingualBlock,
    Block,
    Edition,
    Segment,
)
from translate.script import to_simplified
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def make_settings(build_dir: Path, **changes) -> Settings:
    """Default settings with the project's templates and a private build folder."""
    return replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=build_dir), **changes)


class Site:
    """A rendered ``build/html`` folder, its pages parsed with html5lib."""

    def __init__(self, folder: Path, files: list[Path]):
        self.folder = folder
        self.files = files
        self._pages: dict[str, ElementTree.Element] = {}

    def text(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")

    def page(self, name: str) -> ElementTree.Element:
        if name not in self._pages:
            import html5lib

            self._pages[name] = html5lib.parse(self.text(name), namespaceHTMLElements=False)
        return self._pages[name]


def classes(element: ElementTree.Element) -> list[str]:
    return (element.get("class") or "").split()


def by_class(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Every element under ``root`` with the class ``name``, in document order."""
    return [e for e in root.iter() if name in classes(e)]


def sides(row: ElementTree.Element) -> list[ElementTree.Element]:
    """A row's Chinese and English elements, in order: its children, or a figure's inside its figcaption."""
    children = [c for child in row for c in ([*child] if "captions" in classes(child) else [child])]
    return [c for c in children if {"zh", "en"} & set(classes(c))]


def text_of(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


@pytest.fixture
def render(tmp_path):
    """``render(edition=None, **settings) -> Site``: render an edition (default: the sample) into tmp_path."""
    from translate.render.html import render_html

    def _render(edition: Edition | None = None, **changes) -> Site:
        settings = make_settings(tmp_path / "build", **changes)
        files = render_html(edition or sample_edition(), settings)
        return Site(settings.build_dir / "html", files)

    return _render


# --- a realistic edition from the raw sources, for the browser tests, screenshots and timing --------------------

_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]+[”’」』）)]*|[^。！？!?]+$")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\((\S+)\)$")


def _blocks_of(text: str) -> list[tuple[str, str, int, str | None]]:
    """(kind, text, level, url) for each chunk of a raw article (a rough cleaner, for tests only)."""
    blocks = []
    chunks = re.split(r"\n\s*\n", text)
    if len(chunks) < 5:  # one paragraph per line
        chunks = text.splitlines()
    for chunk in chunks:
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            marks = len(lines[0]) - len(lines[0].lstrip("#"))
            blocks.append(("heading", lines[0].lstrip("# ").strip(), marks, None))
        elif all(line.startswith(("* ", "- ")) for line in lines):
            blocks += [("list_item", line[2:].strip(), 0, None) for line in lines]
        elif len(lines) == 1 and _IMAGE.match(lines[0]):
            match = _IMAGE.match(lines[0])
            blocks.append(("image", match.group(1), 0, match.group(2)))
        else:
            blocks.append(("paragraph", "".join(lines), 0, None))
    return blocks


def realistic_edition(limit_blocks: int | None = None) -> Edition:
    from translate.glossary.honour import proof_terms
    from translate.translation.translator import speaker_segment

    """The five raw articles split roughly into blocks and sentences, glossed word by word.

    English comes from the dictionary-gloss engine when it is importable; otherwise
    a placeholder of similar length. Good enough to look at and to time the renderer.
    """
    try:
        from translate.glossary import Glossary

        glossary = Glossary.load(REPO / "glossary" / "terms.csv")
    except Exception:  # the termbase is another stage's: fall back to the sample's terms
        from factories import TERMS
        from translate.glossary import Glossary

        glossary = Glossary.from_terms(TERMS)
    try:
        from translate.translation.gloss import GlossEngine

        engine = GlossEngine()
        english = lambda zh: engine.gloss(zh) or "—"  # noqa: E731
    except Exception:
        english = lambda zh: "English " * max(1, len(zh) // 3)  # noqa: E731

    articles = []
    for number, raw in enumerate(sorted((REPO / "corpus" / "raw").glob("*.txt"))):
        source = raw.read_text(encoding="utf-8", errors="replace")
        simplified = to_simplified(source)
        script = "traditional" if sum(a != b for a, b in zip(source, simplified)) > 20 else "simplified"
        chunks = _blocks_of(source)
        title = chunks[0][1] if chunks and chunks[0][0] == "heading" else raw.stem
        chunks = chunks[1:limit_blocks] if limit_blocks else chunks[1:]
        slug = f"article-{number + 1}"
        bblocks = []
        for index, (kind, text, level, url) in enumerate(chunks, 1):
            block_id = f"b{index:03d}"
            speaker = role = None
            found = re.match(r"^\*\*(晚点|腾讯科技|周明|[^*：:]{1,6})[：:]\*\*", text)
            if found and kind == "paragraph":
                speaker = found.group(1)
                role = "question" if speaker in ("晚点", "腾讯科技") else "answer"
                text = text[found.end():].strip()
            block = Block(id=block_id, kind=kind, text=to_simplified(text), original=text, level=level, url=url,
                          speaker=speaker and to_simplified(speaker), role=role, line=index)
            segments = []
            for n, sentence in enumerate(_SENTENCE.findall(text) or [text], 1):
                zh = to_simplified(sentence)
                en = english(zh)
                uses, violations = proof_terms(slug, block_id, f"{block_id}.s{n}", zh, en, glossary)
                segments.append(Segment(id=f"{block_id}.s{n}", zh=zh, zh_original=sentence, en=en, engine="gloss",
                                        terms=uses, violations=violations, origin="gloss"))
            bblocks.append(BilingualBlock(block, tuple(segments), speaker_segment(slug, block, glossary, "gloss")))
        meta = ArticleMeta(title=to_simplified(title), title_original=title, source_file=raw.name, script=script,
                           authors=("朱丽琨",), publication="晚点 LatePost", date="2023-03-01", interviewers=("晚点",))
        article = Article(slug=slug, meta=meta, blocks=tuple(b.block for b in bblocks))
        articles.append(BilingualArticle(article=article, title_en=english(to_simplified(title)), blocks=tuple(bblocks),
                                         engine="gloss", model="CC-CEDICT"))
    sample = sample_edition()
    # the sample's terms (with their hostile note) first, then the termbase's others
    terms = sample.terms + tuple(t for t in glossary.terms if t.zh not in {s.zh for s in sample.terms})
    edition = replace(sample, articles=tuple(articles) + sample.articles, terms=terms,
                      title="中国大模型创业者 · China's Large-Model Founders",
                      subtitle="Five conversations and essays, in Chinese and English", report={})
    try:
        from translate.quality import check_edition

        return replace(edition, report=check_edition(edition))
    except Exception:
        return edition


def corpus_edition(limit_blocks: int | None = 40) -> Edition:
    """The cleaned corpus glossed by the pipeline's own stages, plus the sample's awkward articles.

    Falls back to :func:`realistic_edition` (raw sources, rough split) while those stages are missing.
    """
    try:
        from translate.corpus import load_corpus
        from translate.glossary import Glossary
        from translate.quality import check_edition
        from translate.translation import translate_articles
        from translate.translation.gloss import GlossEngine

        articles = load_corpus(REPO / "corpus")
        if not articles:
            raise LookupError("no cleaned articles")
        if limit_blocks:
            articles = tuple(replace(a, blocks=a.blocks[:limit_blocks]) for a in articles)
        glossary = Glossary.load(REPO / "glossary" / "terms.csv")
        bilingual = translate_articles(articles, GlossEngine(), glossary, memory_path=None)
    except Exception:
        return realistic_edition(limit_blocks)
    sample = sample_edition()
    terms = sample.terms + tuple(t for t in glossary.terms if t.zh not in {s.zh for s in sample.terms})
    edition = replace(sample, articles=tuple(bilingual) + sample.articles, terms=terms,
                      title="中国大模型创业者 · China's Large-Model Founders",
                      subtitle="Five conversations and essays, in Chinese and English")
    return replace(edition, report=check_edition(edition))
