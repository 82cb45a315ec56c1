"""TMX 1.4: ``bitext postedit tmx`` writes the edited and aligned segments as a translation memory; ``postedit import`` reads one.

One ``<tu>`` per distinct pair of Chinese and edited English, in edition order:
the Chinese as the article was written (``zh-CN`` for Simplified articles,
``zh-TW`` with the Traditional text for Traditional ones: the exports' rule,
:func:`~translate.postedit.exchange.source_text`), the English as
``en``, and the article and segment it was first found in as properties (with ``x-context``, where a
table cell, a footnote or a list item sits, for the segments that have one). The
output is the same for the same edits (no creation dates), so it diffs cleanly.

Aligned English (``bitext align``: a publisher's existing translation, a person's, not yet
checked sentence by sentence) is written too, marked ``<prop type="x-origin">aligned</prop>`` with
its bead's ``x-confidence``; a bead of several Chinese segments and one English sentence is ONE
``<tu>``: the segments' Chinese joined in reading order, the English once, ``x-segment`` its
carrier and ``x-joined`` the others. Reading leaves such units out: they are what ``bitext align``
wrote, not a translator's confirmation, so importing the file back changes nothing of them.

Reading takes each ``<tu>`` as a unit of its article: the article and segment from the
``x-article`` and ``x-segment`` properties, else from a ``tuid`` of the form
``<slug>/<segment id>``; the source from the Chinese ``<tuv>`` (``zh…``), the target from the
English one (``en…``); the text of ``<seg>`` with its ``<hi>`` runs, without the native codes of
``<bpt>``, ``<ept>``, ``<ph>``, ``<it>`` and ``<ut>``. A translation memory holds approved
translations and no stamps: every unit is confirmed, and the import's rules for a file without
stamps apply (:mod:`.merge`). The file is parsed as the XLIFF reader parses its own
(:func:`~translate.postedit.xliff.parse_xml`: defusedxml, the import's size and nesting bounds),
reading past a DOCTYPE that only names the TMX DTD.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from translate import __version__
from translate.errors import PostEditError
from translate.formats import FormatStore, looks_like_xml, xml_root_name
from translate.inputs import excerpt, quoted
from translate.outputs import write_atomic
from translate.postedit.exchange import (
    SIMPLIFIED_TAG,
    Unit,
    UnitFile,
    control_character,
    normalise,
    segment_contexts,
    source_text,
)
from translate.postedit.session import CurrentEdition, current_edition
from translate.postedit.xliff import parse_xml, xml_attr, xml_text
from translate.settings import Settings

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Inline elements whose content is the original document's code, not text (TMX 1.4, section 3.7).
_NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "ut"})


def write_tmx(current: CurrentEdition) -> tuple[str, int]:
    """The TMX document of every edited and aligned segment, and how many units it holds."""
    seen: set[tuple[str, str, str]] = set()
    units = []
    for article in current.articles:
        script = article.article.meta.script
        contexts = segment_contexts(article)
        joined: dict[str, list] = {}  # carrier id → the segments whose English it carries, in reading order
        for segment in article.segments:
            if segment.origin == "aligned" and segment.joined and not segment.en:
                joined.setdefault(segment.joined, []).append(segment)
        for segment in article.segments:
            if segment.origin not in ("edited", "aligned") or not segment.en.strip():
                continue
            others = joined.get(segment.id, []) if segment.origin == "aligned" else []
            bead = sorted([segment, *others], key=_reading_order(article))
            tag = source_text(segment, script)[0]
            chinese = "".join(source_text(s, script)[1] for s in bead)
            if (tag, chinese, segment.en) in seen:
                continue
            seen.add((tag, chinese, segment.en))
            aligned = ""
            if segment.origin == "aligned":
                aligned = '      <prop type="x-origin">aligned</prop>\n'
                if segment.confidence is not None:
                    aligned += f'      <prop type="x-confidence">{segment.confidence:.2f}</prop>\n'
                if others:
                    aligned += f'      <prop type="x-joined">{xml_text(" ".join(s.id for s in others))}</prop>\n'
            units.append(
                f'    <tu tuid={xml_attr(f"{article.slug}/{segment.id}")} srclang="{tag}">\n'
                f'      <prop type="x-article">{xml_text(article.slug)}</prop>\n'
                f'      <prop type="x-segment">{xml_text(segment.id)}</prop>\n'
                + (f'      <prop type="x-context">{xml_text(contexts[segment.id])}</prop>\n'
                   if segment.id in contexts else "")
                + aligned
                + f'      <tuv xml:lang="{tag}"><seg>{xml_text(chinese)}</seg></tuv>\n'
                f'      <tuv xml:lang="en"><seg>{xml_text(segment.en)}</seg></tuv>\n'
                "    </tu>")
    header = (f'  <header creationtool="bitext" creationtoolversion="{__version__}" segtype="sentence" '
              f'o-tmf="bitext" adminlang="en" srclang="{SIMPLIFIED_TAG}" datatype="plaintext"/>')
    body = "\n".join(units)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' + header + "\n  <body>\n"
            + (body + "\n" if body else "") + "  </body>\n</tmx>\n")
    return text, len(units)


def _reading_order(article):
    """A sort key of an article's segments: their place in reading order."""
    order = {s.id: index for index, s in enumerate(article.segments)}
    return lambda segment: order.get(segment.id, len(order))


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


