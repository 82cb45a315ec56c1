"""The one template environment: Jinja2's immutable sandbox, with a budget.

A template from a cloned edition is code. The sandbox keeps it from reaching
Python (no ``__globals__``, no ``os``); the budget keeps it from running
forever or filling the memory: nested ``range(100000)`` loops ran for minutes,
``'x' * 10**10`` ended in a ``MemoryError``, a template that includes itself in
a ``RecursionError`` traceback. Every template (HTML, PDF, EPUB, the LLM prompt)
is made by :func:`sandboxed_environment`, so each of them is bounded by the
same :class:`Budget`; a render past it ends in one line naming the template.

How it is counted: every loop iteration and every call is a step, checked
against the step and time budgets; ``range``, ``*``, ``**`` and ``~`` are
checked before they build anything; the text a render produces is counted while
it streams; recursion is caught where Python's own limit stops it.
"""

from __future__ import annotations

import contextvars
import functools
import os
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from jinja2 import ChoiceLoader, FileSystemLoader, Template, TemplateError, nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from translate.errors import RenderError
from translate.inputs import excerpt


@dataclass(frozen=True, slots=True)
class Budget:
    """What one render may cost; far above what the edition's own templates need, for the largest editions."""

    seconds: float = 120.0
    """Wall-clock time of one render (a page, a book's part, a prompt)."""
    output: int = 64 * 2**20
    """Characters one render produces, and the longest text one operation may build."""
    steps: int = 20_000_000
    """Loop iterations and calls of one render."""
    range: int = 100_000
    """Items of one ``range(…)`` (Jinja's own limit)."""
    repeat: int = 2**20
    """Characters or items one ``*`` may build (``'-' * 80`` is fine; ``'x' * 10**10`` is not)."""
    power: int = 2**16
    """Bits of the result of one ``**``."""


#: The budget of every template environment.
BUDGET = Budget()


class TemplateFault(TemplateRuntimeError, RenderError):
    """A template failed while rendering (1/0, a runaway loop): a template error, and a one-line error anywhere.

    A Jinja2 error, so the renderers report it as they report any template
    error (naming the file); a :class:`~translate.errors.RenderError` too, so
    one raised outside them is still one line, never a traceback.
    """

    message = None  # (BitextError sets it; this hides TemplateError's read-only property)

    def __init__(self, message: str, *, name: str | None = None, filename: str | None = None):
        RenderError.__init__(self, message)
        self.name = name
        self.filename = filename
        self.lineno = None


class TemplateBudgetError(TemplateFault):
    """A template went over its budget (time, output, steps, range, repetition) or recursed without end."""


class _Meter:
    """What the render in progress has spent."""

    __slots__ = ("budget", "name", "filename", "deadline", "steps", "output", "chunks")

    def __init__(self, budget: Budget, name: str, filename: str | None):
        self.budget = budget
        self.name = name
        self.filename = filename
        self.deadline = time.monotonic() + budget.seconds
        self.steps = 0
        self.output = 0
        self.chunks = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.budget.steps:
            raise over(f"more than {self.budget.steps:,} loop iterations and calls")
        if not self.steps & 1023:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise over(f"more than {self.budget.seconds:g} s")

    def add_output(self, size: int) -> None:
        """A chunk of output: counted against the budget at once, the clock read every :data:`CHUNKS_PER_CLOCK`
        chunks (a page streams tens of thousands), as :meth:`step` reads it every 1,024 steps."""
        self.output += size
        if self.output > self.budget.output:
            raise over(f"more than {self.budget.output:,} characters of output")
        self.chunks += 1
        if not self.chunks % CHUNKS_PER_CLOCK:
            self.check_time()


#: Chunks of a template's output between two looks at the clock.
CHUNKS_PER_CLOCK = 256


_meter: contextvars.ContextVar[_Meter | None] = contextvars.ContextVar("bitext_template_meter", default=None)


def over(what: str) -> TemplateBudgetError:
    """The error of the template being rendered, past its budget."""
    meter = _meter.get()
    name, filename = (meter.name, meter.filename) if meter is not None else ("(inline)", None)
    return TemplateBudgetError(f"template {name} is over its budget ({what}); a template must stay bounded: "
                               "remove the runaway loop, recursion or repetition", name=name, filename=filename)


