"""Outputs are builders: a new output is one module and one registry entry, and everything else follows.

A toy builder, written into a folder of its own, is registered here; the build,
``--no-toy``, ``bitext serve``'s rebuilds and the build's fingerprint pick it up
without any other file changing.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.render import builders
from translate.render.builders import Builder

ARTICLE = """---
title: 周明谈大模型
source_file: 000_x.txt
script: simplified
---

周明创立了澜舟科技。他认为大模型很重要。
"""

GLOSSARY = "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,concept,\n"

TOY = '''
from translate.outputs import write_if_changed
from translate.render.builders import Written


def start(edition, settings, *, workers=None):
    """One line per article: {mark}."""
    text = "".join(f"{{article.slug}} {{len(article.blocks)}} {mark}\\n" for article in edition.articles)
    return Written([write_if_changed(settings.build_dir / "toy" / "toy.txt", text)])
'''


def _project(folder: Path) -> Path:
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    (folder / "corpus" / "interview.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "glossary" / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    (folder / "edition.toml").write_text('[edition]\ntitle = "Tiny"\n\n[translation]\nengine = "gloss"\n', encoding="utf-8")
    return folder


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Registers the output ``toy`` (module ``bitext_toy_output`` in a folder of its own) for one test."""
    code = tmp_path / "code"
    code.mkdir()
    module = code / "bitext_toy_output.py"
    module.write_text(TOY.format(mark="first"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(code))
    monkeypatch.setattr(builders, "BUILDERS", list(builders.BUILDERS))
    builders.register(Builder("toy", "bitext_toy_output", "Skip the toy output."))
    yield module
    sys.modules.pop("bitext_toy_output", None)


def _build(project: Path, *options: str):
    result = CliRunner().invoke(cli, ["--root", str(project), "build", "--no-pdf", "--no-epub", *options])
    assert result.exit_code == 0, result.output
    return result


def test_a_registered_builder_is_built_skipped_and_fingerprinted(tmp_path, toy):
    project = _project(tmp_path / "edition")
    help_text = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "--no-toy" in help_text and "Skip the toy output." in help_text

    _build(project, "--no-toy")
    toy_file = project / "build" / "toy" / "toy.txt"
    assert not toy_file.exists()

    _build(project)  # the same inputs, one output more: it is built
    assert toy_file.read_text(encoding="utf-8") == "interview 1 first\n"
    state = json.loads((project / "build" / "state.json").read_text(encoding="utf-8"))
    assert state["built"]["toy"] == ["toy/toy.txt"]
    assert "Nothing changed" in _build(project).output

    toy.write_text(TOY.format(mark="second"), encoding="utf-8")  # the builder's own code is an input of the build
    sys.modules.pop("bitext_toy_output", None)
    assert "Nothing changed" not in _build(project).output
    assert toy_file.read_text(encoding="utf-8") == "interview 1 second\n"


def test_an_unknown_output_is_refused_by_name(tmp_path, toy):
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    with pytest.raises(TypeError, match="'tyo'"):
        build_edition(load_settings(_project(tmp_path / "edition")), tyo=False)


def test_serve_leaves_a_builder_to_the_background_build_unless_it_is_live(tmp_path, toy):
    from translate.serve.rebuild import Rebuilder, live_options

    assert live_options()["toy"] is False  # not live: built by the background `bitext build`, not on every change
    project = _project(tmp_path / "edition")
    rebuilder = Rebuilder(project, publish=lambda status: None, log=lambda line: None, background=False)
    assert "toy.txt" not in rebuilder.build_now().changed
    assert not (project / "build" / "toy").exists()

    builders.register(Builder("toy", "bitext_toy_output", "Skip the toy output.", live=True))
    assert "toy" not in live_options()
    status = rebuilder.build_now()
    assert not status.error and "toy.txt" in status.changed and "interview.html" not in status.changed
    assert (project / "build" / "toy" / "toy.txt").read_text(encoding="utf-8") == "interview 1 first\n"


def test_the_builtin_outputs_are_in_the_registry_and_only_the_page_output_is_live():
    names = [b.name for b in builders.builders()]
    assert names == ["html", "pdf", "epub"]
    assert [b.name for b in builders.builders() if b.live] == ["html"]
    assert [b.name for b in builders.in_start_order(builders.builders())] == ["pdf", "html", "epub"]
    for builder in builders.builders():
        module = textwrap.dedent(builder.source().read_text(encoding="utf-8"))
        assert "\ndef start(" in module


def test_the_build_profile_times_a_registered_output_on_its_own(toy):
    from bench.profile import output_stages, stage_of

    output_stages.cache_clear()
    try:
        assert stage_of(str(toy)) == "TOY output"
        assert stage_of("/x/translate/render/epub.py") == "EPUB"  # the outputs' own stages stay as they were
        assert stage_of("/x/translate/render/html.py") == "HTML, and the views every renderer shares"
    finally:
        output_stages.cache_clear()
