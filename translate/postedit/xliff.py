"""XLIFF 2.1 (the default, for current CAT tools) and XLIFF 1.2 (for older ones): written and read safely.

One ``<file>`` per article, its ``id`` (2.x) or ``original`` (1.2) naming the
article; one unit per segment, its id the segment id. XLIFF 2 puts the state on
the ``<segment>`` (``final`` for an edit, ``translated`` for a 100 % match,
``initial`` for a machine draft or a stale edit), the glossary entries in the
glossary module (``gls:``), the draft in a ``<note category="machine">`` (or
``"gloss"`` for a dictionary gloss, which is not machine translation) and the
stamp in the metadata module (``mda:``); where a segment sits (a table cell, a footnote, a list
item: :func:`~translate.postedit.exchange.segment_contexts`) is a ``<note category="context">``
(1.2: ``from="context"``). XLIFF 1.2 puts the state on the
``<target>`` (``final`` with ``approved="yes"``; ``needs-translation`` with
``state-qualifier="mt-suggestion"`` for a machine draft, ``"leveraged-glossary"``
for a gloss), glossary entries and the draft in ``<note>`` s (``from="machine"``
or ``from="gloss"``), and the stamp in ``extradata``. Either label reads back.

Aligned English (``bitext align``, not yet confirmed) is the target to review: XLIFF 2 ``initial``
(``translated`` would read back as the translator's confirmation), XLIFF 1.2 ``needs-review-translation``
with ``state-qualifier="x-aligned"``, and a note ``aligned (0.62): …`` (category or ``from`` ``aligned``).
A segment joined to another's English (a 2-1 bead) has an empty target, ``translate="no"`` and a note
``joined with b003.s1 …``: re-imported, its empty target is skipped and the join stays.

Reading never trusts the file: it is parsed by defusedxml with DTDs, entities
and external references refused (no XXE, no billion laughs), within a size and
a nesting bound, and every problem is one line naming the file and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from translate.errors import PostEditError
from translate.formats import FormatStore, looks_like_xml
from translate.inputs import quoted
from translate.postedit.exchange import (
    MAX_IMPORT_BYTES,
    ExportArticle,
    ExportUnit,
    Stamp,
    Unit,
    UnitFile,
    control_character,
    normalise,
    slug_from_name,
)
from translate.postedit.store import DRAFT_LABELS, read_bounded, term_line

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
GLOSSARY = "urn:oasis:names:tc:xliff:glossary:2.0"
METADATA = "urn:oasis:names:tc:xliff:metadata:2.0"
#: The target's language tag; the source's is the article's as written (``ExportArticle.language``).
TARGET_LANGUAGE = "en"
#: Deepest element nesting read; real files nest a few levels.
MAX_DEPTH = 64

_STATE2 = {"edited": "final", "reused": "translated", "stale": "initial", "aligned": "initial", "machine": "initial"}
_STATE12 = {"edited": ("final", ""), "reused": ("translated", "exact-match"),
            "stale": ("needs-review-translation", ""), "aligned": ("needs-review-translation", "x-aligned"),
            "machine": ("needs-translation", "mt-suggestion")}
#: XLIFF 1.2's state-qualifier of a dictionary-gloss draft: derived from a glossary, not machine translation.
_GLOSS_QUALIFIER12 = "leveraged-glossary"
#: The note labels a draft may carry (:data:`translate.postedit.store.DRAFT_LABELS`).
_DRAFT_NOTES = frozenset(DRAFT_LABELS.values())
_CONFIRMED2 = {"translated", "reviewed", "final"}
#: A joined segment's unit (its English stands in its carrier's): not for translation, so a tool leaves it empty.
_LOCKED = ' translate="no"'
_CONFIRMED12 = {"translated", "signed-off", "final"}
# Characters XML 1.0 cannot carry at all; XLIFF 2 writes them as <cp hex="…"/>.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- writing -----------------------------------------------------------------------------------------------

def xml_text(value: str, *, cp: bool = False) -> str:
    """Element content, escaped; characters XML cannot hold become ``<cp/>`` (XLIFF 2, ``cp``) or U+FFFD."""
    escaped = escape(value)
    if cp:
        return _NOT_XML.sub(lambda m: f'<cp hex="{ord(m.group()):04X}"/>', escaped)
    return _NOT_XML.sub("\ufffd", escaped)


def xml_attr(value: str) -> str:
    """An attribute value, quoted and escaped; characters XML cannot hold become U+FFFD."""
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def write_xliff2(article: ExportArticle) -> str:
    """The XLIFF 2.1 document of one exported article."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<xliff xmlns="{XLIFF2}" xmlns:gls="{GLOSSARY}" xmlns:mda="{METADATA}" version="2.1" '
           f'srcLang="{article.language}" trgLang="{TARGET_LANGUAGE}">',
           f'  <file id={xml_attr(article.slug)} original={xml_attr(article.slug + ".md")}>']
    for unit in article.units:
        out.append(f"    <unit id={xml_attr(unit.id)}{_LOCKED if unit.joined else ''}>")
        if unit.stamp is not None:
            out += ['      <mda:metadata>', '        <mda:metaGroup category="bitext">',
                    f'          <mda:meta type="stamp">{xml_text(str(unit.stamp))}</mda:meta>',
                    '        </mda:metaGroup>', '      </mda:metadata>']
        if unit.terms:
            out.append("      <gls:glossary>")
            for zh, en, alternates in unit.terms:  # the target first, then the other forms the check accepts
                translations = "".join(f"<gls:translation>{xml_text(form, cp=True)}</gls:translation>"
                                       for form in (en, *alternates))
                out.append(f"        <gls:glossEntry><gls:term>{xml_text(zh, cp=True)}</gls:term>"
                           f"{translations}</gls:glossEntry>")
            out.append("      </gls:glossary>")
        notes = _notes(unit)
        if notes:
            out.append("      <notes>")
            out += [f'        <note category="{category}">{xml_text(text, cp=True)}</note>' for category, text in notes]
            out.append("      </notes>")
        out.append(f'      <segment state="{_STATE2[unit.exported]}">')
        out.append(f"        <source>{xml_text(unit.source, cp=True)}</source>")
        out.append(f"        <target>{xml_text(unit.en, cp=True)}</target>")
        out += ["      </segment>", "    </unit>"]
    out += ["  </file>", "</xliff>", ""]
    return "\n".join(out)


