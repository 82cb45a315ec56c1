"""A cloned edition's templates are bounded: time, output, loop steps, range, repetition and recursion.

Issue 26 §4: nested ``range(100000)`` loops ran for 90 s, ``range(10**9)``, a
self-``include``, a recursive macro and ``'x' * 10**10`` ended in tracebacks.
Every template environment (HTML, PDF, EPUB, the LLM prompt) is
:func:`~translate.templating.sandboxed_environment`; a render past its
budget ends in one error naming the template. Bounds are asserted by counting
(small budgets), never by timing, except one generous time budget.
"""

from __future__ import annotations

import shutil

import pytest
from jinja2 import DictLoader, TemplateError

from factories import sample_edition
from htmltools import REPO, make_settings as settings_for
from translate.errors import BitextError, RenderError
from translate.templating import BUDGET, Budget, TemplateBudgetError, metered, sandboxed_environment

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
RECURSIVE_MACRO = "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}"


def render(source: str, budget: Budget = BUDGET, **templates: str) -> str:
    env = sandboxed_environment(loader=DictLoader({"page.html": source, **templates}), budget=budget)
    return env.get_template("page.html").render(edition={"title": "T"})


#: (template, budget, what the error says): each must end in one TemplateBudgetError naming page.html.
OVER_BUDGET = {
    "nested-loops-steps": (NESTED_LOOPS, Budget(steps=50_000), "more than 50,000 loop iterations and calls"),
    "range-too-large": ("{% for i in range(10**9) %}{% endfor %}", BUDGET, "range of more than 100,000 items"),
    "range-overflow": ("{{ range(10**30)|length }}", BUDGET, "range of more than 100,000 items"),
    "self-include": ('a{% include "page.html" %}', BUDGET, "recursion too deep"),
    "recursive-macro": (RECURSIVE_MACRO, BUDGET, "recursion too deep"),
    "string-times-huge": ("{{ 'x' * 10**10 }}", BUDGET, "'*' building more than"),
    "huge-times-list": ("{{ (10**9 * [1])|length }}", BUDGET, "'*' building more than"),
    "power": ("{{ 7 ** 10000000 }}", BUDGET, "'**' with a result of more than"),
    "ljust": ("{{ 'x'.ljust(10**10) }}", BUDGET, "a width of more than"),
    "center-filter": ("{{ 'x'|center(10**10) }}", BUDGET, "a width of more than"),
    "output": ("{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}", Budget(output=1_000_000),
               "more than 1,000,000 characters of output"),
    "doubling-concatenation": ("{% macro twice(s) %}{{ twice(s ~ s) }}{% endmacro %}{{ twice('x') }}",
                               Budget(output=1_000_000), "a text of more than 1,000,000 characters"),
    "time": (NESTED_LOOPS, Budget(seconds=0.5, steps=10**12), "more than 0.5 s"),
}


@pytest.mark.hostile("templates")
@pytest.mark.parametrize(("source", "budget", "says"), OVER_BUDGET.values(), ids=OVER_BUDGET.keys())
def test_a_template_over_its_budget_ends_in_one_error_naming_it(source, budget, says):
    with pytest.raises(TemplateBudgetError) as raised:
        render(source, budget)
    message = str(raised.value)
    assert message.startswith("template page.html is over its budget (") and says in message, message
    assert "\n" not in message
    assert isinstance(raised.value, TemplateError) and isinstance(raised.value, BitextError)


def test_nested_loops_stop_at_the_step_budget_not_later():
    env = sandboxed_environment(loader=DictLoader({"page.html": NESTED_LOOPS}), budget=Budget(steps=50_000))
    with metered("page.html", env.budget) as meter, pytest.raises(TemplateBudgetError):
        env.get_template("page.html").render()
    assert meter.steps == 50_001


@pytest.mark.hostile("templates")
@pytest.mark.parametrize("source", ["{{ 1 / 0 }}", "{{ 'a' + 1 }}", "{{ 'x'.encode('nope') }}", "{{ '%d' % 'x' }}"],
                         ids=["zero-division", "type", "lookup", "format"])
