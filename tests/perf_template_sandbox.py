"""The template sandbox keeps its answers about attributes per (type, attribute) (issue 33: a tenth of an
HTML build went to Jinja's checks), and a kept answer is the same as Jinja's own, safe or not."""

from __future__ import annotations

import collections
from dataclasses import dataclass

import pytest
from jinja2 import DictLoader
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from translate.templating import sandboxed_environment


@dataclass(frozen=True)
class Item:
    name: str


def _env(**templates: str):
    return sandboxed_environment(loader=DictLoader(templates))


#: (object, attribute): what a template may ask of what the renderers hand it, the unsafe ones included.
CASES = [(Item("a"), "name"), (Item("a"), "__class__"), ({}, "keys"), ({}, "clear"), ({}, "update"), ([], "append"),
         ([], "index"), (set(), "add"), (collections.deque(), "pop"), ("s", "upper"), ("s", "_private"),
         (len, "__self__"), (Item, "mro"), (lambda: 0, "__code__"), ((x for x in ()), "gi_frame"),
         (Item("a").__repr__, "__func__")]


@pytest.mark.parametrize("obj, attribute", CASES, ids=[f"{type(o).__name__}.{a}" for o, a in CASES])
def test_a_kept_answer_is_jinjas_own_the_first_time_and_after(obj, attribute):
    env, jinja = _env(), ImmutableSandboxedEnvironment()
    value = getattr(obj, attribute, None)
    expected = jinja.is_safe_attribute(obj, attribute, value)
    assert env.is_safe_attribute(obj, attribute, value) is expected
    assert env.is_safe_attribute(obj, attribute, value) is expected  # now from what was kept
    assert env._safe_attributes[(type(obj), attribute)] is expected


def test_an_unsafe_attribute_stays_refused_when_asked_again_in_a_render():
    env = _env(page="{{ d.keys()|list }}|{{ d.clear() }}")
    for _ in range(2):
        with pytest.raises(SecurityError):
            env.get_template("page").render(d={"a": 1})
    assert env.from_string("{{ d.keys()|list }}").render(d={"a": 1}) == "['a']"


def test_answers_are_kept_per_type_and_attribute_not_per_object():
    env = _env(page="{% for i in items %}{{ i.name }}{% endfor %}")
    assert env.get_template("page").render(items=[Item(str(n)) for n in range(50)]) == "".join(map(str, range(50)))
    assert [key for key in env._safe_attributes if key[0] is Item] == [(Item, "name")]


def test_the_answers_kept_are_bounded():
    env = _env()
    env.SAFE_ATTRIBUTES_KEPT = 10
    for n in range(50):
        assert env.is_safe_attribute(Item("a"), f"a{n}", None)
        assert not env.is_safe_attribute(Item("a"), f"_a{n}", None)
    assert len(env._safe_attributes) == 10
