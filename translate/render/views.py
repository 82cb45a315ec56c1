"""One view of the edition for every renderer: what a reader sees, decided once.

HTML, PDF (and EPUB) lay these facts out; none of them decides on its own which
script the Chinese is shown in, what a speaker or byline label says in English,
how a term rate or the share of edited English reads, or whether the English
is a dictionary gloss.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable, Generic, TypeVar

from translate.glossary.labels import speaker_english
from translate.markup import plain_text
from translate.models import (
    ALIGN_REVIEW_BELOW,
    DAMAGED_OPEN,
    ArticleMeta,
    BilingualArticle,
    BilingualBlock,
    Block,
    Edition,
    Segment,
    Term,
    TermFigures,
)
from translate.rebuild import same
from translate.script import to_traditional

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
        return _part_english(name, glossary)
    return " · ".join(_part_english(p, glossary) for p in parts)


def _part_english(part: str, glossary) -> str:
    """One part of a name: the glossary's entry, else its glossary terms in order (腾讯新闻小满工作室 →
    Tencent News Xiaoman Studio) with whatever lies between romanised, else pinyin as a name."""
    if glossary.lookup(part) is not None:
        return glossary.lookup(part).en
    matches = glossary.find(part)
    if not matches:
        return speaker_english(part, glossary)
    pieces, position = [], 0
    for match in matches:
        gap = part[position:match.start].strip()
        if gap:
            pieces.append(speaker_english(gap, glossary))
        pieces.append(match.term.en)
        position = match.end
    if part[position:].strip():
        pieces.append(speaker_english(part[position:].strip(), glossary))
    return " ".join(pieces)


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


#: How a share of aligned English reads after its count (``12 aligned from …``): a human translation, unchecked.
ALIGNED_SHARE = "aligned from an existing English translation (not yet checked sentence by sentence)"
#: What the colophons say of aligned English, when there is some.
ALIGNED_NOTE = ("Where marked as aligned, the English is an existing human translation, matched to the Chinese "
                "sentence by sentence by bitext align; a translator has not yet checked each pairing.")


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
    aligned: int = 0
    """Segments whose English is an existing human translation aligned with the Chinese (``bitext align``), not
    yet confirmed by a translator; a segment joined to another's English (a 2-1 bead) counts here too."""

    @property
    def total(self) -> int:
        """Every segment."""
        return self.edited + self.aligned + self.mt + self.gloss

    @property
    def all_edited(self) -> bool:
        """True when every segment's English is a translator's."""
        return self.total > 0 and self.edited == self.total

    def sentence(self) -> str:
        """The shares as a reader reads them: ``965 of 965 segments edited by the translators``."""
        parts = [f"{self.edited:,} of {self.total:,} segments edited by the translators"]
        if self.aligned:
            parts.append(f"{self.aligned:,} {ALIGNED_SHARE}")
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
        aligned=sum(1 for s in segments if s.origin == "aligned"),
    )


#: The last edition each per-edition view was made for, and the view: (edition, value) by view name.
_LAST: dict[str, tuple[Edition, object]] = {}


def _once_per_edition(name: str, edition: Edition, make):
    """``make(edition)``, made again only for another edition: the HTML, the EPUB and the PDF of one build share it."""
    cached = _LAST.get(name)
    if cached is None or cached[0] is not edition:
        cached = _LAST[name] = (edition, make(edition))
    return cached[1]


def edition_glossary(edition: Edition):
    """The edition's entries, ready to look names up (built once per edition)."""
    from translate.glossary import Glossary

    return _once_per_edition("glossary", edition, lambda e: Glossary.from_terms(e.terms))


def edition_segments(edition: Edition) -> list[Segment]:
    """Every segment of the edition, in reading order."""
    return [s for a in edition.articles for s in a.segments]


def term_rate(segments) -> TermFigures:
    """The term rate of ``segments`` (every use of every term, machine or human English)."""
    return TermFigures.of(t for s in segments for t in s.terms)


#: By slug, the last article whose figures were counted, and its (provenance, term rate) (``bitext serve``
#: counts again only the articles a change made anew).
_FIGURES: dict[str, tuple[BilingualArticle, Provenance, TermFigures]] = {}


