"""The ``bylines`` rule: credits and header lines go to the front matter (authors, editors, publication, date).

Three kinds of line are bylines, whatever the platform's order:

* credits: ``文丨…``, ``编辑丨…``, ``作者 …``, ``本文作者: … 2025-03-04``, ``出品丨…``,
  ``記者林怡君／台北報導``, ``撰文：…`` (near the top only: ``作者认为……`` in prose is not);
* header lines: a date with names, marks and places around it, as platforms print them
  (``原创 李晓明 硅谷前哨 2024年03月12日 08:30 北京``, ``2024年04月18日 09:12 新浪科技``,
  ``发表于 2024-1-15 20:33 | 只看该作者``, ``编辑于 2024-05-20 11:02・IP 属地上海``);
* a name on a line of its own right before a header line or a follow button
  (``产品老王说`` ⏎ ``2024-2-5 18:20 来自 微博``; ``陈默`` ⏎ ``关注他``).

In a header line two names before the date are the author and the publication; one name
is the writer's, or the account's when the line is a public account's (原创 公众号 日期);
a name after the time (or after 来源：) is the publication and a place is dropped. Writers become ``authors``, editors and
producers ``editors``, the first date ``date`` (ISO). The publication is also read from
the standard phrases that name it (以下是…和《晚点》的对话, 经《深网》编辑整理).
The words are data: ``translate/corpus/data/byline_words.txt``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from translate.corpus.chinese import to_simplified
from translate.corpus.draft import Draft, Edit
from translate.corpus.vocabulary import byline_vocabulary, chrome_vocabulary

_SEP = r"\s*[丨|｜:：/／]\s*"
_NAME = r"[^\s丨|｜:：，。,／？！?!；;]{1,20}(?:[、,，/][^\s丨|｜:：，。,／？！?!；;]{1,20})*"
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_STAFF = r"(?:本刊|本报|本報|本台|本网|本網|本社|特约|特約|见习|見習)(?:记者|記者|撰稿人|通讯员|通訊員)"
#: A further Chinese name after a credit's first, apart by a space (作者：林思远　郑可).
_MORE_NAME = re.compile(r"[@＠]?[\u4e00-\u9fff·]{2,4}(?=\s|$)")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_NAME_LINE = re.compile(r"^[\w·・]{2,12}$")
#: Lines near the top that are searched for credits.
TOP_LINES = 12
#: Lines right after the article's last line of prose that are searched for credits (责任编辑：刘洋).
TAIL_LINES = 3

_PUBLICATION = [
    re.compile(r"以下(?:是|为).{0,20}?(?:和|与|跟|对)《(?P<name>[^》]{1,20})》"),
    re.compile(r"经《(?P<name>[^》]{1,20})》(?:编辑)?整理"),
    re.compile(r"对话经(?P<name>[^\s，。,]{2,10}?)整理"),
    re.compile(r"(?:来源|来自)[:：]\s*(?P<name>[^\s，。,]{2,12})$"),
]


@lru_cache(maxsize=1)
def _credit_pattern() -> re.Pattern:
    vocabulary = byline_vocabulary()
    roles = "|".join(sorted(vocabulary.author_roles + vocabulary.editor_roles, key=len, reverse=True))
    # Roles may be joined (采访、整理｜周楠): the first one says whose the names are.
    # A staff descriptor before the name is not the name (文｜本刊记者 孟婷, 文／本报记者 苏晴).
    return re.compile(rf"(?P<role>{roles})(?:[、/&和及](?:{roles}))*(?P<sep>{_SEP}|\s+)(?:{_STAFF}\s*)?(?P<names>{_NAME})")


def _iso(match: re.Match) -> str:
    return f"{int(match.group('y')):04d}-{int(match.group('m')):02d}-{int(match.group('d')):02d}"


def first_date(text: str) -> str | None:
    """The first date written with digits in ``text`` (``2025年3月18日``, ``2025-03-18``) as YYYY-MM-DD, or None."""
    match = _DATE.search(text)
    return _iso(match) if match else None


def parse_byline(line: str) -> dict | None:
    """The credits of a credit line (``文丨…　编辑丨…``, ``【责任编辑：陈晨】``, perhaps with a date), or None.

    A line that reads as prose (:func:`translate.corpus.decisions.reads_as_prose`: a question,
    a speaker's turn such as ``记者：为什么是嘉兴？``, a sentence) is never a credit.
    """
    from translate.corpus.decisions import reads_as_prose

    stripped = _unbracket(line.strip())
    if not stripped or len(stripped) > 80 or reads_as_prose(stripped):
        return None
    vocabulary = byline_vocabulary()
    for _, pattern in vocabulary.patterns:
        match = pattern.match(to_simplified(stripped))
        if match and "author" in pattern.groupindex:
            date = _DATE.search(match.group("date")) if "date" in pattern.groupindex and match.group("date") else None
            author = stripped[match.start("author"):match.end("author")]
            return {"authors": [author], "editors": [], "date": _iso(date) if date else None}
    found: dict = {"authors": [], "editors": [], "date": None}
    pos = 0
    credits = 0
    last = None
    credit_pattern = _credit_pattern()
    while pos < len(stripped):
        if stripped[pos].isspace():
            pos += 1
            continue
        credit = credit_pattern.match(stripped, pos)
        date = _DATE.match(stripped, pos)
        if credit and not (credit.group("role") == "文" and credit.group("sep").strip() == ""):
            names = [n.lstrip("@＠") for n in re.split(r"[、,，/]", credit.group("names"))]
            role = credit.group("role")
            names_clean = [n for n in (n.strip() for n in names) if n]
            if _DATE.match(credit.group("names")):
                names_clean = []
            key = "authors" if role in vocabulary.author_roles else "editors"
            found[key].extend(names_clean)
            credits += 1
            pos = credit.end() if names_clean else credit.start("names")
            last = key if names_clean else None
        elif date:
            found["date"] = _iso(date)
            pos = date.end()
            last = None
        elif last and (more := _MORE_NAME.match(stripped, pos)):
            found[last].append(more.group().lstrip("@＠"))  # 作者：林思远　郑可: names apart by spaces share the role
            pos = more.end()
        else:
            return None
    return found if credits else None


def _unbracket(text: str) -> str:
    """A credit without the brackets around it (``【责任编辑：陈晨】``, ``（编辑：刘洋）``)."""
    match = re.fullmatch(r"[【\[（(〔](.{2,78})[】\]）)〕]", text)
    return match.group(1).strip() if match else text


#: The labels of an info bar's fields besides credits and sources: counters and font-size buttons.
_INFO_LABELS = ("阅读量", "阅读数", "阅读", "浏览次数", "浏览量", "浏览", "点击量", "点击数", "点击", "字号", "字体", "字级")


@lru_cache(maxsize=1)
def _info_pattern() -> re.Pattern:
    vocabulary = byline_vocabulary()
    labels = [w for w in vocabulary.author_roles + vocabulary.editor_roles if len(w) >= 2]
    labels += list(vocabulary.sources) + [w for w in vocabulary.date_prefixes if len(w) >= 2] + list(_INFO_LABELS)
    return re.compile(rf"[【\[]?(?P<label>{'|'.join(sorted(set(labels), key=len, reverse=True))})\s*[:：]\s*")


def parse_info_bar(line: str) -> dict | None:
    """A news page's info bar, fields fused or apart, or None.

    ``2025-03-18 09:32:15 来源：钱江晚报作者：陈晓雨阅读量：12,345字号：大中小`` and
    ``作者：赵明远 孙佳 发布时间：2024-10-15 浏览次数：2,047 【字体：大 中 小】``: a date or
    nothing, then only ``label：value`` fields (credits, a source, a date, counters, font-size
    buttons), two at least. Returns ``credits`` (authors, editors, date) and ``publication``.
    """
    simple = to_simplified(line.strip())
    if not simple or len(simple) > 120 or re.search(r"[。！？!?，]", simple):
        return None
    fields = list(_info_pattern().finditer(simple))
    if len(fields) < 2 and not (fields and _DATE.match(simple)):
        return None
    lead = simple[:fields[0].start()].strip() if fields else simple
    if lead and not _DATE.fullmatch(lead):
        return None
    vocabulary = byline_vocabulary()
    found: dict = {"authors": [], "editors": [], "date": _iso(_DATE.match(lead)) if lead else None}
    publication = None
    for field, following in zip(fields, fields[1:] + [None]):
        label = field.group("label")
        value = simple[field.end():following.start() if following else len(simple)].strip().strip("【】[]").strip()
        original = line.strip()[field.end():following.start() if following else len(simple)].strip().strip("【】[]")
        if label in vocabulary.author_roles or label in vocabulary.editor_roles:
            names = [n for n in re.split(r"[\s、,，/]+", original.strip()) if n]
            if not names or not all(_NAME_LINE.match(n) for n in names):
                return None
            found["authors" if label in vocabulary.author_roles else "editors"].extend(names)
        elif label in vocabulary.sources:
            if not re.fullmatch(r"[\w·・ ]{2,20}", value):
                return None
            publication = original.strip()
        elif label in vocabulary.date_prefixes:
            date = _DATE.match(value)
            if not date:
                return None
            found["date"] = found["date"] or _iso(date)
        elif label in ("字号", "字体", "字级"):
            if not re.fullmatch(r"[大中小\s【】\[\]]{1,12}", value):
                return None
        elif not re.fullmatch(r"[\d.,]+\s*[万wk]?\+?(?:次)?", value):
            return None
    if not (found["authors"] or found["editors"] or publication or found["date"]):
        return None
    return {"credits": found, "publication": publication}


def parse_source(line: str) -> str | None:
    """The publication a source line names alone (``来源：钱江晚报``), or None."""
    sources = "|".join(sorted(byline_vocabulary().sources, key=len, reverse=True))
    match = re.fullmatch(rf"(?:{sources})\s*[:：]\s*(?P<name>[\w·・]{{2,20}})", to_simplified(_unbracket(line.strip())))
    return _unbracket(line.strip())[match.start("name"):match.end("name")] if match else None


def parse_header(line: str) -> dict | None:
    """A header line (a date, with names, marks, places, a client around it), or None.

    Returns ``names`` (before the date), ``after`` (names after the time: a publication)
    and ``date``.
    """
    simple = to_simplified(line.strip())
    if not simple or len(simple) > 80 or re.search(r"[。！？，]", simple):
        return None
    vocabulary = byline_vocabulary()
    widgets = chrome_vocabulary().widgets
    prefixes = "|".join(sorted(vocabulary.date_prefixes, key=len, reverse=True))
    simple = re.sub(rf"(?:^|(?<=\s))(?:{prefixes})\s*[:：]?\s*(?=\d)", " ", simple)
    simple = re.sub(r"IP\s*属地\s*", " 属地", simple)
    sources = "|".join(sorted(vocabulary.sources, key=len, reverse=True))
    source = re.search(rf"(?:{sources})\s*[:：]\s*(?P<name>[\w·・]{{2,20}})\s*$", simple) if sources else None
    if source:
        simple = simple[:source.start()]
    words = [w for w in re.split(r"[\s·・|｜]+", simple) if w]
    names: list[str] = []
    after: list[str] = []
    date = None
    for word in words:
        if word in vocabulary.clients:
            break
        if word in vocabulary.marks or word.lower() in widgets:
            continue
        found = _DATE.fullmatch(word)
        if found:
            date = date or _iso(found)
            continue
        if _TIME.match(word):
            continue
        if word.startswith("属地") or word in vocabulary.places:
            continue
        if not _NAME_LINE.match(word) or re.fullmatch(r"[\d.]+", word):
            return None
        (after if date else names).append(word)
    if source:
        after = [source.group("name")]
    if date is None or len(names) > 2 or len(after) > 1:
        return None
    # A public account's header (原创 [作者] 公众号 日期) names the account last; elsewhere a
    # name before the date is its writer's (王雨 · 2024-06-03, 码字的阿明 已于 2024-05-11 修改).
    account = bool(words) and words[0] in ("原创", "原創", "转载", "轉載")
    return {"names": names, "after": after, "date": date, "account": account}


def is_name_line(line: str) -> bool:
    """A name alone on its line (an author's or an account's)."""
    simple = to_simplified(line.strip())
    return bool(_NAME_LINE.match(simple)) and simple.lower() not in chrome_vocabulary().widgets \
        and not simple.isdigit() and simple not in byline_vocabulary().follow_marks


def _is_follow_mark(line: str) -> bool:
    return to_simplified(line.strip()) in byline_vocabulary().follow_marks


def header_lines(texts: list[str], kinds=None) -> dict[int, dict]:
    """The byline lines of a page, by index: credits near the top, header lines, and the name lines they vouch for.

    Searched: the lines before the first line of prose, the first :data:`TOP_LINES`
    non-blank lines (credits only), and the lines after the last line of prose (credits only
    in the first :data:`TAIL_LINES` of them: ``责任编辑：刘洋`` under the text). A line may be a
    credit, a header line, an info bar (:func:`parse_info_bar`) or a source line (``来源：…``).
    """
    from translate.corpus.lines import edge_kinds

    kinds = kinds if kinds is not None else edge_kinds(texts)
    content = [i for i, k in enumerate(kinds) if k.kind == "content"]
    first = content[0] if content else len(texts)
    last = content[-1] if content else len(texts)
    nonblank = [i for i, t in enumerate(texts) if t.strip()]
    top = set(nonblank[:TOP_LINES])
    zone = [i for i in nonblank if i < first or i > last or i in top]
    found: dict[int, dict] = {}
    tail = set(i for i in nonblank if i > last)
    tail = set(sorted(tail)[:TAIL_LINES])
    for index in zone:
        text = texts[index]
        credits = parse_byline(text) if (index in top or index < first or index in tail) else None
        if credits is not None:
            found[index] = {"credits": credits}
            continue
        if index < first or index > last:
            header = parse_header(text)
            if header is not None:
                found[index] = {"header": header}
                continue
            bar = parse_info_bar(text)
            if bar is not None:
                found[index] = {"credits": bar["credits"]}
                if bar["publication"]:
                    found[index]["header"] = {"names": [], "after": [bar["publication"]], "date": None,
                                              "account": False}
                continue
            source = parse_source(text)
            if source is not None:
                found[index] = {"header": {"names": [], "after": [source], "date": None, "account": False}}
    # A name line right before a header line that names nobody, or before a follow button
    # (with up to two lines of page furniture or a short profile between).
    for index in zone:
        if index in found or not is_name_line(texts[index]) or not (index < first or index > last):
            continue
        after = bisect_right(nonblank, index)
        following = nonblank[after:after + 3]
        for j in following:
            if _is_follow_mark(texts[j]):
                found[index] = {"name": to_simplified(texts[index].strip())}
                found[j] = {"follow": True}
                break
            header = found.get(j, {}).get("header")
            if header is not None and not header["names"]:
                found[index] = {"name": to_simplified(texts[index].strip())}
                break
            if kinds[j].kind not in ("chrome", "near"):
                break
    return found


def resolve(entries: list[dict]) -> dict:
    """Authors, editors, publication and date from the byline lines of a page, in page order."""
    authors: list[str] = []
    editors: list[str] = []
    date = None
    for entry in entries:
        credits = entry.get("credits")
        if credits:
            authors += [n for n in credits["authors"] if n not in authors]
            editors += [n for n in credits["editors"] if n not in editors]
            date = date or credits["date"]
    publication = None
    # Where a credit names the writer, a lone name on a header line is the column's or the site's
    # (栈桥对话  2024-11-05 14:20 above 采访、整理｜周楠), not a second writer.
    credited = bool(authors)
    for entry in entries:
        header = entry.get("header")
        if header:
            date = date or header["date"]
            names = [n for n in header["names"] if n not in authors and n not in editors]
            if len(header["names"]) == 2 and len(names) == 2:
                authors.append(names[0])
                names = names[1:]
            elif names and not header["account"] and not credited:
                authors.extend(names)
                names = []
            if names and publication is None:
                publication = names[-1]
            if header["after"] and publication is None:
                publication = header["after"][0]
        if entry.get("name") and entry["name"] not in authors and entry["name"] != publication:
            authors.append(entry["name"])
    return {"authors": authors, "editors": editors, "publication": publication, "date": date}


#: A news dateline credit at the start of the first paragraph: 〔記者蔡宜庭／台中報導〕受國際情勢影響…
_DATELINE = re.compile(r"^[〔【\[（(](?P<credit>[^〔】\]）)\n]{4,30})[〕】\]）)]\s*(?=\S)")


def dateline(line: str) -> tuple[int, dict] | None:
    """(length, credits) of a bracketed reporter's dateline opening a paragraph of prose, or None."""
    match = _DATELINE.match(line)
    if not match:
        return None
    credits = parse_byline(match.group("credit"))
    return (match.end(), credits) if credits and credits["authors"] else None


def rule(draft: Draft) -> None:
    """Move credit and header lines (and the name lines they vouch for) into the front matter."""
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    # A table row or a list item that the structure rule holds is the article's, never a byline.
    found = {i: v for i, v in header_lines(texts).items() if not draft.held(lines[i][0], "bylines")}
    entries = []
    edits = []
    # The first paragraph may open with the reporter's dateline: it goes, the sentence after it stays.
    # (the title may still stand above it: the first few lines are looked at).
    leading = [i for i, t in enumerate(texts[:200]) if t.strip() and i not in found][:3]
    first = next((i for i in leading if dateline(texts[i]) and not draft.held(lines[i][0], "bylines")), None)
    opening = dateline(texts[first]) if first is not None else None
    if opening:
        entries.append({"credits": opening[1]})
        edits.append(Edit(lines[first][0], lines[first][0] + opening[0], "", "move", "dateline credit → front matter"))
    for index in sorted(found):
        entry = found[index]
        entries.append(entry)
        start, end, _ = lines[index]
        note = "follow button of the author's name" if entry.get("follow") else "byline → front matter"
        edits.append(Edit(start, min(end + 1, len(draft.text)), "", "move", note))
    figures = resolve(entries)
    for key in ("authors", "editors"):
        for name in figures[key]:
            draft.meta.setdefault(key, [])
            if name not in draft.meta[key]:
                draft.meta[key].append(name)
    if figures["date"] and not draft.meta.get("date"):
        draft.meta["date"] = figures["date"]
    if figures["publication"] and not draft.meta.get("publication"):
        draft.meta["publication"] = figures["publication"]
    draft.apply("bylines", edits)
    if not draft.meta.get("publication"):
        for _, _, text in draft.lines():
            simple = to_simplified(text)
            for pattern in _PUBLICATION:
                match = pattern.search(simple)
                if match and len(simple) == len(text):
                    draft.meta["publication"] = text[match.start("name"):match.end("name")].strip()
                    return
