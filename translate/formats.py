"""The interchange formats: every file format a translator's or a terminologist's tool reads or writes, in one table.

In the style of Translate Toolkit's storage classes (``translate/storage/base.py``): each
format is a :class:`FormatStore` subclass in its own module — it says whether a file's first
bytes are its own (:meth:`~FormatStore.sniff`), reads a file (:meth:`~FormatStore.read`) and
writes one (:meth:`~FormatStore.write`) — and :data:`FORMATS` lists every format once: its
name (the ``--format`` value), its label, what it holds, its file suffixes and its store.
The factories choose a format by name (:func:`format_named`: ``--format``), by file name
(:func:`format_for_name`: the glossary's import) or by content (:func:`format_for_content`:
the post-editing import, whatever the file is called).

Two kinds of content:

- ``segments``, the post-editing units (:mod:`translate.postedit.exchange`): a store reads
  a file into :class:`~translate.postedit.exchange.UnitFile` s, one per article, and writes
  one :class:`~translate.postedit.exchange.ExportArticle` (PO, XLIFF 2.1, XLIFF 1.2) or the
  edition's edited segments (TMX, ``bitext postedit tmx``);
- ``terms``, the glossary's entries (:class:`translate.models.Term`): CSV, TSV and TBX.

The table is data only: a store is named ``module:Class``, as the engine table names its
openers, so reading it imports no parser and the table sits below every stage that uses it.
Adding a format is a module with its store and one :class:`FileFormat` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Literal

Kind = Literal["segments", "terms"]
"""What a format holds: post-editing units or glossary entries."""
Writes = Literal["article", "edition", "terms", ""]
"""What a store's :meth:`~FormatStore.write` takes: one exported article, the whole edition, the terms, or nothing."""


class FormatStore:
    """One interchange format's reader and writer; each format module subclasses it.

    A store holds no state: :func:`FileFormat.store` makes one for each use.
    """

    def sniff(self, head: bytes) -> bool:
        """True when a file whose first bytes are ``head`` is in this format (False: cannot tell)."""
        return False

    def read(self, path: Path) -> list[Any]:
        """The content of the file at ``path``: :class:`UnitFile` s (segments) or :class:`Term` s (terms).

        Every store checks what it reads as untrusted input and raises the stage's error (one line,
        with file and line) on the first problem.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot read")

    def write(self, content: Any) -> str:
        """The text of a file holding ``content`` (see :data:`Writes`)."""
        raise NotImplementedError(f"{type(self).__name__} cannot write")


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One format of the table."""

    name: str
    """The ``--format`` value."""
    label: str
    """What messages call it."""
    kind: Kind
    """What it holds."""
    suffixes: tuple[str, ...]
    """File name suffixes, the one an export writes first."""
    opener: str
    """The store class, as ``module:Class`` (imported only when used)."""
    writes: Writes = ""
    """What the store writes; empty when it only reads."""
    reads: bool = True
    """Whether the store reads the format."""

    @property
    def suffix(self) -> str:
        """The suffix an export writes after the slug or file name."""
        return self.suffixes[0]

    def store(self) -> FormatStore:
        """A store of this format (imports its module)."""
        module, _, name = self.opener.partition(":")
        return getattr(import_module(module), name)()


#: Every interchange format. Order matters twice: the ``--format`` choices are listed in it (the
#: default first), and :func:`format_for_content` asks the stores in it (TMX before XLIFF: both are XML).
FORMATS: tuple[FileFormat, ...] = (
    FileFormat("tmx", "TMX 1.4", "segments", (".tmx",), "translate.postedit.tmx:TmxStore", writes="edition"),
    FileFormat("xliff", "XLIFF 2.1", "segments", (".xlf",), "translate.postedit.xliff:Xliff2Store",
               writes="article"),
    FileFormat("xliff12", "XLIFF 1.2", "segments", (".xliff12.xlf",), "translate.postedit.xliff:Xliff12Store",
               writes="article"),
    FileFormat("po", "PO", "segments", (".po",), "translate.postedit.pofile:PoStore", writes="article"),
    FileFormat("csv", "CSV", "terms", (".csv", ".txt"), "translate.glossary.delimited:CsvStore", writes="terms"),
    FileFormat("tsv", "TSV", "terms", (".tsv", ".tab"), "translate.glossary.delimited:TsvStore", writes="terms"),
    FileFormat("tbx", "TBX", "terms", (".tbx", ".xml"), "translate.glossary.tbx:TbxStore", writes="terms"),
)


def formats(kind: Kind, *, writes: Writes | None = None) -> tuple[FileFormat, ...]:
    """The formats of one kind, in table order; with ``writes``, those whose store writes that."""
    return tuple(f for f in FORMATS if f.kind == kind and (writes is None or f.writes == writes))


def format_named(name: str, kind: Kind) -> FileFormat | None:
    """The format called ``name`` (a ``--format`` value), or None."""
    return next((f for f in formats(kind) if f.name == name), None)


def format_for_name(path: Path, kind: Kind) -> FileFormat | None:
    """The format a file's name says (its suffix, case ignored), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in formats(kind) if f.reads and suffix in f.suffixes), None)


def format_for_content(head: bytes, kind: Kind) -> FileFormat | None:
    """The first format, in table order, whose store claims a file beginning with ``head``; or None."""
    return next((f for f in formats(kind) if f.reads and f.store().sniff(head)), None)


def looks_like_xml(head: bytes) -> bool:
    """True when ``head`` starts like an XML document (a UTF-16 byte order mark, or ``<`` after spaces)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 byte order marks: only XML may use them here
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


_PROLOGUE = re.compile(r"\s*(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*<(?:!DOCTYPE\s+)?(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)",
                       re.S)


def xml_root_name(head: bytes) -> str:
    """The local name of the root element in ``head`` (the first element's, or the one a DOCTYPE names); or ''.

    A guess from the first bytes, for choosing a reader: the reader parses the file and checks it.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    found = _PROLOGUE.match(text)
    return found.group(1) if found else ""
