"""TBX (TermBase eXchange, TBX-Basic style): the termbase for CAT tools and back.

One ``<termEntry>`` per entry: a ``zh`` ``<langSet>`` with the term and its
typed variants (one ``<tig>`` each, the term first), an ``en`` ``<langSet>``
with the target, and the other columns as ``<descrip type="…">`` (``note``,
``kind``, ``keep``, ``case``). In TBX-Basic's data categories, the ``pos``
column is the target's ``<termNote type="partOfSpeech">`` (picklist noun,
verb, adjective, properNoun for our ``name``), and the ``alternates`` are
further English ``<tig>`` marked ``<termNote type="administrativeStatus">
admittedTerm-admn-sts``, the target then being ``preferredTerm-admn-sts``.

Reading also accepts ``<note>``, ``definition`` and ``subjectField``,
``<ntig>``, and ``zh-Hant``/``zh-TW``/``zh-HK`` language sets (their terms
become variants). The target is the first English term that is not admitted,
deprecated or superseded (else the first admitted one); the other English
terms, admitted or without a status, are alternates; deprecated, superseded
and forbidden terms are left out. A part of speech outside our four (adverb,
other) reads as empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable
from xml.parsers import expat

from translate.errors import GlossaryError
from translate.formats import FormatStore
from translate.glossary.termbase import VARIANT_SEPARATOR, term_from_cells, term_to_cells
from translate.inputs import quoted, read_input
from translate.models import Term

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TRADITIONAL_TAGS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
_PREFERRED, _ADMITTED = "preferredTerm-admn-sts", "admittedTerm-admn-sts"
_LEFT_OUT = ("deprecatedTerm-admn-sts", "supersededTerm-admn-sts", "forbidden", "obsolete")
_TBX_POS = {"noun": "noun", "verb": "verb", "adjective": "adjective", "name": "properNoun"}
"""Our ``pos`` values as TBX-Basic's ``partOfSpeech`` picklist writes them."""
_OUR_POS = {tbx.casefold(): ours for ours, tbx in _TBX_POS.items()}


def write_tbx(terms: Iterable[Term], title: str = "bitext glossary") -> str:
    """The entries as a TBX document (typed variants only; Traditional forms are derived anyway)."""
    martif = ET.Element("martif", {"type": "TBX", _XML_LANG: "en"})
    header = ET.SubElement(martif, "martifHeader")
    source = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(source, "p").text = title
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = ET.SubElement(body, "termEntry", {"id": f"t{number}"})
        cells = term_to_cells(term)
        for kind in ("kind", "keep", "case", "note"):
            if cells[kind]:
                ET.SubElement(entry, "descrip", {"type": kind}).text = cells[kind]
        chinese = ET.SubElement(entry, "langSet", {_XML_LANG: "zh"})
        for form in (term.zh, *term.variants):
            ET.SubElement(ET.SubElement(chinese, "tig"), "term").text = form
        english = ET.SubElement(entry, "langSet", {_XML_LANG: "en"})
        target = ET.SubElement(english, "tig")
        ET.SubElement(target, "term").text = term.en
        if term.pos:
            ET.SubElement(target, "termNote", {"type": "partOfSpeech"}).text = _TBX_POS[term.pos]
        if term.alternates:
            ET.SubElement(target, "termNote", {"type": "administrativeStatus"}).text = _PREFERRED
        for alternate in term.alternates:
            tig = ET.SubElement(english, "tig")
            ET.SubElement(tig, "term").text = alternate
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = _ADMITTED
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


