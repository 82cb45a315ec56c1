"""What the PDF's templates show: articles as Chinese | English pairs, the colophon's facts.

Built on the shared view layer (:mod:`translate.render.views`), which decides the
script, speaker and byline labels, term rates and provenance for every renderer.
"""

from __future__ import annotations

import hashlib
import html as _html
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version as package_version
from typing import Iterable

from markupsafe import Markup

from translate.models import BilingualArticle, Edition
from translate.render import views
from translate.render.fonts import FontChoice
from translate.render.inline import footnote_mark, plain_text, render_inline

FONT_LICENCE = "Noto fonts (Noto Serif CJK, Noto Serif): SIL Open Font License 1.1; embedded as subsets."


@dataclass(frozen=True, slots=True)
class PairView:
    """One block as a Chinese | English row."""

    anchor: str
    kind: str
    zh: Markup
    en: Markup
    role: str | None = None
    level: int = 0
    speaker_zh: Markup = Markup("")
    """The speaker label as print HTML (its spaces set as in the text, :func:`chinese_spacing`)."""
    speaker_en: str = ""
    bookmark: str = ""
    machine: bool = False
    """True when a sentence of the pair is machine English, not a translator's."""
    place: views.Placement = views.Placement()
    """Where the block sits (lists, quotes, table cell) and its code (printed once, across the full measure):
    the page model's (:attr:`views.PairedBlock.place`)."""


@dataclass(frozen=True, slots=True)
class TablePrint(views.RenderedTable):
    """A table as the print sets it: across the full measure, its header row repeated on each page; each cell a
    :class:`PairView` (its Chinese over its English)."""

    anchor: str
    """The table's anchor in the book (``<slug>-t1``)."""
    widths: tuple[float, ...] = ()
    """Each column's share of the measure, in per cent (:func:`column_widths`)."""


@dataclass(frozen=True, slots=True)
class NotePrint(views.RenderedNote):
    """A footnote whose reference a language's text does not carry: set at the article's end in that language."""

    anchor: str
    """Its anchor in the book (``<slug>-note-1``)."""
    zh: Markup
    """The note's Chinese; empty when the Chinese text calls it (it is at the foot of that page)."""
    en: Markup
    """The note's English; empty when the English text calls it."""


@dataclass(frozen=True, slots=True)
class SectionView:
    """A heading listed in the table of contents."""

    anchor: str
    zh: str
    en: str
    zh_html: Markup = Markup("")
    """The Chinese as print HTML, its words kept whole (:func:`kept_words`)."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article as the templates show it."""

    slug: str
    anchor: str
    lang: str
    title_zh: str
    title_en: str
    running_title: str
    bookmark: str
    byline: str
    """The byline with Chinese labels and names."""
    byline_en: str
    """The byline with English labels and romanised names."""
    pairs: tuple[PairView, ...]
    """Every block as a pair, in reading order (table cells and footnote paragraphs too)."""
    sections: tuple[SectionView, ...]
    provenance: str = ""
    """Where the English came from: ``98 of 98 segments edited by the translators``."""
    keywords: tuple[str, ...] = ()
    """The PDF's keywords: bilingual edition, the languages, the publication."""
    items: tuple = ()
    """The body as it is laid out: :class:`PairView` and :class:`TablePrint`, footnote paragraphs left out
    (each note is set at the foot of the page that calls it)."""
    endnotes: tuple[NotePrint, ...] = ()
    """The notes some language's text does not call, set at the article's end in that language."""
    title_zh_html: Markup = Markup("")
    """The Chinese title as print HTML: its lines break between words (:func:`kept_words`)."""
    title_en_html: Markup = Markup("")
    """The English title as print HTML: any Chinese in it marked as Chinese (:func:`english_run`)."""
    byline_en_html: Markup = Markup("")
    """The English byline as print HTML, its Chinese marked (set upright in the italic byline)."""