def _article_figures(article: BilingualArticle) -> tuple[Provenance, TermFigures]:
    kept = _FIGURES.get(article.slug)
    if kept is None or kept[0] is not article:
        segments = article.segments
        kept = _FIGURES[article.slug] = (article, provenance(segments), term_rate(segments))
    return kept[1], kept[2]


def edition_figures(edition: Edition) -> tuple[Provenance, TermFigures]:
    """(:func:`provenance`, :func:`term_rate`) of every segment of the edition, summed from each article's
    (counted once per article object; made once per edition)."""
    def make(e: Edition) -> tuple[Provenance, TermFigures]:
        figures = [_article_figures(article) for article in e.articles]
        slugs = {article.slug for article in e.articles}
        for slug in [s for s in _FIGURES if s not in slugs]:  # one edition's, no more
            del _FIGURES[slug]
        shares = Provenance(*(sum(getattr(p, name) for p, _ in figures)
                              for name in ("edited", "mt", "gloss", "stale", "aligned")))
        return shares, TermFigures.total(rate for _, rate in figures)

    return _once_per_edition("figures", edition, make)


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
    if shares.aligned:
        kinds.append(f"{shares.aligned} of {shares.total} segments {ALIGNED_SHARE}")
    if shares.mt:
        kinds.append(f"machine translation ({article.model})")
    if shares.gloss:
        kinds.append(f"dictionary gloss ({article.model})")
    return "; ".join(kinds)


# --- English typography ------------------------------------------------------------------------------------------

#: Link destinations and code spans: their characters are not prose and stay as they are.
_PROTECTED = re.compile(r"\]\([^)]*\)|`[^`]*`")
#: What may stand before an opening quote; after a closing one, what may follow.
_BEFORE_OPENING = set("([{—–/")
_AFTER_CLOSING = set(",.;:!?)]}—–/*_")
_OPENING, _CLOSING = "“‘", "”’"
_PUNCTUATION = set(",.;:!?")


def english_typography(markdown: str) -> str:
    """Machine English as a reader expects it: curly quotes and apostrophes, no stray spaces.

    ``"large model. "`` becomes ``“large model.”``: straight quotes turn curly by their
    neighbours (by their pairing where the neighbours do not tell), and a space before a
    closing quote, after an opening one or before ``, . ; : ! ?`` goes, as do doubled spaces.
    Link destinations, code spans and escaped quotes are left alone. Applied to machine
    English only (:func:`shown_segment`): a translator's English (edited or aligned) is already set.
    """
    chars = list(markdown)
    protected = [False] * len(chars)
    for match in _PROTECTED.finditer(markdown):
        for index in range(match.start(), match.end()):
            protected[index] = True

    def free(index: int) -> bool:
        return not protected[index] and not (index and chars[index - 1] == "\\" and not protected[index - 1])

    depth = 0
    for index, char in enumerate(chars):
        if char not in "\"'" or not free(index):
            continue
        before = chars[index - 1] if index else ""
        after = chars[index + 1] if index + 1 < len(chars) else ""
        open_side = before == "" or before.isspace() or before in _BEFORE_OPENING or before in _OPENING
        close_side = after == "" or after.isspace() or after in _AFTER_CLOSING or after in _CLOSING
        if char == "'":
            if before.isalnum() and after.isalnum():
                chars[index] = "’"  # don't, it's
            else:
                chars[index] = "‘" if open_side and not close_side else "’"
            continue
        if open_side and not close_side:
            opening = True
        elif close_side and not open_side:
            opening = False
        elif after == "":
            opening = False  # a lone quote ending the sentence closes what an earlier one opened
        else:
            opening = depth == 0
        chars[index] = "“" if opening else "”"
        depth = depth + 1 if opening else max(0, depth - 1)

    out: list[str] = []
    index = 0
    while index < len(chars):
        char = chars[index]
        if char != " " or protected[index]:
            out.append(char)
            index += 1
            continue
        end = index
        while end < len(chars) and chars[end] == " " and not protected[end]:
            end += 1
        before = out[-1] if out else ""
        after = chars[end] if end < len(chars) else ""
        following = chars[end + 1] if end + 1 < len(chars) else ""
        stray = (
            before == "" or after == ""  # leading or trailing
            or (after in _CLOSING and not before.isspace())
            or before in _OPENING
            or (after in _PUNCTUATION and not protected[end] and (following == "" or following.isspace()
                                                                 or following in _CLOSING))
            or (after == ")" and before != "") or before == "("
        )
        if not stray:
            out.append(" ")
        index = end
    return "".join(out)


