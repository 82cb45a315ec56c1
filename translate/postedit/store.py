"""The post-editing store: ``corpus/<slug>.en.po``, the translators' English of one article.

A gettext PO file (read and written with polib), one entry per translatable
segment in article order: ``msgctxt`` is the segment id, ``msgid`` the Chinese
as in the cleaned article, ``msgstr`` the edited English. Translator comments
(``#``) are kept verbatim; extracted comments (``#.``) carry the glossary
entries that apply and the machine draft, and are rewritten on every sync.
Lines are never wrapped, so the file diffs cleanly in git.

An entry is *edited* when its ``msgstr`` is non-empty and it is not ``fuzzy``.
An entry written by ``bitext align`` (a publisher's existing English, aligned
with the Chinese) carries the PO flag ``aligned`` and an extracted comment
``aligned (0.62): <the English as aligned>``: its origin is *aligned* as long
as the flag is there and the ``msgstr`` is still that English; a translator who
changes the ``msgstr`` or removes the flag has confirmed it (origin *edited*).
The other segments of a bead of several Chinese sentences have an empty
``msgstr``, the flag, and ``aligned (0.62): joined with b003.s1`` (the segment
whose English translates them too); a sentence the English leaves out has
``aligned: not in the English`` and no flag (the build translates it). These
comments belong to the entry and are kept by every sync.
When the Chinese of an edited segment changes, the entry becomes fuzzy with
the old Chinese kept as the previous msgid (``#| msgid``): a *stale* edit,
shown to the translator and reported, never deleted. Edits follow their
Chinese when block ids move (matched by text first, by id second); entries
whose Chinese is gone become obsolete (``#~``) rather than disappear.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from translate.errors import PostEditError
from translate.inputs import quoted
from translate.outputs import file_lock, write_atomic, write_target
from translate.rebuild import FileMemo, keeping_pieces

#: The store of article ``<slug>`` is ``<corpus>/<slug>.en.po``.
PO_SUFFIX = ".en.po"
#: Extracted-comment prefixes (``#.``) the store writes and rewrites.
TERM_PREFIX = "glossary: "
#: A draft's label by its origin (``mt``, ``gloss``): a dictionary gloss is not machine translation, and every
#: place that shows a draft's provenance (store and PO comments, XLIFF notes, the export's summary) says which.
DRAFT_LABELS = {"mt": "machine", "gloss": "gloss"}
#: The PO flag of an entry written by ``bitext align`` (see :attr:`Edit.origin`).
ALIGNED_FLAG = "aligned"
#: The extracted comment of an aligned entry: ``aligned (0.62): <English>``, ``aligned (0.62): joined with b003.s1``,
#: ``aligned: not in the English``.
ALIGNED_PREFIX = "aligned"
#: An aligned comment's text for a segment whose Chinese the English leaves out (a 1-0 bead).
NOT_IN_ENGLISH = "not in the English"
#: An aligned comment's text before the carrier's id, for a segment whose English stands in another's (2-1).
JOINED_WITH = "joined with "
_ALIGNED = re.compile(r"aligned(?: \((?P<confidence>[01](?:\.\d{1,4})?)\))?: (?P<text>.*)", re.S)
#: Largest PO file read (bytes): a store is a few hundred KiB; anything far bigger is not one.
MAX_STORE_BYTES = 32 * 1024 * 1024
_POLIB_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True, slots=True)
class Edit:
    """One entry of a PO store."""

    id: str
    """Segment id (``msgctxt``) the entry was written for."""
    zh: str
    """The Chinese (``msgid``) the English translates."""
    en: str
    """The translator's English (``msgstr``); empty when not yet translated."""
    fuzzy: bool = False
    """The entry needs work (PO's ``fuzzy`` flag): its English is not used."""
    previous_zh: str = ""
    """The Chinese the English was written for, when it has changed since (``#| msgid``)."""
    comment: str = ""
    """The translator's own comment (``#``), kept verbatim."""
    flags: tuple[str, ...] = ()
    """PO flags other than ``fuzzy``, kept as they are."""
    line: int = 0
    """Line of the entry in the PO file, for messages."""
    obsolete: bool = False
    """True for an entry whose segment no longer exists (``#~``)."""
    aligned_note: str = ""
    """The entry's ``aligned …`` extracted comment as written by ``bitext align`` (:func:`aligned_comment`), else
    empty: kept by every sync, since it is what tells an unconfirmed aligned English from a confirmed one."""

    @property
    def edited(self) -> bool:
        """True when the build uses this English: non-empty, not fuzzy, not obsolete."""
        return bool(self.en.strip()) and not self.fuzzy and not self.obsolete

    @property
    def stale(self) -> bool:
        """True when a translator's English waits for review because its Chinese changed (or was marked fuzzy)."""
        return bool(self.en.strip()) and self.fuzzy and not self.obsolete

    @property
    def keeps_work(self) -> bool:
        """True when dropping the entry would lose something a person wrote."""
        return bool(self.en.strip() or self.comment.strip())

    @property
    def alignment(self) -> tuple[float | None, str] | None:
        """(confidence, text) of the entry's aligned comment, or None when it has none."""
        return parse_aligned(self.aligned_note)

    @property
    def aligned(self) -> bool:
        """True for English that ``bitext align`` wrote and no translator has confirmed yet.

        The flag ``aligned`` is there, the entry is neither fuzzy nor obsolete, and its
        ``msgstr`` is still the English of its aligned comment (or, for a segment joined
        with another, still empty).
        """
        if ALIGNED_FLAG not in self.flags or self.fuzzy or self.obsolete:
            return False
        found = self.alignment
        if found is None or found[0] is None:
            return False
        english = " ".join(self.en.split())
        if not english:
            return found[1].startswith(JOINED_WITH) and bool(found[1][len(JOINED_WITH):].strip())
        return english == found[1]

    @property
    def origin(self) -> str:
        """``aligned`` (see :attr:`aligned`), ``edited`` (a translator's English the build uses), else empty."""
        if self.aligned:
            return "aligned"
        return "edited" if self.edited else ""

    @property
    def confidence(self) -> float | None:
        """An aligned entry's bead confidence; None for any other."""
        return self.alignment[0] if self.aligned else None

    @property
    def joined(self) -> str:
        """For an aligned entry joined with another (a 2-1 bead): the id of the segment carrying the English."""
        if not self.aligned or self.en.strip():
            return ""
        return self.alignment[1][len(JOINED_WITH):].strip()

    @property
    def omitted(self) -> bool:
        """True when ``bitext align`` found this segment's Chinese left out of the English (and it has none)."""
        found = self.alignment
        return found is not None and found[1] == NOT_IN_ENGLISH and not self.en.strip() and not self.obsolete