#: Characters that sit next to a space in Chinese text: ideographs, CJK punctuation, full-width forms.
_CJK_SPACE_NEIGHBOUR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_SPACES = re.compile(r" +")
#: A quarter-em space the justifier cannot stretch: an en space (U+2002) set at half size (print.css.j2 ``.sp``).
FIXED_SPACE = '<span class="sp">\u2002</span>'
#: The space the text has beside a Latin word, in the justified body: the CJK face's own space (a quarter em),
#: kept at its width (print.css.j2 ``.gap``) and widened with the line's other stretch spaces when it is justified.
GAP = '<span class="gap"> </span>'
#: What may share a gap's span (:func:`chinese_spacing`): printable ASCII, which has no stretch space in it.
_LATIN_PIECE = re.compile(r"[\x21-\x7e]+")

#: CJK punctuation by where its blank half lies (clreq §3.1.6, Simplified Chinese glyphs): opening brackets and
#: quotes are set on the right half of their em, closing ones and the stops on the left half.
OPENING = frozenset("“‘「『（《〈【〔〖｛［")
CLOSING = frozenset("”’」』）》〉】〕〗｝］")
STOPS = frozenset("，。、；：！？")
#: A mark set half-width: the font's own half-width alternate (OpenType ``halt``, print.css.j2 ``.halt``).
HALF_WIDTH = '<span class="halt">{}</span>'
#: Ideographs and kana: a Chinese line may be stretched between any two of them, and beside its punctuation
#: and Latin words (never between two marks, which :func:`half_width_marks` sets tight).
_STRETCHABLE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z0-9]")
#: The justification opportunity: an ASCII space where a line may break anyway, a no-break space where it may
#: not (before a closing mark or a stop, after an opening one). WeasyPrint justifies a line by widening those two,
#: and only those; their own width is taken back by the Chinese column's negative word-spacing (print.css.j2),
#: so an unjustified line is set solid and a justified one spreads evenly over many small gaps.
STRETCH, STRETCH_NO_BREAK = " ", "\u00a0"


_MARKS = OPENING | CLOSING | STOPS
#: Two marks side by side: :func:`half_width_marks` sets a mark half-width only there.
_ADJACENT_MARKS = re.compile("[{0}][{0}]".format(re.escape("".join(sorted(_MARKS)))))


@lru_cache(maxsize=1 << 16)  # a pair of characters: an edition's few thousand pairs, asked some 30,000 times
def _stretch(first: str, second: str) -> str:
    """What goes between two characters of a justified Chinese run: :data:`STRETCH`, its no-break form, or nothing."""
    marks = _MARKS
    ideographs = sum(bool(_STRETCHABLE.match(c)) for c in (first, second))
    if ideographs == 2:
        return STRETCH
    if ideographs == 0 or not all(_STRETCHABLE.match(c) or c in marks or _LATIN.match(c) for c in (first, second)):
        return ""
    return STRETCH_NO_BREAK if first in OPENING or second in CLOSING or second in STOPS else STRETCH


def half_width_marks(text: str) -> list[bool]:
    """For each character of ``text``: whether it is set half-width, as clreq sets adjacent punctuation.

    Two marks side by side would leave a full em of white between them (``，“``); one gives up its
    blank half: a closing mark or stop before another mark, else an opening mark after an opening one.
    """
    halves = [False] * len(text)
    if not _ADJACENT_MARKS.search(text):  # (most runs: only two marks side by side give up a half)
        return halves
    for i in range(len(text) - 1):
        first, second = text[i], text[i + 1]
        if first in CLOSING or first in STOPS:
            halves[i] = second in OPENING or second in CLOSING or second in STOPS
        elif first in OPENING and second in OPENING:
            halves[i + 1] = True
    return halves


#: A Latin word long enough to hyphenate in the Chinese column (print.css.j2 lets ``lang="en"`` there hyphenate),
#: so a line need not be spread widely because the next word is long (``Transformer``).
_LONG_LATIN = re.compile(r"[A-Za-z]{7,}")


#: The characters :func:`html.escape` changes, with what it writes (one character at a time, a look-up).
_ESCAPED = {c: _html.escape(c) for c in "&<>\"'"}


