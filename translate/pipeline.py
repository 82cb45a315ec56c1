"""The whole build: corpus → glossary → translate → check → render.

Gather first, write last: every stage is a function of its inputs, and the
outputs are written atomically at the end, under a lock on the build folder.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

from translate.models import Edition
from translate.outputs import build_lock, remove_stale_temporaries, write_atomic
from translate.settings import Settings


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote and what it found."""

    edition: Edition
    """The translated edition."""
    outputs: tuple[Path, ...]
    """Files written (or confirmed unchanged)."""
    report_path: Path
    """``build/report.json``."""
    warnings: tuple[str, ...]
    """Things the user should know (e.g. a dictionary-gloss fallback)."""


def build_edition(
    settings: Settings,
    *,
    engine_name: str | None = None,
    use_cache: bool = True,
    pdf: bool = True,
    wait: bool = False,
    build_date: str | None = None,
) -> BuildResult:
    """Build the whole edition into ``settings.build_dir``."""
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.quality import check_edition
    from translate.render.html import render_html
    from translate.translation import open_engine, translate_articles, write_translations

    build_dir = settings.build_dir
    with build_lock(build_dir, wait=wait):
        remove_stale_temporaries(build_dir)
        articles = load_corpus(settings.corpus_dir)
        glossary = Glossary.load(settings.glossary_path)
        engine = open_engine(settings, engine_name)
        bilingual = translate_articles(
            articles,
            engine,
            glossary,
            memory_path=build_dir / "memory.sqlite" if use_cache else None,
        )
        edition = Edition(
            title=settings.title,
            subtitle=settings.subtitle,
            articles=bilingual,
            terms=glossary.terms,
            glossary_version=glossary.version,
            engine=engine.name,
            model=engine.model_id,
            build_date=build_date or _dt.date.today().isoformat(),
            script=settings.script,
        )
        report = check_edition(edition)
        edition = _with_report(edition, report)

        outputs: list[Path] = []
        outputs += write_translations(bilingual, build_dir / "translations")
        outputs += render_html(edition, settings)
        if pdf:
            from translate.render.pdf import render_pdf

            outputs += render_pdf(edition, settings)
        report_path = write_atomic(
            build_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
        outputs.append(report_path)
    return BuildResult(edition, tuple(outputs), report_path, tuple(engine.warnings))


def _with_report(edition: Edition, report: dict) -> Edition:
    from dataclasses import replace

    return replace(edition, report=report)
