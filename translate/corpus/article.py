"""Loading cleaned articles (``corpus/<slug>.md``) into :class:`~translate.models.Article` s.

The body is parsed with markdown-it-py (CommonMark with tables, strikethrough and
footnotes; raw HTML disabled). Each heading, paragraph, list item, quote paragraph,
figure, table cell, footnote paragraph, code block and thematic break becomes a
:class:`~translate.models.Block` that says where it sits (list depth and number,
quote depth, table cell, footnote label); ``original`` is the inline Markdown as written,
``text`` the same in Simplified script. A paragraph opening with ``**label：**``
is a speaker turn: the label is taken off and becomes ``speaker`` (Simplified)
with ``role`` question or answer. Loading is cheap (no dictionary, only OpenCC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from translate.corpus import frontmatter, slugs
from translate.corpus.chinese import to_simplified
from translate.errors import CorpusError
from translate.inputs import quoted, read_input
from translate.models import Article, ArticleMeta, Block, Cell
from translate.rebuild import FileMemo

_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]{1,16}?)[：:]\*\*\s*")


@lru_cache(maxsize=2)
def markdown_parser(front_matter: bool = False):
    """markdown-it as corpus Markdown is read: CommonMark with tables, strikethrough and footnotes
    (mdit-py-plugins), raw HTML off; ``front_matter`` for a whole source (the cleaner's), not a body."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(footnote_plugin)
    return md.use(front_matter_plugin) if front_matter else md


def nesting_limit() -> int:
    """The token level at which markdown-it stops reading nested lists and quotes (what is deeper is lost)."""
    return markdown_parser().options["maxNesting"] - 2


def load_article(path: Path) -> Article:
    """Read one cleaned article; :class:`CorpusError` names the file and line of any problem."""
    path = Path(path)
    if not slugs.is_safe(path.stem):
        raise CorpusError("the file name is not a safe article slug (lower-case ASCII letters, digits and '-', "
                          "at most 40); rename the file", path=path)
    known = _UNTOUCHED.get(path)  # a long-lived process: a file untouched since it was read is not read again
    if known is not None:
        return known
    state = _UNTOUCHED.state(path)
    try:
        data = read_input(path, CorpusError)
    except FileNotFoundError as exc:
        raise CorpusError(f"cannot read ({exc.strerror})", path=path) from exc
    last = _LOADED.get(str(path))
    if last is not None and last[0] == data:
        return _UNTOUCHED.keep(path, state, last[1])  # the same bytes make the same article (`bitext serve`)
    article = _parse_article(path, data)
    _LOADED[str(path)] = (data, article)
    return _UNTOUCHED.keep(path, state, article)


#: The last article read from each path, with the bytes it was read from.
_LOADED: dict[str, tuple[bytes, Article]] = {}
#: Each article read, while its file is as it was then (:class:`translate.rebuild.FileMemo`).
_UNTOUCHED = FileMemo()


def _parse_article(path: Path, data: bytes) -> Article:
    try:
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not UTF-8 (byte offset {exc.start}); save the article as UTF-8", path=path) from exc
    data, body, first_line = frontmatter.split(text, str(path))
    if data is None:
        raise CorpusError("no front matter (a '---' block with title, source_file, script); re-import the source",
                          path=path, line=1)
    frontmatter.validate(data, text, str(path))
    traditional = data["script"] == "traditional"
    convert = to_simplified if traditional else (lambda s: s)
    interviewers = tuple(to_simplified(str(v)) for v in data.get("interviewers") or ())
    title = str(data["title"])
    meta = ArticleMeta(
        title=to_simplified(title),
        title_original=str(data.get("title_original") or title),
        source_file=str(data["source_file"]),
        script=data["script"],
        authors=tuple(str(v) for v in data.get("authors") or ()),
        editors=tuple(str(v) for v in data.get("editors") or ()),
        publication=str(data["publication"]) if data.get("publication") else None,
        date=_date(data.get("date"), text, path),
        interviewers=interviewers,
        cleaning=tuple((str(k), int(v)) for k, v in (data.get("cleaning") or {}).items()),
    )
    blocks = _blocks(body, first_line - 1, convert, set(interviewers), path)
    return Article(slug=path.stem, meta=meta, blocks=tuple(blocks), path=str(path))


def _date(value, text: str, path: Path) -> str | None:
    if value in (None, ""):
        return None
    value = str(value)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise CorpusError(f"'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not {quoted(value)}",
                          path=path, line=frontmatter.key_line(text, "date"))
    return value


#: How a table column's alignment reaches the tokens (the delimiter row ``:--``, ``:-:``, ``--:``).
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
_TASK = re.compile(r"^\[(?P<box>[ xX])\]\s+")


@dataclass
class _Container:
    kind: str
    """``list``, ``item``, ``quote``, ``table`` or ``footnote``."""
    number: int | None = None
    """An ordered list's next number; an item's own."""
    taken: bool = False
    """An item whose first paragraph has been read (the next ones continue it)."""
    label: str = ""
    """A footnote's label."""


def _blocks(body: str, offset: int, convert, interviewers: set[str], path: Path) -> list[Block]:
    """The blocks of the body, in reading order, each knowing its containers (lists, quotes, tables, footnotes)."""
    tokens = markdown_parser().parse(body)
    too_deep = nesting_limit()
    blocks: list[Block] = []
    stack: list[_Container] = []
    tables = 0
    row = column = 0
    header = False
    aligns: list[str] = []
    line = offset + 1

    def place() -> dict:
        depth = sum(1 for c in stack if c.kind == "list")
        quoted = sum(1 for c in stack if c.kind == "quote")
        notes = [c.label for c in stack if c.kind == "footnote"]
        return {"depth": depth, "quoted": quoted, "note": notes[-1] if notes else "", "line": line}

    for index, token in enumerate(tokens):
        if token.map:
            line = offset + token.map[0] + 1
        if token.level >= too_deep:
            raise CorpusError("lists or block quotes nested too deep to read (what is deeper would be lost); "
                              "flatten them", path=path, line=line)
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            stack.append(_Container("list", (int(start) if start else 1) if kind == "ordered_list_open" else None))
        elif kind == "list_item_open":
            number = None
            if stack and stack[-1].number is not None:
                number = int(token.info) if token.info.isdigit() else stack[-1].number
                stack[-1].number = number + 1
            stack.append(_Container("item", number))
        elif kind == "blockquote_open":
            stack.append(_Container("quote"))
        elif kind == "footnote_open":
            stack.append(_Container("footnote", label=str(token.meta.get("label", ""))))
        elif kind in ("bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close",
                      "footnote_close"):
            stack.pop()
        elif kind == "table_open":
            tables += 1
            row, header = -1, False
        elif kind == "thead_open":
            header = True
        elif kind == "thead_close":
            header = False
        elif kind == "tr_open":
            row, column, aligns = row + 1, 0, []
        elif kind in ("th_open", "td_open"):
            aligns.append(_ALIGN.get(str(token.attrGet("style") or "").replace(" ", ""), ""))
        elif kind in ("fence", "code_block"):
            code = token.content[:-1] if token.content.endswith("\n") else token.content
            language = token.info.split()[0] if token.info.strip() else ""
            blocks.append(Block(_number(blocks), "code", code, code, lang=language, **place()))
        elif kind == "hr":
            blocks.append(Block(_number(blocks), "rule", "", "", **place()))
        elif kind == "inline":
            opener = tokens[index - 1]
            original = token.content.replace("\n", " ") if token.content else ""
            blocks.append(_inline_block(_number(blocks), opener, token, original, convert, interviewers, stack,
                                        place(), (tables, row, column, header, aligns)))
            if opener.type in ("th_open", "td_open"):
                column += 1
    return blocks


def _number(blocks: list[Block]) -> str:
    return f"b{len(blocks) + 1:03d}"


def _inline_block(number: str, opener, token, original: str, convert, interviewers: set[str],
                  stack: list[_Container], where: dict, table) -> Block:
    """The block of one run of inline text, by what holds it: a heading, a table cell, a figure, a list item…"""
    if opener.type == "heading_open":
        return Block(number, "heading", convert(original), original, level=int(opener.tag[1]), **where)
    if opener.type in ("th_open", "td_open"):
        tables, row, column, header, aligns = table
        cell = Cell(f"t{tables}", row, column, header, aligns[-1] if aligns else "")
        return Block(number, "cell", convert(original), original, cell=cell, **where)
    children = token.children or []
    images = [c for c in children if c.type == "image"]
    if len(images) == 1 and all(c.type == "image" or not c.content.strip() for c in children):
        caption = images[0].content
        return Block(number, "image", convert(caption), caption, url=images[0].attrGet("src") or None, **where)
    item = stack[-1] if stack and stack[-1].kind == "item" else None
    extra: dict = {}
    if where["note"]:
        kind = "footnote"
    elif item is not None and not item.taken:
        item.taken = True
        kind = "list_item"
        extra["number"] = item.number
        task = _TASK.match(original)
        if task:
            extra["checked"] = task.group("box") != " "
            original = original[task.end():]
    elif next((c.kind for c in reversed(stack) if c.kind in ("quote", "item")), "") == "quote":
        kind = "quote"
    else:
        kind = "paragraph"
    speaker = role = None
    label = _LABEL.match(original) if kind in ("paragraph", "list_item", "quote") else None
    if label and original[label.end():].strip():
        speaker = to_simplified(label.group("label").strip())
        role = "question" if speaker in interviewers else "answer"
        original = original[label.end():]
    return Block(number, kind, convert(original), original, speaker=speaker, role=role, **where, **extra)


def load_corpus(corpus_dir: Path) -> tuple[Article, ...]:
    """Every ``corpus/*.md`` article (not ``raw/``), ordered by source file, then slug."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError("corpus folder not found; import sources with `bitext corpus import corpus/raw/*`",
                          path=corpus_dir)
    paths = [p for p in sorted(corpus_dir.glob("*.md")) if p.name.lower() != "readme.md"]
    articles = [load_article(p) for p in paths]
    kept = {str(p) for p in paths}
    for stale in [name for name in _LOADED if name not in kept]:  # one corpus's articles are kept, no more
        del _LOADED[stale]
    return tuple(sorted(articles, key=lambda a: (a.meta.source_file, a.slug)))
