"""Web pages: a saved HTML page becomes the cleaner's Markdown, every character accounted for.

The page is read as it was given (the decoded HTML text is the source the log refers to) and
is converted by *edits* on the :class:`~translate.corpus.draft.Draft`, never replaced
wholesale: each tag is removed (and, where it means structure, replaced by its Markdown
mark: ``## `` for a heading, ``- `` or ``1. `` for a list item, the pipes of a table row,
``> `` for a quote, ``![caption](src)`` for a picture), each entity is replaced by its
character (``&ldquo;`` → ``“``, before any punctuation rule can see its ``;``), whitespace
is collapsed as a browser collapses it, and everything outside the article (scripts,
styles, the page head, navigation, share bars, comments, footers…) is removed with a note
saying why. So the conservation log (source = kept + removed − inserted) holds for the
page as the user saved it, and each removed span names the line it stood on.

*Which* text is the article is the main-content extractor's decision. trafilatura is used. On
the eight saved pages of the second held-out set (``python -m bench.extractors``) it found
185 of the 192 expected sentences (the seven others are there but fused or still garbled),
readability-lxml 161 (none of the WeChat page, whose text is hidden until scripts run) and
jusText 34 (it has no Chinese stop list; its language-independent mode keeps almost nothing);
readability-lxml left fewer chrome lines (13 against trafilatura's 32, 20 of them on the WeChat
page), which the repair rules and this converter remove anyway. trafilatura is the field's
reference (issue 29), and it reads the page's metadata (title, author, date, site name from
``og:*``, ``article:published_time``, author metas, JSON-LD and htmldate). It is run without
its fallbacks (``fast``), so its answer does not depend on which other extractors happen to
be installed. Its output is a new text, though, not a decision about the page's own
characters, so its decisions are mapped back: the page is tokenised (each tag, text run and
entity with its offset), the text runs are grouped into the blocks a browser would show, and a
block (or, when only part of a block made it, a text run) is kept when its text is found, in
order, in the extractor's text. The structure (headings, paragraphs, nested and ordered lists,
tables, figures and captions, quotes, footnotes) comes from the page's own elements.

Bounds: a page larger than :data:`MAX_CHARS` is refused, and so is one nested deeper than
:data:`MAX_DEPTH` elements, each with a one-line error naming the file (and the line).
"""

from __future__ import annotations

import gc
import html
import re
from contextlib import contextmanager
from dataclasses import dataclass
from bisect import bisect_right
from itertools import compress, islice

from translate.corpus.draft import Draft, Edit
from translate.errors import CorpusError

#: Pages larger than this (characters of decoded HTML) are refused: a saved article page is well under it.
MAX_CHARS = 8_000_000
#: Elements nested deeper than this are refused (lxml's HTML parser gives up at 256 itself).
MAX_DEPTH = 255
#: How far past the article's text found so far a block is looked for (characters, spaces removed).
SEARCH_WINDOW = 200_000
#: The rule name edits are logged under.
RULE = "webpage"

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
#: Elements whose content is never text of the article.
_SKIP = frozenset("head script style noscript template svg math iframe object canvas select textarea button "
                  "audio video map".split())
_BLOCK = frozenset("p div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th caption section "
                   "article header footer nav aside main blockquote figure figcaption pre hr br form fieldset "
                   "legend address center body html details summary".split())
#: Opening one of these closes an open ``<p>`` (HTML's implied end tags, the common cases).
_CLOSES_P = frozenset("p div h1 h2 h3 h4 h5 h6 ul ol dl table blockquote figure section article header footer nav "
                      "aside main pre hr form address details".split())
_HEADING = re.compile(r"h([1-6])$")
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_CAPTION_CLASS = re.compile(r"caption|desc|pic|img|photo|figure|note", re.I)
_GENERIC_ALT = re.compile(r"^(?:图片|圖片|image|img|photo|picture|pic|\d+|[\w-]+\.(?:jpe?g|png|gif|webp))?$", re.I)
#: A caption paragraph after a picture is at most this long.
CAPTION_MAX = 80
#: HTML's whitespace (what a browser collapses); an ideographic space U+3000 is text and stays.
#: Reasons that give way to a neighbour's when removals are merged (bare markup says nothing of its own).
_PLAIN = ("HTML markup", "HTML tag", "HTML whitespace")
_SPACE = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
#: An element whose class or id says it is an advertisement (``txt_ad``, ``ad-box``, ``adsbygoogle``).
_AD = re.compile(r"(?:^|[\s_-])(?:ad|ads|advert\w*|adsbygoogle|guanggao|gg)(?:$|[\s_-])", re.I)
#: What a credit says before the names (``作者：``, ``文 |``).
_CREDIT_LABEL = re.compile(r"^(?:作者|记者|記者|文|撰文|编辑|作者：)\s*[:：|｜/／]?\s*")
#: Portals and platforms: the page's site is the platform, the publication is the account that wrote it.
PLATFORMS = frozenset({"搜狐", "搜狐网", "搜狐号", "微信公众平台", "微信", "网易", "网易号", "今日头条", "头条号", "百家号",
                       "腾讯网", "腾讯新闻", "新浪", "新浪网", "知乎", "微博", "澎湃新闻", "澎湃号", "雪球"})


@dataclass(eq=False, slots=True)
class Element:
    """An element of the page, as the tree builder found it."""

    tag: str
    attrs: dict
    parent: "Element | None"
    depth: int
    skip: bool = False
    """Its content is never article text (a script, the head, a hidden element)."""
    control: bool = False
    """It is a control of the page (a script link: ``【打印本页】``, font size), never the article's."""
    cells: list | None = None
    """For a table: the number of cells of each row (none until its first row or cell closes)."""
    layout: bool = False
    """For a table: it lays out the page (nested tables, paragraphs in cells), it is not data."""
    text_chars: int = 0
    """Characters of text inside (what decides whether a bold or a picture's figure is empty)."""
    items: int = 0
    """For a list: items so far (the number of the next one)."""
    kept: bool | None = None
    """Whether kept text lies inside it (worked out once, when first asked)."""
    table: "Element | None" = None
    """The nearest table around it (set when it is built, so no walk up the tree asks again)."""
    cell: "Element | None" = None
    """The nearest table cell around it within that table (none when a table is nearer)."""
    context: str | None = None
    """What starts a line inside it (:func:`_context`, worked out once: it is fixed once the element opened)."""
    closed: int = -1
    """The index of the event that closes it (set when it closes; a void element's is not set)."""


@dataclass(frozen=True, slots=True)
class Page:
    """What the extractor read of a page besides its text."""

    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    site: str = ""


#: One token of HTML: a comment, a declaration or processing instruction, an end tag, a start tag, an entity.
#: Quoted attribute values are bounded, so an unclosed quote costs a bounded scan, not the rest of the page.
_TOKEN = re.compile(r"""<!--.*?(?:-->|\Z)
    |<![^<>]{0,2000}>?
    |<\?[^<>]{0,2000}>?
    |</(?P<end>[A-Za-z][^\s/<>]{0,40})[^<>]{0,2000}>
    |<(?P<start>[A-Za-z][^\s/<>]{0,40})(?P<attrs>(?:[^<>"']|"[^"]{0,20000}"|'[^']{0,20000}'){0,20000})>
    |&(?:\#[0-9]{1,7};?|\#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)""", re.S | re.X)