def _same_character(old: str, new: str) -> bool:
    return old == new or (old == '"' and new in "“”") or (old == "'" and new in "‘’")


def _offsets(old: str, new: str) -> list[int] | None:
    """Where each offset of ``old`` lands in ``new`` (typography only deletes spaces and turns quotes)."""
    mapping: list[int] = []
    position = 0
    for char in old:
        mapping.append(position)
        if position < len(new) and _same_character(char, new[position]):
            position += 1
        elif not char.isspace():
            return None
    mapping.append(position)
    return mapping if position == len(new) else None


def shown_segment(segment: Segment) -> Segment:
    """The segment as readers see it: machine English set by :func:`english_typography`, its term spans moved along.

    A translator's English (origin ``edited``) and an existing translation aligned with the Chinese (``aligned``,
    a person's typography) are shown exactly as written.
    """
    if segment.origin in ("edited", "aligned") or not segment.en:
        return segment
    english = english_typography(segment.en)
    if english == segment.en:
        return segment
    mapping = _offsets(plain_text(segment.en), plain_text(english))
    if mapping is None:  # never lose a term's mark for the sake of a quote
        return segment
    terms = tuple(replace(use, en_spans=tuple((mapping[start], mapping[end]) for start, end in use.en_spans))
                  for use in segment.terms)
    return replace(segment, en=english, terms=terms)


def _shown_article(article: BilingualArticle, last: tuple[BilingualArticle, BilingualArticle] | None = None
                   ) -> BilingualArticle:
    """``article`` as shown; a body segment equal to one of ``last`` (an earlier version of the article, and it
    as shown) with the same id is shown as it was then (:func:`shown_segment` is a function of the segment)."""
    kept: dict[str, tuple[Segment, Segment]] = {}
    if last is not None:
        kept = {segment.id: (segment, shown)
                for block, shown_block in zip(last[0].blocks, last[1].blocks)
                for segment, shown in zip(block.segments, shown_block.segments)}

    def shown(segment: Segment) -> Segment:
        prior = kept.get(segment.id)
        if prior is not None and same(prior[0], segment):
            return prior[1]
        return shown_segment(segment)

    blocks = tuple(
        replace(block, segments=tuple(shown(s) for s in block.segments),
                speaker=shown_segment(block.speaker) if block.speaker is not None else None)
        for block in article.blocks
    )
    title = shown_segment(article.title) if article.title is not None else None
    if article.title is None:
        title_en = english_typography(article.title_en)
    else:
        title_en = title.en if article.title_en == article.title.en else article.title_en
    return replace(article, blocks=blocks, title=title, title_en=title_en)


def shown_edition(edition: Edition) -> Edition:
    """The edition as every renderer shows it (HTML, PDF, EPUB start here): machine English typeset.

    Made once per edition (the three renderers of a build share it); the shown edition is its own.
    """
    cached = _LAST.get("shown")
    if cached is not None and edition is cached[1]:
        return edition
    return _once_per_edition("shown", edition, lambda e: replace(e, articles=_shown_articles(e.articles)))


#: The last shown edition's articles by slug: (article, as shown), reused for an equal article (``bitext serve``).
_SHOWN: dict[str, tuple[BilingualArticle, BilingualArticle]] = {}


def _shown_articles(articles) -> tuple[BilingualArticle, ...]:
    """Each article as shown: made again only for an article unequal to the last edition's of its slug."""
    pairs = []
    for article in articles:
        last = _SHOWN.get(article.slug)
        pairs.append(last if last is not None and same(last[0], article)
                     else (article, _shown_article(article, last)))
    _SHOWN.clear()
    _SHOWN.update((article.slug, pair) for article, pair in zip(articles, pairs))
    return tuple(shown for _, shown in pairs)


# --- what else a reader sees -------------------------------------------------------------------------------------


def glossary_order(terms) -> tuple[Term, ...]:
    """Terms in a reader's order: alphabetically by their English, as a dictionary sorts it.

    Case, accents and leading marks do not count (``“Densing Law”`` files under D).
    """
    def key(term: Term) -> tuple[str, str, str]:
        folded = unicodedata.normalize("NFKD", term.en)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
        return re.sub(r"^\W+", "", folded), term.en, term.zh

    return tuple(sorted(terms, key=key))