def aligned_comment(confidence: float | None, text: str) -> str:
    """An aligned entry's extracted comment: ``aligned (0.62): <text>``, or ``aligned: <text>`` without one."""
    text = " ".join(text.split())
    return f"{ALIGNED_PREFIX} ({confidence:.2f}): {text}" if confidence is not None else f"{ALIGNED_PREFIX}: {text}"


def parse_aligned(line: str) -> tuple[float | None, str] | None:
    """(confidence, text) of an aligned comment written by :func:`aligned_comment`, else None."""
    found = _ALIGNED.fullmatch(line.strip()) if line else None
    if found is None:
        return None
    confidence = found.group("confidence")
    return (float(confidence) if confidence is not None else None), found.group("text")


@dataclass(frozen=True, slots=True)
class StoreSegment:
    """A segment of the current article, as the store records it."""

    id: str
    """Segment id: ``title``, ``b007.s2``, ``b007.speaker``."""
    zh: str
    """The Chinese, working script."""
    draft: str = ""
    """The machine (or gloss) English, for the translator's reference."""
    terms: tuple[str, ...] = ()
    """The glossary entries that apply, as ``大模型 → large model`` lines."""
    draft_origin: str = "mt"
    """What wrote the draft: ``mt`` (a model) or ``gloss`` (the dictionary gloss); its label in the comments."""


def draft_prefix(origin: str) -> str:
    """The extracted comment's prefix of a draft of this origin: ``machine: `` or ``gloss: ``."""
    return f"{DRAFT_LABELS.get(origin, DRAFT_LABELS['mt'])}: "


