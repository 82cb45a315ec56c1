"""Quality checks over a translated edition: the report a publisher acts on.

``check_edition(edition)`` returns the content of ``build/report.json``:
per article and for the edition, the glossary term success rate, every
violation, untranslated or empty segments, suspicious output (n-gram loops,
lengths far from the source's, numbers / Latin names / URLs lost) and the
damaged source spans. Table cells and footnote paragraphs are segments like any
sentence: a cell's number must come through with its thousands separators read as
such (``1,250`` is not ``1.250`` nor ``12,50``) and a percentage must stay one.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from translate.adequacy import adequacy
from translate.models import (
    DAMAGED_CLOSE,
    DAMAGED_OPEN,
    ORIGINS,
    ArticleReport,
    BilingualArticle,
    Edition,
    QualityReport,
    Segment,
    TermFigures,
)
from translate.rebuild import same

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_URL = re.compile(r"https?://[^\s)）\]】>\"']+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*[A-Za-z0-9+]|[A-Za-z]")
_DAMAGED = re.compile(re.escape(DAMAGED_OPEN) + "(.*?)" + re.escape(DAMAGED_CLOSE), re.S)
_WORD = re.compile(r"\w+", re.U)

#: English characters per Chinese character outside which output is suspicious.
LENGTH_RATIO_RANGE = (0.4, 8.0)
#: Shortest Chinese sentence (characters) whose length ratio is checked.
MIN_LENGTH_FOR_RATIO = 8
#: The most characters of one English sentence the checks read (its length is measured whole).
MAX_CHECKED_CHARACTERS = 65536


def _flag(segment: Segment, kind: str, detail: str) -> dict:
    return {"segment": segment.id, "kind": kind, "detail": detail, "zh": segment.zh, "en": segment.en}


def segment_flags(segment: Segment, *, length_zh: str | None = None) -> list[dict]:
    """Everything suspicious about one sentence pair.

    ``length_zh``: the Chinese the English's length is measured against, when it is not the segment's own (an
    aligned English that translates several segments: the whole bead's Chinese; empty: not measured).
    """
    flags: list[dict] = []
    if segment.origin not in ("edited", "aligned"):
        flags += [_flag(segment, "screened", change) for change in segment.screened]
        if segment.failed:  # shown this once, never remembered: the next build asks again
            flags.append(_flag(segment, "engine_failed", segment.failed))
    zh = _DAMAGED.sub("", segment.zh)
    en = segment.en.strip()
    if not _CJK.search(zh) and not re.search(r"\w", zh):
        return flags  # punctuation or empty source: nothing to translate
    if not en:
        return flags + [_flag(segment, "empty", "no English for this sentence")]
    length = len(en)
    en = en[:MAX_CHECKED_CHARACTERS]  # one sentence costs the checks a bounded time, whatever its length
    leftover = _CJK.findall(en)
    if leftover:
        flags.append(_flag(segment, "untranslated", f"Chinese left in the English: {''.join(leftover)[:20]}"))
    loop = _ngram_loop(en)
    if loop:
        flags.append(_flag(segment, "loop", f"repeated phrase: {loop!r}"))
    measured = zh if length_zh is None else _DAMAGED.sub("", length_zh)
    zh_len = len(_CJK.findall(measured)) + len(re.findall(r"[A-Za-z0-9]", measured)) / 4
    if zh_len >= MIN_LENGTH_FOR_RATIO:
        ratio = length / zh_len
        low, high = LENGTH_RATIO_RANGE
        if ratio < low:
            flags.append(_flag(segment, "too_short", f"English is {ratio:.2f}× the source length"))
        elif ratio > high:
            flags.append(_flag(segment, "too_long", f"English is {ratio:.2f}× the source length"))
    for url in _URL.findall(zh):
        if url not in en:
            flags.append(_flag(segment, "url_lost", url))
    zh_wo_urls = _URL.sub(" ", zh)
    # Glossary terms are checked term by term; their digits and Latin letters may rightly change (2B → To B).
    for use in sorted(segment.terms, key=lambda t: -len(t.surface)):
        if use.surface:
            zh_wo_urls = zh_wo_urls.replace(use.surface, " ")
    en_wo_urls = _URL.sub(" ", en)
    en_numbers = {_ungrouped(n) for n in _NUMBER.findall(en_wo_urls)}
    en_values = english_values(en_wo_urls)
    en_percents = {_value(m.group(1), None, {}) for m in _EN_PERCENT.finditer(en_wo_urls)}
    for match in _ZH_AMOUNT.finditer(zh_wo_urls):
        number = match.group(1)
        if not match.group(2) and _PERCENT.match(zh_wo_urls, match.end()):
            # A share must stay a share (41.7% → 41.7% or 41.7 percent), not become an amount (41.7).
            if _value(number, None, {}) not in en_percents:
                flags.append(_flag(segment, "number_lost", f"{number}%"))
            continue
        if not match.group(2) and _ungrouped(number) in en_numbers:
            continue
        if _value(number, match.group(2), _ZH_MAGNITUDES) in en_values:
            continue  # 1000万 → 10 million, 2.5万 → 25,000
        if _said_otherwise(number, zh_wo_urls[match.end():match.end() + 2], en_wo_urls):
            continue  # 3月 → March, 90年代 → the 1990s, 5 → five
        flags.append(_flag(segment, "number_lost", number))
    from translate.magnitude import magnitude_problems

    flags += [_flag(segment, "magnitude", problem) for problem in magnitude_problems(segment.zh, en)]
    en_squeezed = re.sub(r"[\s\-‐–]+", "", en_wo_urls.lower())
    for name in sorted(set(_LATIN.findall(zh_wo_urls))):
        if len(name) > 1 and re.sub(r"[\s\-‐–]+", "", name.lower()) not in en_squeezed:
            flags.append(_flag(segment, "latin_lost", name))
    if segment.origin == "mt" and not flags:
        # Fluent nonsense in the right format (a real server's "canyon choked dinosaur"): only for a machine's
        # English that passed every other check, and only where the dictionary finds none of the Chinese in it.
        shown = adequacy(zh, en, ((use.surface, use.honoured) for use in segment.terms))
        if shown.doubtful:
            flags.append(_flag(segment, "inadequate", f"none of the {shown.words} content words of the Chinese "
                                                      f"found in the English by the dictionary"))
    return flags


#: Chinese and English magnitudes, so that 1000万 and "10 million" are the same number.
_ZH_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 10**2}
_EN_MAGNITUDES = {"trillion": 10**12, "billion": 10**9, "million": 10**6, "thousand": 10**3, "hundred": 10**2,
                  "bn": 10**9, "m": 10**6, "k": 10**3}
_ZH_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万亿|亿|万|千|百)?")
_EN_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(trillion|billion|million|thousand|hundred|bn|m|k)?\b", re.I)


_PERCENT = re.compile(r"\s*[%％]")
_EN_PERCENT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(?:%|％|percent\b|per cent\b|pct\b)", re.I)
#: A number whose commas are thousands separators (``1,250``, ``12,000,000.5``); ``12,50`` is not one.
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _ungrouped(number: str) -> str:
    """``1,250`` → ``1250``; a number whose commas are not thousands separators (``12,50``) stays as written."""
    return number.replace(",", "") if "," in number and _GROUPED.fullmatch(number) else number


def _value(number: str, magnitude: str | None, magnitudes: dict[str, int]) -> float:
    try:
        value = float(_ungrouped(number))
    except ValueError:
        return float("nan")
    return round(value * magnitudes.get((magnitude or "").lower(), 1), 6)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_FRACTIONS = {"2": "half", "3": "third", "4": "quarter", "5": "fifth", "10": "tenth", "100": "hundredth"}


def _said_otherwise(number: str, after: str, english: str) -> bool:
    """True when the English gives the number in words, as a month, a decade or a fraction."""
    if not number.isdigit():
        return False
    value = int(number)
    lower = english.lower()
    if after.startswith("月") and 1 <= value <= 12 and _MONTHS[value - 1].lower() in lower:
        return True
    if after.startswith("年代") and value % 10 == 0 and re.search(rf"\b(?:1[89]|20)?{value:02d}s\b", lower):
        return True
    if value < len(_NUMBER_WORDS) and re.search(rf"\b{_NUMBER_WORDS[value]}\b", lower):
        return True
    if after.startswith("/") or number in _FRACTIONS and re.search(rf"\b{_FRACTIONS[number]}s?\b", lower):
        return True
    return False


def english_values(english: str) -> set[float]:
    """Every amount in the English as a number: ``10 million`` → 10000000, ``25,000`` → 25000."""
    return {_value(m.group(1), m.group(2), _EN_MAGNITUDES) for m in _EN_AMOUNT.finditer(english)}


#: The most words of one English sentence the loop check reads: what one sentence may cost the checks.
MAX_LOOP_WORDS = 5000


def _ngram_loop(text: str, n_max: int = 4, repeats: int = 4) -> str | None:
    """A phrase of 1–``n_max`` words repeated ``repeats`` times in a row, if any (in the first words only).

    One pass per phrase length: a phrase of ``n`` words repeated ``repeats`` times is a
    run of ``n * (repeats - 1)`` words each equal to the word ``n`` before it, so the
    work is linear in the words read (at most :data:`MAX_LOOP_WORDS`).
    """
    words = []
    for match in _WORD.finditer(text):
        words.append(match.group().lower())
        if len(words) >= MAX_LOOP_WORDS:
            break
    for n in range(1, n_max + 1):
        needed = n * (repeats - 1)
        run = 0
        for end in range(n, len(words)):
            run = run + 1 if words[end] == words[end - n] else 0
            if run >= needed:
                start = end - needed + 1 - n
                gram = words[start : start + n]
                if n == 1 and len(gram[0]) <= 2 and not gram[0].isalpha():
                    continue
                return " ".join(gram)
    return None


def _figures(segments) -> TermFigures:
    return TermFigures.of(t for s in segments for t in s.terms)


def bead_flags(segments, known: tuple[dict, dict] | None = None) -> list[tuple[Segment, dict]]:
    """Every segment's flags (:func:`segment_flags`), aligned English read as its bead's.

    A segment joined with another (:attr:`Segment.joined`: one English sentence for two Chinese ones) has no
    English of its own: its figures, names and links are looked for in the carrier's English, and the carrier's
    length is measured against the whole bead's Chinese. ``known``: (the flags found last time, the flags found
    now), each by (segment, Chinese measured): a segment equal to one of last time's is not checked again.
    """
    by_id = {s.id: s for s in segments}
    bead_zh: dict[str, list[str]] = {}
    for s in segments:
        if s.joined and s.joined in by_id:
            bead_zh.setdefault(s.joined, [by_id[s.joined].zh]).append(s.zh)
    out = []
    for s in segments:
        carrier = by_id.get(s.joined) if s.joined else None
        if carrier is not None:
            probe, length_zh = replace(s, en=carrier.en), ""
        else:
            probe, length_zh = s, "".join(bead_zh[s.id]) if s.id in bead_zh else None
        if known is None:
            found = segment_flags(probe, length_zh=length_zh)
        else:
            last, now = known
            found = last.get((probe, length_zh))
            if found is None:
                found = segment_flags(probe, length_zh=length_zh)
            now[(probe, length_zh)] = found
            found = [dict(f) for f in found]  # each report its own dictionaries
        out += [(s, f) for f in found]
    return out


def check_article(article: BilingualArticle, stale=(), *, known: tuple[dict, dict] | None = None) -> ArticleReport:
    """The report of one article; ``known``: see :func:`bead_flags`."""
    segments = article.segments
    flags = tuple({**f, "explained": bool(s.comment.strip())} if s.comment.strip() else f
                  for s, f in bead_flags(segments, known))
    damaged = tuple(
        {"block": b.block.id, "line": b.block.line, "text": m.group(1)}
        for b in article.blocks
        for m in _DAMAGED.finditer(b.block.original)
    )
    return ArticleReport(
        slug=article.slug, title=article.article.meta.title, title_en=article.title_en, engine=article.engine,
        model=article.model, segments=len(segments),
        segments_by_origin={o: sum(1 for s in segments if s.origin == o) for o in ORIGINS},
        terms_by_origin={o: _figures([s for s in segments if s.origin == o]) for o in ORIGINS},
        terms=_figures(segments),
        violations=tuple(asdict(v) for v in article.violations),
        stale_edits=tuple(asdict(s) for s in stale if s.article == article.slug),
        damaged_spans=damaged, flags=flags,
        cache_hits=article.stats.cache_hits, cache_misses=article.stats.cache_misses,
    )


def check_edition(edition: Edition, stale=()) -> QualityReport:
    """The whole quality report; ``stale`` lists the stale edits (:class:`translate.postedit.StaleEdit`)."""
    by_article: dict[str, list] = {}  # each article is given its own, not the edition's list to scan
    for edit in stale:
        by_article.setdefault(edit.article, []).append(edit)
    checked = [_checked(a, tuple(by_article.get(a.slug, ()))) for a in edition.articles]
    _KEPT.clear()
    _KEPT.update((kept.article.slug, kept) for kept in checked)
    return QualityReport(
        title=edition.title, engine=edition.engine, model=edition.model, is_gloss=edition.is_gloss,
        build_date=edition.build_date, glossary_version=edition.glossary_version,
        glossary_terms=len(edition.terms),
        articles=tuple(kept.report for kept in checked),
    )


@dataclass(frozen=True, slots=True)
class _Checked:
    """An article's report, what it was made from, and its segments' flags by (segment, Chinese measured)."""

    article: BilingualArticle
    stale: tuple
    report: ArticleReport
    flags: dict


#: By slug, the last edition's reports made in this process (``bitext serve`` checks the edition again on every
#: change): a report is a function of the article and its stale edits alone, a segment's flags of the segment.
_KEPT: dict[str, _Checked] = {}


def _checked(article: BilingualArticle, stale: tuple) -> _Checked:
    """:func:`check_article`, or the report last made from an equal article and equal stale edits."""
    kept = _KEPT.get(article.slug)
    if kept is not None and same(kept.article, article) and kept.stale == stale:
        return kept
    flags: dict = {}
    report = check_article(article, stale, known=(kept.flags if kept is not None else {}, flags))
    return _Checked(article, stale, report, flags)


def summary_table(report: QualityReport) -> str:
    """A readable table of the report for the terminal."""
    header = f"{'article':<28} {'segments':>8} {'pairs':>7} {'honoured':>9} {'violations':>10} {'flags':>6} {'damaged':>7}"
    lines = [header, "-" * len(header)]
    for row in report.articles:
        lines.append(
            f"{row.slug[:28]:<28} {row.segments:>8} {row.terms.pairs:>7} "
            f"{row.term_success_rate:>8.1%} {len(row.violations):>10} {len(row.flags):>6} "
            f"{len(row.damaged_spans):>7}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'edition':<28} {report.segments:>8} {report.terms.pairs:>7} "
        f"{report.term_success_rate:>8.1%} {report.violations:>10} {report.flags:>6} {report.damaged_spans:>7}"
    )
    lines.append(f"terms: {report.terms.sentence()}")
    origins = report.segments_by_origin
    aligned = f"{origins['aligned']} aligned from an existing English, " if origins.get("aligned") else ""
    lines.append(f"English: {origins['edited']} of {report.segments} segments edited by the translators, {aligned}"
                 f"{origins['mt']} machine-translated, {origins['gloss']} gloss; {report.stale_edits} stale edits")
    label = "dictionary gloss (CC-CEDICT), not a translation" if report.is_gloss else report.model
    lines.append(f"machine engine: {report.engine} — {label} ({origins['mt'] + origins['gloss']} segments use it)")
    return "\n".join(lines)