#: What a template's own mistake raises inside a render: shown as a template error, never as a traceback.
_TEMPLATE_FAULTS = (ArithmeticError, TypeError, ValueError, LookupError, MemoryError, RecursionError)


@contextmanager
def metered(name: str | None, budget: Budget = BUDGET, filename: str | None = None) -> Iterator[_Meter]:
    """Count a render (or a macro call) of the template ``name`` against ``budget``; inner renders share it.

    Turns what a runaway template raises (``RecursionError``, ``MemoryError``,
    arithmetic and type errors) into a :class:`~jinja2.TemplateError` naming the
    template, one line, that the renderers already report.
    """
    outer = _meter.get()
    if outer is not None:
        yield outer
        return
    meter = _Meter(budget, name or "(inline)", filename)
    token = _meter.set(meter)
    try:
        yield meter
    except TemplateError:
        raise
    except RecursionError:
        raise over("recursion too deep: a template that includes itself or a macro that never stops") from None
    except MemoryError:
        raise over("out of memory") from None
    except _TEMPLATE_FAULTS as exc:
        raise TemplateFault(f"template {meter.name} failed: {type(exc).__name__} ({excerpt(str(exc), 80)})",
                            name=meter.name, filename=filename) from None
    finally:
        _meter.reset(token)


class BoundedTemplate(Template):
    """A template whose renders are metered (:func:`metered`) and streamed, so output is counted as it grows."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with metered(self.name, self.environment.budget, self.filename) as meter:
            parts: list[str] = []
            add, append = meter.add_output, parts.append
            for chunk in self.generate(*args, **kwargs):
                add(len(chunk))
                append(chunk)
            meter.check_time()  # (the clock is read every few hundred chunks)
            return "".join(parts)

    def make_module(self, *args: Any, **kwargs: Any):
        with metered(self.name, self.environment.budget, self.filename):
            return super().make_module(*args, **kwargs)


#: The types of a bound method (what :meth:`BoundedSandbox.getattr` hands to Jinja's ``str.format`` wrapping).
_METHOD_TYPES = (types.MethodType, types.BuiltinMethodType)
#: String methods whose integer argument is a width to pad to.
_PADDING = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
#: Filters whose integer arguments are widths.
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate"})


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with every render bounded by a :class:`Budget`."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, budget: Budget = BUDGET, **options: Any):
        super().__init__(*args, **options)
        self.budget = budget
        self._safe_attributes: dict[tuple[type, str], bool] = {}
        self.template_class = BoundedTemplate
        self.globals["range"] = self.bounded_range
        for name, function in list(self.filters.items()):
            self.filters[name] = self._bounded_filter(name, function)

    # -- what the compiled templates call ---------------------------------------------------------------------

    #: The most (type, attribute) answers :meth:`is_safe_attribute` keeps (a template names few attributes).
    SAFE_ATTRIBUTES_KEPT = 4096

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, kept per (type of ``obj``, ``attr``): its checks look at nothing else.

        Every ``{{ a.b }}`` asks; Jinja's checks (a dozen ``isinstance`` against function, frame and
        mutable-container types) were a tenth of an HTML build's time.
        """
        key = (type(obj), attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value)
            if len(self._safe_attributes) < self.SAFE_ATTRIBUTES_KEPT:
                self._safe_attributes[key] = safe
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed ``obj.attribute`` (:meth:`SandboxedEnvironment.getattr`), the common case in one look-up:
        an attribute already found safe for ``obj``'s type whose value is no method (so no ``str.format`` to wrap).

        Every ``{{ a.b }}`` of every page comes here (some 130,000 times a cold build).
        """
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if type(value) not in _METHOD_TYPES and self._safe_attributes.get((type(obj), attribute)):
            return value
        wrapped = self.wrap_str_format(value)
        if wrapped is not None:
            return wrapped
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def bounded_range(self, *args: Any) -> range:
        """``range(…)`` of at most :attr:`Budget.range` items."""
        numbers = range(*args)
        try:
            size = len(numbers)
        except OverflowError:
            size = self.budget.range + 1
        if size > self.budget.range:
            raise over(f"range of more than {self.budget.range:,} items")
        return numbers

    def bounded_iter(self, iterable: Iterable) -> Iterator:
        """The items of a ``{% for %}`` loop, each a step of the render."""
        meter = _meter.get()
        if meter is None:
            yield from iterable
            return
        for item in iterable:
            meter.step()
            yield item

    def bounded_text(self, text: Any) -> Any:
        """The result of a ``~`` concatenation, refused when it is longer than :attr:`Budget.output`."""
        if isinstance(text, str) and len(text) > self.budget.output:
            raise over(f"a text of more than {self.budget.output:,} characters")
        return text

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        meter = _meter.get()
        if meter is not None:
            meter.step()
        if getattr(__obj, "__name__", None) in _PADDING and isinstance(getattr(__obj, "__self__", None), str):
            __self._check_widths(args, kwargs)
        return __self.bounded_text(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
                    if len(sequence) * count > self.budget.repeat:
                        raise over(f"'*' building more than {self.budget.repeat:,} items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if left.bit_length() * right > self.budget.power:
                raise over(f"'**' with a result of more than {self.budget.power:,} bits")
        return super().call_binop(context, operator, left, right)

    # -- building the templates -------------------------------------------------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree, with every loop's items and every ``~`` passed through the meter."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = self._call("bounded_iter", loop.iter)
        for concat in list(tree.find_all(nodes.Concat)):
            self._replace(tree, concat, self._call("bounded_text", nodes.Concat(concat.nodes, lineno=concat.lineno)))
        return tree

    @staticmethod
    def _call(method: str, argument: nodes.Expr) -> nodes.Call:
        return nodes.Call(nodes.EnvironmentAttribute(method, lineno=argument.lineno), [argument], [], None, None,
                          lineno=argument.lineno)

    @staticmethod
    def _replace(tree: nodes.Node, old: nodes.Node, new: nodes.Node) -> None:
        for parent in tree.find_all(nodes.Node):
            for field, value in parent.iter_fields():
                if value is old:
                    setattr(parent, field, new)
                    return
                if isinstance(value, list) and any(item is old for item in value):
                    setattr(parent, field, [new if item is old else item for item in value])
                    return

    def _check_widths(self, args: tuple, kwargs: dict) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > self.budget.repeat:
                raise over(f"a width of more than {self.budget.repeat:,} characters")

    def _bounded_filter(self, name: str, function):
        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            if name in _WIDTH_FILTERS:
                self._check_widths(args[1:], kwargs)
            return self.bounded_text(function(*args, **kwargs))

        return bounded


class FolderLoader(FileSystemLoader):
    """The templates of one folder, none of them reached through a link out of it.

    A template is code, and what it holds ends up in a published page: a link in
    a cloned edition's ``templates/html/index.html`` to ``~/.git-credentials`` or
    ``/proc/self/environ`` would print it into the site. Such a template is a
    one-line template error; a link to another template in the same folder is fine.
    """

    def get_source(self, environment, template: str):
        for folder in self.searchpath:
            candidate = os.path.join(folder, *template.split("/"))
            if os.path.isfile(candidate):
                real, home = os.path.realpath(candidate), os.path.realpath(folder)
                if os.path.commonpath([real, home]) != home:
                    raise TemplateFault(f"template {excerpt(template)} is a link out of its folder ({home}); copy the "
                                        "file into the folder instead", name=template, filename=candidate)
                break
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise TemplateFault(f"template {excerpt(template)} is not UTF-8; save it as UTF-8", name=template,
                                filename=candidate) from None


def template_loader(*folders) -> ChoiceLoader:
    """The loader of a kind of templates: the edition's folder first, then the defaults (each a :class:`FolderLoader`)."""
    return ChoiceLoader([FolderLoader(str(folder)) for folder in dict.fromkeys(folders)])


def sandboxed_environment(*, budget: Budget = BUDGET, **options: Any) -> BoundedSandbox:
    """A Jinja2 environment for the edition's templates: sandboxed, immutable, and bounded by ``budget``."""
    return BoundedSandbox(budget=budget, **options)
