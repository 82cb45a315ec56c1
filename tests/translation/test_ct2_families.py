"""OPUS-MT, M2M-100 and NLLB through the real path: `bitext model install FOLDER`, the CTranslate2 engine, the ladder, a build.

The fixture models (``tests/fixtures/models/<family>-zh-en-tiny/``, made by
``scripts/make_ct2_fixtures.py``) translate the phrases of ``ct2-phrases.tsv`` and
were built so that, with the glossary ``ct2-glossary.csv``, each rung of the ladder has
a sentence to settle: 大模型很有用。 (rung 1: the target put into the source),
大模型很便宜。 (rung 2: the second hypothesis), 我们需要更多数据。 (rung 3: the attention
shows which piece says "data"), 谢谢王小川。 (rung 4: the name is dropped, and reported).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.glossary import Glossary
from translate.glossary.honour import term_honoured
from translate.settings import Settings
from translate.translation import open_engine
from translate.translation.constraints import (
    RUNG_ATTENTION,
    RUNG_NBEST,
    RUNG_SUBSTITUTE,
    RUNG_VIOLATION,
    GlossaryLayer,
)
from translate.translation.memory import memory_key
from translate.translation.packages import install_model

MODELS = Path(__file__).parents[1] / "fixtures" / "models"
GLOSSARY = MODELS / "ct2-glossary.csv"
FAMILIES = {"opus-mt": "opus-mt-zh-en-tiny", "m2m100": "m2m100-zh-en-tiny", "nllb": "nllb-zh-en-tiny"}

pytestmark = pytest.mark.slow


def phrases(family: str) -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in (MODELS / "ct2-phrases.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    return [(zh, en) for zh, en, families in rows if family in families.split(",")]


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def settings(family, tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp(family)
    settings = Settings(root=root, models_dir=root / "models")
    install_model(MODELS / FAMILIES[family], settings)
    return settings


@pytest.fixture(scope="module")
def engine(settings):
    return open_engine(settings)


def test_the_fixtures_are_small():
    # 3 MiB: the int8-safe layout computes twice the feed-forward features it reads (scripts/make_ct2_fixtures.py).
    for folder in FAMILIES.values():
        assert sum(p.stat().st_size for p in (MODELS / folder).iterdir()) <= 3 * 1024 * 1024, folder


def test_auto_picks_the_installed_folder_and_names_its_family(family, engine):
    assert engine.name == "ct2"
    assert engine.model_id.startswith(f"{family}/{FAMILIES[family]}@") and len(engine.model_id.split("@")[1]) == 8
    assert engine.options.startswith(f"{family}-v")
    assert engine.warnings == []


def test_it_translates_its_phrases_exactly(family, engine):
    pairs = phrases(family)
    assert [engine.translate([zh])[0] for zh, _ in pairs] == [en for _, en in pairs]
    assert engine.translate([zh for zh, _ in pairs]) == [en for _, en in pairs]  # batched and sorted alike


def test_every_rung_of_the_ladder(engine):
    layer = GlossaryLayer(engine, Glossary.load(GLOSSARY), num_hypotheses=2)
    useful, cheap, data, thanks, founded = layer.translate(
        ["大模型很有用。", "大模型很便宜。", "我们需要更多数据。", "谢谢王小川。", "周明创立了澜舟科技。"])
    assert (useful.en, useful.rung) == ("The large model is useful.", RUNG_SUBSTITUTE)
    assert (cheap.en, cheap.raw, cheap.rung) == ("Large models are cheap.", "Big models are cheap.", RUNG_NBEST)
    assert (data.en, data.raw, data.rung) == ("We need more dataset.", "We need more data.", RUNG_ATTENTION)
    assert (thanks.en, thanks.rung) == ("Thank you.", RUNG_VIOLATION)
    assert (founded.en, founded.rung) == ("Zhou Ming founded Langboat.", RUNG_SUBSTITUTE)


def test_the_attention_points_at_the_chinese_each_piece_translates(engine):
    sentence = "我们需要更多dataset。"
    [alignment] = engine.align([sentence])
    assert "".join(alignment.pieces).strip() == alignment.text == "We need more data."
    at = "".join(alignment.pieces).index(" data")  # the pieces that spell " data"
    ends = [sum(len(p) for p in alignment.pieces[:k + 1]) for k in range(len(alignment.pieces))]
    data = [k for k, end in enumerate(ends) if end > at + 1 and end - len(alignment.pieces[k]) < at + 5]
    start = sentence.index("dataset")
    assert data and all(alignment.sources[k] is not None and alignment.sources[k][0] < start + 7
                        and alignment.sources[k][1] > start for k in data)


def test_the_memory_key_holds_the_family_and_the_model(engine, settings):
    key = memory_key(engine.name, engine.model_id, engine.options, "谢谢。", [])
    other = memory_key(engine.name, engine.model_id.replace("@", "@0"), engine.options, "谢谢。", [])
    assert key != other
    assert engine.family.name in engine.options and engine.family.name in engine.model_id


def test_nllb_reads_traditional_chinese_with_zho_hant(family, engine):
    if family != "nllb":
        pytest.skip("the source language token is NLLB's")
    traditional, simplified = engine.source_tokens(["周明創立了瀾舟科技。", "周明创立了澜舟科技。"])
    assert (traditional[0], simplified[0]) == ("zho_Hant", "zho_Hans")
    assert traditional[-1] == simplified[-1] == "</s>"
    assert engine.translate(["周明創立了瀾舟科技。"]) == ["Zhou Ming founded Langboat."]


def test_m2m100_marks_the_source_as_chinese(family, engine):
    if family != "m2m100":
        pytest.skip("__zh__ is M2M-100's")
    [tokens] = engine.source_tokens(["谢谢。"])
    assert tokens[0] == "__zh__" and tokens[-1] == "</s>"


# -- a small edition, built through the CLI ---------------------------------------------------------

ARTICLE = """---
title: 周明谈大模型
source_file: 000_tiny.txt
script: simplified
---