def draft_comment(line: str) -> tuple[str, str] | None:
    """(origin, draft) when ``line`` is a draft's extracted comment, else None (stores of either label read)."""
    for origin in DRAFT_LABELS:
        prefix = draft_prefix(origin)
        if line.startswith(prefix):
            return origin, line[len(prefix):]
    return None


def term_line(zh: str, en: str, alternates: Sequence[str] = ()) -> str:
    """A glossary entry as the store's extracted comments and the exports show it: ``大模型 → large model``,
    with the other forms the check accepts when the entry has some: ``落地 → deployment (also: deploy, …)``."""
    return f"{zh} → {en}" + (f" (also: {', '.join(alternates)})" if alternates else "")


def store_path(corpus_dir: Path, slug: str) -> Path:
    """The PO store of one article."""
    return Path(corpus_dir) / f"{slug}{PO_SUFFIX}"


def read_store(path: Path) -> tuple[Edit, ...]:
    """Every entry of a PO store (none when the file does not exist); errors name the file and line."""
    path = Path(path)
    if not path.exists():
        return ()
    _, po = load_po(path)
    return po_edits(po, path)


#: What :func:`store_text` answers for a store it cannot read as text (the sync names the problem).
UNREADABLE = object()


def store_text(path: Path) -> str | None | object:
    """The store's text as :func:`load_po` decodes it; None when there is no file; :data:`UNREADABLE` otherwise.

    In a process that builds again and again, a store untouched since this process last read it is not read
    again (:data:`_TEXTS`): every build asks for every store's text.
    """
    path = Path(path)
    known = _TEXTS.get(path)
    if known is not None:
        return known
    state = _TEXTS.state(path)
    if state is None and not path.exists():
        return None
    try:
        return _TEXTS.keep(path, state, read_bounded(path).decode("utf-8-sig"))
    except (PostEditError, UnicodeDecodeError):
        return UNREADABLE


#: Each store's text as last read, while the file is as it was then (:class:`translate.rebuild.FileMemo`).
_TEXTS: FileMemo[str] = FileMemo()


def load_po(path: Path) -> tuple[str, Any]:
    """The text and the parsed entries of a PO file, checked first: size, UTF-8, syntax, truncation.

    polib alone is not enough for a file nobody has checked: it reads a string
    that happens to name an existing file as that file, and quietly drops the
    last character of a string that lost its closing quote.
    """
    import polib

    path = Path(path)
    data = read_bounded(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PostEditError("not UTF-8; save the PO file as UTF-8", path=path, line=line) from exc
    if "\0" in text:
        raise PostEditError("contains a NUL byte; this is not a PO file", path=path,
                            line=text[: text.index("\0")].count("\n") + 1)
    _check_po_lines(text, path)
    try:
        # The trailing newline keeps polib from taking the text for a file name.
        po = polib.pofile(text + "\n", wrapwidth=0)
    except (OSError, ValueError) as exc:
        found = _POLIB_LINE.search(str(exc))
        raise PostEditError(f"not a valid PO file ({_first_line(exc)}); fix the syntax", path=path,
                            line=int(found.group(1)) if found else None) from exc
    first = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip()), 1)
    for entry in po:
        # polib numbers an entry by its first line, except the first entry of a file
        # without a header, which it numbers 0.
        entry.linenum = entry.linenum or first
    return text, po