#: Image alt texts that say only "a picture": the source's placeholder, not a caption.
PLACEHOLDER_CAPTIONS = frozenset({
    "图片", "圖片", "图", "圖", "配图", "配圖", "插图", "插圖", "照片", "图片来源", "圖片來源", "截图", "截圖",
    "image", "picture", "photo", "img", "figure",
})


def image_caption(block: BilingualBlock) -> bool:
    """True when an image block's text is a caption worth printing (not empty, not a placeholder like ``图片``)."""
    text = plain_text(block.block.text).strip(" \t:：|丨-—")
    return bool(text) and text.casefold() not in PLACEHOLDER_CAPTIONS


@dataclass(frozen=True, slots=True)
class SourceLine:
    """Where the article was published, as a reader names it (never the scrape's file name)."""

    publication_en: str
    """The outlet in English (the glossary's, else romanised); empty when unknown."""
    publication_zh: str
    """The outlet as the source names it."""
    script: str
    """``Simplified`` or ``Traditional``: how the source wrote its Chinese."""

    def sentence(self) -> str:
        """``LatePost, in Simplified Chinese`` (``Simplified Chinese`` when the outlet is unknown)."""
        written = f"{self.script} Chinese"
        return f"{self.publication_en}, in {written}" if self.publication_en else written


def source_line(meta: ArticleMeta, glossary) -> SourceLine:
    """The article's source for its header: publication and script."""
    publication = meta.publication or ""
    return SourceLine(name_english(publication, glossary) if publication else "", publication,
                      "Traditional" if meta.script == "traditional" else "Simplified")


def heading_levels(article: BilingualArticle) -> dict[str, int]:
    """Block id → (X)HTML level of each heading: the article's top headings are ``h2`` (the title is ``h1``).

    Going down, no level is skipped (an ``h4`` under an ``h2`` becomes an ``h3``).
    """
    top = min((b.block.level for b in article.blocks if b.block.kind == "heading"), default=2)
    levels, previous = {}, 1
    for bblock in article.blocks:
        if bblock.block.kind == "heading":
            previous = levels[bblock.block.id] = min(max(bblock.block.level - top + 2, 2), previous + 1, 6)
    return levels



# --- the page model: article → sections → paired blocks → segments ----------------------------------------------


#: How a reader is told where a segment's English came from.
ORIGIN_LABELS = {"edited": "Edited by the translators",
                 "aligned": "Aligned from an existing English translation (a human translation, not yet checked "
                            "sentence by sentence)",
                 "mt": "Machine translation", "gloss": "Dictionary gloss"}