def write_xliff12(article: ExportArticle) -> str:
    """The XLIFF 1.2 document of one exported article."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<xliff xmlns="{XLIFF12}" version="1.2">',
           f'  <file original={xml_attr(article.slug + ".md")} source-language="{article.language}" '
           f'target-language="{TARGET_LANGUAGE}" datatype="plaintext">',
           "    <body>"]
    for unit in article.units:
        state, qualifier = _STATE12[unit.exported]
        if unit.provenance == "gloss":
            qualifier = _GLOSS_QUALIFIER12
        attrs = f"id={xml_attr(unit.id)} resname={xml_attr(unit.id)}"
        if unit.stamp is not None:
            attrs += f" extradata={xml_attr(str(unit.stamp))}"
        if unit.exported == "edited":
            attrs += ' approved="yes"'
        if unit.joined:
            attrs += _LOCKED
        target_attrs = f' state="{state}"' + (f' state-qualifier="{qualifier}"' if qualifier else "")
        out.append(f"      <trans-unit {attrs}>")
        out.append(f"        <source>{xml_text(unit.source)}</source>")
        out.append(f"        <target{target_attrs}>{xml_text(unit.en)}</target>")
        for term in unit.terms:
            out.append(f'        <note from="glossary">{xml_text(term_line(*term))}</note>')
        out += [f'        <note from="{category}">{xml_text(text)}</note>' for category, text in _notes(unit)]
        out.append("      </trans-unit>")
    out += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(out)


def _notes(unit: ExportUnit) -> list[tuple[str, str]]:
    notes = [("context", unit.context)] if unit.context else []
    if unit.draft:
        notes.append((unit.draft_label, unit.draft))
    if unit.exported == "stale":
        notes.append(("stale", f"The Chinese changed since this English was written; it was: {unit.previous_zh}"))
    if unit.exported == "reused" and unit.note:
        notes.append(("reused", unit.note))
    if unit.aligned_note:
        notes.append(("joined" if unit.joined else "aligned", unit.aligned_note))
    if unit.comment:
        notes.append(("comment", unit.comment))
    return notes


# --- reading -----------------------------------------------------------------------------------------------

class _LineTreeBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line of every element and refuses absurd nesting."""

    def __init__(self, path: Path, label: str = "XLIFF"):
        super().__init__()
        self.path = path
        self.label = label
        self.parser = None
        self.lines: dict[ET.Element, int] = {}
        self.depth = 0

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        line = self.parser.parser.CurrentLineNumber if self.parser is not None else 0
        self.lines[element] = line
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PostEditError(f"elements nested more than {MAX_DEPTH} deep; this is not a {self.label} file",
                                path=self.path, line=line)
        return element

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


