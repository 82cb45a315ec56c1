"""The frozen data types that flow between the pipeline's stages.

corpus → :class:`Article` (of :class:`Block`) → translate → :class:`BilingualArticle`
(of :class:`BilingualBlock` of :class:`Segment`) → render. A block's ``id`` and a
segment's ``id`` are the alignment keys that the HTML, the PDF, the translation
files and the report all share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

#: Damaged source spans (mojibake that could not be repaired) are kept in the
#: corpus between these two marks, so every stage can see and show them.
DAMAGED_OPEN = "⟦"
DAMAGED_CLOSE = "⟧"
#: What the English says where the source is damaged: the span is not translated.
DAMAGED_PLACEHOLDER = "[damaged text]"

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "image", "cell", "footnote", "code", "rule"]
"""What a block is. ``quote`` is a paragraph inside a block quote (other kinds inside one say so with
``Block.quoted``); ``image`` is a figure (its text is the caption); ``cell`` is one cell of a table
(``Block.cell`` places it); ``footnote`` is a paragraph of a footnote's definition (``Block.note`` names it);
``code`` is a code block (carried, never translated); ``rule`` is a thematic break (no text)."""
Align = Literal["", "left", "center", "right"]
Script = Literal["simplified", "traditional"]
Role = Literal["question", "answer"]
Origin = Literal["edited", "aligned", "mt", "gloss"]
"""Where a segment's English came from: a translator's edit, an existing English translation aligned with the
Chinese (``bitext align``, not yet confirmed by a translator), a machine translation, a dictionary gloss."""


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What the front matter of a cleaned article says about it."""

    title: str
    """Title in the working (Simplified) script."""
    title_original: str
    """Title as the source wrote it (Traditional when the source was)."""
    source_file: str
    """File name of the raw source in ``corpus/raw/``, for provenance."""
    script: Script
    """Script of the source text."""
    authors: tuple[str, ...] = ()
    """Writers, reporters (文丨…, 作者…)."""
    editors: tuple[str, ...] = ()
    """Editors and producers (编辑丨…, 出品丨…)."""
    publication: str | None = None
    """Outlet, e.g. 晚点 LatePost."""
    date: str | None = None
    """Publication date as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY``) when known."""
    interviewers: tuple[str, ...] = ()
    """Speaker labels that ask the questions; every other label answers."""
    cleaning: tuple[tuple[str, int], ...] = ()
    """Summary of the cleaning: (rule name, characters removed or changed)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a table cell sits: its table, row and column, and how its column is aligned."""

    table: str
    """The table's id within the article, e.g. ``t1`` (the cells of one table share it, in reading order)."""
    row: int
    """Row, from 0; the header row (when the table has one) is row 0."""
    column: int
    """Column, from 0."""
    header: bool = False
    """True for a cell of the header row."""
    align: Align = ""
    """The column's alignment as the source's delimiter row says it (``:--``, ``:-:``, ``--:``)."""


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of an article: a heading, paragraph, list item, quote, figure, table cell, footnote
    paragraph, code block or thematic break. Containers (lists, quotes, tables, footnotes) are not blocks of their
    own: each block says where it sits (``depth``, ``quoted``, ``cell``, ``note``), so every translatable piece is
    a block with sentences, and the renderers put the containers back together."""

    id: str
    """Stable alignment key within the article, e.g. ``b007``."""
    kind: BlockKind
    """What the block is."""
    text: str
    """Inline Markdown in the working (Simplified) script, speaker label removed."""
    original: str
    """The same inline Markdown in the source script."""
    level: int = 0
    """Heading level (1–6) for headings; 0 otherwise."""
    speaker: str | None = None
    """Interview speaker label (working script) that opened the block, if any."""
    role: Role | None = None
    """Whether the speaker asks or answers."""
    url: str | None = None
    """Image source URL (never fetched) for image blocks."""
    line: int = 0
    """Line of the block in the cleaned corpus file, for messages and concordances."""
    depth: int = 0
    """How deep in lists the block sits: 1 for an item of a top-level list (or a paragraph or code block that
    continues one), 2 for an item of a list inside it, …; 0 outside lists."""
    number: int | None = None
    """The item's number in an ordered list (``3.`` → 3); None for bullets and everything else."""
    checked: bool | None = None
    """A task-list item's box: True ticked (``[x]``), False open (``[ ]``); None for other blocks."""
    quoted: int = 0
    """How many block quotes hold the block (``>`` → 1, ``> >`` → 2); 0 outside quotes."""
    cell: Cell | None = None
    """For a table cell: its table, row, column and alignment."""
    note: str = ""
    """For a footnote paragraph: the footnote's label (``[^1]`` → ``1``)."""
    lang: str = ""
    """For a code block: the language its fence names (``python``), else empty."""

    @property
    def translatable(self) -> bool:
        """False for blocks whose text is never translated: code and thematic breaks."""
        return self.kind not in ("code", "rule")


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned source article, ready for translation."""

    slug: str
    """Short ASCII name; the corpus file is ``corpus/<slug>.md``."""
    meta: ArticleMeta
    """Front matter."""
    blocks: tuple[Block, ...]
    """Body, in reading order."""
    path: str = ""
    """The cleaned corpus file the article was read from."""


@dataclass(frozen=True, slots=True)
class Term:
    """One termbase entry."""

    zh: str
    """Chinese term, Simplified: the entry's key."""
    en: str
    """English target the translation must contain."""
    variants: tuple[str, ...] = ()
    """Extra source forms (typed ones plus derived Traditional forms)."""
    note: str = ""
    """Note for translators and readers."""
    keep: bool = False
    """Keep-as-is: the term (e.g. ``Densing Law``) must survive exactly, case and all."""
    case: Literal["insensitive", "exact"] = "insensitive"
    """How Latin source forms match, and how strictly the target is checked."""
    kind: str = ""
    """Category: concept, person, company, product, publication, …"""
    line: int = 0
    """Line of the entry in the glossary file."""
    alternates: tuple[str, ...] = ()
    """Other English forms the honour rule also accepts (what a person may write; engines still get ``en``)."""
    pos: str = ""
    """Part of speech of ``en`` (noun, verb, adjective, name or empty): which inflections of its last word count."""


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A glossary term found in a piece of Chinese text."""

    start: int
    """Offset of the first character."""
    end: int
    """Offset after the last character."""
    surface: str
    """The text as it appears (may be a variant or Traditional form)."""
    term: Term
    """The entry it matched."""


@dataclass(frozen=True, slots=True)
class Violation:
    """A place where a glossary term did not come out as the glossary says."""

    article: str
    """Article slug."""
    block: str
    """Block id."""
    segment: str
    """Segment id."""
    term: str
    """Chinese term (the entry key)."""
    expected: str
    """English target from the glossary."""
    got: str
    """The English sentence that came out."""
    zh: str = ""
    """The Chinese sentence."""


@dataclass(frozen=True, slots=True)
class TermUse:
    """A glossary term in a segment and whether the English honoured it."""

    zh: str
    """Entry key."""
    en: str
    """Target."""
    surface: str
    """Source form as it appears in the sentence."""
    honoured: bool
    """True when the English contains the target (the glossary's honour rule)."""
    zh_spans: tuple[tuple[int, int], ...] = ()
    """Where the term sits in the plain text of the segment's ``zh`` (:func:`translate.markup.plain_text`)."""
    en_spans: tuple[tuple[int, int], ...] = ()
    """Where its target sits in the plain text of the segment's ``en``; empty when not honoured."""
    alternates: tuple[str, ...] = ()
    """The entry's other accepted English forms (shown to translators beside the target)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence pair: the unit of translation, caching, linking and checking."""

    id: str
    """Alignment key ``<block id>.s<n>``, e.g. ``b007.s2``."""
    zh: str
    """Chinese sentence in the working script (inline Markdown)."""
    zh_original: str
    """The same sentence in the source script."""
    en: str
    """English translation (inline Markdown)."""
    engine: str
    """Engine that produced ``en``: ``argos:<model>``, ``gloss`` or ``cache``-free name."""
    terms: tuple[TermUse, ...] = ()
    """Glossary terms in the sentence and whether each was honoured."""
    violations: tuple[Violation, ...] = ()
    """Terms not honoured; never silent."""
    note: str = ""
    """Why the segment is special (e.g. a damaged span was not translated)."""
    cached: bool = False
    """True when the translation came from the translation memory."""
    origin: Origin = "mt"
    """``edited`` (a translator's English from ``corpus/<slug>.en.po``), ``aligned`` (an existing English
    translation aligned into that store, not yet confirmed), ``mt`` or ``gloss``."""
    stale: bool = False
    """True when a translator's edit exists but its Chinese has changed since (machine English shown)."""
    comment: str = ""
    """The translator's comment on the segment (PO ``#``): why an unusual rendering is right."""
    screened: tuple[str, ...] = ()
    """What the screen of machine output changed in the engine's English (control characters removed, cut,
    markup dropped; :mod:`translate.translation.untrusted`): each is a ``screened`` flag of the report."""
    confidence: float | None = None
    """For ``aligned`` English: how sure the aligner was of its bead (0 to 1); None for every other origin."""
    joined: str = ""
    """For ``aligned`` English: the id of the segment whose English also translates this one (an English
    sentence that spans two Chinese segments, a 2-1 bead). This segment's ``en`` is then empty: the English
    stands once, in the carrier, and nothing is machine-translated for it. Empty otherwise."""
    failed: str = ""
    """Why the engine's English could not be kept (an answer that never took the format asked for, an empty
    one): an ``engine_failed`` flag of the report; such English is never remembered. Empty when kept."""


@dataclass(frozen=True, slots=True)
class BilingualBlock:
    """A source block with its translated sentences."""

    block: Block
    """The source block."""
    segments: tuple[Segment, ...]
    """Its sentences, in order."""
    speaker: Segment | None = None
    """The interview speaker label as a segment (id ``<block id>.speaker``), when the block has one."""

    @property
    def en(self) -> str:
        """The English block text: the sentences joined by spaces."""
        return " ".join(s.en for s in self.segments if s.en)


@dataclass(frozen=True, slots=True)
class TranslationStats:
    """Counts for one article's translation."""

    segments: int = 0
    """Sentences translated."""
    cache_hits: int = 0
    """Sentences served by the translation memory."""
    cache_misses: int = 0
    """Sentences sent to the engine."""


@dataclass(frozen=True, slots=True)
class BilingualArticle:
    """An article with its translation, aligned block by block and sentence by sentence."""

    article: Article
    """The source."""
    title_en: str
    """English title."""
    blocks: tuple[BilingualBlock, ...]
    """Aligned body."""
    engine: str
    """Engine name: ``argos`` or ``gloss``."""
    model: str = ""
    """Model id (Argos package name and version) or dictionary name."""
    stats: TranslationStats = field(default_factory=TranslationStats)
    """Cache and segment counts."""
    title: Segment | None = None
    """The title as a segment (id ``title``): its origin, terms and violations; ``title_en`` is its English."""

    @property
    def slug(self) -> str:
        """The article's slug."""
        return self.article.slug

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Every translatable segment in reading order: title, then per block its speaker label and sentences."""
        out: list[Segment] = [self.title] if self.title is not None else []
        for block in self.blocks:
            if block.speaker is not None:
                out.append(block.speaker)
            out.extend(block.segments)
        return tuple(out)

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Every violation in the article, in reading order."""
        return tuple(v for s in self.segments for v in s.violations)


# The quality report: what the check stage computes (:mod:`translate.quality`) and the build carries to
# the renderers and to ``build/report.json``.

ORIGINS = ("edited", "aligned", "mt", "gloss")
#: An aligned bead less sure than this (:attr:`Segment.confidence`) is one a translator should check: listed by
#: ``bitext postedit status``, reachable with ``n``/``p`` in ``serve``, listed on the report page.
ALIGN_REVIEW_BELOW = 0.5
#: The kind of ``--strict`` warning for segments whose English is the dictionary gloss.
GLOSS_SEGMENTS = "gloss segments"


#: What the honour check counts, and decides one by one: a glossary term in a segment (:class:`TermUse`).
TERM_UNIT = "segment–term pairs"


@dataclass(frozen=True, slots=True)
class TermFigures:
    """What the honour check counted in a set of segments.

    Its unit is the segment–term pair (:data:`TERM_UNIT`): a term counts once per segment, however
    often that segment's Chinese repeats it, because the check asks of each segment whether its English
    says the term. The occurrences of terms in the Chinese, each counted, are given beside it.
    """

    pairs: int = 0
    """Segment–term pairs: each glossary term of each segment, once."""
    honoured: int = 0
    """Of those, the pairs whose English says the term as the glossary does."""
    occurrences: int = 0
    """Occurrences of glossary terms in the Chinese, each counted (0 when not known: an older report)."""

    @classmethod
    def of(cls, uses: Iterable["TermUse"]) -> "TermFigures":
        """The figures of a set of term uses (every segment's :attr:`Segment.terms`)."""
        uses = list(uses)
        return cls(len(uses), sum(u.honoured for u in uses), sum(max(1, len(u.zh_spans)) for u in uses))

    @classmethod
    def total(cls, figures: Iterable["TermFigures"]) -> "TermFigures":
        """The sum of several sets' figures."""
        figures = list(figures)
        return cls(sum(f.pairs for f in figures), sum(f.honoured for f in figures),
                   sum(f.occurrences for f in figures))

    @property
    def term_success_rate(self) -> float:
        """Share of pairs honoured (1.0 when there are none)."""
        return self.honoured / self.pairs if self.pairs else 1.0

    def percent(self) -> str:
        """``98.2 %``, as readers see it."""
        return f"{self.term_success_rate * 100:.1f} %"

    def sentence(self) -> str:
        """``2,018 of 2,018 segment–term pairs honoured; 2,123 term occurrences in the Chinese``."""
        counted = f"; {self.occurrences:,} term occurrences in the Chinese" if self.occurrences else ""
        return f"{self.honoured:,} of {self.pairs:,} {TERM_UNIT} honoured{counted}"

    def to_json(self) -> dict:
        """JSON-ready, rate included.

        ``term_occurrences`` and ``terms_honoured`` are the names reports had before the unit was named:
        they hold the pairs (as ``term_pairs`` and ``term_pairs_honoured``), kept for templates and readers
        written against them.
        """
        return {"term_pairs": self.pairs, "term_pairs_honoured": self.honoured,
                "term_occurrences_in_chinese": self.occurrences, "term_success_rate": self.term_success_rate,
                "term_occurrences": self.pairs, "terms_honoured": self.honoured}

    @classmethod
    def from_json(cls, data: dict) -> "TermFigures":
        """Figures read back from :meth:`to_json`'s keys (or an older report's)."""
        return cls(data.get("term_pairs", data.get("term_occurrences", 0)),
                   data.get("term_pairs_honoured", data.get("terms_honoured", 0)),
                   data.get("term_occurrences_in_chinese", 0))


@dataclass(frozen=True, slots=True)
class ArticleReport:
    """The quality report of one article (a row of ``build/report.json``)."""

    slug: str
    """Article slug."""
    title: str
    """Chinese title."""
    title_en: str
    """English title."""
    engine: str
    """Engine of its machine English."""
    model: str
    """Model or dictionary."""
    segments: int
    """Segments: title, speaker labels, sentences."""
    segments_by_origin: dict
    """``{"edited": n, "mt": n, "gloss": n}``."""
    terms_by_origin: dict
    """Origin → :class:`TermFigures` of the segments of that origin."""
    terms: TermFigures
    """The article's term figures (:class:`TermFigures`: segment–term pairs)."""
    violations: tuple[dict, ...]
    """Every place a term did not come out as the glossary says, in reading order."""
    stale_edits: tuple[dict, ...]
    """Translators' edits whose Chinese changed since (machine English shown meanwhile)."""
    damaged_spans: tuple[dict, ...]
    """Source spans damaged in the scrape."""
    flags: tuple[dict, ...]
    """Suspicious output; ``explained`` when a translator's comment on the segment says why it is right."""
    cache_hits: int = 0
    """Sentences served by the translation memory in this build."""
    cache_misses: int = 0
    """Sentences sent to the engine in this build."""

    @property
    def term_success_rate(self) -> float:
        """Share of segment–term pairs honoured."""
        return self.terms.term_success_rate

    @property
    def unexplained_flags(self) -> int:
        """Flags no translator's comment explains."""
        return sum(1 for f in self.flags if not f.get("explained"))

    def to_json(self) -> dict:
        """The row as ``build/report.json`` stores it."""
        return {
            "slug": self.slug, "title": self.title, "title_en": self.title_en, "engine": self.engine,
            "model": self.model, "segments": self.segments, "segments_by_origin": dict(self.segments_by_origin),
            "terms_by_origin": {o: f.to_json() for o, f in self.terms_by_origin.items()},
            **self.terms.to_json(), "violations": list(self.violations), "stale_edits": list(self.stale_edits),
            "damaged_spans": list(self.damaged_spans), "flags": list(self.flags),
            "cache_hits": self.cache_hits, "cache_misses": self.cache_misses,
        }

    @classmethod
    def from_json(cls, row: dict) -> "ArticleReport":
        """A row read back from ``build/report.json``."""
        return cls(
            slug=row["slug"], title=row["title"], title_en=row["title_en"], engine=row["engine"],
            model=row["model"], segments=row["segments"], segments_by_origin=dict(row["segments_by_origin"]),
            terms_by_origin={o: TermFigures.from_json(f) for o, f in row["terms_by_origin"].items()},
            terms=TermFigures.from_json(row),
            violations=tuple(row["violations"]), stale_edits=tuple(row["stale_edits"]),
            damaged_spans=tuple(row["damaged_spans"]), flags=tuple(row["flags"]),
            cache_hits=row.get("cache_hits", 0), cache_misses=row.get("cache_misses", 0),
        )


@dataclass(frozen=True, slots=True)
class QualityReport:
    """The whole quality report: the edition's facts and one row per article."""

    title: str
    """Edition title."""
    engine: str
    """Engine of the machine English."""
    model: str
    """Model or dictionary."""
    is_gloss: bool
    """True when the machine English is a dictionary gloss."""
    build_date: str
    """ISO date of the build."""
    glossary_version: str
    """Short content hash of the glossary."""
    glossary_terms: int
    """Entries in the glossary."""
    articles: tuple[ArticleReport, ...]
    """Per article, in edition order."""

    def _sum(self, name: str) -> int:
        return sum(getattr(a, name) if isinstance(getattr(a, name), int) else len(getattr(a, name))
                   for a in self.articles)

    @property
    def segments(self) -> int:
        """Segments of the edition."""
        return self._sum("segments")

    @property
    def segments_by_origin(self) -> dict:
        """``{"edited": n, "mt": n, "gloss": n}`` for the edition."""
        return {o: sum(a.segments_by_origin.get(o, 0) for a in self.articles) for o in ORIGINS}

    @property
    def terms(self) -> TermFigures:
        """The edition's term figures (:class:`TermFigures`: segment–term pairs)."""
        return TermFigures.total(a.terms for a in self.articles)

    @property
    def term_success_rate(self) -> float:
        """Share of the edition's segment–term pairs honoured."""
        return self.terms.term_success_rate

    @property
    def violations(self) -> int:
        """Glossary violations in the edition."""
        return self._sum("violations")

    @property
    def stale_edits(self) -> int:
        """Stale edits in the edition."""
        return self._sum("stale_edits")

    @property
    def damaged_spans(self) -> int:
        """Damaged source spans in the edition."""
        return self._sum("damaged_spans")

    @property
    def flags(self) -> int:
        """Suspicious-output flags in the edition."""
        return self._sum("flags")

    @property
    def unexplained_flags(self) -> int:
        """Flags no translator's comment explains."""
        return sum(a.unexplained_flags for a in self.articles)

    def warnings(self, *, allow_gloss: bool = False) -> dict[str, int]:
        """What ``--strict`` fails on, by kind: violations, stale edits, damaged spans, unexplained flags, and
        segments whose English is the dictionary gloss (not a translation) unless ``allow_gloss``."""
        counts = {"glossary violations": self.violations, "stale edits": self.stale_edits,
                  "damaged spans": self.damaged_spans, "unexplained QA flags": self.unexplained_flags,
                  GLOSS_SEGMENTS: 0 if allow_gloss else self.segments_by_origin["gloss"]}
        return {kind: n for kind, n in counts.items() if n}

    def to_json(self) -> dict:
        """The content of ``build/report.json``."""
        by_origin: dict[str, TermFigures] = {}
        for o in ORIGINS:
            by_origin[o] = TermFigures.total(a.terms_by_origin.get(o, TermFigures()) for a in self.articles)
        totals = {
            "title": self.title, "engine": self.engine, "model": self.model, "is_gloss": self.is_gloss,
            "build_date": self.build_date, "glossary_version": self.glossary_version,
            "glossary_terms": self.glossary_terms, "articles": len(self.articles), "segments": self.segments,
            "segments_by_origin": self.segments_by_origin,
            "terms_by_origin": {o: f.to_json() for o, f in by_origin.items()},
            "stale_edits": self.stale_edits, **self.terms.to_json(), "violations": self.violations,
            "damaged_spans": self.damaged_spans, "flags": self.flags, "unexplained_flags": self.unexplained_flags,
            "cache_hits": sum(a.cache_hits for a in self.articles),
            "cache_misses": sum(a.cache_misses for a in self.articles),
        }
        return {"edition": totals, "articles": [a.to_json() for a in self.articles]}

    @classmethod
    def from_json(cls, data: dict) -> "QualityReport":
        """A report read back from ``build/report.json`` (a skipped build shows the edition's figures)."""
        totals = data["edition"]
        return cls(title=totals["title"], engine=totals["engine"], model=totals["model"],
                   is_gloss=totals["is_gloss"], build_date=totals["build_date"],
                   glossary_version=totals["glossary_version"], glossary_terms=totals["glossary_terms"],
                   articles=tuple(ArticleReport.from_json(r) for r in data["articles"]))


@dataclass(frozen=True, slots=True)
class Edition:
    """Everything the renderers need: the translated articles and the edition's facts."""

    title: str
    """Edition title."""
    subtitle: str
    """Edition subtitle."""
    articles: tuple[BilingualArticle, ...]
    """Translated articles in edition order."""
    terms: tuple[Term, ...]
    """The glossary entries (for the glossary page and appendix)."""
    glossary_version: str
    """Short content hash of the glossary file."""
    engine: str
    """``argos`` or ``gloss`` (a dictionary gloss, labelled as such everywhere)."""
    model: str
    """Model id or dictionary name and version."""
    build_date: str
    """ISO date of the build."""
    script: str = "source"
    """Chinese script to show: ``simplified``, ``traditional`` or ``source``."""
    report: QualityReport | None = None
    """The quality report (:class:`QualityReport`; :func:`translate.quality.check_edition`; ``build/report.json``)."""
    translators: tuple[str, ...] = ()
    """Who edited the English (``[edition] translators``), credited on the front page and colophon."""

    @property
    def is_gloss(self) -> bool:
        """True when the English is a dictionary gloss, not a translation."""
        return self.engine == "gloss"