@dataclass(frozen=True, slots=True)
class SegmentView:
    """One sentence as every output shows it; the markup (word help, links, anchors) is the output's."""

    segment: Segment
    """The sentence: its id (the alignment key), origin, notes, violations, terms."""
    zh: str
    """The Chinese (Markdown) in the shown script."""
    zh_spans: tuple[tuple[int, int, str], ...]
    """(start, end, term) of each glossary term found in the Simplified text (offsets in its plain text)."""
    en_spans: tuple[tuple[int, int, str], ...]
    """(start, end, term) of each glossary term in the English (offsets in its plain text)."""
    english_id: str = ""
    """The id of the segment whose English this Chinese pairs with: its own, or for a segment joined to another's
    English (:attr:`~translate.models.Segment.joined`, a 2-1 bead) its carrier's. Sentence links use it."""
    joins: tuple[str, ...] = ()
    """For a carrier: the segments joined to its English (their Chinese is translated by it too), in order."""

    @property
    def pairs_with(self) -> str:
        """The id the outputs pair this sentence's Chinese with (:attr:`english_id`, else its own id)."""
        return self.english_id or self.segment.id

    @property
    def joined(self) -> bool:
        """True when the segment's English stands in another segment's (a 2-1 bead): it shows no English of its own."""
        return bool(self.segment.joined) and not self.segment.en

    @property
    def uncertain(self) -> bool:
        """True for aligned English whose bead is less sure than :data:`~translate.models.ALIGN_REVIEW_BELOW`: one a
        translator should check (``serve`` steps to it with n/p). Never shown to readers."""
        confidence = self.segment.confidence
        return self.segment.origin == "aligned" and confidence is not None and confidence < ALIGN_REVIEW_BELOW

    @property
    def provenance(self) -> str:
        """Where its English came from, as a reader is told (``Machine translation``…)."""
        label = ORIGIN_LABELS[self.segment.origin] + (" (a translator's edit awaits review)" if self.segment.stale else "")
        if self.joins:
            count = len(self.joins) + 1
            label += f"; one English for {count} Chinese sentences"
        return label

    @property
    def damaged(self) -> bool:
        """True when the Chinese holds a damaged source span (between the damage marks; its English is a placeholder)."""
        return DAMAGED_OPEN in self.segment.zh

    @property
    def shown_zh_spans(self) -> tuple[tuple[int, int, str], ...]:
        """The term spans on the shown Chinese: those of the Simplified when the script conversion kept its length, else none."""
        return self.zh_spans if len(plain_text(self.zh)) == len(plain_text(self.segment.zh)) else ()


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a block or table sits and what a block holds besides sentences, as every renderer places it.

    Read from the :class:`~translate.models.Block` (:attr:`PairedBlock.place`, :attr:`TableView.place`); the
    renderers' views carry it and their templates read it, so no renderer copies these facts field by field.
    """

    depth: int = 0
    """How deep in lists it sits: 1 for an item of a top-level list (or what continues one); 0 outside lists."""
    number: int | None = None
    """An ordered item's number (``3.``); None for bullets and other blocks."""
    checked: bool | None = None
    """A task item's box: True ticked, False open; None for other blocks."""
    quoted: int = 0
    """How many block quotes hold it."""
    code: str = ""
    """A code block's text, verbatim (never translated, never converted to another script); else empty."""
    code_lang: str = ""
    """The language a code block's fence names, as the source wrote it (escape it); else empty."""
    header: bool = False
    """For a table cell: True in the header row."""
    align: str = ""
    """For a table cell: its column's alignment (``left``, ``center``, ``right``) or empty."""


def placement(block: Block) -> Placement:
    """Where ``block`` sits: its lists, quotes, task box, code and table cell."""
    code = block.kind == "code"
    cell = block.cell
    return Placement(depth=block.depth, number=block.number, checked=block.checked, quoted=block.quoted,
                     code=block.text if code else "", code_lang=block.lang if code else "",
                     header=cell is not None and cell.header, align=cell.align if cell is not None else "")


@dataclass(frozen=True, slots=True)
class PairedBlock:
    """One block of the source beside its English: a paragraph, heading, quote, list item or image."""

    block: BilingualBlock
    """The block and its segments."""
    level: int
    """The (X)HTML level of a heading (``h2`` for the article's top headings; :func:`heading_levels`); 0 otherwise."""
    opens_section: bool
    """True for a heading at the article's top level: it starts a section (the contents and bookmarks list it)."""
    zh: str
    """The block's Chinese (Markdown) in the shown script."""
    speaker_zh: str
    """The speaker's label in the shown script (empty when nobody speaks)."""
    speaker_en: str
    """The speaker's label in English."""
    shown: bool
    """False for an image whose text is a placeholder (``图片``): neither language shows it as a caption."""
    segments: tuple[SegmentView, ...]
    """The block's sentences, in order."""

    @property
    def kind(self) -> str:
        """The block's kind (a :class:`TableView`'s is ``table``): what an item of :attr:`ArticleModel.items` is."""
        return self.block.block.kind

    @property
    def place(self) -> Placement:
        """Where the block sits (lists, quotes, table cell) and its code, read from the block."""
        return placement(self.block.block)

    @property
    def machine(self) -> bool:
        """True when some of its English is not a person's (machine translation or gloss; aligned English is a
        person's translation)."""
        return any(s.origin in ("mt", "gloss") for s in self.block.segments)

    @property
    def flagged(self) -> bool:
        """True when a sentence breaks the glossary."""
        return any(s.violations for s in self.block.segments)


