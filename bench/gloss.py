"""Benchmark 8: does the dictionary gloss read? The five articles through the real translate stage.

The gloss is what a user without a model sees. Every sentence of the five articles
goes through the translate stage with the gloss engine and the edition's glossary
(no translation memory), and the English is measured:

- **words per Chinese character**: English words over Chinese characters (a pasted
  definition inflates it; an English translation of these articles runs at about 0.6);
- **definitions pasted**: dictionary prose in the English (``classifier for``,
  ``lit.``, ``variant of``, ``subprovincial``, ``capital of``, ``currency unit``,
  ``(onom.)``, ``CL:``, ``abbr.``, ``surname``…);
- **numbers kept**: of the numbers in the Chinese (``3亿``, ``700亿``, ``2.5万``, ``30%``,
  ``二十``; not the digits of a name such as 2B or A100), the share whose value is in the English
  as a number (``300 million``, ``70 billion``, ``25,000``; a month by its name), read by this
  file's own parser of English numbers;
- **doubled**: a word group or parenthesis said twice in a row (``(AGI) (AGI)``).

``--baseline REV`` (or ``python -m bench.gloss REV``) measures the gloss rules of
another commit too, side by side (its ``gloss.py`` loaded from git).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import REPO, Row

#: The gloss rules before issue 20 (the commit before the gloss changed).
BASELINE = "5467db3"

DEFINITION = re.compile(
    r"\bclassifier for\b|\blit\.|\bvariant of\b|\bsubprovincial\b|\bcapital of\b|\bcurrency unit\b|\(onom\.\)|"
    r"\bCL:|\babbr\. for\b|\bsurname\b|\bused in\b|\bsee also\b|\bprovince in\b|\bcounty in\b|\bcity in\b|"
    r"\bfig\.|\bidiom\b|\(Tw\)|\bcity and\b|\bspecial economic zone\b",
    re.IGNORECASE)
DOUBLED = re.compile(r"(\([^()]{1,40}\))\s*\1|(?<![\w-])([A-Za-z][\w-]*(?: [\w-]+){0,3}) \2(?![\w-])")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千|百)?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]{2,}|[一二两三四五六七八九]?[十百千][零〇一二两三四五六七八九十]*")
_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_ENGLISH = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_LATIN_NUMBER = re.compile(r"[A-Za-z][\w.-]*\d[\w.]*|\d+[A-Za-z]\w*")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def chinese_value(text: str) -> float | None:
    """The value of a run of Chinese numerals (``二十``, ``三千五百``, ``两万``, ``二〇二三``), or None."""
    if all(ch in _DIGITS for ch in text):
        return float("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        elif ch in _BIG:
            total = (total + section + digit) * _BIG[ch]
            section, digit = 0, 0
        else:
            return None
    return float(total + section + digit)


def source_numbers(zh: str) -> list[float]:
    """The numbers a Chinese sentence states, as values."""
    values = []
    zh = _LATIN_NUMBER.sub(" ", zh)  # 2B, A100, GPT-4: names, not numbers
    for match in _ARABIC.finditer(zh):
        value = float(match.group(1))
        for unit in (match.group(2) or ""):
            value *= {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}[unit]
        values.append(value)
    stripped = _ARABIC.sub(" ", zh)
    for match in _CHINESE.finditer(stripped):
        value = chinese_value(match.group(0))
        if value is not None and value >= 2:
            values.append(value)
    return values


def english_numbers(en: str) -> set[float]:
    """Every number the English states, as values (``300 million`` → 3e8; ``25,000`` → 25000)."""
    values = set()
    for match in _ENGLISH.finditer(en):
        number = float(match.group(1).replace(",", ""))
        values.add(number)
        if match.group(2):
            values.add(number * _SCALE[match.group(2).lower()])
    words = set(re.findall(r"[a-z]+", en.lower()))
    values.update(float(k) for k, month in enumerate(_MONTHS, 1) if month in words)  # 11月 → November
    return values


def measure(gloss_module=None) -> dict:
    """The four figures for the gloss rules in ``gloss_module`` (default: the current ones)."""
    from translate.corpus.article import load_corpus
    from translate.glossary import Glossary
    from translate.translation.translator import translate_articles

    if gloss_module is None:
        from translate.translation import gloss as gloss_module
    articles = load_corpus(REPO / "corpus")
    glossary = Glossary.load(REPO / "glossary" / "terms.csv")
    translated = translate_articles(articles, gloss_module.GlossEngine(), glossary, memory_path=None)
    words = chars = pasted = doubled = numbers = kept = sentences = 0
    examples: list[str] = []
    for article in translated:
        for block in article.blocks:
            for segment in block.segments:
                sentences += 1
                chars += len(_HAN.findall(segment.zh))
                words += len(segment.en.split())
                found = len(DEFINITION.findall(segment.en))
                pasted += found
                twice = len(DOUBLED.findall(segment.en))
                doubled += twice
                if (found or twice) and len(examples) < 5:
                    examples.append(segment.en[:100])
                stated = english_numbers(segment.en)
                for value in source_numbers(segment.zh):
                    numbers += 1
                    kept += any(abs(value - v) <= 1e-6 * max(1.0, value) for v in stated)
    return {"sentences": sentences, "words_per_char": words / max(chars, 1), "definitions": pasted,
            "numbers": numbers, "numbers_kept": kept / max(numbers, 1), "doubled": doubled, "examples": examples}


def baseline_module(revision: str = BASELINE):
    """``translate/translation/gloss.py`` as it was at ``revision``, loaded as a module."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:translate/translation/gloss.py"],
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp(prefix="bitext-gloss-")) / "gloss_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("gloss_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module.GlossEngine, "capabilities"):
        # Before the engine table, the translator probed the engine (word_by_word = True): declare it as now.
        from translate.engines import ENGINES

        module.GlossEngine.capabilities = ENGINES["gloss"].capabilities
    return module


def run(revision: str = BASELINE) -> list[Row]:
    """Rows: each figure for the current gloss, beside the baseline's."""
    now = measure()
    try:
        before = measure(baseline_module(revision))
    except (subprocess.CalledProcessError, OSError) as exc:
        before = None
        note = f"baseline {revision} unavailable ({exc})"
    else:
        note = f"baseline: gloss.py at {revision}"

    def shown(key, digits):
        value = f"{now[key]:.{digits}f}" if isinstance(now[key], float) else f"{now[key]:,}"
        if before is not None:
            was = f"{before[key]:.{digits}f}" if isinstance(before[key], float) else f"{before[key]:,}"
            value += f" (was {was})"
        return value

    return [
        Row("gloss", "English words per Chinese character", shown("words_per_char", 2), "lower", None,
            f"{now['sentences']:,} sentences of the five articles; {note}", number=now["words_per_char"]),
        Row("gloss", "dictionary definitions pasted", shown("definitions", 0), "0", now["definitions"] == 0, note,
            number=float(now["definitions"])),
        Row("gloss", f"numbers kept (of {now['numbers']:,} in the Chinese)", shown("numbers_kept", 3), "higher",
            None, note, number=now["numbers_kept"]),
        Row("gloss", "doubled words or parentheses", shown("doubled", 0), "0", now["doubled"] == 0, note,
            number=float(now["doubled"])),
    ]


if __name__ == "__main__":
    for row in run(*(sys.argv[1:2] or [BASELINE])):
        print(row)
