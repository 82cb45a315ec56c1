"""The computed styles of a part's pairs shared, as WeasyPrint shares those of like elements, their anchors kept apart.

WeasyPrint computes one style for elements that match the same rules under the same parent
(``css.StyleFor``: its key is the parent's style, the rules and the element's own declarations), and
computes each property of a style once, when first asked. But an element's ``id`` and ``lang``
become declarations of its own (``-weasy-anchor: "b001"``, ``-weasy-lang: "zh-Hans"``, new objects for
each element, ``css.find_style_attributes``), so every pair (an ``id``) and each of its columns (a
``lang``) gets a style of its own, and so does everything in them: a part computes the same few
dozen properties for some ten styles per pair, of which the anonymous boxes of its table make three
more. Here, inside :func:`sharing` (:func:`.hyphenation.settle` lays a part out in it):

* the ``-weasy-lang`` declarations of one language are one declaration, so that columns of one
  language under one style share theirs, as WeasyPrint shares the styles of any like elements;
* an element's ``-weasy-anchor`` is taken out while the styles are matched and computed, so that the
  pairs of one kind share a style (and their columns, spans and anonymous boxes theirs); each element
  with an anchor then gets a style of its own that computes its ``anchor`` from its declaration, as
  WeasyPrint does, and takes every other property from the shared style (which computes it once);
* the styles of pseudo-elements (``::marker``, ``::footnote-call`` and four more, which the user-agent
  stylesheet gives every element) are shared by the elements whose own styles are shared and whose
  pseudo-element matched the same declarations: WeasyPrint computes one for each element (six a
  pair), sharing none.

Only ``anchor`` differs between the elements that now share: no other property is inherited from
it or computed from an element's attributes (``attr()`` is read from the box's element when the boxes
are built), so every box has the values it had. WeasyPrint's functions are called or wrapped, never
copied; the pages are those WeasyPrint sets (tests/pdf/test_sharedstyles.py compares the PDFs).
"""

from __future__ import annotations

from typing import ContextManager

from translate.render.pdf.switch import Switch, Wrappers

_ANCHOR, _LANG = "-weasy-anchor", "-weasy-lang"


class _Local(Switch):
    """Per thread: on inside :func:`sharing`; the anchors taken out of the styles being computed, the languages'
    declarations and the pseudo-elements' styles of the document."""

    anchors: list
    langs: dict
    pseudo: dict
    matching = 0
    """Inside ``StyleFor.__init__`` (the elements' and their pseudo-elements' styles; pages' come later)."""

    def __init__(self):
        self.anchors, self.langs, self.pseudo = [], {}, {}


_local = _Local()
_wrappers = Wrappers(_local)
_originals = _wrappers.originals


def sharing() -> ContextManager[None]:
    """While inside: elements alike but for their anchors (and their languages' declarations) share a style."""
    return _wrappers.active(install)


def install() -> None:
    """Wrap WeasyPrint's finder of an element's own declarations and the computing of a document's styles, once."""
    from weasyprint import css

    _wrappers.install((css, "find_style_attributes", _find_style_attributes), (css.StyleFor, "__init__", _style_for_init),
                      (css.StyleFor, "set_computed_styles", _set_computed_styles))


def _own(declarations, name: str):
    """The one declaration named ``name`` in ``declarations`` (WeasyPrint's for an attribute), else None."""
    if len(declarations) != 1:
        return None
    declaration = declarations[0]
    return declaration if getattr(declaration, "lower_name", None) == name else None


def _find_style_attributes(tree, presentational_hints=False, base_url=None):
    """WeasyPrint's ``find_style_attributes``; inside :func:`sharing`, anchors set aside, one declaration per language."""
    import tinycss2

    found = _originals["find_style_attributes"](tree, presentational_hints, base_url)
    if not _local.active:
        yield from found
        return
    for specificity, element, declarations, url in found:
        if specificity == (0, 0, 0):
            if (anchor := _own(declarations, _ANCHOR)) is not None:
                _local.anchors.append((element, anchor, url))
                continue
            if (lang := _own(declarations, _LANG)) is not None:
                declarations = _local.langs.setdefault((tinycss2.serialize(lang.value), url), declarations)
        yield specificity, element, declarations, url


