"""``clean``: one source file's bytes in, a cleaned article (Markdown + front matter) and its log out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from translate.corpus import frontmatter, rules, sources, wordfile
from translate.corpus.chinese import to_simplified
from translate.corpus.decoding import decode
from translate.corpus.draft import Draft, LogEntry
from translate.corpus.title import derive_title
from translate.models import DAMAGED_OPEN


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The outcome of cleaning one source."""

    markdown: str
    """The cleaned article: front matter and body, as written to ``corpus/<slug>.md``."""
    body: str
    """The body alone."""
    meta: dict
    """The front matter."""
    log: tuple[LogEntry, ...]
    """Every change, in order."""
    source_text: str
    """The decoded source the log refers to (without front matter when re-cleaning an article)."""
    encoding: str
    """Encoding the source was decoded with."""

    @property
    def removed(self) -> int:
        """Characters the cleaning took out (net of what it put in)."""
        return len(self.source_text) - len(self.body)

    @property
    def repaired(self) -> int:
        """Mojibake spans repaired."""
        return sum(1 for e in self.log if e.rule == "mojibake" and e.action == "repair")

    @property
    def damaged(self) -> int:
        """Spans flagged as damaged and left for a person."""
        return self.body.count(DAMAGED_OPEN)

    @property
    def warnings(self) -> tuple:
        """Lines that read as prose which a rule removed or moved into the front matter, from the log (the first
        :data:`~translate.corpus.decisions.WARNINGS_MAX`; :func:`translate.corpus.decisions.report` counts the rest)."""
        from translate.corpus.decisions import warnings

        return warnings(self.log)[0]

    def conserved(self) -> bool:
        """Source characters = kept + removed − inserted, character by character."""
        removed = Counter("".join(e.removed for e in self.log))
        inserted = Counter("".join(e.inserted for e in self.log))
        return Counter(self.source_text) + inserted == Counter(self.body) + removed


def clean(raw: bytes, filename: str, *, disabled: frozenset[str] = frozenset()) -> Cleaned:
    """Clean one source (or re-clean an already cleaned article, which then changes nothing).

    The source is read as what it is (:func:`translate.corpus.sources.kind`): a web page or a Word
    file is first turned into Markdown by logged edits (:mod:`translate.corpus.webpage`), and the
    page's own metadata seeds the front matter; then every source goes through the same rules.
    """
    kind = sources.kind(raw, filename)
    if kind == "docx":
        return _clean_page(wordfile.to_html(raw, filename), "utf-8", filename, disabled, main_content=False)
    if kind == "pdf":
        return _clean_pdf(raw, filename, disabled)
    text, encoding = decode(raw, filename)
    if kind == "html":
        return _clean_page(text, encoding, filename, disabled, main_content=True)
    if not text.strip():
        from translate.errors import CorpusError

        raise CorpusError("the source has no text; check that it is the right file", path=filename)
    existing, body, _ = frontmatter.split(text, filename)
    if existing is not None and not {"source_file", "script"} <= set(existing):
        existing, body = None, text  # a Markdown source's own front matter: the export rule reads it
    if existing is not None and body.startswith("\n"):
        body = body[1:]  # the blank line written after the front matter
    name = PurePath(filename).name
    draft = Draft.from_text(body if existing is not None else text, name)
    if existing is not None:
        frontmatter.validate(existing, text, filename)
        draft.meta.update({k: v for k, v in existing.items() if k != "cleaning"})
    draft.meta.setdefault("source_file", name)
    rules.run(draft, frozenset(disabled))
    return _finish(draft, existing, body if existing is not None else text, encoding)


def _clean_page(text: str, encoding: str, filename: str, disabled: frozenset[str], *, main_content: bool) -> Cleaned:
    """A web page (or a Word file's HTML): converted to Markdown by logged edits, then cleaned as Markdown."""
    from translate.corpus import webpage

    if not text.strip():
        from translate.errors import CorpusError

        raise CorpusError("the source has no text; check that it is the right file", path=filename)
    name = PurePath(filename).name
    draft = Draft.from_text(text, name)
    page = webpage.convert(draft, main_content=main_content)
    draft.facts["markdown"] = True  # what the converter wrote is Markdown, however few constructs it has
    draft.meta.update(webpage.front_matter(page))
    draft.meta.setdefault("source_file", name)
    if not draft.text.strip():
        from translate.errors import CorpusError

        raise CorpusError("no article text found in the page (the extractor found no main content); "
                          "save the article's own page, or copy its text into a .txt file", path=filename)
    rules.run(draft, frozenset(disabled))
    return _finish(draft, None, text, encoding)


def _clean_pdf(raw: bytes, filename: str, disabled: frozenset[str]) -> Cleaned:
    """A PDF's text layer (read by :mod:`translate.corpus.pdftext` where it exists), cleaned as text."""
    try:
        from translate.corpus import pdftext
    except ImportError:
        from translate.errors import CorpusError

        raise CorpusError("PDF sources: this version reads no PDF; copy the article's text into a .txt file",
                          path=filename) from None
    text = pdftext.text_layer(raw, filename)
    name = PurePath(filename).name
    draft = Draft.from_text(text, name)
    draft.meta.setdefault("source_file", name)
    rules.run(draft, frozenset(disabled))
    return _finish(draft, None, text, "pdf")


def _finish(draft: Draft, existing: dict | None, source_text: str, encoding: str) -> Cleaned:
    """The front matter completed (title, cleaning counts) and the article rendered."""
    meta = draft.meta
    if not meta.get("title"):
        meta["title"] = derive_title(draft.text)
        draft.log.append(LogEntry("title", 1, "derive", "", "", f"no title in the source; derived: {meta['title']}"))
    if existing is None:
        meta["title"] = _tidy(meta["title"])
        if meta.get("script") == "traditional":
            meta["title_original"] = meta["title"]
            meta["title"] = to_simplified(meta["title"])
        counts: dict[str, int] = {}
        for entry in draft.log:
            changed = len(entry.removed) or len(entry.inserted)
            if changed:
                counts[entry.rule] = counts.get(entry.rule, 0) + changed
        meta["cleaning"] = counts
    else:
        meta["cleaning"] = existing.get("cleaning") or {}
    markdown = frontmatter.render(meta) + "\n" + draft.text
    return Cleaned(markdown, draft.text, meta, tuple(draft.log), source_text, encoding)


def _tidy(title: str) -> str:
    """The title with the body's punctuation rule; spaces as a headline uses them.

    A space between two Chinese phrases of a headline separates them (``虛擬銀行開業五年
    首度錄得全年盈利``) and stays; odd spaces become plain ones, runs shrink to one, and
    none is left beside Chinese punctuation.
    """
    import re

    from translate.corpus.chinese import CJK_PUNCT
    from translate.corpus.punctuation import punctuation_rule

    draft = Draft.from_text(title, "title")
    punctuation_rule(draft)
    text = re.sub(r"[\u00a0\u3000\u2002-\u200a\t]", " ", draft.text).replace("\u200b", "")
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(rf" *([{re.escape(CJK_PUNCT)}]) *", r"\1", text)
    return text.strip()
