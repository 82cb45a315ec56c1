"""The sandbox's fast paths decide as Jinja's own checks do, however often a template asks.

``BoundedSandbox.getattr`` answers an attribute from a cache kept per (type, attribute) when its value is no
method; ``BoundedTemplate.render`` counts the output at every chunk and reads the clock every few hundred.
A cache that answered for the wrong type, or let a ``str.format`` method through unwrapped on a second
access, would open the sandbox; these render each case twice, so the second render meets the cache.
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError

from translate.templating import Budget, TemplateBudgetError, sandboxed_environment


class Card:
    """An object whose attributes carry the names of a list's mutating methods and a format method."""

    def __init__(self):
        self.append = "appended"
        self.title = "T"
        self.fmt = "{0.__class__.__mro__}".format


def _env(source: str, budget: Budget | None = None):
    options = {"budget": budget} if budget is not None else {}
    return sandboxed_environment(loader=DictLoader({"page": source}), undefined=StrictUndefined, **options)


def test_an_attribute_safe_on_one_type_is_still_refused_on_another():
    env = _env("{{ card.append }}|{{ card.title }}")
    other = _env("{{ items.append }}")
    for _ in range(2):
        assert env.get_template("page").render(card=Card()) == "appended|T"
    env.loader.mapping["both"] = "{{ card.append }}{{ items.append }}"
    for _ in range(2):  # (Card, "append") is known safe; (list, "append") modifies a list: refused
        with pytest.raises(TemplateError):
            env.get_template("both").render(card=Card(), items=[1])
        with pytest.raises(TemplateError):
            other.get_template("page").render(items=[1])


def test_a_format_method_is_wrapped_at_every_access():
    env = _env("{{ card.fmt(card) }}")
    for _ in range(3):
        with pytest.raises(SecurityError):
            env.get_template("page").render(card=Card())


def test_items_of_a_dict_and_what_is_missing():
    env = _env("{{ entry.anchor }}-{{ entry.count }}")
    for _ in range(2):
        assert env.get_template("page").render(entry={"anchor": "term-1", "count": 3}) == "term-1-3"
    with pytest.raises(TemplateError):
        env.get_template("page").render(entry={"anchor": "term-1"})


def test_the_output_is_counted_at_every_chunk_and_the_clock_read():
    # 300 chunks of 10 characters: over a 2,000-character budget before the clock would be read again
    source = "{% for i in range(300) %}{{ '0123456789' }}{% endfor %}"
    assert len(_env(source).get_template("page").render()) == 3000
    with pytest.raises(TemplateBudgetError, match="more than 2,000 characters of output"):
        _env(source, Budget(output=2000)).get_template("page").render()
    with pytest.raises(TemplateBudgetError, match="more than 0 s"):
        _env("{{ 'one chunk' }}", Budget(seconds=0)).get_template("page").render()
