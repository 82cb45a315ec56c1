"""The per-article translation files: ``build/translations/<slug>.json``.

Blocks → sentences, each with its Chinese, English, engine, glossary terms and
violations: what the report, a reviewer and a later build can read back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from translate.errors import OutputError
from translate.models import BilingualArticle, Segment
from translate.outputs import write_atomic


def article_record(article: BilingualArticle) -> dict:
    """The JSON-ready record of one translated article."""
    return {
        "slug": article.slug,
        "title_en": article.title_en,
        "engine": article.engine,
        "model": article.model,
        "title": _segment_record(article.title) if article.title is not None else None,
        "blocks": [
            {"id": b.block.id, "kind": b.block.kind, "segments": [_segment_record(s) for s in b.segments],
             "speaker": _segment_record(b.speaker) if b.speaker is not None else None}
            for b in article.blocks
        ],
    }


def _segment_record(segment: Segment) -> dict:
    return {
        "id": segment.id,
        "zh": segment.zh,
        "zh_original": segment.zh_original,
        "en": segment.en,
        "engine": segment.engine,
        "terms": [{"zh": t.zh, "en": t.en, "surface": t.surface, "honoured": t.honoured} for t in segment.terms],
        "violations": [
            {"article": v.article, "block": v.block, "segment": v.segment, "term": v.term,
             "expected": v.expected, "got": v.got, "zh": v.zh}
            for v in segment.violations
        ],
        "note": segment.note,
        "cached": segment.cached,
        "origin": segment.origin,
        "stale": segment.stale,
        # Aligned English only (bitext align): the bead's confidence, and the segment that carries a joined one's.
        **({"confidence": segment.confidence, "joined": segment.joined} if segment.origin == "aligned" else {}),
    }


def write_translations(articles: Sequence[BilingualArticle], out_dir: Path) -> list[Path]:
    """Write ``<slug>.json`` per article atomically; unchanged files are left untouched."""
    written = []
    for article in articles:
        path = Path(out_dir) / f"{article.slug}.json"
        data = (json.dumps(article_record(article), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if not (path.exists() and path.read_bytes() == data):
            write_atomic(path, data)
        written.append(path)
    return written


def read_translations(path: Path) -> dict:
    """Read one ``<slug>.json`` back."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read the translation file ({exc}); build again", path=path) from exc