def _style_for_init(self, html, sheets, presentational_hints, font_config, target_collector):
    """WeasyPrint's ``StyleFor``; inside :func:`sharing`, each element set aside by its anchor given a style of its own."""
    original = _originals["StyleFor.__init__"]
    if not _local.active:
        return original(self, html, sheets, presentational_hints, font_config, target_collector)
    outer = _local.anchors
    _local.anchors = []
    try:
        _local.matching += 1
        try:
            original(self, html, sheets, presentational_hints, font_config, target_collector)
        finally:
            _local.matching -= 1
        computed = self.get_computed_styles()
        for element, declaration, url in _local.anchors:
            style = computed[element, None] = _anchored(computed[element, None], declaration, url)
            if target_collector and style["anchor"]:
                target_collector.collect_anchor(style["anchor"])
    finally:
        _local.anchors = outer
        _local.langs.clear()  # one declaration per language, one style per pseudo-element alike, within a document
        _local.pseudo.clear()


def _set_computed_styles(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
    """WeasyPrint's ``StyleFor.set_computed_styles``; inside :func:`sharing`, a pseudo-element's style shared.

    A pseudo-element's style inherits from its element's and is computed from the declarations its
    selectors matched (the cascade's values are the rules' own objects): another element whose style is
    the same object, and whose pseudo-element matched the same declarations, gets the same style.
    """
    from weasyprint.css import PSEUDO_ELEMENTS

    original = _originals["StyleFor.set_computed_styles"]
    if (not _local.active or not _local.matching or pseudo_type is None or pseudo_type not in PSEUDO_ELEMENTS
            or parent is not element):
        return original(self, element, parent, root, pseudo_type, base_url, target_collector)
    computed = self.get_computed_styles()
    parent_style = computed.get((element, None))
    cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
    key = (id(parent_style), pseudo_type, base_url,
           tuple((name, id(value), weight) for name, (value, weight) in cascaded.items()))
    try:
        known = _local.pseudo.get(key)
    except TypeError:  # a weight that is not hashable: computed as WeasyPrint computes it
        return original(self, element, parent, root, pseudo_type, base_url, target_collector)
    if known is not None and known[0] is parent_style:
        computed[element, pseudo_type] = known[1]
        return
    original(self, element, parent, root, pseudo_type, base_url, target_collector)
    # The key's objects are kept with it (so that no id is used again for another while it is known).
    _local.pseudo[key] = (parent_style, computed[element, pseudo_type], tuple(cascaded.values()))


def _anchored(shared, declaration, base_url):
    """A style that is ``shared`` but for its ``anchor``, computed by WeasyPrint from ``declaration``."""
    from weasyprint.css import declaration_precedence
    from weasyprint.css.validation import preprocess_declarations

    cascaded = {}
    for name, values, importance in preprocess_declarations(base_url, (declaration,)):
        cascaded[name] = values, (declaration_precedence("author", importance), float("inf"), (0, 0, 0))
    shared["display"]  # computes (and records in ``specified``) position, float and display, which copies keep
    style = _anchored_class()(shared.parent_style, cascaded, shared.pseudo_type, shared.root_style,
                              shared.base_url, shared.font_config, shared.initial_page_sizes)
    style.shared = shared
    style.specified = shared.specified
    return style


_CLASS: list = []


def _anchored_class():
    """:class:`weasyprint.css.ComputedStyle` whose properties but ``anchor`` are its shared style's (made once)."""
    if _CLASS:
        return _CLASS[0]
    from weasyprint.css import ComputedStyle

    class AnchoredStyle(ComputedStyle):
        """A computed style that is another but for its anchor: every other property is read from ``shared``."""

        shared: ComputedStyle

        def __missing__(self, key):
            if key == "anchor":
                return ComputedStyle.__missing__(self, key)
            value = self[key] = self.shared[key]
            return value

        @property
        def anonymous_style(self):
            # An anonymous box inherits no anchor: the shared style's anonymous style is this one's.
            return self.shared.anonymous_style

        def copy(self):
            # A copy is made to be changed (a footnote's float, a cell's height): it is the style WeasyPrint
            # would have copied, computing what it lacks from the element's whole cascade.
            copy = ComputedStyle(self.parent_style, {**self.shared.cascaded, **self.cascaded}, self.pseudo_type,
                                 self.root_style, self.base_url, self.font_config, self.initial_page_sizes)
            copy.update(self)
            copy.specified = self.specified.copy()
            return copy

    _CLASS.append(AnchoredStyle)
    return AnchoredStyle
