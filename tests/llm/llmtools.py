"""Helpers for the LLM engine's tests: the fake server, engines pointed at it, tiny projects.

Everything talks to :class:`chatserver.ChatServer` on 127.0.0.1 with tiny
timeouts and backoffs, so that a fault costs milliseconds.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chatserver import ChatRequest, ChatServer, Response, right_model  # noqa: F401  (re-exported)
from translate.cli import cli
from translate.glossary import Glossary
from translate.models import Article, ArticleMeta, Block, Term
from translate.resources import default_templates
from translate.translation.llm import LLMEngine
from translate.translation.llm_prompt import Prompt

#: A key that must reach the server's Authorization header and nowhere else.
API_KEY = "sk-test-4f1c9e0b7d2a46c3a8e5"
KEY_VARIABLE = "BITEXT_TEST_LLM_KEY"

LARGE_MODEL = Term(zh="大模型", en="large model", note="the standard rendering", kind="concept", line=2)
ZHOU_MING = Term(zh="周明", en="Zhou Ming", kind="person", line=3)
LANGBOAT = Term(zh="澜舟科技", en="Langboat", variants=("瀾舟科技",), kind="company", line=4)
DENSING = Term(zh="Densing Law", en="Densing Law", keep=True, case="exact", kind="concept", line=5)
MSRA = Term(zh="微软亚洲研究院", en="Microsoft Research Asia", kind="lab", line=6)
TERMS = (LARGE_MODEL, ZHOU_MING, LANGBOAT, DENSING, MSRA)

#: Fast settings for every engine and project of these tests.
FAST = {"timeout": 0.5, "backoff": 0.01, "http_retries": 2}


def glossary() -> Glossary:
    """The tests' termbase, ready to match."""
    return Glossary.from_terms(TERMS)


def engine(server: ChatServer, **options) -> LLMEngine:
    """An LLM engine talking to ``server`` with the default prompt and fast fault settings."""
    settings = {**FAST, **options}
    return LLMEngine(base_url=server.url, model="fake", prompt=Prompt(default_templates(), "translate.j2"),
                     **settings)


def article(slug: str, *paragraphs: str, title: str = "周明谈大模型") -> Article:
    """An article of plain paragraphs (b001, b002…)."""
    meta = ArticleMeta(title=title, title_original=title, source_file=f"{slug}.txt", script="simplified")
    blocks = tuple(Block(id=f"b{n:03d}", kind="paragraph", text=text, original=text, line=n)
                   for n, text in enumerate(paragraphs, 1))
    return Article(slug=slug, meta=meta, blocks=blocks)


def english_of(bilingual) -> dict[str, str]:
    """Segment id → English of one translated article (title included)."""
    out = {"title": bilingual.title_en}
    for block in bilingual.blocks:
        for segment in block.segments:
            out[segment.id] = segment.en
    return out


# --- projects for the CLI ---------------------------------------------------------------------------------------

GLOSSARY_CSV = """\
zh,en,variants,keep,case,kind,note
大模型,large model,,,,concept,core term
周明,Zhou Ming,,,,person,founder of Langboat
澜舟科技,Langboat,瀾舟科技,,,company,
微软亚洲研究院,Microsoft Research Asia,,,,lab,
Densing Law,Densing Law,,yes,exact,concept,kept as is
"""

ARTICLE_BODY = """\
## 大模型创业

周明是在国内 AI 市场温度降到谷底的时刻决定创业的。那是 2020 年底，他辞去了微软亚洲研究院副院长的工作。

很多朋友劝他别出来，但他很坚定地要开始大模型创业。他认为大模型未来会成为某种基础设施。

- 第一，澜舟科技要做大模型。
- 第二，要把 Densing Law 讲清楚。

> 贫穷限制了我们的想象力。
"""


def article_file(title: str = "周明谈大模型", body: str = ARTICLE_BODY) -> str:
    """The text of a cleaned article file."""
    fields = {"title": title, "title_original": title, "source_file": "000_test.txt", "script": "simplified"}
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    return f"---\n{front}\n---\n\n" + textwrap.dedent(body)


def llm_settings(server: ChatServer, **options) -> str:
    """The ``[llm]`` table for a project using ``server``."""
    values = {"base_url": server.url, "model": "fake", "api_key_env": KEY_VARIABLE, **FAST, **options}
    return "[llm]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


def make_project(root: Path, server: ChatServer, *, articles: dict[str, str] | None = None, title: str = "LLM",
                 **options) -> Path:
    """A project in ``root`` (never the repository) whose engine is ``llm`` pointed at ``server``."""
    (root / "corpus").mkdir(parents=True, exist_ok=True)
    (root / "glossary").mkdir(exist_ok=True)
    for slug, text in (articles or {"zhou-ming": article_file()}).items():
        (root / "corpus" / f"{slug}.md").write_text(text, encoding="utf-8")
    (root / "glossary" / "terms.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    write_settings(root, server, title=title, **options)
    return root


def write_settings(root: Path, server: ChatServer, *, title: str = "LLM", **options) -> None:
    """(Re)write the project's ``edition.toml``."""
    (root / "edition.toml").write_text(f'[edition]\ntitle = "{title}"\n\n[translation]\nengine = "llm"\n\n'
                                       + llm_settings(server, **options), encoding="utf-8")


def bitext(root: Path, *args: str) -> Result:
    """Run ``bitext --root ROOT ARGS`` in this process."""
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def server():
    """The fake chat server playing a model that does as it is told (tests swap ``server.model``)."""
    with ChatServer() as running:
        yield running


@pytest.fixture
def api_key(monkeypatch) -> str:
    """The test key, in the environment variable the projects' ``llm.api_key_env`` names."""
    monkeypatch.setenv(KEY_VARIABLE, API_KEY)
    return API_KEY
