"""Loading cleaned articles (``corpus/<slug>.md``) into :class:`~translate.models.Article` s.

The body is parsed with markdown-it-py (CommonMark, raw HTML disabled). Each
heading, paragraph, list item, quote paragraph and image becomes a
:class:`~translate.models.Block`; ``original`` is the inline Markdown as written,
``text`` the same in Simplified script. A paragraph opening with ``**label：**``
is a speaker turn: the label is taken off and becomes ``speaker`` (Simplified)
with ``role`` question or answer. Loading is cheap (no dictionary, only OpenCC).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from translate.corpus import frontmatter, slugs
from translate.corpus.chinese import to_simplified
from translate.errors import CorpusError
from translate.inputs import quoted, read_input
from translate.models import Article, ArticleMeta, Block

_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]{1,16}?)[：:]\*\*\s*")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def load_article(path: Path) -> Article:
    """Read one cleaned article; :class:`CorpusError` names the file and line of any problem."""
    path = Path(path)
    if not slugs.is_safe(path.stem):
        raise CorpusError("the file name is not a safe article slug (lower-case ASCII letters, digits and '-', "
                          "at most 40); rename the file", path=path)
    try:
        data = read_input(path, CorpusError)
    except FileNotFoundError as exc:
        raise CorpusError(f"cannot read ({exc.strerror})", path=path) from exc
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
    blocks = _blocks(body, first_line - 1, convert, set(interviewers))
    return Article(slug=path.stem, meta=meta, blocks=tuple(blocks), path=str(path))


def _date(value, text: str, path: Path) -> str | None:
    if value in (None, ""):
        return None
    value = str(value)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise CorpusError(f"'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not {quoted(value)}",
                          path=path, line=frontmatter.key_line(text, "date"))
    return value


def _blocks(body: str, offset: int, convert, interviewers: set[str]) -> list[Block]:
    tokens = _parser().parse(body)
    blocks: list[Block] = []
    kinds: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            kinds.append("list_item")
        elif token.type == "blockquote_open":
            kinds.append("quote")
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            kinds.pop()
        if token.type != "inline":
            continue
        opener = tokens[index - 1]
        line = offset + (opener.map[0] + 1 if opener.map else 1)
        original = token.content.replace("\n", " ") if token.content else ""
        number = f"b{len(blocks) + 1:03d}"
        if opener.type == "heading_open":
            blocks.append(Block(number, "heading", convert(original), original, level=int(opener.tag[1]), line=line))
            continue
        children = token.children or []
        images = [c for c in children if c.type == "image"]
        if len(images) == 1 and all(c.type == "image" or not c.content.strip() for c in children):
            image = images[0]
            caption = image.content
            blocks.append(Block(number, "image", convert(caption), caption, url=image.attrGet("src") or None,
                                line=line))
            continue
        kind = kinds[-1] if kinds else "paragraph"
        speaker = role = None
        label = _LABEL.match(original)
        if label and original[label.end():].strip():
            speaker = to_simplified(label.group("label").strip())
            role = "question" if speaker in interviewers else "answer"
            original = original[label.end():]
        blocks.append(Block(number, kind, convert(original), original, speaker=speaker, role=role, line=line))
    return blocks


def load_corpus(corpus_dir: Path) -> tuple[Article, ...]:
    """Every ``corpus/*.md`` article (not ``raw/``), ordered by source file, then slug."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError("corpus folder not found; import sources with `bitext corpus import corpus/raw/*`",
                          path=corpus_dir)
    articles = [load_article(p) for p in sorted(corpus_dir.glob("*.md")) if p.name.lower() != "readme.md"]
    return tuple(sorted(articles, key=lambda a: (a.meta.source_file, a.slug)))