def read_bounded(path: Path, limit: int = MAX_STORE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a one-line error naming it."""
    from translate.inputs import check_regular_file, read_input

    path = Path(path)
    check_regular_file(path, PostEditError)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PostEditError(f"cannot read ({exc.strerror})", path=path) from exc
    if size > limit:
        raise PostEditError(f"larger than {limit // 2**20} MiB; export one article per file", path=path)
    try:
        data = read_input(path, PostEditError)
    except FileNotFoundError:
        raise PostEditError("no such file", path=path) from None
    if len(data) > limit:  # it grew meanwhile
        raise PostEditError(f"larger than {limit // 2**20} MiB; export one article per file", path=path)
    return data


#: A PO keyword line or a continuation line: the string must close on the same line.
_PO_STRING_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*)?"(?:[^"\\]|\\.)*"\s*$')
_PO_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)\b")


def _check_po_lines(text: str, path: Path) -> None:
    """Every string closes on its line and every msgid has its msgstr: a cut-off file is an error."""
    open_msgid = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
            if line.startswith("|"):
                line = line[1:].lstrip()
        elif line.startswith("#|"):
            line = line[2:].lstrip()
        elif not line or line.startswith("#"):
            continue
        if not line:
            continue
        keyword = _PO_KEYWORD.match(line)
        if not (keyword or line.startswith('"')):
            if obsolete:
                continue
            raise PostEditError("not a PO line (a keyword such as msgid, a quoted string or a # comment); "
                                "fix the syntax", path=path, line=number)
        if not _PO_STRING_LINE.match(line):
            raise PostEditError("a string does not close on its line (a cut-off file?); fix the quotes",
                                path=path, line=number)
        if obsolete or raw.lstrip().startswith("#"):
            continue
        if keyword and keyword.group(1) in ("msgid", "msgctxt"):
            if open_msgid:
                raise PostEditError("entry without msgstr (a cut-off file?); every msgid needs a msgstr",
                                    path=path, line=open_msgid)
            if keyword.group(1) == "msgid":
                open_msgid = number
        elif keyword and keyword.group(1) == "msgstr":
            open_msgid = 0
    if open_msgid:
        raise PostEditError("entry without msgstr (a cut-off file?); every msgid needs a msgstr", path=path,
                            line=open_msgid)


def po_edits(po, path: Path) -> tuple[Edit, ...]:
    """The entries of a parsed PO file as :class:`Edit` s, active ones first; a segment id twice is an error."""
    edits: list[Edit] = []
    seen: dict[str, int] = {}
    for entry in po:
        if not entry.obsolete:  # polib lists obsolete entries among the others too
            edits.append(_edit(entry, path, obsolete=False))
    for entry in po.obsolete_entries():
        edits.append(_edit(entry, path, obsolete=True))
    for edit in edits:
        if edit.obsolete:
            continue
        if edit.id in seen:
            raise PostEditError(f"segment {quoted(edit.id)} appears twice (first at line {seen[edit.id]}); keep one entry",
                                path=path, line=edit.line)
        seen[edit.id] = edit.line
    return tuple(edits)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _edit(entry, path: Path, *, obsolete: bool) -> Edit:
    line = getattr(entry, "linenum", 0) or 0
    if entry.msgid_plural:
        raise PostEditError("plural entries have no place in a PO store", path=path, line=line)
    if not entry.msgctxt and not obsolete:
        raise PostEditError("entry without msgctxt: every entry needs its segment id as msgctxt", path=path,
                            line=line)
    return Edit(
        id=entry.msgctxt or "",
        zh=entry.msgid,
        en=entry.msgstr,
        fuzzy="fuzzy" in entry.flags,
        previous_zh=entry.previous_msgid or "",
        comment=entry.tcomment or "",
        flags=tuple(f for f in entry.flags if f != "fuzzy"),
        line=line,
        obsolete=obsolete,
        aligned_note=next((c.strip() for c in (entry.comment or "").splitlines() if parse_aligned(c)), ""),
    )


@dataclass(frozen=True, slots=True)
class Placement:
    """Which entry of the store a current segment takes, and whether its edit is stale."""

    edit: Edit
    """The entry as it will be written (id and Chinese updated; fuzzy when the Chinese changed)."""
    moved_from: str = ""
    """The entry's old segment id, when the segment's id changed."""


def place_edits(segments: Sequence[StoreSegment], edits: Iterable[Edit]) -> tuple[dict[str, Placement], list[Edit]]:
    """Match the store's entries to the current segments; return placements and the entries left over.

    Edits follow their Chinese: a segment whose Chinese is unique in the article and
    in the store takes that entry whatever its id; then entries are matched by id
    with the same Chinese; then by the same Chinese in reading order (repeated
    sentences, speaker labels; entries with English first); last by id with a
    changed Chinese, which makes a translated entry stale (fuzzy, previous Chinese
    kept). An entry without English still holds on to its Chinese, so when a
    paragraph is deleted the next segment, taking over its ids, takes its own
    entry rather than the deleted one's edit.
    """
    pool = [e for e in edits if e.keeps_work or not e.obsolete]
    used: set[int] = set()
    placed: dict[str, Placement] = {}

    def take(segment: StoreSegment, index: int) -> None:
        used.add(index)
        edit = pool[index]
        if edit.zh != segment.zh:
            stale = edit.fuzzy or bool(edit.en.strip())
            # An English becomes a stale edit (an aligned one keeps its comment, for the review); an empty joined
            # or left-out entry loses its aligned mark, since the carrier's English no longer covers its Chinese.
            flags = edit.flags if stale else tuple(f for f in edit.flags if f != ALIGNED_FLAG)
            edit = Edit(segment.id, segment.zh, edit.en, stale, (edit.previous_zh or edit.zh) if stale else "",
                        edit.comment, flags, edit.line, aligned_note=edit.aligned_note if stale else "")
        else:
            edit = Edit(segment.id, segment.zh, edit.en, edit.fuzzy, edit.previous_zh if edit.fuzzy else "",
                        edit.comment, edit.flags, edit.line, aligned_note=edit.aligned_note)
        placed[segment.id] = Placement(edit, moved_from=pool[index].id if pool[index].id != segment.id else "")

    by_zh: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, int] = {}
    for index, edit in enumerate(pool):
        by_zh[edit.zh].append(index)
        if not edit.obsolete:
            by_id.setdefault(edit.id, index)
    with_work = {zh: [i for i in indexes if pool[i].keeps_work] for zh, indexes in by_zh.items()}
    segment_zh: dict[str, int] = defaultdict(int)
    for segment in segments:
        segment_zh[segment.zh] += 1

    for segment in segments:  # 1. unique Chinese on both sides (among entries with work, else among all)
        if segment_zh[segment.zh] == 1:
            candidates = with_work.get(segment.zh) or by_zh.get(segment.zh, ())
            if len(candidates) == 1:
                take(segment, candidates[0])
    for segment in segments:  # 2. same id, same Chinese
        index = by_id.get(segment.id)
        if segment.id not in placed and index is not None and index not in used and pool[index].zh == segment.zh:
            take(segment, index)
    # Chinese → its entries in the order step 3 offers them (with work first, then the others), and how far
    # the offer has gone: entries are only ever taken, so each list is walked once (10,000 entries sharing
    # one sentence used to cost a scan of the list per segment).
    offers: dict[str, list[int]] = {}
    offered: dict[str, int] = defaultdict(int)
    for segment in segments:  # 3. same Chinese, in reading order, entries with work first
        if segment.id in placed:
            continue
        offer = offers.get(segment.zh)
        if offer is None:
            offer = offers[segment.zh] = [*with_work.get(segment.zh, ()),
                                          *(i for i in by_zh.get(segment.zh, ()) if not pool[i].keeps_work)]
        position = offered[segment.zh]
        while position < len(offer) and offer[position] in used:
            position += 1
        offered[segment.zh] = position
        if position < len(offer):
            take(segment, offer[position])
    for segment in segments:  # 4. same id, the Chinese changed: stale
        index = by_id.get(segment.id)
        if segment.id not in placed and index is not None and index not in used:
            take(segment, index)
    leftover = [e for i, e in enumerate(pool) if i not in used and e.keeps_work]
    return placed, leftover


def entry_comments(segment: StoreSegment, edit: Edit, notes=()) -> list[str]:
    """An entry's extracted comments (``#.``): the glossary's terms, the machine draft, the aligner's note, then
    ``notes`` (what an exported copy tells a translator), each on one line."""
    comments = [f"{TERM_PREFIX}{t}" for t in segment.terms]
    if segment.draft:
        comments.append(f"{draft_prefix(segment.draft_origin)}{_one_line(segment.draft)}")
    if edit.aligned_note:
        comments.append(_one_line(edit.aligned_note))
    return comments + [_one_line(note) for note in notes]


def render_store(slug: str, segments: Sequence[StoreSegment], placed: Mapping[str, Placement],
                 leftover: Sequence[Edit], metadata: Mapping[str, str] | None = None,
                 notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """The PO text of a store: one entry per segment in article order, then obsolete entries.

    ``notes`` adds extracted comments (``#.``) to some segments' entries after the
    glossary and the machine draft: what an exported copy tells a translator.
    """
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": slug,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        **{k: v for k, v in (metadata or {}).items()
           if k not in ("Content-Type", "Content-Transfer-Encoding", "Language", "X-Source-Language")},
        "Language": "en",
        "X-Source-Language": (metadata or {}).get("X-Source-Language", "zh"),
    }
    # polib writes the header and the metadata entry, then each entry after a newline, obsolete ones last: the
    # entries are written one by one (:func:`_entry_text`), most of them as the last sync wrote them.
    parts = [po.__unicode__()]
    entry_text = _kept_entry_text if keeping_pieces() else _entry_text
    for segment in segments:
        placement = placed.get(segment.id)
        edit = placement.edit if placement else Edit(segment.id, segment.zh, "")
        comments = entry_comments(segment, edit, (notes or {}).get(segment.id, ()))
        parts.append(entry_text(segment.id, segment.zh, edit.en, "\n".join(comments), edit.comment,
                                ("fuzzy",) * edit.fuzzy + tuple(edit.flags), edit.previous_zh or None, False))
    for edit in leftover:
        parts.append(entry_text(edit.id or None, edit.zh, edit.en, _one_line(edit.aligned_note) if edit.aligned_note
                                 else "", edit.comment, ("fuzzy",) * edit.fuzzy + tuple(edit.flags),
                                 edit.previous_zh or None, True))
    return "\n".join(parts)


def _entry_text(msgctxt: str | None, msgid: str, msgstr: str, comment: str, tcomment: str, flags: tuple[str, ...],
                previous_msgid: str | None, obsolete: bool) -> str:
    """One entry of a store as polib writes it (lines never wrapped); remembered, since a sync writes again
    every entry of a store whose other entries changed."""
    import polib

    return polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr, comment=comment, tcomment=tcomment,
                         flags=list(flags), previous_msgid=previous_msgid, obsolete=obsolete).__unicode__(0)


#: :func:`_entry_text` remembered, in a process that syncs again and again (:func:`translate.rebuild.keep_pieces`).
_kept_entry_text = lru_cache(maxsize=1 << 17)(_entry_text)


@lru_cache(maxsize=1 << 16)  # a store's drafts, synced again and again (each store of a term edit: every entry)
def _one_line(text: str) -> str:
    # A build writes these comments: nothing in them (a NUL, ESC, form feed) may make the store unreadable.
    from translate.translation.untrusted import printable

    return " ".join(printable(text).split())


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a sync found in one article's store."""

    path: Path
    """The PO store."""
    placed: dict[str, Placement]
    """Segment id → its entry."""
    obsolete: int
    """Entries kept as obsolete because their Chinese is gone."""
    written: bool
    """True when the file changed on disk."""
    text: str | None = None
    """The store's text on disk after the sync, as read or as written (None: there is no file)."""
    settled: bool = True
    """True when a sync allowed to write would leave the file as it is now (one that was not allowed may say no)."""


#: By path, the last store read in this process: its text, entries and metadata (``bitext serve`` syncs every
#: store on every build; a text equal to the last one read is not parsed again).
_READ: dict[Path, tuple[str, tuple[Edit, ...], dict]] = {}


def _read_entries(path: Path) -> tuple[str, tuple[Edit, ...], dict]:
    """(text, entries, metadata) of an existing store, checked as :func:`load_po` checks it."""
    last = _READ.get(path)
    if last is not None and store_text(path) == last[0]:  # a store it cannot read: load_po says what is wrong
        return last[0], last[1], dict(last[2])
    state = _TEXTS.state(path)
    text, po = load_po(path)
    _TEXTS.keep(path, state, text)
    _READ[path] = (text, po_edits(po, path), dict(po.metadata))
    if len(_READ) > 4096:  # one edition's stores, more or less
        del _READ[next(iter(_READ))]
    return text, _READ[path][1], dict(po.metadata)


#: The stores this process wrote since :func:`read_ahead` last ran (at most one edition's, more or less).
_WRITTEN: set[Path] = set()


def read_ahead(stop: Callable[[], bool] = lambda: False) -> None:
    """Read the stores this process has written since the last call, as the next sync would (``bitext serve``
    calls it between builds, so that a build finds the stores the last one wrote already read); ``stop()`` true
    ends it early (a new build is wanted: it reads the rest itself)."""
    written = sorted(_WRITTEN)
    _WRITTEN.clear()
    for path in written:
        if stop():
            return
        try:
            _read_entries(path)
        except (PostEditError, OSError):
            pass  # the next sync names the problem


#: Threads that write a batch's stores (each mostly waits for its file to reach the disk).
WRITERS = 4


class _Batch:
    """The syncs of one folder's stores under one hold of its write lock; their files written by a few threads."""

    def __init__(self, folder: Path):
        from concurrent.futures import ThreadPoolExecutor

        self.folder = folder
        self._pool = ThreadPoolExecutor(WRITERS, thread_name_prefix="bitext-store-write")
        self._writes: dict[Path, object] = {}
        """Each store's latest write (its sync waited for an earlier one before reading the store)."""

    def holds(self, path: Path) -> bool:
        """True when ``path`` is written in this batch's folder (a linked store's target may lie elsewhere)."""
        return write_target(path).parent == self.folder

    def settle(self, path: Path) -> None:
        """Wait for the write of ``path`` queued in this batch, if any (raising its error): a sync of a store the
        batch rewrites reads what was written, and two writes of one store land in the order they were made."""
        pending = self._writes.get(path)
        if pending is not None:
            pending.result()

    def write(self, path: Path, text: str) -> None:
        """Queue the write of ``path`` (its sync waited for an earlier one first: :meth:`settle`)."""
        self._writes[path] = self._pool.submit(write_atomic, path, text)

    def finish(self) -> None:
        """Wait for every write; the first that failed raises its error (the others are written)."""
        self._pool.shutdown(wait=True)
        for write in self._writes.values():
            write.result()


class _Batches(threading.local):
    """The batch of :func:`syncing` under way in this thread, if any (another thread's syncs take the lock)."""

    def __init__(self) -> None:
        self.batch: _Batch | None = None


_BATCH = _Batches()


@contextmanager
def syncing(corpus_dir: Path) -> Iterator[None]:
    """Within: :func:`sync_store` of a store of ``corpus_dir`` runs under one hold of the folder's write lock,
    taken here, and its file is written by :data:`WRITERS` threads at once (a term edit rewrites tens of stores,
    each atomically and flushed to the disk); every write is done, or its error raised, when it ends. Within
    another :func:`syncing` (a build's, around its rendering too), the outer one does that."""
    folder = Path(corpus_dir)
    if _BATCH.batch is not None:
        yield
        return
    with file_lock(folder / ".bitext-sync"):  # the folder's lock, which file_lock(store) takes
        batch = _BATCH.batch = _Batch(folder)
        try:
            yield
        except BaseException:
            _BATCH.batch = None
            batch._pool.shutdown(wait=True)  # no write outlives the lock
            raise
        _BATCH.batch = None
        batch.finish()


#: Revises a store's placements under its lock (an import's merge): returns them changed, or None to leave
#: the file as it is; raises to write nothing.
Revision = Callable[[dict[str, Placement]], "dict[str, Placement] | None"]


def sync_store(path: Path, slug: str, segments: Sequence[StoreSegment], *, write: bool = True,
               revise: Revision | None = None) -> SyncResult:
    """Bring a store in line with the article's current segments, under the folder's write lock.

    Nothing a translator wrote is lost: edits move with their Chinese, go stale when
    it changes, and become obsolete entries when it is gone. ``revise`` sees the
    placements as read under the lock and returns them changed (an import), or
    None to leave the file alone; when it raises, nothing is written. The file is
    written atomically, and only when its text changes.
    """
    path = Path(path)
    batch = _BATCH.batch
    batched = batch is not None and batch.holds(path)
    with nullcontext() if batched else file_lock(path):
        if batched:
            batch.settle(path)
        old, edits, metadata = _read_entries(path) if path.exists() else (None, (), {})
        placed, leftover = place_edits(segments, edits)
        if revise is not None:
            revised = revise(placed)
            write = write and revised is not None
            placed = revised if revised is not None else placed
        text = render_store(slug, segments, placed, leftover, metadata)
        written = False
        due = text != old and (edits or any(p.edit.keeps_work for p in placed.values()) or old is None)
        if write and due:
            if batched:
                batch.write(path, text)
            else:
                write_atomic(path, text)
            written = True
            if len(_WRITTEN) < 4096:
                _WRITTEN.add(path)
    return SyncResult(path, placed, len(leftover), written, text if written else old, written or not due)