@dataclass(frozen=True, slots=True)
class TableView:
    """A table put back together from its cells: rows of paired cells, the header row first when there is one."""

    id: str
    """The table's id within the article (``t1``), the anchor its outputs give it."""
    rows: tuple[tuple[PairedBlock, ...], ...]
    """The rows, each a tuple of its cells in column order."""

    kind = "table"
    """What the item is (a :class:`PairedBlock`'s is its block's kind)."""

    @property
    def header(self) -> tuple[PairedBlock, ...]:
        """The header row's cells; empty when the table has none."""
        return self.rows[0] if self.rows and self.rows[0] and self.rows[0][0].block.block.cell.header else ()

    @property
    def body(self) -> tuple[tuple[PairedBlock, ...], ...]:
        """The rows under the header."""
        return self.rows[1:] if self.header else self.rows

    @property
    def columns(self) -> int:
        """How many columns the widest row has."""
        return max((len(r) for r in self.rows), default=0)

    @property
    def cells(self) -> tuple[PairedBlock, ...]:
        """Every cell in reading order (row by row)."""
        return tuple(c for r in self.rows for c in r)

    @property
    def place(self) -> Placement:
        """Where the table sits: its first cell's lists and quotes (``depth``, ``quoted``; the rest left empty)."""
        first = self.rows[0][0].block.block if self.rows and self.rows[0] else None
        return Placement(depth=first.depth, quoted=first.quoted) if first is not None else Placement()


@dataclass(frozen=True, slots=True)
class NoteView:
    """One footnote: its label as the source wrote it, the number readers see, and its paragraphs."""

    label: str
    """The label of ``[^label]``."""
    number: int
    """Its number in the article, from 1, in the order the notes are defined."""
    blocks: tuple[PairedBlock, ...]
    """The note's paragraphs."""


#: What an article's body is made of, as the renderers lay it out: blocks, and tables made of blocks.
Item = PairedBlock | TableView

#: A renderer's view of one cell (its row, pair or paragraph).
CellT = TypeVar("CellT")


@dataclass(frozen=True, slots=True)
class RenderedTable(Generic[CellT]):
    """A table of the page model with each cell as a renderer shows it; a renderer adds only its own markup
    (a subclass with its anchors, number or column widths)."""

    table: TableView
    """The page model's table: its id, rows and :attr:`~TableView.place`."""
    header: tuple[CellT, ...]
    """The header row's cells as rendered; empty when the table has none."""
    body: tuple[tuple[CellT, ...], ...]
    """The rows under the header, as rendered."""

    kind = "table"
    """What the item is (a block's view has its block's kind)."""

    @classmethod
    def of(cls, table: TableView, cell: Callable[[PairedBlock], CellT], **own):
        """The table with each cell rendered by ``cell``; ``own``: the subclass's fields."""
        return cls(table, tuple(cell(c) for c in table.header), tuple(tuple(cell(c) for c in r) for r in table.body),
                   **own)

    @property
    def id(self) -> str:
        """The table's id in the article (``t1``)."""
        return self.table.id

    @property
    def columns(self) -> int:
        """How many columns the widest row has."""
        return self.table.columns

    @property
    def place(self) -> Placement:
        """Where the table sits (lists, quotes)."""
        return self.table.place


@dataclass(frozen=True, slots=True)
class RenderedNote:
    """A footnote of the page model as a renderer shows it; a renderer's subclass adds its paragraphs as it
    renders them and its own links."""

    note: NoteView
    """The page model's note: its label, number and paragraphs."""

    @property
    def label(self) -> str:
        """The label of ``[^label]``."""
        return self.note.label

    @property
    def number(self) -> int:
        """The number readers see."""
        return self.note.number


def laid_out(items, block: Callable[[PairedBlock], object], table: Callable[[TableView], object]) -> tuple:
    """The page model's ``items`` as a renderer lays them out: ``block(paired)`` for a block, ``table(view)`` for a table."""
    return tuple(table(item) if isinstance(item, TableView) else block(item) for item in items)


def page_items(blocks) -> tuple[Item, ...]:
    """The blocks in reading order with each table's cells grouped into one :class:`TableView` and the
    footnote paragraphs left out (they are :attr:`ArticleModel.notes`)."""
    items: list[Item] = []
    cells: list[PairedBlock] = []

    def close() -> None:
        if cells:
            rows: dict[int, list[PairedBlock]] = {}
            for cell in cells:
                rows.setdefault(cell.block.block.cell.row, []).append(cell)
            items.append(TableView(cells[0].block.block.cell.table,
                                   tuple(tuple(sorted(r, key=lambda c: c.block.block.cell.column))
                                         for _, r in sorted(rows.items()))))
            cells.clear()

    for paired in blocks:
        block = paired.block.block
        if block.cell is not None and (not cells or cells[0].block.block.cell.table == block.cell.table):
            cells.append(paired)
            continue
        close()
        if block.cell is not None:
            cells.append(paired)
        elif block.kind != "footnote":
            items.append(paired)
    close()
    return tuple(items)