周明创立了澜舟科技。大模型很有用。

大模型很便宜。我们需要更多数据。

谢谢王小川。

王小川创立了百川智能。OpenAI发布了ChatGPT。
"""

TRADITIONAL = """---
title: 周明谈大模型
source_file: 001_tiny.txt
script: traditional
---

周明創立了瀾舟科技。
"""

EXPECTED = {
    "周明谈大模型": "Zhou Ming on large models",
    "周明创立了澜舟科技。": "Zhou Ming founded Langboat.",
    "大模型很有用。": "The large model is useful.",
    "大模型很便宜。": "Large models are cheap.",
    "我们需要更多数据。": "We need more dataset.",
    "谢谢王小川。": "Thank you.",
    "王小川创立了百川智能。": "Wang Xiaochuan founded Baichuan.",
    "OpenAI发布了ChatGPT。": "OpenAI released ChatGPT.",
}


def make_project(root: Path) -> Path:
    (root / "corpus").mkdir(parents=True)
    (root / "glossary").mkdir()
    (root / "corpus" / "000-tiny.md").write_text(ARTICLE, encoding="utf-8")
    (root / "corpus" / "001-tiny.md").write_text(TRADITIONAL, encoding="utf-8")
    shutil.copyfile(GLOSSARY, root / "glossary" / "terms.csv")
    (root / "edition.toml").write_text('[edition]\ntitle = "Tiny"\n\n[paths]\nmodels = "models"\n\n'
                                       "[translation]\nmax_decoding_length = 64\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("engine_option", [[], ["--engine", "ct2"]], ids=["auto", "ct2"])
def test_a_small_edition_builds_through_the_installed_model(family, tmp_path, engine_option):
    project = make_project(tmp_path / "edition")
    runner = CliRunner()
    installed = runner.invoke(cli, ["--root", str(project), "model", "install", str(MODELS / FAMILIES[family])])
    assert installed.exit_code == 0, installed.output
    assert installed.output.startswith(f"Installed {family}/{FAMILIES[family]}@")
    assert installed.output.endswith(f"(zh→en) into {project / 'models' / FAMILIES[family]}\n")
    listing = runner.invoke(cli, ["--root", str(project), "model", "list"])
    assert listing.output == f"{FAMILIES[family]}  {family:<8}  zh→en  {project / 'models' / FAMILIES[family]}\n"

    result = runner.invoke(cli, ["--root", str(project), "build", "--no-pdf", "--no-epub", *engine_option])
    assert result.exit_code == 0, result.output
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    totals = report["edition"]
    assert totals["engine"] == "ct2"
    assert totals["model"].startswith(f"{family}/{FAMILIES[family]}@")
    english = {}
    for path in sorted((project / "build" / "translations").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for segment in _segments(data):
            english[segment["zh"]] = segment["en"]
    assert {zh: english.get(zh) for zh in EXPECTED} == EXPECTED
    # The Traditional article is read in its Simplified working text.
    assert english["周明创立了澜舟科技。"] == "Zhou Ming founded Langboat."
    # Every term honoured or reported: the one miss is the dropped name, by the glossary's own rule.
    violations = [v for article in report["articles"] for v in article["violations"]]
    assert [(v["term"], v["zh"], v["got"]) for v in violations] == [("王小川", "谢谢王小川。", "Thank you.")]
    assert totals["violations"] == 1
    terms = {term.zh: term for term in Glossary.load(GLOSSARY)}
    assert not term_honoured(terms["王小川"], violations[0]["got"])
    page = (project / "build" / "html" / "000-tiny.html").read_text(encoding="utf-8")
    assert "are cheap." in page and "dictionary gloss" not in page.split("<main", 1)[-1][:2000]


def _segments(node):
    if isinstance(node, dict):
        if "zh" in node and "en" in node and isinstance(node["en"], str):
            yield node
        for value in node.values():
            yield from _segments(value)
    elif isinstance(node, list):
        for value in node:
            yield from _segments(value)