_ATTR = re.compile(r"""([^\s=/<>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s<>]+)))?""")
#: Elements whose content is raw text up to their end tag (no tags, and for these no entities, inside).
_RAW_TEXT = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "textarea", "title", "xmp")}



#: A link back to a site's front page (``返回搜狐，查看更多``, ``点击进入…首页``): the portal's control, not the text's.
_BACK = re.compile(r"首页|首頁|home|back", re.I)


#: A link to a site's front page (its address with no path).
_HOME = re.compile(r"(?:https?:)?//[^/?#\s]+/?(?:\?[^#\s]*)?")


def _control_link(attrs: dict) -> bool:
    """True for a link that is a page control: a script link, or one to a site's front page that says so."""
    href = (attrs.get("href") or "").strip().lower()
    if href.startswith("javascript:"):
        return True
    if not href.startswith(("//", "http")):
        return False  # not a site's front page (a path, a fragment, none)
    return _HOME.fullmatch(href) is not None and bool(_BACK.search(f"{attrs.get('title') or ''} {attrs.get('id') or ''} {attrs.get('class') or ''}"))

#: The commonest attribute text: one attribute, its value double-quoted, no entity in it.
_ONE_ATTR = re.compile(r' ([a-z][a-z-]*)="([^"&]*)"')


def _attributes(source: str) -> dict:
    one = _ONE_ATTR.fullmatch(source)
    if one is not None:
        return {one.group(1): one.group(2)}
    if not source.strip(" /\t\n"):
        return {}
    found = {}
    for name, double, single, bare in _ATTR.findall(source):
        name = name.lower()
        if name not in found:
            value = double or single or bare
            found[name] = html.unescape(value) if "&" in value else value
    return found