def _set_chinese(text: str, stretch: bool = True) -> str:
    """Chinese text as print HTML, escaped: adjacent marks compressed, justification opportunities between ideographs."""
    if not text:
        return ""
    # Each character (escaped, half-width or in a long Latin word's span), then what follows it: built a list at a
    # time (a character at a time, this was most of an article's print view).
    chars = [_ESCAPED.get(char, char) for char in text]
    halves = half_width_marks(text)
    if True in halves:
        chars = [HALF_WIDTH.format(escaped) if half else escaped for escaped, half in zip(chars, halves)]
    if not stretch:
        return "".join(chars)
    for match in _LONG_LATIN.finditer(text):
        chars[match.start()] = '<span lang="en">' + chars[match.start()]
        chars[match.end() - 1] += "</span>"
    out = [None] * (2 * len(chars) - 1)
    out[0::2] = chars
    out[1::2] = map(_stretch, text, text[1:])
    return "".join(out)


def chinese_spacing(run: str, *, stretch: bool = False) -> str:
    """A run of the Chinese column as print HTML, escaped, with no ASCII space of the text left in it.

    WeasyPrint justifies a line by widening its ASCII spaces only; in Chinese those are
    the few around and between Latin words, so a justified line showed ``可是     AI     界``.
    Each run of spaces becomes a fixed quarter-em space (the CSS gap), or nothing next to
    CJK punctuation, which carries its own white. Adjacent punctuation is compressed
    (:func:`half_width_marks`) and, with ``stretch`` (the justified body text only: not
    tables, notes or labels, which are set flush left), a :data:`STRETCH` space goes
    between two ideographs, so the column justifies between its characters.
    """
    pieces: list[str | None] = [""]  # text, and None for a fixed space
    position = 0
    for match in _SPACES.finditer(run):
        pieces[-1] += run[position:match.start()]
        before = run[match.start() - 1] if match.start() else ""
        after = run[match.end()] if match.end() < len(run) else ""
        if not any(c and _CJK_SPACE_NEIGHBOUR.match(c) and unicodedata.category(c).startswith("P") for c in
                   (before, after)):
            pieces += [None, ""]
        position = match.end()
    pieces[-1] += run[position:]
    if not stretch:
        return "".join(FIXED_SPACE if piece is None else _set_chinese(piece, False) for piece in pieces)
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece is not None:
            out.append(_set_chinese(piece))
            index += 1
            continue
        # A gap, and the Latin words and gaps after it up to the chain's last gap, in one span (GAP): the
        # same spaces, fewer boxes for WeasyPrint to lay out and draw (one text box for ``可是 Gen AI 界``'s
        # three gaps and two words, not five boxes).
        end = index
        while end + 2 < len(pieces) and pieces[end + 2] is None and _LATIN_PIECE.fullmatch(pieces[end + 1]):
            end += 2
        words = [_set_chinese(word) for word in pieces[index + 1:end:2]]
        out.append(GAP if not words else f'<span class="gap"> {" ".join(words)} </span>')
        index = end + 1
    return "".join(out)


def _justified_spacing(run: str) -> str:
    """A run of the justified Chinese column (:func:`chinese_spacing` with room to stretch)."""
    return chinese_spacing(run, stretch=True)


def _heading_spacing(run: str) -> str:
    """A run of a Chinese heading or title: its words kept whole on a line (:func:`kept_words`)."""
    return str(kept_words(run))


#: Chinese in a word: a jieba word with at least two of these is kept on one line in titles.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def kept_words(text: str) -> Markup:
    """A title or heading as print HTML whose lines break only between words (jieba's), never inside one.

    Each word of two or more Chinese characters is a ``<span class="w">`` that does not wrap
    (print.css.j2); adjacent punctuation is compressed as in the body. Traditional text is cut
    where its Simplified form's words end (jieba knows Simplified words better).
    """
    from translate.dictionary import segment_words
    from translate.glossary.traditional import simplified

    pieces: list[str] = []
    for part in re.split(r"( +)", text):
        if not part.strip(" "):
            pieces.append(part)
            continue
        guide = simplified(part)
        position = 0
        for word in segment_words(guide if len(guide) == len(part) else part):
            pieces.append(part[position:position + len(word)])
            position += len(word)
    halves, offset, out = half_width_marks(text), 0, []
    for piece in pieces:
        escaped = "".join(HALF_WIDTH.format(_html.escape(c)) if halves[offset + i] else _html.escape(c)
                          for i, c in enumerate(piece))
        offset += len(piece)
        out.append(f'<span class="w">{escaped}</span>' if len(_CJK.findall(piece)) >= 2 else escaped)
    return Markup("".join(out))


