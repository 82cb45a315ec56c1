"""Quality checks over a translated edition: the report a publisher acts on.

``check_edition(edition)`` returns the content of ``build/report.json``:
per article and for the edition, the glossary term success rate, every
violation, untranslated or empty segments, suspicious output (n-gram loops,
lengths far from the source's, numbers / Latin names / URLs lost) and the
damaged source spans.
"""

from __future__ import annotations

import re
from dataclasses import asdict

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


def _flag(segment: Segment, kind: str, detail: str) -> dict:
    return {"segment": segment.id, "kind": kind, "detail": detail, "zh": segment.zh, "en": segment.en}


def segment_flags(segment: Segment) -> list[dict]:
    """Everything suspicious about one sentence pair."""
    flags: list[dict] = []
    zh = _DAMAGED.sub("", segment.zh)
    en = segment.en.strip()
    if not _CJK.search(zh) and not re.search(r"\w", zh):
        return flags  # punctuation or empty source: nothing to translate
    if not en:
        return [_flag(segment, "empty", "no English for this sentence")]
    leftover = _CJK.findall(en)
    if leftover:
        flags.append(_flag(segment, "untranslated", f"Chinese left in the English: {''.join(leftover)[:20]}"))
    loop = _ngram_loop(en)
    if loop:
        flags.append(_flag(segment, "loop", f"repeated phrase: {loop!r}"))
    zh_len = len(_CJK.findall(zh)) + len(re.findall(r"[A-Za-z0-9]", zh)) / 4
    if zh_len >= MIN_LENGTH_FOR_RATIO:
        ratio = len(en) / zh_len
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


def english_values(english: str) -> set[float]:
    """Every amount in the English as a number: ``10 million`` → 10000000, ``25,000`` → 25000."""
    return {_value(m.group(1), m.group(2), _EN_MAGNITUDES) for m in _EN_AMOUNT.finditer(english)}


def _ngram_loop(text: str, n_max: int = 4, repeats: int = 4) -> str | None:
    """A phrase of 1–``n_max`` words repeated ``repeats`` times in a row, if any."""
    words = [w.lower() for w in _WORD.findall(text)]
    for n in range(1, n_max + 1):
        for start in range(0, max(len(words) - n * repeats + 1, 0)):
            gram = words[start : start + n]
            if all(words[start + k * n : start + (k + 1) * n] == gram for k in range(1, repeats)):
                if n == 1 and len(gram[0]) <= 2 and not gram[0].isalpha():
                    continue
                return " ".join(gram)
    return None


ORIGINS = ("edited", "mt", "gloss")


def _term_rates(segments) -> dict:
    uses = [t for s in segments for t in s.terms]
    honoured = sum(t.honoured for t in uses)
    return {"term_occurrences": len(uses), "terms_honoured": honoured,
            "term_success_rate": honoured / len(uses) if uses else 1.0}


def check_article(article: BilingualArticle, stale=()) -> dict:
    """The report row for one article."""
    segments = article.segments
    uses = [t for s in segments for t in s.terms]
    honoured = sum(t.honoured for t in uses)
    flags = [f for s in segments for f in segment_flags(s)]
    damaged = [
        {"block": b.block.id, "line": b.block.line, "text": m.group(1)}
        for b in article.blocks
        for m in _DAMAGED.finditer(b.block.original)
    ]
    return {
        "slug": article.slug,
        "title": article.article.meta.title,
        "title_en": article.title_en,
        "engine": article.engine,
        "model": article.model,
        "segments": len(segments),
        "segments_by_origin": {o: sum(1 for s in segments if s.origin == o) for o in ORIGINS},
        "terms_by_origin": {o: _term_rates([s for s in segments if s.origin == o]) for o in ORIGINS},
        "stale_edits": [asdict(s) for s in stale if s.article == article.slug],
        "term_occurrences": len(uses),
        "terms_honoured": honoured,
        "term_success_rate": honoured / len(uses) if uses else 1.0,
        "violations": [asdict(v) for v in article.violations],
        "damaged_spans": damaged,
        "flags": flags,
        "cache_hits": article.stats.cache_hits,
        "cache_misses": article.stats.cache_misses,
    }


def check_edition(edition: Edition, stale=()) -> dict:
    """The whole quality report (the content of ``build/report.json``); ``stale`` lists stale edits."""
    rows = [check_article(a, stale) for a in edition.articles]
    all_segments = [s for a in edition.articles for s in a.segments]
    occurrences = sum(r["term_occurrences"] for r in rows)
    honoured = sum(r["terms_honoured"] for r in rows)
    totals = {
        "title": edition.title,
        "engine": edition.engine,
        "model": edition.model,
        "is_gloss": edition.is_gloss,
        "build_date": edition.build_date,
        "glossary_version": edition.glossary_version,
        "glossary_terms": len(edition.terms),
        "articles": len(rows),
        "segments": sum(r["segments"] for r in rows),
        "segments_by_origin": {o: sum(r["segments_by_origin"][o] for r in rows) for o in ORIGINS},
        "terms_by_origin": {o: _term_rates([s for s in all_segments if s.origin == o]) for o in ORIGINS},
        "stale_edits": sum(len(r["stale_edits"]) for r in rows),
        "term_occurrences": occurrences,
        "terms_honoured": honoured,
        "term_success_rate": honoured / occurrences if occurrences else 1.0,
        "violations": sum(len(r["violations"]) for r in rows),
        "damaged_spans": sum(len(r["damaged_spans"]) for r in rows),
        "flags": sum(len(r["flags"]) for r in rows),
        "cache_hits": sum(r["cache_hits"] for r in rows),
        "cache_misses": sum(r["cache_misses"] for r in rows),
    }
    return {"edition": totals, "articles": rows}


def summary_table(report: dict) -> str:
    """A readable table of the report for the terminal."""
    totals = report.get("edition", {})
    header = f"{'article':<28} {'segments':>8} {'terms':>7} {'honoured':>9} {'violations':>10} {'flags':>6} {'damaged':>7}"
    lines = [header, "-" * len(header)]
    for row in report.get("articles", []):
        lines.append(
            f"{row['slug'][:28]:<28} {row['segments']:>8} {row['term_occurrences']:>7} "
            f"{row['term_success_rate']:>8.1%} {len(row['violations']):>10} {len(row['flags']):>6} "
            f"{len(row['damaged_spans']):>7}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'edition':<28} {totals.get('segments', 0):>8} {totals.get('term_occurrences', 0):>7} "
        f"{totals.get('term_success_rate', 1.0):>8.1%} {totals.get('violations', 0):>10} "
        f"{totals.get('flags', 0):>6} {totals.get('damaged_spans', 0):>7}"
    )
    origins = totals.get("segments_by_origin") or {}
    if origins:
        lines.append(f"English: {origins.get('edited', 0)} of {totals.get('segments', 0)} segments edited by the "
                     f"translators, {origins.get('mt', 0)} machine-translated, {origins.get('gloss', 0)} gloss; "
                     f"{totals.get('stale_edits', 0)} stale edits")
    engine = totals.get("engine", "?")
    label = "dictionary gloss (CC-CEDICT), not a translation" if totals.get("is_gloss") else totals.get("model", "")
    lines.append(f"engine: {engine} — {label}; cache hits {totals.get('cache_hits', 0)}, "
                 f"misses {totals.get('cache_misses', 0)}")
    return "\n".join(lines)
