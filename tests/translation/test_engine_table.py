"""The engine table (translate/engines.py): every fact about an engine in one entry, and what derives from it.

The settings' ``translation.engine`` choices, ``open_engine``, the colophon's licence line,
``bitext init``'s README and the engine reference of the docs all read the table, so an
engine added to it without a description or a licence, or a setting choice the table does
not know, fails here. Engines declare what they can do (no probe of their methods); a
declaration that the engine's class does not keep fails here too. The memory keys of every
engine are pinned: a refactor that changed one would make every remembered sentence miss.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fakes import DroppingEngine

from translate.engines import ENGINE_NAMES, ENGINES, Capability, EngineEntry, engine_reference, model_licence, \
    table_problems
from translate.errors import EngineError
from translate.models import Article, ArticleMeta, Block, Term
from translate.settings import SETTINGS, Settings
from translate.translation import open_engine, translate_articles
from translate.translation.constraints import LADDER_VERSION
from translate.translation.memory import memory_key
from translate.translation.packages import install_model

MODELS = Path(__file__).parents[1] / "fixtures" / "models"
#: A fixture model for each engine that needs one (``auto`` gets a folder: a folder wins over a package).
FIXTURES = {"argos": "translate-zh_en-tiny.argosmodel", "ct2": "opus-mt-zh-en-tiny", "auto": "nllb-zh-en-tiny"}

#: (engine name, model id, options, memory key of 大模型很有用。 with the term 大模型) of each opened engine, written
#: down before the engine table replaced the if-ladder. A change here makes every remembered sentence miss:
#: change it only with a change of the engine's output (and bump the engine's version in its options).
MEMORY_KEYS = {
    "gloss": ("gloss", "CC-CEDICT 2023-11-07", "gloss-v2",
              "43e6fcba0dc6d883aa4b309f5b8edd5a66a38c2fcca184f239fc0a4a2dd57c5d"),
    "llm": ("llm", "qwen2.5:7b",
            # v2 (issue 31): the per-position JSON schema and failed answers never remembered; the prompt's
            # answer example numbers as asked.
            "llm-v2;prompt=1-1452b33ae071c17a;style=;temperature=0;seed=0;max_tokens=4096;context=paragraph;retries=1",
            "5f0e07cfbc2eb757157e7c9b41e534c589541ff7211394233f14e7533eb9afc9"),
    "argos": ("argos", "translate-zh_en-1.0", "argos-v2;beam=2;n=2;max=256",
              "460a5c464d589f6a8718b534371f61652594613ad68a06bd1d032a52a759bf37"),
    "ct2": ("ct2", "opus-mt/opus-mt-zh-en-tiny@795b3ca0", "opus-mt-v2;beam=2;n=2;max=256",
            "7d9828e0b65433b56c89db72027bdac4093890959fdb5dd8957c64a92433d24a"),
    "auto": ("ct2", "nllb/nllb-zh-en-tiny@9cdeb66e", "nllb-v2;beam=2;n=2;max=256",
             "8ade4c0a2dd37d865e7f6764cbdece99705f6c403d0e9210ee42155a88442c32"),
}


def project(tmp_path: Path, name: str) -> Settings:
    """A project folder with the fixture model the engine ``name`` needs installed."""
    settings = Settings(root=tmp_path / name, models_dir=tmp_path / name / "models")
    if name in FIXTURES:
        install_model(MODELS / FIXTURES[name], settings)
    return settings


class ReadSettings:
    """Settings that note which of them are read (``root``, the project folder, is not a setting)."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self.read: set[str] = set()

    def __getattr__(self, attribute: str):
        by_attribute = {s.attribute: s.dotted for s in SETTINGS}
        if attribute in by_attribute:
            self.read.add(by_attribute[attribute])
        return getattr(self._settings, attribute)


# --- what derives from the table ------------------------------------------------------------------------------------

def test_the_settings_choices_are_the_table():
    [engine] = [s for s in SETTINGS if s.dotted == "translation.engine"]
    assert engine.choices == ENGINE_NAMES == tuple(ENGINES)
    assert engine.default in ENGINES


def test_every_entry_has_a_description_and_a_licence():
    assert table_problems(ENGINES.values()) == []
    for entry in ENGINES.values():
        assert entry.description and "\n" not in entry.description, entry.name
        assert entry.licence, entry.name


def test_an_entry_without_a_licence_or_description_is_a_problem():
    gloss = ENGINES["gloss"]
    bare = dataclasses.replace(gloss, name="bare", description="", licence=" ")
    unknown = dataclasses.replace(gloss, name="odd", reads=("translation.nope",))
    problems = table_problems([*ENGINES.values(), bare, unknown, dataclasses.replace(gloss)])
    assert problems == ["engine 'bare' has no description", "engine 'bare' has no licence",
                        "engine 'gloss' is in the table twice"]
    assert table_problems([unknown], settings=[s.dotted for s in SETTINGS]) == [
        "engine 'odd' reads translation.nope, which is no setting"]


def test_every_setting_an_engine_reads_is_declared():
    dotted = [s.dotted for s in SETTINGS]
    assert table_problems(ENGINES.values(), settings=dotted) == []


@pytest.mark.parametrize("name", ["gloss", "llm", "argos", "ct2", "auto"])
def test_an_opener_reads_exactly_the_settings_its_entry_names(tmp_path, name):
    settings = ReadSettings(project(tmp_path, name))
    open_engine(settings, name)
    assert settings.read - {"translation.engine"} == set(ENGINES[name].reads)


def test_an_unknown_engine_names_the_table():
    with pytest.raises(EngineError, match=r"^unknown engine 'deepl'; use auto, argos, gloss, llm or ct2$"):
        open_engine(Settings(root=Path(".")), "deepl")