def english_run(lang: str):
    """The ``run`` of :func:`render_inline` for English text: Chinese in it marked ``lang`` (never set in italics)."""
    def run(text: str) -> str:
        return _CJK_RUN.sub(lambda m: f'<span lang="{lang}">{m[0]}</span>', _html.escape(text))
    return run


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")


#: Estimated advance widths, in em, of the running head's letters (Noto Serif, Noto Serif CJK).
_WIDE = 1.0
_UPPER, _LOWER, _SPACE, _MARK = 0.72, 0.54, 0.26, 0.34


def _width(text: str) -> float:
    """An upper estimate of ``text``'s width in em."""
    total = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            total += _WIDE
        elif char == " ":
            total += _SPACE
        elif char.isupper() or char.isdigit():
            total += _UPPER
        elif char.isalpha():
            total += _LOWER
        else:
            total += _MARK
    return total


def _shorten(text: str, room: float) -> str:
    """``text``, or as much of it as fits ``room`` em with an ellipsis (Latin cut between words)."""
    if _width(text) <= room:
        return text
    cut = text
    while cut and _width(cut + "…") > room:
        cut = cut[:-1]
    if cut and text[len(cut)] != " " and cut[-1].isascii() and " " in cut:
        cut = cut[: cut.rindex(" ")]  # end on a whole English word
    return cut.rstrip(" ,.;:·—–-“‘「『（(") + "…"


def running_title(title_zh: str, title_en: str, width: float) -> str:
    """``Chinese · English`` for the running head, shortened with ellipses to fit ``width`` em on one line.

    The Chinese keeps up to 45 % of the line; the English takes the rest.
    """
    separator = " · "
    full = f"{title_zh}{separator}{title_en}"
    if _width(full) <= width:
        return full
    room = width - _width(separator)
    zh = _shorten(title_zh, min(_width(title_zh), room * 0.45))
    return f"{zh}{separator}{_shorten(title_en, room - _width(zh))}"


class _NoteCalls:
    """An article's footnote references as print HTML, each language's pointing to its own note.

    The first reference to a note in a language carries the note's text in that language,
    which WeasyPrint sets at the foot of the page (``float: footnote``, print.css.j2); a later
    reference to it is its number alone. A label no note defines stays a bare mark.
    """

    def __init__(self, model: views.ArticleModel):
        self.notes: dict[str, tuple[int, Markup, Markup]] = {}
        self.placed: set[tuple[str, str]] = set()
        """(label, side) of every note already set at the foot of a page."""
        for note in model.notes:
            # Paragraphs run on after a line break: the note's number stays on its first line.
            zh = Markup("<br>").join(render_inline(paired.zh, chinese_spacing, self.mark) for paired in note.blocks)
            en = Markup("<br>").join(render_inline(paired.block.en, note_link=self.mark) for paired in note.blocks)
            self.notes[note.label] = (note.number, zh, en)

    def mark(self, label: str) -> str:
        """A reference as its number alone (a later reference, or one inside a note)."""
        if label not in self.notes:
            return footnote_mark(label)
        return f'<sup class="fn-ref">{self.notes[label][0]}</sup>'

    def linker(self, side: str):
        """The ``note_link`` of :func:`render_inline` for the ``zh`` or ``en`` column."""
        def link(label: str) -> str:
            if label not in self.notes or (label, side) in self.placed:
                return self.mark(label)
            self.placed.add((label, side))
            number, zh, en = self.notes[label]
            return f'<span class="footnote" data-n="{number}">{zh if side == "zh" else en}</span>'
        return link

    def uncalled(self, model: views.ArticleModel, slug: str) -> tuple[NotePrint, ...]:
        """The notes a language's text does not call (its reference lost or never made): set at the article's end."""
        out = []
        for note in model.notes:
            number, zh, en = self.notes[note.label]
            shown_zh = Markup("") if (note.label, "zh") in self.placed else zh
            shown_en = Markup("") if (note.label, "en") in self.placed else en
            if shown_zh or shown_en:
                out.append(NotePrint(note, f"{slug}-note-{number}", shown_zh, shown_en))
        return tuple(out)


