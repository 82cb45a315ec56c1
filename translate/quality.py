"""Quality checks over a translated edition: the report a publisher acts on.

``check_edition(edition)`` returns the content of ``build/report.json``:
per article and for the edition, the glossary term success rate, every
violation, untranslated or empty segments, suspicious output (n-gram loops,
lengths far from the source's, numbers / Latin names / URLs lost) and the
damaged source spans.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN, BilingualArticle, Edition, Segment

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


def segment_flags(segment: Segment) -> list[dict]:
    """Everything suspicious about one sentence pair."""
    flags: list[dict] = []
    if segment.origin != "edited":
        flags += [_flag(segment, "screened", change) for change in segment.screened]
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
    zh_len = len(_CJK.findall(zh)) + len(re.findall(r"[A-Za-z0-9]", zh)) / 4
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
    en_numbers = {n.replace(",", "") for n in _NUMBER.findall(en_wo_urls)}
    en_values = english_values(en_wo_urls)
    for match in _ZH_AMOUNT.finditer(zh_wo_urls):
        number = match.group(1)
        if not match.group(2) and number.replace(",", "") in en_numbers:
            continue
        if _value(number, match.group(2), _ZH_MAGNITUDES) in en_values:
            continue  # 1000万 → 10 million, 2.5万 → 25,000
        if _said_otherwise(number, zh_wo_urls[match.end():match.end() + 2], en_wo_urls):
            continue  # 3月 → March, 90年代 → the 1990s, 5 → five
        flags.append(_flag(segment, "number_lost", number))
    en_squeezed = re.sub(r"[\s\-‐–]+", "", en_wo_urls.lower())
    for name in sorted(set(_LATIN.findall(zh_wo_urls))):
        if len(name) > 1 and re.sub(r"[\s\-‐–]+", "", name.lower()) not in en_squeezed:
            flags.append(_flag(segment, "latin_lost", name))
    return flags


#: Chinese and English magnitudes, so that 1000万 and "10 million" are the same number.
_ZH_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 10**2}
_EN_MAGNITUDES = {"trillion": 10**12, "billion": 10**9, "million": 10**6, "thousand": 10**3, "hundred": 10**2,
                  "bn": 10**9, "m": 10**6, "k": 10**3}
_ZH_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万亿|亿|万|千|百)?")
_EN_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(trillion|billion|million|thousand|hundred|bn|m|k)?\b", re.I)


def _value(number: str, magnitude: str | None, magnitudes: dict[str, int]) -> float:
    try:
        value = float(number.replace(",", ""))
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


ORIGINS = ("edited", "mt", "gloss")
#: The kind of ``--strict`` warning for segments whose English is the dictionary gloss.
GLOSS_SEGMENTS = "gloss segments"


@dataclass(frozen=True, slots=True)
class TermFigures:
    """Glossary term occurrences in a set of segments, and how many the English honoured."""

    term_occurrences: int = 0
    """Occurrences of glossary terms in the Chinese."""
    terms_honoured: int = 0
    """Of those, the ones the English says as the glossary does."""

    @property
    def term_success_rate(self) -> float:
        """Share honoured (1.0 when there are none)."""
        return self.terms_honoured / self.term_occurrences if self.term_occurrences else 1.0

    def percent(self) -> str:
        """``98.2 %``, as readers see it."""
        return f"{self.term_success_rate * 100:.1f} %"

    def sentence(self) -> str:
        """``2,018 of 2,018 term occurrences honoured``."""
        return f"{self.terms_honoured:,} of {self.term_occurrences:,} term occurrences honoured"

    def to_json(self) -> dict:
        """JSON-ready, rate included."""
        return {"term_occurrences": self.term_occurrences, "terms_honoured": self.terms_honoured,
                "term_success_rate": self.term_success_rate}


def _figures(segments) -> TermFigures:
    uses = [t for s in segments for t in s.terms]
    return TermFigures(len(uses), sum(t.honoured for t in uses))


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
    """Every term occurrence of the article."""
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
        """Share of term occurrences honoured."""
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
            terms_by_origin={o: TermFigures(f["term_occurrences"], f["terms_honoured"])
                             for o, f in row["terms_by_origin"].items()},
            terms=TermFigures(row["term_occurrences"], row["terms_honoured"]),
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
        """Every term occurrence of the edition."""
        return TermFigures(sum(a.terms.term_occurrences for a in self.articles),
                           sum(a.terms.terms_honoured for a in self.articles))

    @property
    def term_success_rate(self) -> float:
        """Share of the edition's term occurrences honoured."""
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
            figures = [a.terms_by_origin.get(o, TermFigures()) for a in self.articles]
            by_origin[o] = TermFigures(sum(f.term_occurrences for f in figures), sum(f.terms_honoured for f in figures))
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


def check_article(article: BilingualArticle, stale=()) -> ArticleReport:
    """The report of one article."""
    segments = article.segments
    flags = tuple({**f, "explained": bool(s.comment.strip())} if s.comment.strip() else f
                  for s in segments for f in segment_flags(s))
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
    return QualityReport(
        title=edition.title, engine=edition.engine, model=edition.model, is_gloss=edition.is_gloss,
        build_date=edition.build_date, glossary_version=edition.glossary_version,
        glossary_terms=len(edition.terms),
        articles=tuple(check_article(a, by_article.get(a.slug, ())) for a in edition.articles),
    )


def summary_table(report: QualityReport) -> str:
    """A readable table of the report for the terminal."""
    header = f"{'article':<28} {'segments':>8} {'terms':>7} {'honoured':>9} {'violations':>10} {'flags':>6} {'damaged':>7}"
    lines = [header, "-" * len(header)]
    for row in report.articles:
        lines.append(
            f"{row.slug[:28]:<28} {row.segments:>8} {row.terms.term_occurrences:>7} "
            f"{row.term_success_rate:>8.1%} {len(row.violations):>10} {len(row.flags):>6} "
            f"{len(row.damaged_spans):>7}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'edition':<28} {report.segments:>8} {report.terms.term_occurrences:>7} "
        f"{report.term_success_rate:>8.1%} {report.violations:>10} {report.flags:>6} {report.damaged_spans:>7}"
    )
    origins = report.segments_by_origin
    lines.append(f"English: {origins['edited']} of {report.segments} segments edited by the translators, "
                 f"{origins['mt']} machine-translated, {origins['gloss']} gloss; {report.stale_edits} stale edits")
    label = "dictionary gloss (CC-CEDICT), not a translation" if report.is_gloss else report.model
    lines.append(f"machine engine: {report.engine} — {label} ({origins['mt'] + origins['gloss']} segments use it)")
    return "\n".join(lines)