class _Reader:
    """Collects entries from expat events, remembering the line of each ``<termEntry>``."""

    def __init__(self, path: Path, parser):
        self.path = path
        self.parser = parser
        self.terms: list[Term] = []
        self.entry: dict | None = None
        self.lang = ""
        self.text: list[str] | None = None
        self.descrip = ""
        self.tig: dict | None = None  # the <tig>/<ntig> being read: its term and term notes

    def start(self, name: str, attrs: dict) -> None:
        name = name.rsplit(":", 1)[-1]
        if name == "termEntry":
            self.entry = {"line": self.parser.CurrentLineNumber, "zh": [], "hant": [], "en": [], "fields": {}}
        elif name == "langSet":
            self.lang = (attrs.get("xml:lang") or attrs.get("lang") or "").lower()
        elif name in ("tig", "ntig") and self.entry is not None:
            self.tig = {"term": "", "notes": {}}
        elif name == "term" and self.entry is not None:
            self.text = []
        elif name == "termNote" and self.tig is not None:
            self.descrip = attrs.get("type", "")
            self.text = []
        elif name in ("descrip", "note") and self.entry is not None:
            self.descrip = attrs.get("type", "note") if name == "descrip" else "note"
            self.text = []

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        name = name.rsplit(":", 1)[-1]
        if self.entry is None:
            return
        if name == "term" and self.text is not None:
            value = "".join(self.text).strip()
            self.text = None
            if self.tig is not None:
                self.tig["term"] = self.tig["term"] or value
            else:
                self._add_term(value, {})
        elif name == "termNote" and self.text is not None:
            if self.tig is not None:
                self.tig["notes"].setdefault(self.descrip, " ".join("".join(self.text).split()))
            self.text = None
        elif name in ("tig", "ntig") and self.tig is not None:
            self._add_term(self.tig["term"], self.tig["notes"])
            self.tig = None
        elif name in ("descrip", "note") and self.text is not None:
            field = {"definition": "note", "subjectField": "kind"}.get(self.descrip, self.descrip)
            self.entry["fields"].setdefault(field, " ".join("".join(self.text).split()))
            self.text = None
        elif name == "langSet":
            self.lang = ""
        elif name == "termEntry":
            self.terms.append(self._term(self.entry))
            self.entry = None

    def _add_term(self, value: str, notes: dict) -> None:
        if not value or self.entry is None:
            return
        if self.lang.startswith(_TRADITIONAL_TAGS):
            self.entry["hant"].append(value)
        elif self.lang.startswith("zh"):
            self.entry["zh"].append(value)
        elif self.lang.startswith("en"):
            status = notes.get("administrativeStatus", "")
            if status not in _LEFT_OUT:
                self.entry["en"].append((value, status, notes.get("partOfSpeech", "")))

    def _term(self, entry: dict) -> Term:
        line = entry["line"]
        chinese, traditional = entry["zh"], entry["hant"]
        if not chinese and traditional:
            from translate.glossary.traditional import simplified

            chinese = [simplified(traditional[0])]
        if not chinese:
            raise GlossaryError("entry has no Chinese term (a <langSet xml:lang=\"zh\"> with a <term>)",
                                path=self.path, line=line)
        if not entry["en"]:
            raise GlossaryError(f"entry {quoted(chinese[0])} has no English term (a <langSet xml:lang=\"en\">)",
                                path=self.path, line=line)
        english = entry["en"]
        target = next((e for e in english if e[1] != _ADMITTED), english[0])
        alternates = [value for value, _, _ in english if value != target[0]]
        # The entry as the termbase's cells: an import then holds exactly what terms.csv will.
        cells = {**entry["fields"], "zh": chinese[0], "en": target[0],
                 "variants": VARIANT_SEPARATOR.join(chinese[1:] + traditional),
                 "alternates": VARIANT_SEPARATOR.join(alternates),
                 "pos": _OUR_POS.get(target[2].casefold(), "")}
        return term_from_cells(cells, line)


def read_tbx(path: Path) -> list[Term]:
    """The entries of a TBX file, each with the line of its ``<termEntry>``."""
    path = Path(path)
    try:
        data = read_input(path, GlossaryError)
    except OSError as exc:
        raise GlossaryError(f"cannot read ({exc.strerror})", path=path) from exc
    parser = expat.ParserCreate()
    reader = _Reader(path, parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    parser.buffer_text = True

    def refuse_entities(name, *args):
        raise GlossaryError(f"entity declarations are not allowed in a TBX file ({quoted(name)})",
                            path=path, line=parser.CurrentLineNumber)

    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise GlossaryError(f"not well-formed XML ({expat.errors.messages[exc.code]})", path=path,
                            line=exc.lineno) from None
    return reader.terms


class TbxStore(FormatStore):
    """TBX in the format registry (:mod:`translate.formats`): entries read are checked as a new entry is."""

    def read(self, path: Path) -> list[Term]:
        from translate.glossary.termedits import validate_entry
        from translate.inputs import check_regular_file

        terms = read_tbx(check_regular_file(path, GlossaryError))
        for term in terms:
            validate_entry(term, path, term.line)
        return terms

    def write(self, content: Iterable[Term]) -> str:
        return write_tbx(content)