#: A token (or an implied end tag) in document order: ``(kind, start, end, element, skipped)``. The kind is open,
#: close, text, entity, markup or stray; the element is the one it opens or closes, or the one a text stands in
#: (none for a stray end tag); skipped: inside content that is never the article's. Plain tuples (a 1 MB page has
#: tens of thousands); the block a text event belongs to is in the list :func:`units` gives beside them.
_Event = tuple


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The page as events (:func:`tokens`), with what the tokenizer noted on the way, so that no later step
    looks through every event for it."""

    events: list[_Event]
    voids: list[int]
    """The opening events of the elements opened and closed at once (pictures, metas, breaks), in order."""
    marked: list[int]
    """The opening events of the elements a dropped block may not hold (:func:`_dropped`), in order: skipped
    content, a control of the page, a bold (it may open a heading), a footnote link."""


def _bounded(text: str, filename: str) -> None:
    """A page larger than :data:`MAX_CHARS` is refused."""
    if len(text) > MAX_CHARS:
        raise CorpusError(f"the page is {len(text) / 1e6:,.1f} million characters, more than "
                          f"{MAX_CHARS / 1e6:,.0f} million; save the article's page alone (HTML only)", path=filename)


def tokens(text: str, filename: str) -> _Tokens:
    """The page as events in document order; a page too large or too deep is refused."""
    _bounded(text, filename)
    events: list[_Event] = []
    voids: list[int] = []
    marked: list[int] = []
    root = Element("#root", {}, None, 0)
    stack = [root]

    def close_to(index: int, start: int, end: int) -> None:
        while len(stack) > index:
            element = stack.pop()
            last = len(stack) == index
            element.closed = len(events)
            events.append(("close", start, end if last else start, element, element.skip or stack[-1].skip))
            _closed(element)

    # A small tokenizer of its own rather than html.parser: it gives offsets directly (the parser gives
    # lines and columns), and on a 1 MB page it costs a fraction of the parser's time. Each token ends
    # where the next begins; the text between tags and entities is a token of its own.
    ads: dict[str, bool] = {}  # class and id → whether they name an advertisement (asked once per distinct pair)
    # A start tag's text → what it says (:func:`_start_tag`): a page repeats the same tags (a list's items);
    # the attributes are never mutated.
    starts: dict[str, tuple] = {}
    append = events.append
    finditer = _TOKEN.finditer
    position, size = 0, len(text)
    while position < size:
        for match in finditer(text, position):  # until a script's or a style's raw text
            start, end = match.span()
            top = stack[-1]
            if start > position:
                append(("text", position, start, top, top.skip))
            position = end
            group = match.lastgroup  # "attrs" for a start tag, "end" for an end tag, none for the rest
            if group is None:
                if text[start] == "&":
                    token = match.group()
                    append(("entity" if html.unescape(token) != token else "text", start, end, top, top.skip))
                else:
                    append(("markup", start, end, top, top.skip))
                continue
            if group == "end":
                tag = match.group("end").lower()
                at = len(stack) - 1
                if top.tag != tag:
                    while at > 0 and stack[at].tag != tag:
                        at -= 1
                if at == 0:
                    append(("stray", start, end, None, top.skip))
                else:
                    if at + 1 < len(stack):
                        close_to(at + 1, start, start)
                    element = stack.pop()
                    element.closed = len(events)
                    append(("close", start, end, element, element.skip))
                    if element.tag in _TELLING:
                        _closed(element)
                continue
            info = starts.get(whole := match.group())
            if info is None:
                info = starts[whole] = _start_tag(match, ads)
            tag, attrs, void, implying, own_skip, control, closing, noted = info
            if void:
                element = Element(tag, attrs, top, top.depth + 1, top.skip)
                if top.table is not None or top.cell is not None or top.tag in _TABLE_AND_CELLS:
                    _place(element, top)  # (outside tables both stay none)
                voids.append(len(events))
                if noted:
                    marked.append(len(events))
                append(("open", start, end, element, top.skip))
                append(("close", end, end, element, top.skip))
                continue
            if implying is not None and (top.tag in implying[0] or top.tag not in implying[1]):
                # (else the nearest open element fences the rule off: nothing is closed)
                _implied_closes(tag, stack, close_to, start)
                top = stack[-1]
            if top.depth + 1 > MAX_DEPTH:
                line = text.count("\n", 0, start) + 1
                raise CorpusError(f"line {line}: elements nested deeper than {MAX_DEPTH}; "
                                  "the page cannot be read as an article", path=filename)
            skip = top.skip or own_skip
            control = top.control or control
            element = Element(tag, attrs, top, top.depth + 1, skip, control)
            if top.table is not None or top.cell is not None or top.tag in _TABLE_AND_CELLS:
                _place(element, top)  # (outside tables both stay none)
            stack.append(element)
            if skip or control or noted:
                marked.append(len(events))
            append(("open", start, end, element, skip))
            if closing is not None:  # a script's or a style's content is one text token up to its end tag
                found = closing.search(text, position)
                stop = found.start() if found else size
                if stop > position:
                    append(("text", position, stop, element, skip))
                position = stop
                break  # the tokens start again after the raw text
        else:
            if size > position:
                top = stack[-1]
                append(("text", position, size, top, top.skip))
            break
    close_to(1, len(text), len(text))
    return _Tokens(events, voids, marked)


def _start_tag(match: re.Match, ads: dict[str, bool]) -> tuple:
    """What a start tag says, whatever its place: (tag, attributes, void, what it closes when open (the tags, and
    the fence that stops the search: :func:`_implied_closes`) or none, its content is
    never text (skipped, hidden, an advertisement), a link that is a page control, the end of its raw text,
    a bold or a footnote link)."""
    tag, source = match.group("start", "attrs")
    tag = tag.lower()
    attrs = _attributes(source)
    void = source.endswith("/") or tag in _VOID
    skip = tag in _SKIP
    if not skip and attrs:
        if "hidden" in attrs or ("style" in attrs and _HIDDEN.search(attrs["style"] or "")):
            skip = True
        elif "class" in attrs or "id" in attrs:
            names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
            ad = ads.get(names)
            if ad is None:
                ad = ads[names] = bool(_AD.search(names))
            skip = ad
    return (tag, attrs, void, _P_CLOSED if tag in _CLOSES_P else _CLOSED_BY.get(tag), skip,
            tag == "a" and _control_link(attrs), _RAW_TEXT.get(tag),
            tag == "strong" or tag == "b" or tag == "a" and (attrs.get("href") or "")[:1] == "#")


_TABLE_AND_CELLS = frozenset(("table", "td", "th"))
_CELLS = frozenset(("td", "th"))


def _place(element: Element, parent: Element) -> None:
    """Where a new element stands: the table and the cell around it (what :func:`_ancestor` would find)."""
    tag = parent.tag
    element.table = parent if tag == "table" else parent.table
    element.cell = parent if tag in ("td", "th") else None if tag == "table" else parent.cell


#: What an opening closes when it is open (the tags), unless something else is nearer (the fence).
_P_CLOSED = (frozenset({"p"}), frozenset({"table", "td", "th", "li", "blockquote", "div", "section", "body"}))
_CLOSED_BY = {"li": (frozenset({"li"}), frozenset({"ul", "ol"})),
              **dict.fromkeys(("td", "th"), (frozenset({"td", "th"}), frozenset({"tr", "table"}))),
              "tr": (frozenset({"tr"}), frozenset({"table"})),
              **dict.fromkeys(("thead", "tbody", "tfoot"),
                              (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"}))),
              **dict.fromkeys(("dt", "dd"), (frozenset({"dt", "dd"}), frozenset({"dl"})))}


def _nearest(stack: list[Element], tags: frozenset, fence: frozenset) -> int | None:
    for i in range(len(stack) - 1, 0, -1):
        tag = stack[i].tag
        if tag in tags:
            return i
        if tag in fence:
            return None
    return None


def _implied_closes(tag: str, stack: list[Element], close_to, start: int) -> None:
    """Close what HTML closes implicitly when ``tag`` opens (a ``<p>``, a list item, a cell, a row)."""
    if tag in _CLOSES_P:
        at = _nearest(stack, *_P_CLOSED)
        if at is not None:
            close_to(at, start, start)
    closed = _CLOSED_BY.get(tag)
    if closed is not None:
        at = _nearest(stack, *closed)
        if at is not None:
            close_to(at, start, start)


#: The elements whose closing tells their ancestors something (:func:`_closed`).
_TELLING = frozenset("td th tr table ul ol h1 h2 h3 h4 h5 h6 blockquote".split())


def _closed(element: Element) -> None:
    """What an element tells its ancestors when it closes (a table's rows and cells, text inside)."""
    parent = element.parent
    tag = element.tag
    if tag in ("td", "th", "tr"):
        table = element.table
        if table is None:
            return
        cells = table.cells
        if cells is None:
            cells = table.cells = []
        if tag == "tr":
            cells.append(0)
            return
        if not cells:
            cells.append(0)
        cells[-1] += 1
        if _int(element.attrs.get("colspan")) > 1 or _int(element.attrs.get("rowspan")) > 1:
            table.layout = True  # a spanning cell has no place in a pipe table's grid: its text flows as blocks
    elif tag == "table":
        element.cells = [n for n in element.cells or () if n]
        if parent is not None and (outer := _ancestor(parent, ("table",), stop=())) is not None:
            outer.layout = True
        if len(element.cells) < 2 or max(element.cells) < 2:
            element.layout = True
    elif tag in ("ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
        cell = element.cell
        if cell is not None:
            if (table := cell.table) is not None:
                table.layout = True


def _ancestor(element: Element | None, tags, stop) -> Element | None:
    element = element.parent if element is not None else None
    while element is not None:
        if element.tag in tags:
            return element
        if element.tag in stop:
            return None
        element = element.parent
    return None


def _int(value) -> int:
    try:
        return min(int(value), 50)
    except (TypeError, ValueError):
        return 1


def _boundary(element: Element) -> bool:
    """Does this element start or end a block of text (outside a data table's cell)?"""
    if element.tag not in _BLOCK:
        return False
    cell = element if element.tag in ("td", "th") else element.cell
    if cell is None:
        return True
    table = cell.table
    return table is None or table.layout or element.tag == "tr"


@dataclass(frozen=True, slots=True)
class _Blocks:
    """The page's text grouped into blocks as a browser shows them (:func:`units`)."""

    texts: list[str]
    of: list[int]
    """For each event, the block it belongs to (-1: none, not a text event or whitespace between blocks)."""
    members: list[list[int]]
    """For each block, its text events, in order."""
    parts: list[list[str]]
    """For each block, the texts of those events (entities decoded)."""


def units(text: str, events: list[_Event]) -> _Blocks:
    """Group the page's text into blocks as a browser shows them."""
    found: list[list[str]] = []
    members: list[list[int]] = []
    current: list[str] | None = None
    block_of = [-1] * len(events)
    for i, (kind, start, end, element, skipped) in enumerate(events):
        if kind == "open" or kind == "close":
            if kind == "close" and element.text_chars and element.parent is not None:
                element.parent.text_chars += element.text_chars  # its text is its parent's too, once it is counted
            if element.tag in _BLOCK and (element.cell is None and element.tag not in _CELLS or _boundary(element)):
                current = None  # (outside a table's cell every block element is a boundary)
        elif (kind == "text" or kind == "entity") and not skipped:
            piece = text[start:end] if kind == "text" else html.unescape(text[start:end])
            visible = piece.strip()
            if not visible and current is None:
                continue
            if current is None:
                current = []
                found.append(current)
                indices = []
                members.append(indices)
            block_of[i] = len(found) - 1
            current.append(piece)
            indices.append(i)
            element.text_chars += len(visible)
    return _Blocks(["".join(parts) for parts in found], block_of, members, found)


def _decoded(text: str, event: _Event) -> str:
    raw = text[event[1]:event[2]]
    return html.unescape(raw) if event[0] == "entity" else raw


def _norm(text: str) -> str:
    return "".join(text.split())  # str.split() and re's \s take the same characters for white space


def extract(text: str) -> tuple[str, set[str], Page]:
    """The main text trafilatura finds in the page, the pictures it keeps, and the page's metadata."""
    import trafilatura

    document = trafilatura.bare_extraction(text, include_tables=True, include_images=True, include_comments=False,
                                           favor_recall=True, with_metadata=True, deduplicate=False,
                                           fast=True)
    if document is None:
        return "", set(), Page()
    body = getattr(document, "body", None)
    pictures = set()
    main = document.text or ""
    if body is not None:
        main = "".join(body.itertext())
        pictures = {g.get("src") for g in body.iter("graphic") if g.get("src")}
    return main, pictures, Page(title=document.title or "", authors=_names(document.author or ""),
                                date=(document.date or "")[:10], site=document.sitename or "")


def _names(author: str) -> tuple[str, ...]:
    names = [n.strip() for n in re.split(r"[;；,，、/|]| and ", author) if n.strip()]
    return tuple(dict.fromkeys(names))


def _introduced_lists(events: list[_Event], block_of: list[int], blocks: list[str], flags: list[bool]) -> None:
    """Keep a list that a kept line introduces (``附件：`` before the attachments): the text says it belongs.

    Extractors drop lists of links (they read as navigation); a list right after a kept block that
    ends with a colon is the article's all the same.
    """
    kept = {block_of[i] for i in _kept(flags)}
    if not any(re.search(r"[：:]\s*$", blocks[unit]) for unit in kept):
        return  # no kept line introduces anything
    for i, (kind, _, _, element, skipped) in enumerate(events):
        if kind != "open" or element.tag not in ("ul", "ol") or skipped:
            continue
        first = next((u for u in block_of[i + 1:i + 200] if u >= 0), None)
        if first is None or first == 0 or first in kept or first - 1 not in kept:
            continue
        if not re.search(r"[：:]\s*$", blocks[first - 1]):
            continue
        for j in range(i + 1, len(events)):
            other = events[j]
            if other[3] is element and other[0] == "close":
                break
            if block_of[j] >= 0:
                flags[j] = True


def _kept(flags: list[bool]) -> list[int]:
    """The indices of the kept text events, in order (a kept event is always a text run or an entity in a block)."""
    return list(compress(range(len(flags)), flags))


def _gap(needle: str) -> int:
    """How much of the extractor's text may lie between the last block found and this one.

    A short block (a site name, a menu word) is found almost anywhere in a long article, so it
    counts only right where the article's text continues; a sentence-long one anywhere after.
    """
    if len(needle) < 8:
        return 0
    return 10**9 if len(needle) >= 20 else 5 * len(needle)


def keep(text: str, events: list[_Event], layout: _Blocks, main: str) -> list[bool]:
    """For each text event, whether it is the article's: its block (or else itself) is in ``main``, in order."""
    blocks, block_of, members = layout.texts, layout.of, layout.members
    target = _norm(main)
    kept_unit = [False] * len(blocks)
    ends: dict[int, int] = {}  # a kept block → where the extractor's text continues after it
    cursor = 0
    for index, block in enumerate(blocks):
        needle = _norm(block)
        if not needle:
            continue
        # The search is bounded (a block is looked for where the article's text continues, not in all of
        # it), so a page of many blocks the extractor left out costs no more than its size.
        at = target.find(needle, cursor, cursor + min(_gap(needle), SEARCH_WINDOW) + len(needle))
        if at >= 0:
            kept_unit[index] = True
            cursor = ends[index] = at + len(needle)
        elif len(needle) >= 12 and target.find(needle, max(0, cursor - SEARCH_WINDOW), cursor) >= 0:
            kept_unit[index] = True  # a block the extractor put a little earlier (a caption, a table's title)
    flags = [False] * len(events)
    # Blocks only part of which the extractor kept (an ad inside a paragraph): keep the runs it kept.
    cursor = 0
    for index, (kept, indices) in enumerate(zip(kept_unit, members)):
        if kept:
            for i in indices:
                flags[i] = True
            cursor = ends.get(index, cursor)
            continue
        for i, piece in zip(indices, layout.parts[index]):
            needle = "".join(piece.split())  # (as _norm)
            size = len(needle)
            if size < 2:
                continue
            # (as min(_gap(needle), 200))
            at = target.find(needle, cursor, cursor + (0 if size < 8 else 200 if size >= 20 else 5 * size) + size)
            if at >= 0:
                flags[i] = True
                cursor = at + size
    _introduced_lists(events, block_of, blocks, flags)
    for i in _kept(flags):
        if events[i][3].control:
            flags[i] = False  # a script link is a control of the page (print, close, font size)
    # A run of whitespace or punctuation between two kept runs of a block is kept with them.
    for index in sorted({block_of[i] for i in _kept(flags)}):
        if kept_unit[index]:
            continue
        indices = members[index]
        kept_positions = [k for k, i in enumerate(indices) if flags[i]]
        for k in range(kept_positions[0], kept_positions[-1] + 1):
            i = indices[k]
            if not flags[i] and len(_norm(layout.parts[index][k])) <= 1:
                flags[i] = True
    return flags


class _Writer:
    """Turns events into edits: tags removed or replaced by Markdown marks, text kept, whitespace collapsed."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[Edit] = []
        self.bold = ""  # a bold mark waiting for its first character
        self.closing = ""  # a bold's closing mark, put before what follows unless another bold opens first
        self.after_space = False  # the last thing written ends with a space (a cell's "| ")
        self.breaks = 0  # newlines wanted before the next content
        self.space = False  # a collapsed space is owed before the next content
        self.newlines = 2  # newlines at the end of what was written so far (2: the start)
        self.prefix = ""  # the next block's marks (a heading's #, a list item's marker, a quote's >)
        self.indent = ""  # what starts a block's line without a marker (a quote's >, a list item's indentation)
        self.note_link: tuple[str, bool] | None = None  # a footnote mark's or back-link's number
        self.run: list | None = None  # an open run of removals: [start, end, note], not yet an edit

    def block(self, breaks: int = 2) -> None:
        self.breaks = max(self.breaks, breaks)
        self.space = False

    def mark(self, content: str) -> str:
        """What must be written before ``content`` (breaks, the block's prefix, an owed space), then it."""
        out, self.closing = self.closing, ""
        if self.breaks:
            out += "\n" * max(0, self.breaks - self.newlines)
            out += self.prefix or self.indent
            self.prefix = ""
        elif self.space and self.newlines == 0 and not self.after_space:
            out += " "
        self.breaks, self.space = 0, False
        if self.bold and content:
            out += self.bold
            self.bold = ""
        out += content
        if out:
            self.after_space = out[-1] == " "
            stripped = out.rstrip("\n")
            self.newlines = len(out) - len(stripped) if stripped else self.newlines + len(out)
        return out

    def remove(self, start: int, end: int, note: str, action: str = "strip") -> None:
        if end <= start:
            return
        run = self.run
        if run is not None and run[1] == start and action == "strip" \
                and (run[2] == note or run[2] in _PLAIN or note in _PLAIN):
            # One entry for a run of removals (a dropped navigation bar, not a hundred tags); markup takes
            # the reason of what it surrounds. The run stays open (no edit made) until something else comes.
            run[1] = end
            if run[2] in _PLAIN:
                run[2] = note
            return
        self.flush()
        if action == "strip":
            self.run = [start, end, note]
        else:
            self.edits.append(Edit(start, end, "", action, note))

    def replace(self, start: int, end: int, insert: str, note: str, action: str = "mark") -> None:
        if not insert:
            self.remove(start, end, note, action)
        elif end > start or insert:
            self.flush()
            self.edits.append(Edit(start, end, insert, action, note))

    def flush(self) -> list[Edit]:
        """The edits so far, the open run of removals made one."""
        if self.run is not None:
            start, end, note = self.run
            self.edits.append(Edit(start, end, "", "strip", note))
            self.run = None
        return self.edits


@contextmanager
def _no_collection():
    """The garbage collector off: the page's elements and events are many small objects that live until the
    end of the conversion, so collecting finds nothing and only walks them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def convert(draft: Draft, *, main_content: bool = True) -> Page:
    """Turn the page in ``draft`` into Markdown by logged edits; return what it says of itself.

    With ``main_content`` (a web page) the extractor decides which text is the article's; without
    (a Word file's HTML) all of it is.
    """
    text = draft.text
    _bounded(text, draft.filename)
    if main_content:
        # The extractor runs first, as it does alone: collection on, and none of the page's events and elements
        # alive yet for the collector to walk again and again while it works.
        main, pictures, found = extract(text)
    with _no_collection():
        page_tokens = tokens(text, draft.filename)
        events = page_tokens.events
        layout = units(text, events)
        blocks, block_of = layout.texts, layout.of
        if main_content:
            flags = keep(text, events, layout, main)
            page = _page(text, page_tokens, found)
        else:
            pictures = set()
            flags = [u >= 0 for u in block_of]
            page = Page(title=_document_title(events, block_of, blocks))
        title_block = _title_block(events, block_of, blocks, page)
        credits, figures = _credits(block_of, blocks, flags, title_block) if main_content else ({}, {})
        if not main_content and title_block is not None:
            credits.update(_above_title(blocks, title_block))
        page = Page(page.title, page.authors or tuple(figures.get("authors") or ()),
                    page.date or figures.get("date") or "", page.site or figures.get("publication") or "")
        edits, tables = _write(text, page_tokens, layout, flags, pictures, page, main_content, title_block, credits)
        # Freed before collection is back on: alive then, the page's events and elements (made while it was off)
        # would all be walked by the first collection that follows.
        del page_tokens, events, layout, block_of, flags, blocks
    draft.apply(RULE, _tables_as_one(text, tables, edits))
    return page


def _tables_as_one(text: str, spans: list[tuple[int, int]], edits: list[Edit]) -> list[Edit]:
    """Each pipe table's edits as one: ``<table>…</table>`` → the pipe table, one entry of the log.

    A table is restructured as a whole (as the ``html`` rule always logged it), so the log shows the
    table the page had and the table the article has side by side; its cells' characters are in both.
    ``spans`` are the pipe tables' ``<table>…</table>`` spans, in order (as :func:`_write` found them).
    """
    if not spans:
        return edits
    out: list[Edit] = []
    position = 0
    for start, end in spans:
        while position < len(edits) and edits[position].end <= start and not (
                edits[position].start == edits[position].end == start):
            out.append(edits[position])
            position += 1
        if out and out[-1].end > start:  # a removal that runs into the table: cut it at the table
            last = out.pop()
            if last.start < start:
                out.append(Edit(last.start, start, last.insert, last.action, last.note))
            inside = [Edit(start, last.end, "", last.action, last.note)] if last.end > start else []
        else:
            inside = []
        while position < len(edits) and edits[position].start < end:
            inside.append(edits[position])
            position += 1
        tail = None
        if inside and inside[-1].end > end:  # one that runs out of it: the part after stays its own
            last = inside.pop()
            inside.append(Edit(last.start, end, last.insert, last.action, last.note))
            tail = Edit(end, last.end, "", last.action, last.note)
        pieces, cursor = [], start
        for edit in inside:
            pieces.append(text[cursor:edit.start])
            pieces.append(edit.insert)
            cursor = edit.end
        pieces.append(text[cursor:end])
        out.append(Edit(start, end, "".join(pieces), "restructure", "HTML table → pipe table"))
        if tail is not None:
            out.append(tail)
    out.extend(edits[position:])
    return out


def _above_title(blocks: list[str], title_block: int) -> dict[int, str]:
    """A Word file's short lines above its Title-styled paragraph (the organisation's or series' line).

    They belong to the cover, not the text; a line that reads as a sentence stays.
    """
    found = {}
    for unit in range(title_block):
        line = re.sub(r"[ \t\n\r\f]+", " ", blocks[unit]).strip()
        if line and len(line) <= 30 and not re.search(r"[。！？.!?；;]$", line):
            found[unit] = "above the document's title (a cover line)"
    return found


def _metas(page: _Tokens) -> dict[str, list[str]]:
    """The page's ``<meta>`` values by (lower-case) name or property."""
    found: dict[str, list[str]] = {}
    for i in page.voids:
        element = page.events[i][3]
        if element.tag == "meta":
            attrs = element.attrs
            key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
            value = (attrs.get("content") or "").strip()
            if key and value:
                found.setdefault(key, []).append(value)
    return found


def _page(text: str, page: _Tokens, found: Page) -> Page:
    """What the page says of itself: the extractor's reading, completed from the metas it does not read.

    The publication is the page's own (``citation_publisher``, a news site's ``source``, a government
    site's ``SiteName``, ``og:site_name``); on a portal or platform (:data:`PLATFORMS`) it is the account
    that published the article (``article:author``, a WeChat account's name), which is then no author.
    """
    metas = _metas(page)

    def first(*keys: str) -> str:
        return next((metas[k][0] for k in keys if metas.get(k)), "")

    site = first("citation_publisher", "source", "contentsource", "sitename", "og:site_name") or found.site
    account = ""
    if site in PLATFORMS or found.site in PLATFORMS:
        account = first("article:author")
        if not account:
            match = re.search(r'id="js_name"[^<>]{0,200}>\s*([^<>\n]{1,40}?)\s*<', text)
            account = html.unescape(match.group(1)) if match else ""
        site = account or site
    authors = found.authors or tuple(metas.get("citation_author", ())) or _names(first("author", "article:author"))
    authors = tuple(dict.fromkeys(_CREDIT_LABEL.sub("", a).strip() for a in authors))
    authors = tuple(a for a in authors if a and a not in (site, account, found.site) and a not in PLATFORMS)
    title = found.title or first("og:title", "citation_title", "articletitle")
    for name in {site, found.site, first("og:site_name")} - {""}:
        title = re.sub(rf"\s*[|｜_\-–—]+\s*{re.escape(name)}\s*$", "", title)
    return Page(title=title.strip(), authors=authors, date=found.date, site=site)


def _document_title(events: list[_Event], block_of: list[int], blocks: list[str]) -> str:
    """A Word file's title: its Title-styled paragraph, else a first paragraph that is short and all bold."""
    for i, unit in enumerate(block_of):
        if unit < 0:
            continue
        element = events[i][3]
        if "doc-title" in (element.attrs.get("class") or "") or _ancestor(element, ("h1",), stop=()) is not None \
                and "doc-title" in (_ancestor(element, ("h1",), stop=()).attrs.get("class") or ""):
            return re.sub(r"\s+", " ", blocks[unit]).strip()
    first = next((i for i, u in enumerate(block_of) if u >= 0), None)
    if first is None:
        return ""
    first_unit, first_element = block_of[first], events[first][3]
    block = re.sub(r"\s+", " ", blocks[first_unit]).strip()
    bold = first_element if first_element.tag in ("strong", "b") else _ancestor(first_element, ("strong", "b"),
                                                                                 stop=("p",))
    whole = all(e[3] is bold or _ancestor(e[3], ("strong", "b"), stop=("p",)) is bold
                for e, u in zip(events, block_of) if u == first_unit)
    if bold is not None and whole and len(block) <= 48 and not re.search(r"[。！？.!?]$", block):
        return block
    return ""


def _credits(block_of, blocks, flags, title_block) -> tuple[dict[int, str], dict]:
    """The byline blocks the extractor left out next to the headline (an info bar, a source line), and what they say.

    They are read by the byline rule's own reader (:mod:`translate.corpus.bylines`): the blocks after the
    title (or from the top) down to the article's first kept block.
    """
    from translate.corpus import bylines

    kept_units = sorted({block_of[i] for i in _kept(flags)} - {title_block})
    if not kept_units:
        return {}, {}
    first_kept = kept_units[0]
    start = title_block + 1 if title_block is not None and title_block < first_kept else max(0, first_kept - 12)
    candidates = list(range(start, first_kept))[-12:] + [u for u in kept_units if u >= first_kept][:6]
    texts = [re.sub(r"[ \t\n\r\f]+", " ", blocks[u]).strip() for u in candidates]
    found = bylines.header_lines(texts)
    if not found:
        return {}, {}
    figures = bylines.resolve([found[i] for i in sorted(found)])
    return {candidates[i]: "byline → front matter" for i in found}, figures


def _caption_block(events: list[_Event], block_of: list[int], after: int, blocks: list[str]) -> int | None:
    """The block right after a picture that is its caption (centred or captioned, short), if any."""
    for j in range(after + 1, min(len(events), after + 60)):
        kind, _, _, element, skipped = events[j]
        if kind in ("text", "entity") and not skipped and block_of[j] >= 0:
            block = blocks[block_of[j]].strip()
            for _ in range(4):
                if element is None:
                    break
                style, klass = element.attrs.get("style") or "", element.attrs.get("class") or ""
                if _CENTRED.search(style) or _CAPTION_CLASS.search(klass) or element.tag == "figcaption":
                    return block_of[j] if 0 < len(block) <= CAPTION_MAX else None
                element = element.parent
            return None
        if kind == "open" and element.tag in ("img", "table", "h1", "h2", "h3", "h4", "h5", "h6"):
            return None
    return None


def _pictures(page: _Tokens, layout: _Blocks, kept_events: list[int], pictures, main_content) \
        -> tuple[set[int], dict[int, int]]:
    """The pictures that are the article's (event indices), and the block that is each one's caption."""
    events, block_of, blocks = page.events, layout.of, layout.texts
    kept_blocks = {block_of[i] for i in kept_events}
    kept: set[int] = set()
    captions: dict[int, int] = {}
    starts = None
    for i in page.voids:
        _, _, _, element, skipped = events[i]
        if element.tag != "img" or skipped:
            continue
        attrs = element.attrs
        src = attrs.get("src") or attrs.get("data-src") or attrs.get("data-original") or ""
        inside = not main_content or src in pictures
        if not inside:
            # A picture between two kept blocks is the article's (the extractor drops data-src pictures).
            # The nearest text before it is in the last block begun before it (the blocks' events follow one
            # another: a block ends before the next begins).
            if starts is None:
                starts = [indices[0] for indices in layout.members]
            block = bisect_right(starts, i) - 1
            if block < 0 or block not in kept_blocks:
                continue
            previous, following = _around(layout.members, starts, block, i)
            inside = i - previous <= 200 and following is not None and following - i < 200 \
                and block_of[following] in kept_blocks
        if not inside:
            continue
        kept.add(i)
        block = None
        if _ancestor(element, ("figure",), stop=("body",)) is not None:
            block = next((block_of[j] for j in range(i + 1, min(len(events), i + 60)) if block_of[j] >= 0 and (
                events[j][3].tag == "figcaption" or _ancestor(events[j][3], ("figcaption",), stop=("figure",)))),
                None)
        if block is None:
            block = _caption_block(events, block_of, i, blocks)
        if block is not None:
            captions[i] = block
    return kept, captions


def _around(members: list[list[int]], starts: list[int], block: int, index: int) -> tuple[int, int | None]:
    """The text events in blocks nearest before and after event ``index``, which lies after the start of
    ``block`` and before the next block's."""
    indices = members[block]
    at = bisect_right(indices, index)
    previous = indices[at - 1]  # (the block's first event is before ``index``)
    if at < len(indices):
        return previous, indices[at]
    return previous, starts[block + 1] if block + 1 < len(starts) else None


def _title_block(events, block_of, blocks, page: Page) -> int | None:
    """The block that repeats the page's title in a heading (it goes to the front matter)."""
    title = _norm(page.title)
    if not title:
        return None
    for i, unit in enumerate(block_of):
        if unit >= 0 and _norm(blocks[unit]) == title:
            element = events[i][3]
            heading = element if _HEADING.match(element.tag) else _ancestor(element, ("h1", "h2"), stop=())
            first = next(u for u in block_of if u >= 0) == unit
            classed = any("title" in (e.attrs.get("class") or "") for e in (element, element.parent) if e is not None)
            if heading is not None or first or classed:
                return unit
    return None


def _write(text, page_tokens, layout, flags, pictures, page, main_content, title_block, credits) \
        -> tuple[list[Edit], list[tuple[int, int]]]:
    """The edits that write the page as Markdown, and the spans of the tables written as pipe tables."""
    writer = _Writer(text)
    tables: list[tuple[int, int]] = []
    opened: dict[int, int] = {}  # a data table → where its opening tag starts
    events, block_of, blocks = page_tokens.events, layout.of, layout.texts
    kept_events = _kept(flags)
    kept_pictures, captions = _pictures(page_tokens, layout, kept_events, pictures, main_content)
    caption_blocks = set(captions.values())
    shift = int(any(block_of[i] != title_block and ((e := events[i][3]).tag == "h1" or _ancestor(e, ("h1",), stop=()))
                    for i in kept_events))
    bold_depth = 0
    headings, heading_elements = _bold_headings(text, events, block_of, blocks, kept_events), set()
    row_cells: list[int] = []
    ruled: set[int] = set()
    remove = writer.remove
    # What a dropped subtree may not hold to be removed as one (:func:`_dropped`): kept text, a kept picture,
    # text moved elsewhere, skipped or control content, a bold (it may open a heading), a footnote link.
    moved = caption_blocks | set(credits) | ({title_block} if title_block is not None else set())
    # The events themselves or, for skipped and control content, the openings of the elements that hold them
    # (what a subtree holds, it holds from its opening on; :func:`_dropped` asks it of an element neither
    # skipped nor a control).
    special = sorted({*page_tokens.marked, *kept_events, *kept_pictures,
                      *(i for block in moved if block is not None and block >= 0 for i in layout.members[block])})
    walk = enumerate(events)
    for i, (kind, start, end, element, skipped) in walk:
        if kind in ("markup", "stray") or skipped:
            note = "HTML markup" if kind in ("markup", "stray") else f"HTML {_skip_reason(element)}"
            remove(start, end, note)
            continue
        if kind in ("text", "entity"):
            unit = block_of[i]
            if unit >= 0 and unit in caption_blocks:
                remove(start, end, "caption → its picture", "move")
            elif unit >= 0 and unit == title_block:
                remove(start, end, "title → front matter", "move")
            elif unit in credits:
                remove(start, end, credits[unit], "move")
            elif not flags[i]:
                note = "outside the main content (trafilatura)" if unit >= 0 else "HTML whitespace"
                if unit >= 0 and element.control:
                    note = "a control of the page (a script link)"
                remove(start, end, note)
            else:
                _text(writer, kind, start, end, element)
            continue
        tag = element.tag
        if tag not in _WRITTEN:  # an inline element that writes nothing (a span, a font): its tags go
            remove(start, end, "HTML tag")
            continue
        opening = kind == "open"
        insert = ""
        data = tag in _TABLE_PARTS and _data_cell(element)
        if tag == "img":
            if opening and i in kept_pictures:
                caption = re.sub(r"\s+", " ", blocks[captions[i]]).strip() if i in captions else ""
                alt = (element.attrs.get("alt") or "").strip()
                if not caption and not _GENERIC_ALT.match(alt):
                    caption = alt
                src = element.attrs.get("src") or element.attrs.get("data-src") or ""
                src = "image" if src.startswith("data:") else src.replace(" ", "%20").replace(")", "%29")
                writer.block()
                insert = writer.mark(f"![{caption.replace('[', '【').replace(']', '】')}]({src})")
                writer.block()
        elif data and not kept_text(element, events, i, flags):
            pass
        elif tag == "table" and data:
            if opening:
                opened[id(element)] = start
            elif id(element) in opened:
                tables.append((opened[id(element)], end))
            writer.block()
        elif tag == "tr" and data:
            if opening:
                row_cells.append(0)
                writer.block(1)
            else:
                table = element.table
                width = max(table.cells) if table is not None and table.cells else 0
                count = row_cells.pop() if row_cells else 0
                if count:
                    insert = writer.mark(" |" * (width - count) + " |")
                    if id(table) not in ruled:
                        insert += writer.mark("\n|" + "---|" * width)
                        ruled.add(id(table))
                writer.block(1)
        elif tag in ("td", "th") and data:
            span = _int(element.attrs.get("colspan"))
            if opening:
                count = row_cells[-1] if row_cells else 0
                insert = writer.mark("| " if count == 0 else " | ")
                if row_cells:
                    row_cells[-1] += span
            else:
                insert = writer.mark(" | " * (span - 1)) if span > 1 else ""
                writer.space = False
        elif data:
            pass  # a data table's thead, tbody, tfoot
        elif element.cell is not None and _inside_data_cell(element):
            if tag in _BLOCK or tag == "br":
                writer.space = True
        elif tag in ("strong", "b"):
            unit = next((u for u in block_of[i + 1:i + 50] if u >= 0), -1) if opening else -1
            if opening and bold_depth == 0 and unit in headings:
                writer.prefix = _context(element) + "#" * min(6, 2 + shift) + " "
                headings.discard(unit)
                heading_elements.add(id(element))
            elif id(element) in heading_elements:
                pass
            elif not _HEADING.match(_block_tag(element)) and kept_text(element, events, i, flags):
                bold_depth += 1 if opening else -1
                if opening and bold_depth == 1:
                    if writer.closing and not writer.breaks:
                        writer.closing = ""  # two bold runs side by side are one
                    else:
                        writer.bold = "**"
                elif not opening and bold_depth == 0:
                    if writer.bold:
                        writer.bold = ""
                    else:
                        writer.closing = "**"
        elif tag == "br":
            writer.block(2)
        elif tag == "a":
            href = element.attrs.get("href") or ""
            found = re.match(r"#(footnote-ref-|fnref|footnote-|fn)(\d+)$", href) if opening and href[:1] == "#" \
                else None
            writer.note_link = (found.group(2), "ref" in found.group(1)) if found else writer.note_link
        elif tag in _BLOCK:
            if opening and (found := _dropped(events, block_of, i, element, special)) is not None:
                # Nothing inside writes or changes what follows but its closing: the whole subtree is removed
                # as the events one by one would remove it (markup first, then from the first text on, text
                # outside the main content), and the closing's breaks, prefix and indentation are set.
                remove(start, events[found][1], "HTML tag")
                remove(events[found][1], events[element.closed][2], "outside the main content (trafilatura)")
                writer.block(2)
                writer.prefix = ""
                writer.indent = _context(element.parent)
                next(islice(walk, element.closed - i, element.closed - i), None)  # on after its closing
                continue
            if opening:
                _open_block(writer, element, shift)
            else:
                writer.block(1 if tag == "li" or (tag in ("ul", "ol") and _ancestor(element, ("li",), stop=()))
                             else 2)
                writer.prefix = ""
                writer.indent = _context(element.parent)
        if insert:
            writer.replace(start, end, insert, f"HTML {tag} → Markdown", "restructure")
        else:
            remove(start, end, "HTML tag")
    if writer.closing:
        writer.replace(len(text), len(text), writer.closing, "HTML strong → Markdown", "restructure")
    return writer.flush(), tables


def _dropped(events: list[_Event], block_of: list[int], index: int, element: Element, special: list[int]) \
        -> int | None:
    """For a block element opening at ``index`` whose whole subtree is dropped text and markup: the index of
    its first text outside the main content; none when any event inside must be written one by one.

    Such a subtree changes nothing of the writer's state but what its closing sets (two breaks, no prefix,
    its parent's indentation): no text or picture is written inside, no bold opens, no footnote link, no
    list outside it counts an item. Outside a table only, and not a list item or a list inside one (their
    closing wants one break, and an item counts in its list).
    """
    end = element.closed
    if end - index < 8 or element.cell is not None or element.table is not None or element.tag == "li" \
            or element.tag in _TABLE_PARTS or events[index][4] or element.control:
        return None  # (skipped or a control: its own closing is written one by one)
    if element.tag in ("ul", "ol") and _ancestor(element, ("li",), stop=()):
        return None
    at = bisect_right(special, index)
    if at < len(special) and special[at] <= end:
        return None
    for k in range(index + 1, end):
        if block_of[k] >= 0:
            return k
    return None


def _bold_headings(text: str, events: list[_Event], block_of: list[int], blocks: list[str], kept: list[int]) \
        -> set[int]:
    """Blocks written as a subhead: all bold, short, a question (which the headings rule leaves as prose).

    A bold short line without sentence punctuation is the headings rule's to judge; a question set in
    bold on its own (``被替换下来的验布工去了哪里？``) it cannot tell from a reader's question, but the
    page can: the author styled it as a subhead. A speaker's bold question (``记者：…？``) is not one.
    """
    bold: dict[int, bool] = {}
    for i in kept:
        event = events[i]
        if not _decoded(text, event).strip():
            continue
        element, unit = event[3], block_of[i]
        inside = element.tag in ("strong", "b") or _ancestor(element, ("strong", "b"), stop=tuple(_BLOCK)) is not None
        bold[unit] = bold.get(unit, True) and inside
    found = set()
    for unit, whole in bold.items():
        line = re.sub(r"\s+", "", blocks[unit])
        if whole and 2 <= len(line) <= 30 and line[-1] in "？?" and not re.match(r"^[^：:]{1,14}[：:]", line) \
                and not bold.get(unit + 1, False):
            found.add(unit)
    return found


_FOOTNOTE_ITEM = re.compile(r"(?:footnote|fn)-?(\d+)$")


def _open_block(writer: _Writer, element: Element, shift: int) -> None:
    """Breaks and marks owed when a block element opens."""
    tag = element.tag
    parent = element.parent
    if (match := _HEADING.match(tag)):
        writer.block()
        writer.prefix = _context(parent) + "#" * min(6, int(match.group(1)) + shift) + " "
    elif tag in ("ul", "ol"):
        writer.block(1 if _ancestor(element, ("li",), stop=()) else 2)
    elif tag == "li":
        ordered = parent is not None and parent.tag == "ol"
        if parent is not None:
            parent.items += 1
        element.items = parent.items if parent is not None else 1
        marker = f"{element.items}. " if ordered else "- "
        footnote = _FOOTNOTE_ITEM.match(element.attrs.get("id") or "")
        if footnote:
            marker = f"[^{footnote.group(1)}]: "
            element.items = -1
        writer.block(2 if footnote else 1)
        writer.prefix = _context(parent) + marker
        writer.indent = _context(element)
    else:
        writer.block()
        writer.indent = _context(element)
        footnote = re.match(r"(?:fn|footnote)-?(\d+)$", element.attrs.get("id") or "")
        if footnote and tag == "p":
            writer.prefix = _context(parent) + f"[^{footnote.group(1)}]: "
        elif not writer.prefix:
            writer.prefix = writer.indent


def _context(element: Element | None) -> str:
    """What starts a line inside ``element``: a ``> `` per quote, a list item's indentation.

    Asked only of elements already open (a list item's number is set when it opens), so it is kept.
    """
    if element is None:
        return ""
    found = element.context
    if found is None:
        found = _context(element.parent)
        if element.tag == "blockquote":
            found += "> "
        elif element.tag == "li" and element.items >= 0:
            parent = element.parent
            found += " " * (len(f"{element.items}. ") if parent is not None and parent.tag == "ol" else 2)
        element.context = found
    return found


def kept_text(element: Element, events: list[_Event], index: int, flags: list[bool]) -> bool:
    """Is there kept text inside this element (looked up from its opening or its closing event)?"""
    if not element.text_chars:
        return False
    cached = element.kept
    if cached is None:
        cached = False
        step = 1 if events[index][0] == "open" else -1
        j = index + step
        while 0 <= j < len(events):
            kind, _, _, other, _ = events[j]
            if other is element and kind in ("open", "close"):
                break
            if kind in ("text", "entity") and flags[j]:
                cached = True
                break
            j += step
        element.kept = cached
    return cached


def _skip_reason(element: Element | None) -> str:
    while element is not None:
        if _AD.search(f"{element.attrs.get('class') or ''} {element.attrs.get('id') or ''}"):
            return "advertisement"
        if element.tag in _SKIP:
            return {"head": "page head"}.get(element.tag, f"{element.tag} element")
        if element.parent is None or not element.parent.skip:
            return "hidden element"
        element = element.parent
    return "element"


def _block_tag(element: Element | None) -> str:
    while element is not None and element.tag not in _BLOCK:
        element = element.parent
    return element.tag if element is not None else ""


_TABLE_PARTS = frozenset(("table", "tr", "td", "th", "thead", "tbody", "tfoot"))
#: Elements whose tags may write something (a mark, a break, a picture) or change what the next text gets.
_WRITTEN = _BLOCK | _TABLE_PARTS | {"img", "strong", "b", "br", "a"}


def _data_cell(element: Element) -> bool:
    """Is this element a data table or one of its rows or cells?"""
    if element.tag not in ("table", "tr", "td", "th", "thead", "tbody", "tfoot"):
        return False
    table = element if element.tag == "table" else element.table
    return table is not None and not table.layout


def _inside_data_cell(element: Element) -> bool:
    cell = element if element.tag in ("td", "th") else element.cell
    if cell is None:
        return False
    table = cell.table
    return table is not None and not table.layout


def _text(writer: _Writer, kind: str, start: int, end: int, element: Element) -> None:
    """A kept text run or entity: its whitespace collapsed, its entities decoded, the owed marks put before it."""
    text = writer.text
    in_cell = _inside_data_cell(element)
    if kind == "entity":
        char = html.unescape(text[start:end])
        if char.isspace():
            writer.remove(start, end, f"HTML entity {text[start:end]} (a space)", "replace")
            if writer.newlines == 0:
                writer.space = True
            return
        writer.replace(start, end, writer.mark("\\|" if in_cell and char == "|" else char),
                       "HTML entity", "replace")
        return
    raw = text[start:end]
    if writer.note_link is not None and re.fullmatch(r"\s*\[?\d{1,3}\]?\s*|\s*↑\s*", raw):
        number, back = writer.note_link
        writer.note_link = None
        if back:
            writer.remove(start, end, "footnote's link back to its mark")
        else:
            writer.replace(start, end, writer.mark(f"[^{number}]"), "footnote mark", "restructure")
        return
    for match in _SPACE.finditer(raw):
        at, stop = start + match.start(), start + match.end()
        piece = match.group()
        if piece[0] in " \t\n\r\f":
            if piece == " " and 0 < match.start() and match.end() < len(raw) and not writer.breaks:
                writer.newlines = 0
                writer.after_space = True
                continue  # an ordinary space between words: kept as it is
            writer.remove(at, stop, "HTML whitespace")
            if writer.newlines == 0:
                writer.space = True
            continue
        marks = writer.mark(piece)[:-len(piece)]
        writer.after_space = False
        writer.replace(at, at, marks, "HTML block", "mark")
        if in_cell and "|" in piece:
            for bar in re.finditer(r"\|", piece):
                writer.replace(at + bar.start(), at + bar.end(), "\\|", "pipe in a table cell", "escape")
        writer.newlines = 0


def front_matter(page: Page) -> dict:
    """The page's metadata as front-matter fields (title, authors, date, publication)."""
    meta: dict = {}
    if page.title:
        meta["title"] = page.title
    authors = [a for a in page.authors if a != page.site]
    if authors:
        meta["authors"] = authors
    if page.date:
        meta["date"] = page.date
    if page.site:
        meta["publication"] = page.site
    return meta
