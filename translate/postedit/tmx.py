"""``bitext postedit tmx``: every edited segment as a TMX 1.4 translation memory, for reuse in CAT tools.

One ``<tu>`` per distinct pair of Chinese and edited English, in edition order:
the Chinese as the article was written (``zh-CN`` for Simplified articles,
``zh-TW`` with the Traditional text for Traditional ones: the exports' rule,
:func:`~translate.postedit.exchange.source_text`), the English as
``en``, and the article and segment it was first found in as properties. The
output is the same for the same edits (no creation dates), so it diffs cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate import __version__
from translate.outputs import write_atomic
from translate.postedit.exchange import SIMPLIFIED_TAG, source_text
from translate.postedit.session import CurrentEdition, current_edition
from translate.postedit.xliff import xml_attr, xml_text
from translate.settings import Settings


def write_tmx(current: CurrentEdition) -> tuple[str, int]:
    """The TMX document of every edited segment, and how many units it holds."""
    seen: set[tuple[str, str, str]] = set()
    units = []
    for article in current.articles:
        script = article.article.meta.script
        for segment in article.segments:
            if segment.origin != "edited" or not segment.en.strip():
                continue
            tag, chinese = source_text(segment, script)
            if (tag, chinese, segment.en) in seen:
                continue
            seen.add((tag, chinese, segment.en))
            units.append(
                f'    <tu tuid={xml_attr(f"{article.slug}/{segment.id}")} srclang="{tag}">\n'
                f'      <prop type="x-article">{xml_text(article.slug)}</prop>\n'
                f'      <prop type="x-segment">{xml_text(segment.id)}</prop>\n'
                f'      <tuv xml:lang="{tag}"><seg>{xml_text(chinese)}</seg></tuv>\n'
                f'      <tuv xml:lang="en"><seg>{xml_text(segment.en)}</seg></tuv>\n'
                "    </tu>")
    header = (f'  <header creationtool="bitext" creationtoolversion="{__version__}" segtype="sentence" '
              f'o-tmf="bitext" adminlang="en" srclang="{SIMPLIFIED_TAG}" datatype="plaintext"/>')
    body = "\n".join(units)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' + header + "\n  <body>\n"
            + (body + "\n" if body else "") + "  </body>\n</tmx>\n")
    return text, len(units)


@dataclass(frozen=True, slots=True)
class TmxResult:
    """What ``bitext postedit tmx`` wrote."""

    path: Path
    """The TMX file."""
    units: int
    """Translation units in it."""
    warnings: tuple[str, ...] = ()
    """What the engine warned about."""


def export_tmx(settings: Settings, out: Path | None = None, *, engine_name: str | None = None) -> TmxResult:
    """Write the edition's edited segments to ``out`` (default ``build/postedit/edited.tmx``)."""
    current = current_edition(settings, engine_name=engine_name)
    text, count = write_tmx(current)
    path = write_atomic(Path(out) if out is not None else settings.build_dir / "postedit" / "edited.tmx", text)
    return TmxResult(path, count, current.warnings)
