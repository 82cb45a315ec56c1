"""What a render may reuse from the last one in this process: the pages whose inputs are the same.

A long-lived process (``bitext serve``) renders the edition again on every change,
and most pages are made from exactly what made them last time. A page is reused
only when everything it is made from compares equal to what made it last time —
its own data, its neighbours', the template sources, and the values of the
shared context that the templates read — so the bytes are those a fresh render
would write. Which names of the context, and which attributes of ``edition``, the
templates read is found by reading their syntax tree (the template, every
template it extends, includes or imports); a template that names one dynamically
is never reused from.

Only the last render is kept (one entry per page file), so the cache holds at
most one edition's pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from translate.rebuild import keeping_pieces, same, same_each

#: Context names compared by the attributes the templates read of them, when those are all they read
#: (the whole edition changes with every article; a page's neighbours with every sentence of theirs; one row of
#: a page reads little of the page, ``article``; a page's footer reads one line of the edition's ``colophon``,
#: whose term rate moves with any term edit).
BY_ATTRIBUTE = ("edition", "previous", "next", "article", "colophon")


@dataclass(frozen=True, slots=True)
class TemplateReads:
    """What a template (with those it extends, includes and imports) reads from its context."""

    sources: tuple[tuple[str, str], ...]
    """(name, source) of every template it is made of: an edited template is another."""
    names: frozenset[str]
    """The context names it reads."""
    attributes: dict[str, frozenset[str]]
    """For each name of :data:`BY_ATTRIBUTE` read only as ``name.<attribute>`` (or tested, ``{% if name %}``):
    the attributes read."""

    def narrowed(self, name: str, value):
        """What of ``value`` (the context's ``name``) the template reads: the attributes it names, or all of it."""
        attributes = self.attributes.get(name)
        if attributes is None or value is None:
            return value
        return (bool(value), *((attribute, getattr(value, attribute, _MISSING)) for attribute in sorted(attributes)))


#: The last analysis of each template, by environment and name (made again when a source changes).
_READS: dict[tuple[int, str], TemplateReads | None] = {}


def template_reads(env, name: str) -> TemplateReads | None:
    """What template ``name`` reads from its context; None when it names a template dynamically (not analysable)."""
    last = _READS.get((id(env), name))
    if last is not None and all(env.loader.get_source(env, part)[0] == source for part, source in last.sources):
        return last
    reads = _READS[(id(env), name)] = _template_reads(env, name)
    return reads


def _template_reads(env, name: str) -> TemplateReads | None:
    from jinja2 import meta, nodes

    sources: list[tuple[str, str]] = []
    names: set[str] = set()
    attributes: dict[str, set[str] | None] = {name: set() for name in BY_ATTRIBUTE}
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        sources.append((current, source))
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return None
            pending.append(referenced)
        # One walk of the tree for every name (a walk each per name and kind of node was most of the analysis).
        used = dict.fromkeys(BY_ATTRIBUTE, 0)
        tested = dict.fromkeys(BY_ATTRIBUTE, 0)
        by_attribute: dict[str, list[str]] = {name: [] for name in BY_ATTRIBUTE}
        for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.If, nodes.CondExpr)):
            if isinstance(node, nodes.Name):
                if node.name in used:
                    used[node.name] += 1
            elif isinstance(node, nodes.Getattr):
                if isinstance(node.node, nodes.Name) and node.node.name in used:
                    by_attribute[node.node.name].append(node.attr)
            elif isinstance(node.test, nodes.Name) and node.test.name in used:
                tested[node.test.name] += 1
        for name in BY_ATTRIBUTE:
            if attributes[name] is not None and used[name] == len(by_attribute[name]) + tested[name]:
                attributes[name] |= set(by_attribute[name])
            else:
                attributes[name] = None  # used whole (passed on, filtered, assigned): compared whole
    return TemplateReads(tuple(sources), frozenset(names),
                         {name: frozenset(found) for name, found in attributes.items() if found is not None})


_MISSING = object()


def context_key(reads: TemplateReads, context: dict) -> tuple:
    """The values of ``context`` that a template with these ``reads`` depends on (compare two with ``==``)."""
    names = sorted(reads.names & context.keys())
    return (reads.sources, tuple((name, reads.narrowed(name, context[name])) for name in names))


class Renders:
    """The last render of each page of one kind (by file name), and whether the shared context has changed since."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple, str]] = {}
        self._context: tuple | None = None
        self._reusable = False
        self.reads: TemplateReads | None = None
        """What the template of the render under way reads (None: not known, nothing is reused)."""

    def begin(self, env, template: str, context: dict) -> None:
        """Start a render of pages made from ``template`` with the shared ``context``.

        In a one-off build (:func:`~translate.rebuild.keeping_pieces` is off) there is no next render to reuse
        anything in: nothing is analysed (reading the templates' trees again was ~0.03 s CPU of a cold build)
        nor kept, and every page is rendered.
        """
        if not keeping_pieces():
            self.clear()
            return
        reads = self.reads = template_reads(env, template)
        key = (id(env), context_key(reads, context)) if reads is not None else None
        self._reusable = key is not None and self._context is not None and same(key, self._context)
        self._context = key
        if not self._reusable:
            self._pages = {}

    def narrowed(self, name: str, value):
        """What the template reads of ``value``, its context's ``name`` (:meth:`TemplateReads.narrowed`)."""
        return self.reads.narrowed(name, value) if self.reads is not None else value

    def rendered(self, file: str, inputs: tuple, render: Callable[[], str]) -> str:
        """The page ``file`` made from ``inputs`` (its own data, compared with ``==``): reused, or ``render()`` now."""
        last = self._pages.get(file)
        if self._reusable and last is not None and same_each(last[0], inputs):
            return last[1]
        text = render()
        if self._context is not None:  # (a render that may be reused: begun while keeping pieces, analysable)
            self._pages[file] = (inputs, text)
        return text

    def end(self, files) -> None:
        """Forget the pages that this render did not make (a removed article)."""
        keep = set(files)
        for file in [f for f in self._pages if f not in keep]:
            del self._pages[file]

    def clear(self) -> None:
        """Forget everything (a render that failed half-way)."""
        self._pages = {}
        self._context = None
        self._reusable = False
        self.reads = None
