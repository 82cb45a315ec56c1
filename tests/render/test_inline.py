"""render_inline: each text's Markdown parsed once, whatever renders it and however often."""

from __future__ import annotations

import html

import pytest

from translate.markup import parser
from translate.render import inline
from translate.render.inline import render_inline


@pytest.fixture
def parses(monkeypatch):
    """The texts the shared parser reads from now on (the parse cache emptied first)."""
    getattr(inline, "_pieces", None) and inline._pieces.cache_clear()
    md = parser()
    seen: list[str] = []
    real = md.parseInline

    def counting(src, env=None):
        seen.append(src)
        return real(src, env)

    monkeypatch.setattr(md, "parseInline", counting)
    yield seen
    getattr(inline, "_pieces", None) and inline._pieces.cache_clear()


TEXT = "他说**重要**的[链接](https://example.org/a?b=1&c=2)和`代码`[^3]，见 <b>⟦破损⟧</b>。"


def test_a_text_is_parsed_once_for_every_output(parses):
    first = render_inline(TEXT)
    runs: list[str] = []
    second = render_inline(TEXT, lambda run: runs.append(run) or f"[{html.escape(run)}]",
                           lambda label: f"<a href='#n{html.escape(label)}'>{html.escape(label)}</a>")
    third = render_inline(TEXT)
    assert parses.count(TEXT) == 1
    assert first == third
    assert second != first  # the caller's annotator and note linker still apply on a remembered parse
    assert runs == ["他说", "重要", "的", "链接", "和", "代码", "，见 <b>⟦破损⟧</b>。"]


def test_a_remembered_parse_renders_what_a_fresh_one_does(parses):
    texts = [TEXT, "plain & <tag>", "[bad](javascript:alert(1)) ~~gone~~ *it*", "⟦unbalanced"]
    fresh = [render_inline(text, str.upper, lambda label: f"<sup>{label}</sup>") for text in texts]
    again = [render_inline(text, str.upper, lambda label: f"<sup>{label}</sup>") for text in texts]
    assert fresh == again
    assert len(parses) == len(texts)
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">' in fresh[0]
    assert "<strong>" in fresh[0] and "<code>代码</code>" in fresh[0] and "<sup>3</sup>" in fresh[0]
    assert '<span class="damaged"' in fresh[0] and "&lt;b&gt;" not in fresh[0]  # annotate (str.upper) escapes nothing
    assert "javascript" in fresh[2].lower() and "<a " not in fresh[2] and "<s>" in fresh[2] and "<em>" in fresh[2]
    assert render_inline("plain & <tag>") == "plain &amp; &lt;tag&gt;"
    assert render_inline("⟦unbalanced") == "⟦unbalanced"