def test_a_template_mistake_is_a_template_error_not_a_traceback(source):
    with pytest.raises(TemplateError) as raised:
        render(source)
    assert isinstance(raised.value, BitextError) and str(raised.value).startswith("template page.html failed: ")


def test_what_the_default_templates_do_stays_within_the_budget():
    assert render("{% for i in range(3) %}{{ i ~ '-' }}{% endfor %}{{ '=' * 80 }}{{ 2 ** 64 }}{{ 'x'|center(9) }}"
                  "{{ edition.title|upper }}") == "0-1-2-" + "=" * 80 + str(2**64) + "    x    " + "T"


def _project_templates(tmp_path, kind: str, name: str, text: str):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / kind, templates / kind)
    page = templates / kind / name
    page.write_text(text + page.read_text(encoding="utf-8"), encoding="utf-8")
    return templates, page


@pytest.mark.hostile("templates")
@pytest.mark.parametrize(("attack", "says"), [
    ('{% include "index.html" %}', "recursion too deep"),
    ("{% for i in range(10**9) %}{% endfor %}", "range of more than 100,000 items"),
    ("{{ 'x' * 10**10 }}", "'*' building more than"),
], ids=["self-include", "range", "repeat"])
def test_an_html_template_over_budget_is_a_render_error_naming_the_file(tmp_path, attack, says):
    from translate.render.html import _environment, render_html

    templates, page = _project_templates(tmp_path, "html", "index.html", attack)
    _environment.cache_clear()
    settings = settings_for(tmp_path / "build", templates_dir=templates)
    with pytest.raises(RenderError) as raised:
        render_html(sample_edition(), settings)
    message = str(raised.value)
    assert message.startswith(f"{page}: HTML template error: template index.html is over its budget"), message
    assert says in message and "\n" not in message


@pytest.mark.hostile("templates")
def test_an_epub_template_over_budget_is_a_render_error(tmp_path):
    from translate.render.epub import _environment, render_epub

    templates, page = _project_templates(tmp_path, "epub", "glossary.xhtml.j2", RECURSIVE_MACRO)
    _environment.cache_clear()
    settings = settings_for(tmp_path / "build", templates_dir=templates, epub_embed_font=False)
    with pytest.raises(RenderError, match=r"EPUB template error: template glossary.xhtml.j2 is over its budget "
                                          r"\(recursion too deep"):
        render_epub(sample_edition(), settings)


@pytest.mark.hostile("templates")
def test_a_pdf_template_environment_is_bounded(tmp_path):
    from translate.render.pdf.edition import _template_env

    templates, _ = _project_templates(tmp_path, "pdf", "folios.html.j2", NESTED_LOOPS)
    env = _template_env(settings_for(tmp_path / "build", templates_dir=templates))
    env.budget = Budget(steps=10_000)
    with pytest.raises(TemplateBudgetError, match="template folios.html.j2 is over its budget"):
        env.get_template("folios.html.j2").render(count=1)


@pytest.mark.hostile("templates")
def test_a_prompt_template_over_budget_is_an_engine_error_in_one_line(tmp_path):
    from translate.errors import EngineError
    from translate.translation.llm_prompt import Prompt

    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "loop.j2").write_text(
        "{% macro system(format) %}{{ system(format) }}{% endmacro %}"
        "{% macro user(kind, sentences, terms, format) %}u{% endmacro %}"
        "{% macro correction(problems, numbers, format) %}c{% endmacro %}", encoding="utf-8")
    prompt = Prompt(tmp_path, "loop.j2")
    with pytest.raises(EngineError) as raised:
        prompt.system("json")
    assert "template loop.j2 is over its budget (recursion too deep" in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.hostile("templates")
def test_build_with_a_self_including_template_is_one_line(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "tests" / "trust"))
    from trusttools import bitext, make_project, no_traceback

    project = make_project(tmp_path / "project")
    (project / "templates").mkdir()
    shutil.copytree(REPO / "templates" / "html", project / "templates" / "html")
    page = project / "templates" / "html" / "index.html"
    page.write_text('{% include "index.html" %}' + page.read_text(encoding="utf-8"), encoding="utf-8")
    result = bitext(project, "build", "--no-pdf", "--no-epub")
    assert no_traceback(result) and result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"Error: {page}: HTML template error: template index.html is over its budget")
