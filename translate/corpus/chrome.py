"""The ``chrome`` rule, page chrome and spam: the web page around the article, never the article.

Three kinds of line go: keyword-spam lines (many short ``|``-separated phrases and
no sentence), wherever they are; page chrome before the article (browser
warnings, preview notices, breadcrumbs, message and share widgets, counters);
and page chrome after it (reprint notices, a repeated title, share, related
articles, sign-up forms). The head and tail zones only count as chrome when they
hold at least one unmistakable chrome line, so a short last line of prose stays.
Patterns are matched on the Simplified form of a line, so they are written once.
"""

from __future__ import annotations

import re

from translate.corpus.chinese import TONED, to_simplified
from translate.corpus.draft import Draft, Edit

#: Lines that only page furniture contains.
STRONG = [
    ("browser warning", re.compile(r"浏览器.*(建议|升级|更换|下载)|(建议|请).*(使用|升级).*浏览器")),
    ("preview notice", re.compile(r"临时链接|仅用于文章预览|预览链接")),
    ("breadcrumb", re.compile(r"^(\S{1,10}\s+)?正文$")),
    ("message widget", re.compile(r"^发私信给")),
    ("reprint notice", re.compile(r"原创文章.*转载|未经授权.*转载|禁止转载|转载请注明|转载须知|本文系.*授权")),
    ("share widget", re.compile(r"^(分享到?|分享至)[:：]?$")),
    ("related articles", re.compile(r"^(相关文章|最新文章|热门文章|推荐阅读|相关阅读|延伸阅读)[:：]?$")),
    ("account form", re.compile(r"(验证|绑定).{0,6}(邮箱|账号|手机)|(邮箱|账号|手机).{0,8}(验证|绑定)|设置密码|积分|申请人资料|完善账号信息")),
]
#: Words of buttons and form fields; a short line made only of them is a widget.
WIDGET_WORDS = set(
    "发送 分享 分享到 评论 收藏 点赞 举报 关注 登录 注册 姓名 电话 邮箱 微信号 作品链接 个人简介 立即验证 "
    "立即设置 以后再说 返回顶部 取消 确定 提交 打开 下载 阅读原文 在看 赞赏".split()
)
_COUNTER = re.compile(r"^\d{1,6}$")
_SPAM_SPLIT = re.compile(r"[|｜]")


def is_spam(line: str) -> bool:
    """Keyword spam: four or more short ``|``-separated phrases, none of them a sentence."""
    stripped = line.strip()
    if stripped.startswith("|") or re.search(r"[。！？；]", stripped):
        return False
    parts = [p.strip() for p in _SPAM_SPLIT.split(stripped) if p.strip()]
    return len(parts) >= 4 and all(len(p) <= 25 for p in parts)


_ANNOTATION = re.compile(rf"[(（?][a-zü{TONED}]*[{TONED}][a-zü{TONED}]*[)）]")


def _plain(line: str) -> str:
    """The line in Simplified without pinyin annotations (chrome is removed before they are)."""
    return to_simplified(_ANNOTATION.sub("", line.strip()))


def strong_reason(line: str) -> str | None:
    """Why a line is unmistakably chrome, or None."""
    simple = _plain(line)
    for reason, pattern in STRONG:
        if pattern.search(simple):
            return reason
    return None


def _weak(line: str) -> bool:
    simple = _plain(line).rstrip(":：")
    if _COUNTER.match(simple):
        return True
    words = simple.split()
    return bool(words) and all(w.rstrip(":：") in WIDGET_WORDS for w in words)


def _tail_weak(line: str) -> bool:
    stripped = _plain(line)
    return _weak(line) or (len(stripped) <= 12 and not re.search(r"[。！？!?]", stripped))


def rule(draft: Draft) -> None:
    """Remove spam lines, and chrome before and after the article."""
    lines = draft.lines()
    doomed: dict[int, str] = {}
    for index, (_, _, text) in enumerate(lines):
        if is_spam(text):
            doomed[index] = "keyword spam"
    # Head zone: chrome until the first line of the article.
    head: dict[int, str] = {}
    for index, (_, _, text) in enumerate(lines):
        if not text.strip() or index in doomed:
            continue
        reason = strong_reason(text) or ("widget" if _weak(text) else None)
        if reason is None:
            break
        head[index] = reason
    if any(r != "widget" for r in head.values()):
        doomed.update(head)
    # Tail zone: chrome from the end back to the last line of the article.
    tail: dict[int, str] = {}
    title = _first_content_line(lines, doomed)
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index][2]
        if not text.strip() or index in doomed:
            continue
        reason = strong_reason(text)
        if reason is None and title and _same(text, title):
            reason = "repeated title"
        if reason is None and _tail_weak(text):
            reason = "widget"
        if reason is None:
            break
        tail[index] = reason
    if any(r not in ("widget", "repeated title") for r in tail.values()):
        doomed.update(tail)
    for index, reason in doomed.items():
        if reason == "reprint notice":
            found = re.search(r"^(.{2,8}?)原创文章", _plain(lines[index][2]))
            if found and "publication" not in draft.meta:
                original = _ANNOTATION.sub("", lines[index][2].strip())
                draft.meta["publication"] = original[:len(found.group(1))]
    edits = []
    for index, reason in sorted(doomed.items()):
        start, end, _ = lines[index]
        edits.append(Edit(start, min(end + 1, len(draft.text)), "", "remove-line", reason))
    draft.apply("chrome", edits)


def _first_content_line(lines, doomed) -> str | None:
    for index, (_, _, text) in enumerate(lines):
        if text.strip() and index not in doomed and not strong_reason(text) and not _weak(text):
            return text.strip()
    return None


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[\s#*]", "", _plain(s))  # noqa: E731
    return len(norm(a)) >= 6 and norm(a) == norm(b)