def article_view(bilingual: BilingualArticle, edition: Edition, running_width: float = 1e9) -> ArticleView:
    """The template view of one article (its page model, :func:`views.article_model`); the running head fits ``running_width`` em."""
    model = views.article_model(edition, bilingual)
    slug = bilingual.slug
    title_zh = plain_text(model.title_zh)
    title_en = plain_text(bilingual.title_en)
    calls = _NoteCalls(model)
    zh_link, en_link = calls.linker("zh"), calls.linker("en")
    en_run = english_run(model.lang)
    pairs: dict[str, PairView] = {}
    for paired in model.blocks:  # in reading order: the first reference to a note carries it
        bb, block = paired.block, paired.block.block
        bookmark = f"{plain_text(paired.zh)} · {plain_text(bb.en)}" if block.kind == "heading" else ""
        if not paired.shown or block.kind in ("code", "rule"):
            zh = en = Markup("")  # an image's alt text that was a placeholder (图片, "Picture"), not a caption
        elif block.kind == "footnote":  # its text is set where it is called (_NoteCalls)
            zh, en = render_inline(paired.zh, chinese_spacing, calls.mark), render_inline(bb.en, en_run, calls.mark)
        else:
            zh_run = (_heading_spacing if block.kind == "heading" else
                      chinese_spacing if block.cell is not None else _justified_spacing)
            zh, en = render_inline(paired.zh, zh_run, zh_link), render_inline(bb.en, en_run, en_link)
        pairs[block.id] = PairView(
            anchor=f"{slug}-{block.id}", kind=block.kind, zh=zh, en=en, role=block.role,
            level=block.level, speaker_zh=Markup(chinese_spacing(paired.speaker_zh)), speaker_en=paired.speaker_en,
            bookmark=bookmark, machine=paired.machine, place=paired.place,
        )

    def pair(paired: views.PairedBlock) -> PairView:
        return pairs[paired.block.block.id]

    items = views.laid_out(model.items, pair, lambda table: TablePrint.of(
        table, pair, anchor=f"{slug}-{table.id}", widths=column_widths(table)))
    sections = [SectionView(f"{slug}-{s.heading.block.block.id}", s.title_zh, s.title_en, kept_words(s.title_zh))
                for s in model.sections]
    credits = model.credits
    byline_zh = " · ".join(f"{c.label_zh} {'、'.join(c.names_zh)}" if c.label_zh not in ("来源", "日期")
                           else "、".join(c.names_zh) for c in credits)
    byline_en = " · ".join(f"{c.label_en} {', '.join(c.names_en)}" if c.label_en not in ("Published in", "Date")
                           else ", ".join(c.names_en) for c in credits)
    return ArticleView(
        slug=slug, anchor=f"article-{slug}", lang=model.lang, title_zh=title_zh, title_en=title_en,
        running_title=running_title(title_zh, title_en, running_width), bookmark=f"{title_zh} · {title_en}",
        byline=byline_zh, byline_en=byline_en, pairs=tuple(pairs.values()), sections=tuple(sections),
        provenance=views.provenance(bilingual.segments).sentence(),
        keywords=edition_keywords(edition, (bilingual,)), items=items, endnotes=calls.uncalled(model, slug),
        title_zh_html=kept_words(title_zh), title_en_html=Markup(en_run(title_en)),
        byline_en_html=Markup(en_run(byline_en)),
    )


#: A column's width in the estimate of :func:`column_widths`, in em: at least a short word, at most a short line.
_NARROWEST_COLUMN, _WIDEST_COLUMN = 4.0, 30.0


