"""The ``entities`` rule: HTML character entities decoded in any source, before the punctuation rule.

A text scraped from a web page, or a Markdown export, may carry entities that no browser
rendered: ``&ldquo;``, ``&mdash;&mdash;``, ``&hellip;``, ``&copy;``, ``&#8220;``. Each one
becomes the character it names (``&nbsp;`` a plain space) and is logged. This rule runs
before ``punctuation``, which must never see the ``;`` of an entity (and never makes it
full-width: :func:`translate.corpus.punctuation.protected` protects entity-shaped spans
too, so ``&ldquo;`` can never become ``&ldquo；``).

``&lt;``, ``&gt;`` and ``&amp;`` (and their numeric forms) are the ``html`` rule's: decoding
them could make markup of text, which the ``html`` rule knows how to judge. URLs, code and
damaged spans are left as they are.
"""

from __future__ import annotations

import html

from translate.corpus.draft import Draft, Edit
from translate.corpus.punctuation import ENTITY, protected

#: Characters whose entities the ``html`` rule decodes (they could make markup).
MARKUP = frozenset("<>&")


def decoded(entity: str) -> str | None:
    """The character an entity names, or None for an unknown name, an invalid code point or markup."""
    char = html.unescape(entity)
    if char == entity or not char or char in MARKUP or any(0xD800 <= ord(c) <= 0xDFFF for c in char):
        return None
    return " " if char == "\xa0" else char


def rule(draft: Draft) -> None:
    """Decode every HTML entity (other than markup's) into the character it names."""
    if "&" not in draft.text:
        return
    spans = protected(draft.text, entities=False)
    edits = []
    for match in ENTITY.finditer(draft.text):
        char = decoded(match.group())
        if char is not None and not spans.overlaps(match.start(), match.end()):
            edits.append(Edit(match.start(), match.end(), char, "replace", "HTML entity"))
    draft.apply("entities", edits)