def parse_xml(path: Path, label: str = "XLIFF", *, doctype: bool = False) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse an untrusted XML file: no DTD, no entities, no external references; errors are one line.

    ``label`` names the format in messages. With ``doctype``, a DOCTYPE that declares nothing
    (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as CAT tools write TMX) is read past; it is never loaded,
    and entity declarations and external references are refused all the same.
    """
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    path = Path(path)
    data = read_bounded(path, MAX_IMPORT_BYTES)
    builder = _LineTreeBuilder(path, label)
    parser = DefusedXMLParser(target=builder, forbid_dtd=not doctype, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden as exc:
        raise PostEditError(f"has a DOCTYPE (a DTD); {label} needs none, and entities are refused for safety: "
                            "remove the <!DOCTYPE …> declaration", path=path,
                            line=parser.parser.CurrentLineNumber) from None
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise PostEditError(f"declares an entity ({exc.name}); entities are refused for safety", path=path,
                            line=parser.parser.CurrentLineNumber) from None
    except ET.ParseError as exc:
        message = str(exc).split(":")[0]
        if message.startswith("not well-formed (") and message.endswith(")"):
            message = message[len("not well-formed ("):-1]
        hint = ("; save the file as UTF-8" if "invalid token" in message or "encoding" in message
                else "; the file may be cut off" if "no element found" in message or "unclosed" in message
                else "")
        raise PostEditError(f"not well-formed XML ({message}){hint}", path=path,
                            line=exc.position[0] if exc.position else None) from None
    except (UnicodeError, LookupError, ValueError) as exc:
        raise PostEditError(f"cannot be decoded ({exc}); save the file as UTF-8", path=path) from None
    return root, builder.lines


def read_xliff(path: Path) -> list[UnitFile]:
    """The units of every ``<file>`` of an XLIFF 1.2 or 2.x document."""
    path = Path(path)
    root, lines = parse_xml(path)
    namespace, local = _split(root.tag)
    if local != "xliff":
        raise PostEditError(f"the root element is <{local}>, not <xliff>; this is not an XLIFF file", path=path,
                            line=lines.get(root))
    version = (root.get("version") or "").strip()
    if namespace == XLIFF2 or version.startswith("2"):
        return _read2(path, root, lines, XLIFF2 if namespace == XLIFF2 else namespace)
    if namespace in (XLIFF12, "") and version in ("1.2", "1.1", "1.0", ""):
        return _read12(path, root, lines, namespace)
    raise PostEditError(f"XLIFF version {version or '?'} in namespace {namespace or 'none'} is not supported; "
                        "export XLIFF 2.1 or 1.2", path=path, line=lines.get(root))


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _q(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


def _inline(element: ET.Element | None, path: Path, lines) -> str:
    """The text of a <source> or <target>: inline markers contribute their text, <cp/> its character."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        _, local = _split(child.tag)
        if local == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                raise PostEditError(f"<cp hex={quoted(child.get('hex'))}> is not a code point", path=path,
                                    line=lines.get(child)) from None
        else:
            parts.append(_inline(child, path, lines))
        parts.append(child.tail or "")
    return "".join(parts)


def _language(path: Path, value: str | None, line: int | None) -> None:
    if value and not value.strip().lower().startswith("en"):
        raise PostEditError(f"the target language is {quoted(value)}; only English translations can be imported",
                            path=path, line=line)


