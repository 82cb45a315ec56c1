"""One view of the edition for every renderer: what a reader sees, decided once.

HTML, PDF (and EPUB) lay these facts out; none of them decides on its own which
script the Chinese is shown in, what a speaker or byline label says in English,
how a term rate or the share of edited English reads, or whether the English
is a dictionary gloss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.markup import plain_text
from translate.models import ArticleMeta, BilingualArticle, BilingualBlock, Edition, Segment
from translate.script import to_traditional
from translate.translation.labels import speaker_english

_NAME_PARTS = re.compile(r"\s*[·・|/]\s*")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.&'’-]*(?: [A-Za-z][A-Za-z0-9.&'’-]*)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def shown_script(edition_script: str, source_script: str) -> str:
    """``simplified`` or ``traditional``: the script the Chinese is shown in by default."""
    return source_script if edition_script == "source" else edition_script


def zh_lang(script: str) -> str:
    """The BCP 47 tag of a Chinese script."""
    return "zh-Hant" if script == "traditional" else "zh-Hans"


def zh_text(simplified: str, original: str, shown: str, source_script: str) -> str:
    """The Chinese as shown: the source's own text, or converted to the shown script."""
    if shown == source_script:
        return original
    if shown == "simplified":
        return simplified
    return to_traditional(simplified)


@dataclass(frozen=True, slots=True)
class Credit:
    """One line of a byline, in both languages."""

    label_zh: str
    """``作者``, ``编辑``, ``来源``, ``日期``."""
    label_en: str
    """``By``, ``Edited by``, ``Published in``, ``Date``."""
    names_zh: tuple[str, ...]
    """As the source gives them."""
    names_en: tuple[str, ...]
    """The glossary's English, else romanised."""


def name_english(name: str, glossary) -> str:
    """A person's or outlet's name in English: the glossary's, else pinyin, part by part (``深网·腾讯新闻``)."""
    whole = speaker_english(name, glossary)
    latin = " ".join(_LATIN_NAME.findall(name)).strip()
    if latin and _CJK.search(name) and glossary.lookup(name) is None:
        return latin  # the source gives the English name itself: 晚点 LatePost
    if whole != name and not _NAME_PARTS.search(name):
        return whole
    parts = [p for p in _NAME_PARTS.split(name) if p]
    if len(parts) <= 1:
        return whole
    return " · ".join(speaker_english(p, glossary) for p in parts)


def credits(meta: ArticleMeta, glossary) -> tuple[Credit, ...]:
    """The article's byline: writers, editors, publication and date, each in both languages."""
    out = []
    if meta.authors:
        out.append(Credit("作者", "By", meta.authors, tuple(name_english(n, glossary) for n in meta.authors)))
    if meta.editors:
        out.append(Credit("编辑", "Edited by", meta.editors, tuple(name_english(n, glossary) for n in meta.editors)))
    if meta.publication:
        out.append(Credit("来源", "Published in", (meta.publication,), (name_english(meta.publication, glossary),)))
    if meta.date:
        out.append(Credit("日期", "Date", (meta.date,), (meta.date,)))
    return tuple(out)


def speaker_labels(block: BilingualBlock, shown: str) -> tuple[str, str]:
    """The block's speaker label as shown on each side (Chinese in the shown script; the segment's English)."""
    segment = block.speaker
    if segment is None:
        return "", ""
    zh = segment.zh if shown != "traditional" else to_traditional(segment.zh)
    return zh, plain_text(segment.en)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the English of a set of segments came from."""

    edited: int
    """Segments with a translator's English."""
    mt: int
    """Segments of machine translation."""
    gloss: int
    """Segments of dictionary gloss."""
    stale: int
    """Segments whose translator's edit waits for review (machine English shown meanwhile)."""

    @property
    def total(self) -> int:
        """Every segment."""
        return self.edited + self.mt + self.gloss

    @property
    def all_edited(self) -> bool:
        """True when every segment's English is a translator's."""
        return self.total > 0 and self.edited == self.total

    def sentence(self) -> str:
        """The shares as a reader reads them: ``965 of 965 segments edited by the translators``."""
        parts = [f"{self.edited:,} of {self.total:,} segments edited by the translators"]
        if self.mt:
            parts.append(f"{self.mt:,} machine-translated")
        if self.gloss:
            parts.append(f"{self.gloss:,} dictionary gloss")
        if self.stale:
            parts.append(f"{self.stale:,} edits awaiting review")
        return "; ".join(parts)


def provenance(segments) -> Provenance:
    """Count the origins of ``segments``."""
    segments = list(segments)
    return Provenance(
        edited=sum(1 for s in segments if s.origin == "edited"),
        mt=sum(1 for s in segments if s.origin == "mt"),
        gloss=sum(1 for s in segments if s.origin == "gloss"),
        stale=sum(1 for s in segments if s.stale),
    )


_GLOSSARIES: dict[int, tuple[Edition, object]] = {}


def edition_glossary(edition: Edition):
    """The edition's entries, ready to look names up (built once per edition)."""
    from translate.glossary import Glossary

    cached = _GLOSSARIES.get(id(edition))
    if cached is None or cached[0] is not edition:
        _GLOSSARIES.clear()
        cached = _GLOSSARIES[id(edition)] = (edition, Glossary.from_terms(edition.terms))
    return cached[1]


def edition_segments(edition: Edition) -> list[Segment]:
    """Every segment of the edition, in reading order."""
    return [s for a in edition.articles for s in a.segments]


@dataclass(frozen=True, slots=True)
class TermRate:
    """How many glossary term occurrences the English honoured."""

    honoured: int
    """Occurrences honoured."""
    occurrences: int
    """Occurrences in all."""

    @property
    def rate(self) -> float:
        """Share honoured (1.0 when there are none)."""
        return self.honoured / self.occurrences if self.occurrences else 1.0

    def percent(self) -> str:
        """``98.2 %``."""
        return f"{self.rate * 100:.1f} %"

    def sentence(self) -> str:
        """``1,763 of 1,763 term occurrences honoured``."""
        return f"{self.honoured:,} of {self.occurrences:,} term occurrences honoured"


def term_rate(segments) -> TermRate:
    """The term rate of ``segments`` (every use of every term, machine or human English)."""
    uses = [t for s in segments for t in s.terms]
    return TermRate(sum(t.honoured for t in uses), len(uses))


def gloss_count(article: BilingualArticle) -> int:
    """How many segments of the article are still dictionary gloss (0: none)."""
    return sum(1 for s in article.segments if s.origin == "gloss")


def english_label(article: BilingualArticle) -> str:
    """What the article's English is, for its header: edited, machine translation, gloss, or a mix."""
    shares = provenance(article.segments)
    if shares.all_edited:
        return "edited by the translators"
    kinds = []
    if shares.edited:
        kinds.append(f"{shares.edited} of {shares.total} segments edited by the translators")
    if shares.mt:
        kinds.append(f"machine translation ({article.model})")
    if shares.gloss:
        kinds.append(f"dictionary gloss ({article.model})")
    return "; ".join(kinds)