def page_notes(blocks) -> tuple[NoteView, ...]:
    """The article's footnotes, numbered in the order they are defined."""
    notes: dict[str, list[PairedBlock]] = {}
    for paired in blocks:
        if paired.block.block.kind == "footnote":
            notes.setdefault(paired.block.block.note, []).append(paired)
    return tuple(NoteView(label, number, tuple(paragraphs))
                 for number, (label, paragraphs) in enumerate(notes.items(), 1))


@dataclass(frozen=True, slots=True)
class PageSection:
    """A top-level heading and the blocks under it, up to the next one."""

    heading: PairedBlock
    """The heading's block (its id is the section's anchor)."""
    title_zh: str
    """The heading's Chinese, plain text in the shown script."""
    title_en: str
    """The heading's English, plain text."""
    blocks: tuple[PairedBlock, ...]
    """The heading and the blocks after it, up to the next section."""

    @property
    def items(self) -> tuple[Item, ...]:
        """Its blocks with tables grouped and footnotes left out (:func:`page_items`)."""
        return page_items(self.blocks)


@dataclass(frozen=True, slots=True)
class ArticleModel:
    """One article as a reader sees it, whatever the output: decided once, laid out by HTML, EPUB and PDF."""

    article: BilingualArticle
    script: str
    """``simplified`` or ``traditional``: the script its Chinese is shown in."""
    lang: str
    """The BCP 47 tag of that script."""
    title_zh: str
    """The title (Markdown) in the shown script."""
    credits: tuple[Credit, ...]
    """The byline, in both languages."""
    source: SourceLine
    """Where it was published."""
    blocks: tuple[PairedBlock, ...]
    """Every block, in reading order."""
    sections: tuple[PageSection, ...]
    """The sections under the top-level headings, in order (the blocks before the first are :attr:`lead`)."""
    items: tuple[Item, ...] = ()
    """The body as it is laid out: :attr:`blocks` with each table's cells grouped and footnotes left out."""
    notes: tuple[NoteView, ...] = ()
    """The footnotes, numbered in the order they are defined."""

    def note_number(self, label: str) -> int | None:
        """The number readers see for the footnote ``label``; None when no note has that label."""
        return next((n.number for n in self.notes if n.label == label), None)

    @property
    def lead(self) -> tuple[PairedBlock, ...]:
        """The blocks before the first top-level heading."""
        return self.blocks[:self.blocks.index(self.sections[0].heading)] if self.sections else self.blocks

    @property
    def slug(self) -> str:
        """The article's slug (its pages' and files' name)."""
        return self.article.slug

    @property
    def source_script(self) -> str:
        """How the source wrote its Chinese."""
        return self.article.article.meta.script


def english_carriers(article: BilingualArticle) -> dict[str, str]:
    """Joined segment id → the id of the segment that carries its English (:attr:`~translate.models.Segment.joined`).

    A chain (joined to a segment itself joined) is followed to its end; a carrier that is no segment of the
    article, or a loop, leaves the segment out: it then pairs with itself, as any other.
    """
    segments = {s.id: s for s in article.segments}
    out = {}
    for segment in segments.values():
        if not segment.joined or segment.en:
            continue
        carrier, seen = segment.joined, {segment.id}
        while carrier in segments and segments[carrier].joined and not segments[carrier].en and carrier not in seen:
            seen.add(carrier)
            carrier = segments[carrier].joined
        if carrier in segments and carrier not in seen:
            out[segment.id] = carrier
    return out


def article_model(edition: Edition, article: BilingualArticle) -> ArticleModel:
    """The page model of one article of ``edition`` (made once per edition and article)."""
    models = _once_per_edition("article models", edition, lambda e: {})
    if article.slug not in models or models[article.slug].article is not article:
        models[article.slug] = _article_model(edition, article)
    return models[article.slug]