def _unit(path: Path, lines, element: ET.Element, unit_id: str | None, source: str, target: str, state: str,
          draft: str, stamp: Stamp | None) -> Unit:
    line = lines.get(element, 0)
    if not unit_id:
        raise PostEditError("a unit without an id; every unit needs its segment id", path=path, line=line)
    for text in (source, target):
        control = control_character(text)
        if control:
            raise PostEditError(f"{unit_id}: a control character ({control}); remove it", path=path, line=line)
    return Unit(unit_id, source, normalise(target), state, line, normalise(draft), stamp)  # type: ignore[arg-type]


def _slug(path: Path, lines, element: ET.Element, *names: str | None) -> str:
    for name in names:
        if name and name.strip():
            return slug_from_name(name)
    raise PostEditError("a <file> without an id or original naming the article; export the file again",
                        path=path, line=lines.get(element))


def _read2(path: Path, root: ET.Element, lines, ns: str) -> list[UnitFile]:
    _language(path, root.get("trgLang"), lines.get(root))
    files = []
    for file in root.iter(_q(ns, "file")):
        units = []
        for element in file.iter(_q(ns, "unit")):
            parts = [child for child in element if _split(child.tag)[1] in ("segment", "ignorable")]
            if not parts:
                raise PostEditError(f"unit {quoted(element.get('id'))} has no <segment>", path=path,
                                    line=lines.get(element))
            source = "".join(_inline(p.find(_q(ns, "source")), path, lines) for p in parts)
            target = "".join(_inline(p.find(_q(ns, "target")), path, lines) for p in parts)
            states = [(p.get("state") or "initial").strip() for p in parts if _split(p.tag)[1] == "segment"]
            state = "confirmed" if states and all(s in _CONFIRMED2 for s in states) else "unconfirmed"
            draft = next((n.text or "" for n in element.iter(_q(ns, "note")) if n.get("category") in _DRAFT_NOTES), "")
            stamp = next((Stamp.parse(m.text or "") for m in element.iter(_q(METADATA, "meta"))
                          if m.get("type") == "stamp"), None)
            units.append(_unit(path, lines, element, element.get("id"), source, target, state, draft, stamp))
        files.append(UnitFile(path, _slug(path, lines, file, file.get("id"), file.get("original")), tuple(units),
                              "xliff", lines.get(file, 0)))
    if not files:
        raise PostEditError("no <file> element; nothing to import", path=path, line=lines.get(root))
    return files


def _read12(path: Path, root: ET.Element, lines, ns: str) -> list[UnitFile]:
    files = []
    for file in root.iter(_q(ns, "file")):
        _language(path, file.get("target-language"), lines.get(file))
        units = []
        for element in file.iter(_q(ns, "trans-unit")):
            target_element = element.find(_q(ns, "target"))
            state_name = (target_element.get("state") or "").strip() if target_element is not None else ""
            confirmed = (element.get("approved") or "").strip() == "yes" or state_name in _CONFIRMED12
            draft = next((n.text or "" for n in element.findall(_q(ns, "note")) if n.get("from") in _DRAFT_NOTES), "")
            units.append(_unit(path, lines, element, element.get("id"),
                               _inline(element.find(_q(ns, "source")), path, lines),
                               _inline(target_element, path, lines),
                               "confirmed" if confirmed else "unconfirmed", draft,
                               Stamp.parse(element.get("extradata") or "")))
        files.append(UnitFile(path, _slug(path, lines, file, file.get("original")), tuple(units), "xliff12",
                              lines.get(file, 0)))
    if not files:
        raise PostEditError("no <file> element; nothing to import", path=path, line=lines.get(root))
    return files


class Xliff2Store(FormatStore):
    """XLIFF 2.1 in the format registry (:mod:`translate.formats`): what an export writes by default.

    It claims every XML file that is not TMX: its reader reads XLIFF 2.x and 1.2 alike and
    says which versions it cannot read.
    """

    def sniff(self, head: bytes) -> bool:
        return looks_like_xml(head)

    def read(self, path: Path) -> list[UnitFile]:
        return read_xliff(path)

    def write(self, content: ExportArticle) -> str:
        return write_xliff2(content)


class Xliff12Store(FormatStore):
    """XLIFF 1.2 in the format registry; its files are recognised and read by :class:`Xliff2Store`'s reader."""

    def read(self, path: Path) -> list[UnitFile]:
        return read_xliff(path)

    def write(self, content: ExportArticle) -> str:
        return write_xliff12(content)