def column_widths(table: views.TableView) -> tuple[float, ...]:
    """Each column's share of the measure, in per cent: by the longest text in it, in either language.

    The print sets tables with fixed column widths (WeasyPrint's automatic layout gave a column
    holding one long URL nearly the whole measure, breaking its neighbours' words); a column
    asks for its longest cell's width, counted between a short word and a short line.
    """
    wanted = [_NARROWEST_COLUMN] * table.columns
    for row in table.rows:
        for column, paired in enumerate(row):
            longest = max(_width(plain_text(paired.zh)), _width(plain_text(paired.block.en)))
            wanted[column] = max(wanted[column], min(longest, _WIDEST_COLUMN))
    total = sum(wanted)
    return tuple(round(100 * w / total, 2) for w in wanted)


def edition_keywords(edition: Edition, articles) -> tuple[str, ...]:
    """The PDF's keywords: what the book is, its languages, and the publications its articles come from."""
    glossary = views.edition_glossary(edition)
    outlets = [views.source_line(a.article.meta, glossary).publication_en for a in articles]
    return tuple(dict.fromkeys(["bilingual edition", "Chinese", "English", "translation", *filter(None, outlets)]))


def _offprint_glossary(article: BilingualArticle) -> tuple[str, int]:
    """An offprint's glossary line: a fingerprint of the glossary entries its article uses, and how many.

    They depend on this article alone, so editing a term another article uses
    leaves this offprint unchanged (and unrendered).
    """
    entries = sorted({(t.zh, t.en) for s in article.segments for t in s.terms})
    fingerprint = hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()[:12]
    return fingerprint, len(entries)


@cache
def weasyprint_version() -> str:
    """WeasyPrint's version, without importing it (about a second): the build process sets no PDF itself."""
    try:
        return package_version("weasyprint")
    except PackageNotFoundError:  # not installed as a distribution: ask the module
        import weasyprint

        return weasyprint.__version__


def colophon_view(edition: Edition, fonts: FontChoice | None, article: BilingualArticle | None = None) -> dict:
    """What the colophon states: the edition's :class:`~translate.render.views.Colophon`, and what only print adds.

    An offprint's (``article``) glossary line names the entries its article uses; the book's, the glossary.
    """
    c = views.colophon(edition, article)
    if article is None:
        glossary_version, term_count, scope = edition.glossary_version, len(edition.terms), "edition"
    else:
        glossary_version, term_count = _offprint_glossary(article)
        scope = "article"
    font_names = "fonts not resolved"
    if fonts is not None:
        font_names = fonts.cjk_regular.family + (f" and {fonts.latin_family}" if fonts.latin_family else "")
    licences = [c.dictionary_licence, FONT_LICENCE, *([c.model_licence] if c.model_licence else [])]
    return dict(
        is_gloss=c.is_gloss, engine=c.engine, model=c.model,
        glossary_version=glossary_version, term_count=term_count, scope=scope,
        term_rate=c.term_rate.percent(), term_counts=c.term_rate.sentence(), build_date=c.build_date,
        provenance=c.shares.sentence(), all_edited=c.shares.all_edited, has_machine=bool(c.shares.mt),
        has_gloss=bool(c.shares.gloss), has_edited=bool(c.shares.edited), translators=c.translators,
        has_aligned=c.has_aligned, aligned_note=c.aligned_note,
        script=c.script, weasyprint=weasyprint_version(), fonts=font_names, licences=licences,
    )


def edition_texts(edition: Edition, views: Iterable[ArticleView], colophon: dict) -> Iterable[str]:
    yield edition.title
    yield edition.subtitle
    yield json.dumps(colophon, ensure_ascii=False)
    for t in edition.terms:
        yield from (t.zh, t.en, t.note, t.kind, *t.variants)
    for view in views:
        yield from (view.title_zh, view.title_en, view.byline, view.byline_en, view.provenance)
        for pair in view.pairs:
            yield from (plain_text(str(pair.zh)), pair.zh, pair.en, pair.speaker_zh, pair.speaker_en, pair.place.code)
    # What the templates print themselves: placeholders, headings, a ticked task box (✓), the end notes' heading.
    yield "图片未收录 Image not included 目录 术语表 版本说明 附录 中英对照 ・ ✓ 注释 Notes"
