"""The second held-out set (tests/corpus/heldout2/, issue 29): web pages, Word files, exports, OCR and interviews.

Each case is measured as the first set's are (:mod:`heldout_cases`: sentence recall, chrome left, title, bylines,
garbled spans) and, on top, against its ``## structure`` lines (tables, lists, captions, quotes, footnotes and
headings the article must keep, read back through the corpus loader) and its ``## prose-at-risk`` lines (each kept in
the text or named by a warning of the import: never removed or made metadata silently).
Run ``python tests/corpus/heldout2_cases.py`` for the table alone (``-v`` for what each case misses).
"""

from __future__ import annotations

import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script: the tests folder and the repository are importable
    sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1]),
                    str(Path(__file__).resolve().parents[2])]

from heldout_cases import Figures, HeldoutCase, clean_case, measure, norm, read_cases  # noqa: E402

HELDOUT2 = Path(__file__).parent / "heldout2"
#: What the issue asks the set to hold, by kind of source.
KINDS = {"html": 8, "docx": 2, "markdown": 2, "ocr": 2, "interview": 2}
_STRUCTURE = re.compile(r"^(?:(?P<table>table) (?P<rows>\d+)x(?P<columns>\d+)|(?P<ordered>ordered )?(?P<list>list) "
                        r"(?P<items>\d+)|(?P<kind>caption|quote|footnote|heading)): (?P<text>.+)$")


def kind_of(case: HeldoutCase) -> str:
    """Which of :data:`KINDS` the case is, by its source's extension and name."""
    suffix = case.source.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".docx":
        return "docx"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "ocr" if case.name.startswith("ocr-") else "interview"


def sections(case: HeldoutCase) -> dict[str, list[str]]:
    """The case's optional sections (``structure``, ``prose-at-risk``) as lists of lines."""
    found: dict[str, list[str]] = {}
    current = None
    for line in case.path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        elif current is not None and line.strip():
            current.append(line)
    return found


def structure(case: HeldoutCase) -> list[re.Match]:
    """The case's structure lines, parsed; an unreadable one is an error naming the file."""
    out = []
    for line in sections(case).get("structure", []):
        match = _STRUCTURE.match(line.strip())
        assert match, f"{case.path.name}: structure line {line!r} is not one of table RxC / list N / caption / …"
        out.append(match)
    return out


@dataclass(frozen=True)
class Figures2:
    """A case of the second set: the first set's figures, then structure and prose at risk."""

    base: Figures
    structure: int
    """Structure lines of the case."""
    structure_missing: tuple[str, ...]
    """Those the cleaned article does not have."""
    prose: int
    """Prose-at-risk lines of the case."""
    prose_lost: tuple[str, ...]
    """Those neither kept in the text nor named by a warning."""
    error: str = ""
    """Why the source could not be cleaned at all."""

    @property
    def met(self) -> bool:
        """True when the case meets every target of issue 29."""
        return not self.error and self.base.met and self.base.bylines_right == len(self.base.bylines) \
            and not self.structure_missing and not self.prose_lost


def _blocks(markdown: str):
    from translate.corpus.article import load_article

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.md"
        path.write_text(markdown, encoding="utf-8")
        return load_article(path).blocks


def _structure_missing(case: HeldoutCase, blocks) -> list[str]:
    missing = []
    for match in structure(case):
        text = norm(match.group("text"))
        if match.group("table"):
            tables: dict[str, list] = {}
            for block in blocks:
                if block.cell is not None:
                    tables.setdefault(block.cell.table, []).append(block)
            ok = any(norm(cells[0].original) == text
                     and max(c.cell.row for c in cells) + 1 == int(match.group("rows"))
                     and max(c.cell.column for c in cells) + 1 == int(match.group("columns"))
                     for cells in tables.values())
        elif match.group("list"):
            ok = False
            for index, block in enumerate(blocks):
                if block.kind == "list_item" and norm(block.original).startswith(text[:12]):
                    run = 0
                    while index + run < len(blocks) and blocks[index + run].kind == "list_item":
                        run += 1
                    ordered = block.number is not None
                    ok = run >= int(match.group("items")) and ordered == bool(match.group("ordered"))
                    break
        else:
            kinds = {"caption": ("image",), "quote": ("quote",), "footnote": ("footnote",), "heading": ("heading",)}
            ok = any(b.kind in kinds[match.group("kind")] and text[:12] in norm(b.original) for b in blocks)
        if not ok:
            missing.append(match.group(0))
    return missing


def _words(text: str) -> str:
    """A prose line as compared: :func:`norm`, without symbols such as a callout's icon (💡), which the cleaner drops
    while it keeps the sentence."""
    return "".join(ch for ch in norm(text) if unicodedata.category(ch) != "So")


def measure2(case: HeldoutCase) -> Figures2:
    """Clean the case's source and measure it against every expectation of the second set."""
    try:
        cleaned = clean_case(case)
    except Exception as exc:  # a source the cleaner cannot read at all is a finding of the table, not a crash
        empty = Figures(case.name, len(case.sentences), tuple(case.sentences), (), "", False,
                        tuple((f, case.fields[f], "") for f in ("authors", "publication", "date") if f in case.fields),
                        len(case.garbled), 0, 0)
        return Figures2(empty, len(structure(case)), tuple(m.group(0) for m in structure(case)),
                        len(sections(case).get("prose-at-risk", [])), tuple(sections(case).get("prose-at-risk", [])),
                        f"{type(exc).__name__}: {str(exc)[:120]}")
    base = measure(case, cleaned)
    try:
        blocks = _blocks(cleaned.markdown)
        missing = _structure_missing(case, blocks)
    except Exception as exc:
        missing = [f"(the cleaned article does not load: {str(exc)[:100]})"]
    lines = [_words(line) for line in cleaned.body.split("\n") if line.strip()]
    warned = [_words(str(getattr(w, "text", w))) for w in getattr(cleaned, "warnings", ())]
    prose = sections(case).get("prose-at-risk", [])
    lost = [p for p in prose if not any(_words(p) in line for line in lines) and not any(_words(p) in w for w in warned)]
    return Figures2(base, len(structure(case)), tuple(missing), len(prose), tuple(lost))


def table2(figures: list[Figures2]) -> str:
    """The second set's table, as in docs/corpus.md."""
    rows = [("case", "recall", "chrome left", "title", "bylines", "structure", "prose kept or warned", "met")]
    for f in figures:
        b = f.base
        rows.append((b.case, f"{b.found}/{b.sentences} ({100 * b.recall:.0f} %)", str(len(b.leftovers)),
                     "yes" if b.title_right else "NO", f"{b.bylines_right}/{len(b.bylines)}",
                     f"{f.structure - len(f.structure_missing)}/{f.structure}",
                     f"{f.prose - len(f.prose_lost)}/{f.prose}", "yes" if f.met else ("ERROR" if f.error else "no")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def details2(f: Figures2) -> str:
    """What a case misses."""
    from heldout_cases import details

    parts = [details(f.base)]
    if f.error:
        parts.append(f"  error: {f.error}")
    parts += [f"  structure missing: {s}" for s in f.structure_missing]
    parts += [f"  prose lost silently: {p}" for p in f.prose_lost]
    return "\n".join(parts)


if __name__ == "__main__":
    results = [measure2(c) for c in read_cases(HELDOUT2)]
    print(table2(results))
    print(f"{sum(f.met for f in results)} of {len(results)} cases meet every target")
    if "-v" in sys.argv:
        for f in results:
            print(details2(f))
