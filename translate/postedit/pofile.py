"""PO files for translators (Poedit, Lokalize, Weblate, OmegaT): an export laid out like the store.

An exported PO file is the article's store with every ``msgstr`` filled in: the
edited English as it is, a machine draft or a stale edit marked ``fuzzy`` (a
stale one with its previous Chinese as ``#| msgid``). Each ``msgid`` is the
Chinese as the article was written (Traditional for a Traditional article), its
language tag in the ``X-Source-Language`` header. The extracted comments
(``#.``) carry the glossary entries, the machine draft, where the segment sits
(``context: table t1, row 2, column 1 (header: 部件)``, ``context: footnote 1``),
where a reused English comes from, and the unit's stamp. The header's ``Project-Id-Version`` names the
article. On import a ``fuzzy`` entry is not ready: it is never applied.
"""

from __future__ import annotations

from pathlib import Path

from translate.errors import PostEditError
from translate.formats import FormatStore, looks_like_xml
from translate.inputs import excerpt
from translate.postedit.exchange import ExportArticle, Stamp, Unit, UnitFile, control_character, normalise
from translate.postedit.store import (
    Edit,
    Placement,
    StoreSegment,
    draft_comment,
    load_po,
    po_edits,
    render_store,
    term_line,
)

#: Extracted-comment prefixes an export adds to the store's.
STAMP_PREFIX = "stamp: "
REUSED_PREFIX = "reused: "
STALE_PREFIX = "stale: "
CONTEXT_PREFIX = "context: "


def write_po(article: ExportArticle) -> str:
    """The PO text of one exported article."""
    segments = [StoreSegment(u.id, u.source, u.draft, tuple(term_line(*term) for term in u.terms), u.draft_origin)
                for u in article.units]
    placed = {
        u.id: Placement(Edit(u.id, u.source, u.en, fuzzy=not u.confirmed,
                             previous_zh=u.previous_zh if u.exported == "stale" else "", comment=u.comment))
        for u in article.units
    }
    notes = {}
    for u in article.units:
        lines = [f"{CONTEXT_PREFIX}{u.context}"] if u.context else []
        if u.exported == "reused" and u.note:
            lines.append(f"{REUSED_PREFIX}{u.note}")
        if u.aligned_note:  # aligned English goes out fuzzy (to review); a joined segment's target empty
            lines.append(f"alignment: {u.aligned_note}")
        if u.exported == "stale":
            lines.append(f"{STALE_PREFIX}the Chinese changed since this English was written; review it and "
                         "clear the fuzzy flag")
        if u.stamp is not None:
            lines.append(f"{STAMP_PREFIX}{u.stamp}")
        notes[u.id] = lines
    return render_store(article.slug, segments, placed, (),
                        {"X-Generator": "bitext postedit export", "X-Source-Language": article.language}, notes)


def read_po(path: Path) -> UnitFile:
    """The units of a PO file (an export, or a copy of a store); errors name the file and line."""
    path = Path(path)
    _, po = load_po(path)
    edits = po_edits(po, path)  # checks: every entry has its segment id as msgctxt, no id twice
    entries = [e for e in po if not e.obsolete]
    slug = (po.metadata.get("Project-Id-Version") or "").strip()
    if not slug:
        raise PostEditError("no Project-Id-Version in the header naming the article; export the file again",
                            path=path, line=1)
    language = (po.metadata.get("Language") or "en").strip().lower()
    if language and not language.startswith("en"):
        raise PostEditError(f"the header says Language: {excerpt(language)}; only English translations can be imported",
                            path=path, line=1)
    units = []
    for edit, entry in zip((e for e in edits if not e.obsolete), entries):
        control = control_character(edit.en) or control_character(edit.zh)
        if control:
            raise PostEditError(f"{excerpt(edit.id)}: a control character ({control}); remove it", path=path, line=edit.line)
        comments = (entry.comment or "").splitlines()
        draft = next((draft_comment(c)[1] for c in comments if draft_comment(c)), "")
        stamp = next((Stamp.parse(c[len(STAMP_PREFIX):]) for c in comments if c.startswith(STAMP_PREFIX)), None)
        english = normalise(edit.en)
        state = "needs-work" if edit.fuzzy else "confirmed"
        units.append(Unit(edit.id, edit.zh, english, state, edit.line, normalise(draft), stamp))
    return UnitFile(path, slug, tuple(units), "po", 1)


class PoStore(FormatStore):
    """PO in the format registry (:mod:`translate.formats`): every file that is not XML is read as PO."""

    def sniff(self, head: bytes) -> bool:
        return not looks_like_xml(head)

    def read(self, path: Path) -> list[UnitFile]:
        return [read_po(path)]

    def write(self, content: ExportArticle) -> str:
        return write_po(content)
