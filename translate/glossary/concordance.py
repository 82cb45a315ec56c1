"""Where a term lands: every occurrence in the corpus, and whether the English honoured it.

An occurrence names its place when that is not the running text (:func:`block_places`): a table
cell (``table t1, row 2, column 1 (header: 部件)``), a footnote (``footnote 2``), a list item, a
quotation, a caption. The post-editing exports say the same to translators.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from translate.corpus.sentences import split_sentences
from translate.errors import GlossaryError
from translate.glossary.loaded import Glossary
from translate.glossary.honour import find_term, term_honoured
from translate.inputs import excerpt, quoted
from translate.markup import plain_text
from translate.models import Article, Block, Term


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a term occurs in the corpus."""

    article: str
    """Article slug."""
    block: str
    """Block (paragraph) id."""
    line: int
    """Line of the block in the cleaned corpus file."""
    segment: str | None
    """Segment id once translated, else ``None``."""
    zh: str
    """The Chinese sentence."""
    surface: str
    """The term as it appears there (maybe a variant or a Traditional form)."""
    start: int
    """Offset of the term in ``zh``."""
    en: str | None
    """The English sentence, or ``None`` when not translated yet."""
    honoured: bool | None
    """Whether the English kept the glossary's target (``None`` when not translated yet)."""
    place: str = ""
    """Where the block sits when not in the running text (:func:`block_places`): ``table t1, row 2, column 1
    (header: 部件)``, ``footnote 2``…; empty for headings and paragraphs."""
    en_form: str = ""
    """The English that honoured the term, as written (the target, an inflection of it or an alternate);
    empty when not honoured or not translated yet."""


def resolve_term(glossary: Glossary, query: str) -> Term:
    """The entry a user means by ``query``: its term, a variant, a Traditional form, its target or (when no
    target is ``query``) an alternate, the first entry that lists it."""
    term = glossary.lookup(query.strip())
    folded = query.strip().casefold()
    if term is None:
        term = next((t for t in glossary.terms if t.en.casefold() == folded), None)
    if term is None:
        term = next((t for t in glossary.terms if any(a.casefold() == folded for a in t.alternates)), None)
    if term is None:
        raise GlossaryError(f"{quoted(query)} is not in the glossary; add it with `bitext glossary add {excerpt(query)} EN`",
                            path=glossary.path)
    return term


def concordance(glossary: Glossary, term_zh: str, articles: Iterable[Article],
                translations_dir: Path | None) -> list[Occurrence]:
    """Every occurrence of the entry ``term_zh`` in ``articles``, in reading order.

    Sentences come from ``translations_dir/<slug>.json`` when a build wrote it,
    else from the block text, cut into sentences the way the translator cuts them.
    """
    term = resolve_term(glossary, term_zh)
    occurrences: list[Occurrence] = []
    for article in articles:
        translated = _translated_blocks(translations_dir, article.slug)
        places = block_places(article.blocks)
        for block in article.blocks:
            place = places.get(block.id, "")
            segments = translated.get(block.id)
            if segments is None and block.translatable:
                for sentence in split_sentences(block.text):
                    for match in glossary.find(sentence):
                        if match.term.zh == term.zh:
                            occurrences.append(Occurrence(article.slug, block.id, block.line, None, sentence,
                                                          match.surface, match.start, None, None, place))
                continue
            for segment in segments or ():  # code and rules: nothing translated, no term to find
                zh = str(segment.get("zh", ""))
                en = str(segment.get("en", ""))
                for match in glossary.find(zh):
                    if match.term.zh == term.zh:
                        honoured = _honoured(term, segment, en)
                        span = find_term(term, plain_text(en)) if honoured else None
                        occurrences.append(Occurrence(article.slug, block.id, block.line, segment.get("id"), zh,
                                                      match.surface, match.start, en, honoured, place,
                                                      plain_text(en)[span[0]:span[1]] if span else ""))
    return occurrences


def block_places(blocks: Sequence[Block]) -> dict[str, str]:
    """Block id → where the block sits, for every block not in the running text, as a translator reads it.

    ``table t1, row 2, column 1 (header: 部件)`` for a cell (rows and columns counted from 1, the header
    row first; ``row 1 (header row)`` for a header cell), ``footnote 1`` (``, paragraph 2`` for a later
    paragraph of a note of several), ``list item, level 2`` (``numbered list item 3``, ``task item
    (done)``, ``paragraph of a list item``), ``in a quotation``, ``figure caption``. Headings and
    paragraphs of the running text are left out.
    """
    headers = {(b.cell.table, b.cell.column): plain_text(b.text)
               for b in blocks if b.cell is not None and b.cell.header}
    paragraphs = {b.note: sum(1 for other in blocks if other.kind == "footnote" and other.note == b.note)
                  for b in blocks if b.kind == "footnote"}
    seen: dict[str, int] = {}
    out: dict[str, str] = {}
    for block in blocks:
        if block.kind == "footnote":
            seen[block.note] = seen.get(block.note, 0) + 1
            out[block.id] = f"footnote {block.note}" + (f", paragraph {seen[block.note]}"
                                                        if paragraphs[block.note] > 1 else "")
            continue
        place = _place(block, headers)
        if place:
            out[block.id] = place
    return out


def _place(block: Block, headers: dict[tuple[str, int], str]) -> str:
    if block.cell is not None:
        cell = block.cell
        header = headers.get((cell.table, cell.column), "")
        return (f"table {cell.table}, row {cell.row + 1}{' (header row)' if cell.header else ''}, "
                f"column {cell.column + 1}{f' (header: {header})' if header and not cell.header else ''}")
    parts = []
    if block.kind == "list_item" and block.depth:
        item = ("task item (done)" if block.checked else "task item (open)" if block.checked is not None
                else f"numbered list item {block.number}" if block.number is not None else "list item")
        parts.append(f"{item}, level {block.depth}")
    elif block.depth:
        parts.append(f"paragraph of a list item, level {block.depth}")
    elif block.kind == "image":
        parts.append("figure caption")
    if block.kind == "quote" or block.quoted:
        parts.append("in a quotation")
    return ", ".join(parts)


def _honoured(term: Term, segment: dict, en: str) -> bool:
    """The translator's verdict recorded in the segment, else its rule applied to the English.

    (The rule is the glossary's honour rule, so that ``show`` and the build never disagree.)
    """
    verdicts = [use.get("honoured") for use in segment.get("terms") or () if use.get("zh") == term.zh]
    if verdicts and all(isinstance(v, bool) for v in verdicts):
        return all(verdicts)
    return term_honoured(term, en)


def _translated_blocks(translations_dir: Path | None, slug: str) -> dict[str, list[dict]]:
    if translations_dir is None:
        return {}
    path = Path(translations_dir) / f"{slug}.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GlossaryError(f"cannot read the translation file ({exc}); build again", path=path) from exc
    try:
        return {block["id"]: list(block["segments"]) for block in data["blocks"]}
    except (KeyError, TypeError) as exc:
        raise GlossaryError(f"this translation file has an unexpected shape ({exc!r}); build again",
                            path=path) from exc