def read_tmx(path: Path) -> list[UnitFile]:
    """The units of a TMX file, one :class:`UnitFile` per article, in order of each article's first ``<tu>``."""
    path = Path(path)
    root, lines = parse_xml(path, "TMX", doctype=True)
    if _local(root.tag) != "tmx":
        raise PostEditError(f"the root element is <{_local(root.tag)}>, not <tmx>; this is not a TMX file",
                            path=path, line=lines.get(root))
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise PostEditError("no <body> element; nothing to import", path=path, line=lines.get(root))
    by_article: dict[str, list[Unit]] = {}
    first_line: dict[str, int] = {}
    for element in body.iter():
        if _local(element.tag) != "tu":
            continue
        line = lines.get(element, 0)
        slug, segment = _names(element, path, line)
        if _prop(element, "x-origin") == "aligned":  # bitext align's English, not a translator's confirmation
            by_article.setdefault(slug, [])
            first_line.setdefault(slug, line)
            continue
        source = target = None
        for tuv in element:
            if _local(tuv.tag) != "tuv":
                continue
            language = (tuv.get(_XML_LANG) or tuv.get("lang") or "").strip().lower()
            seg = next((child for child in tuv if _local(child.tag) == "seg"), None)
            text = _text(seg) if seg is not None else ""
            if language.startswith("zh") and source is None:
                source = text
            elif language.startswith("en") and target is None:
                target = text
        if source is None:
            raise PostEditError(f"{excerpt(segment)}: no Chinese <tuv> (xml:lang=\"zh-…\"); every unit needs its "
                                "source", path=path, line=line)
        for text in (source, target or ""):
            control = control_character(text)
            if control:
                raise PostEditError(f"{excerpt(segment)}: a control character ({control}); remove it", path=path,
                                    line=line)
        by_article.setdefault(slug, []).append(Unit(segment, source, normalise(target or ""), "confirmed", line))
        first_line.setdefault(slug, line)
    if not by_article:
        raise PostEditError("no <tu> element; nothing to import", path=path, line=lines.get(body))
    return [UnitFile(path, slug, tuple(units), "tmx", first_line[slug]) for slug, units in by_article.items()]


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _prop(tu: ET.Element, kind: str) -> str:
    """The text of a ``<tu>``'s first ``<prop>`` of ``type`` ``kind``, trimmed; empty when it has none."""
    return next(((p.text or "").strip() for p in tu if _local(p.tag) == "prop" and (p.get("type") or "").strip() == kind),
                "")


def _names(tu: ET.Element, path: Path, line: int) -> tuple[str, str]:
    """The article and segment of a ``<tu>``: its ``x-article``/``x-segment`` properties, else its ``tuid``."""
    props = {(p.get("type") or "").strip(): (p.text or "").strip() for p in tu if _local(p.tag) == "prop"}
    slug, segment = props.get("x-article", ""), props.get("x-segment", "")
    if not (slug and segment):
        tuid_slug, _, tuid_segment = (tu.get("tuid") or "").strip().rpartition("/")
        slug, segment = slug or tuid_slug, segment or tuid_segment
    if not (slug and segment):
        raise PostEditError(f"a <tu> (tuid {quoted(tu.get('tuid') or '')}) that names no article and segment: "
                            "give it x-article and x-segment properties, or a tuid <slug>/<segment id>, as "
                            "`bitext postedit tmx` writes", path=path, line=line)
    return slug, segment


def _text(element: ET.Element) -> str:
    """The text of a ``<seg>`` or ``<hi>``: its runs and its ``<hi>`` runs, not the native codes."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) not in _NATIVE_CODE:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class TmxStore(FormatStore):
    """TMX in the format registry (:mod:`translate.formats`): an XML file whose root is ``<tmx>``."""

    def sniff(self, head: bytes) -> bool:
        return looks_like_xml(head) and xml_root_name(head) == "tmx"

    def read(self, path: Path) -> list[UnitFile]:
        return read_tmx(path)

    def write(self, content: CurrentEdition) -> str:
        return write_tmx(content)[0]