def _article_model(edition: Edition, article: BilingualArticle) -> ArticleModel:
    meta = article.article.meta
    shown = shown_script(edition.script, meta.script)
    glossary = edition_glossary(edition)
    levels = heading_levels(article)
    top = min((b.block.level for b in article.blocks if b.block.kind == "heading"), default=2)
    carriers = english_carriers(article)
    joins: dict[str, list[str]] = {}
    for joined, carrier in carriers.items():
        joins.setdefault(carrier, []).append(joined)
    blocks, starts = [], []
    for bblock in article.blocks:
        block = bblock.block
        speaker_zh, speaker_en = speaker_labels(bblock, shown)
        segments = tuple(SegmentView(
            segment, zh_text(segment.zh, segment.zh_original, shown, meta.script),
            tuple((a, b, use.zh) for use in segment.terms for a, b in use.zh_spans),
            tuple((a, b, use.zh) for use in segment.terms for a, b in use.en_spans),
            carriers.get(segment.id, ""), tuple(joins.get(segment.id, ())),
        ) for segment in bblock.segments)
        paired = PairedBlock(
            bblock, levels.get(block.id, 0), block.kind == "heading" and block.level == top,
            zh_text(block.text, block.original, shown, meta.script), speaker_zh, speaker_en,
            block.kind != "image" or image_caption(bblock), segments,
        )
        if paired.opens_section:
            starts.append(len(blocks))
        blocks.append(paired)
    sections = tuple(PageSection(blocks[start], plain_text(blocks[start].zh), plain_text(blocks[start].block.en),
                                 tuple(blocks[start:end])) for start, end in zip(starts, [*starts[1:], len(blocks)]))
    return ArticleModel(article, shown, zh_lang(shown), zh_text(meta.title, meta.title_original, shown, meta.script),
                        credits(meta, glossary), source_line(meta, glossary), tuple(blocks), sections,
                        page_items(blocks), page_notes(blocks))

# --- the colophon ------------------------------------------------------------------------------------------------

#: How the colophon names the script the Chinese is shown in (``layout.script``).
SCRIPT_NAMES = {"source": "as each source was written", "simplified": "Simplified", "traditional": "Traditional"}


@dataclass(frozen=True, slots=True)
class Colophon:
    """What made the edition (or one article's offprint), stated once for every renderer's colophon."""

    engine: str
    """The engine's name (``ct2``, ``gloss``…)."""
    model: str
    """The model's id (``CC-CEDICT`` for the gloss)."""
    translators: tuple[str, ...]
    """Who edited the English."""
    shares: Provenance
    """Where the English of these segments came from."""
    term_rate: TermFigures
    """Every use of every glossary term in these segments, and how many were honoured."""
    build_date: str
    """``YYYY-MM-DD``."""
    script: str
    """The script the Chinese is shown in, as the colophon says it."""
    dictionary_licence: str
    """CC-CEDICT's attribution and licence (its word help and gloss are in every edition)."""
    model_licence: str
    """The line crediting the model and its licence (the engine table's); empty when no machine English is shown."""

    @property
    def is_gloss(self) -> bool:
        """True when some English is a dictionary gloss."""
        return bool(self.shares.gloss)

    @property
    def has_aligned(self) -> bool:
        """True when some English is an existing translation aligned with the Chinese, not yet confirmed."""
        return bool(self.shares.aligned)

    @property
    def aligned_note(self) -> str:
        """What a colophon says of the aligned English (:data:`ALIGNED_NOTE`); empty when there is none."""
        return ALIGNED_NOTE if self.shares.aligned else ""


def colophon(edition: Edition, article: BilingualArticle | None = None) -> Colophon:
    """The colophon of the edition (made once per edition), or of one article's offprint (its own segments' figures)."""
    if article is None:
        return _once_per_edition("colophon", edition, lambda e: _colophon(e, *edition_figures(e)))
    return _colophon(edition, provenance(article.segments), term_rate(article.segments))


def _colophon(edition: Edition, shares: Provenance, rate: TermFigures) -> Colophon:
    from translate.dictionary import ATTRIBUTION as CEDICT_ATTRIBUTION
    from translate.engines import model_licence

    credit = model_licence(edition.model) if shares.mt else ""
    return Colophon(engine=edition.engine, model=edition.model, translators=tuple(edition.translators), shares=shares,
                    term_rate=rate, build_date=edition.build_date,
                    script=SCRIPT_NAMES.get(edition.script, edition.script), dictionary_licence=CEDICT_ATTRIBUTION,
                    model_licence=credit)