def test_the_colophon_credits_the_licence_by_engine_and_family():
    assert model_licence("nllb/nllb-200-distilled-600M@1a2b3c4d") == (
        "Translation model nllb/nllb-200-distilled-600M@1a2b3c4d: used under CC-BY-NC 4.0: non-commercial use only.")
    assert "credit required" in model_licence("opus-mt/opus-mt-zh-en@1a2b3c4d", "ct2")
    assert "MIT" in model_licence("m2m100/m2m100_418M@1a2b3c4d")
    assert model_licence("translate-zh_en-1_9") == model_licence("translate-zh_en-1_9", "argos") == (
        "Translation model translate-zh_en-1_9: used under the licence of its Argos Translate package.")
    # The LLM engine's model is the server's: its licence is the model's publisher's, not an Argos package's.
    assert "Argos" not in model_licence("qwen2.5:7b", "llm") and "qwen2.5:7b" in model_licence("qwen2.5:7b", "llm")


def test_the_engine_reference_has_a_row_per_engine():
    reference = engine_reference()
    rows = [line for line in reference.splitlines() if line.startswith("| `")]
    engine_rows = [row for row in rows if row.split("`")[1] in ENGINES]
    assert [row.split("`")[1] for row in engine_rows] == list(ENGINES)
    for row, entry in zip(engine_rows, ENGINES.values()):
        assert entry.description.replace("|", "\\|") in row and entry.licence.split(" (")[0] in row
        assert all(f"`{setting}`" in row for setting in entry.reads)
    for capability in Capability:
        assert f"`{capability.value}`" in reference


# --- declared capabilities ------------------------------------------------------------------------------------------

#: The method a capability promises, where it promises one.
METHODS = {Capability.ALIGN: "align", Capability.DECODE: "decode", Capability.BLOCKS: "translate_blocks"}


@pytest.mark.parametrize("name", ["gloss", "llm", "argos", "ct2"])
def test_an_engine_declares_what_its_entry_declares_and_offers_it(tmp_path, name):
    engine = open_engine(project(tmp_path, name), name)
    assert engine.capabilities == ENGINES[name].capabilities
    for capability, method in METHODS.items():
        assert callable(getattr(engine, method, None)) == (capability in engine.capabilities), (name, method)


def test_auto_opens_the_installed_model_else_the_gloss(tmp_path):
    engine = open_engine(project(tmp_path, "auto"), "auto")
    assert engine.name == "ct2" and engine.capabilities == ENGINES["ct2"].capabilities
    fallback = open_engine(Settings(root=tmp_path / "none", models_dir=tmp_path / "none" / "models"), "auto")
    assert fallback.name == "gloss" and fallback.fallback and fallback.capabilities == ENGINES["gloss"].capabilities


def test_a_method_without_the_declaration_is_not_used(glossary):
    """An engine that has ``align`` but does not declare it is never asked to align: declared, not probed."""

    class Undeclared(DroppingEngine):  # drops the terms: the ladder would climb to rung 3 if it could
        def align(self, sentences):
            raise AssertionError("align was probed, not declared")

    article = Article("a", ArticleMeta("周明", "周明", "x", "simplified"),
                      (Block(id="b001", kind="paragraph", text="周明创立了澜舟科技。", original="周明创立了澜舟科技。"),))
    engine = Undeclared()
    assert engine.capabilities == frozenset()
    [translated] = translate_articles([article], engine, glossary, memory_path=None)
    assert translated.blocks[0].segments[0].violations  # rung 4: reported, not repaired


# --- the translation memory still hits ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MEMORY_KEYS))
def test_every_engine_keeps_its_memory_key(tmp_path, name):
    engine = open_engine(project(tmp_path, name), name)
    options = f"{engine.options};ladder-v{LADDER_VERSION}"
    key = memory_key(engine.name, engine.model_id, options, "大模型很有用。",
                     [Term(zh="大模型", en="large model", kind="concept")])
    assert (engine.name, engine.model_id, engine.options, key) == MEMORY_KEYS[name]


def test_a_second_build_asks_the_engine_nothing(tmp_path, glossary):
    settings = project(tmp_path, "ct2")
    texts = ["大模型很有用。", "谢谢。"]
    article = Article("a", ArticleMeta("谢谢", "谢谢", "x", "simplified"),
                      tuple(Block(id=f"b{i:03d}", kind="paragraph", text=t, original=t) for i, t in enumerate(texts, 1)))
    memory = tmp_path / "memory.sqlite"
    first = open_engine(settings)
    [before] = translate_articles([article], first, glossary, memory_path=memory)
    assert first.calls > 0
    again = open_engine(settings)
    [after] = translate_articles([article], again, glossary, memory_path=memory)
    assert again.calls == 0 and after.stats.cache_misses == 0 and after.stats.cache_hits > 0
    assert [b.en for b in after.blocks] == [b.en for b in before.blocks]


def test_the_bench_baseline_gloss_declares_what_it_was_probed_for(glossary):
    """``make bench`` runs gloss.py as it was before the table (no declaration): it gets the gloss entry's."""
    import subprocess

    from bench.gloss import baseline_module

    try:
        module = baseline_module()
    except (subprocess.CalledProcessError, OSError):
        pytest.skip("the baseline revision is not in this checkout's history")
    assert module.GlossEngine.capabilities == ENGINES["gloss"].capabilities
    article = Article("a", ArticleMeta("周明", "周明", "x", "simplified"),
                      (Block(id="b001", kind="paragraph", text="因为**大模型**很重要。", original="因为**大模型**很重要。"),))
    [glossed] = translate_articles([article], module.GlossEngine(), glossary, memory_path=None)
    assert glossed.blocks[0].segments[0].en.count("**") == 2
