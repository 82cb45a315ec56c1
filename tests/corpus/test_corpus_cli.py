"""``bitext corpus import`` and ``bitext corpus check`` through click's CliRunner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from factories import edition_folder

from translate.cli import cli

SOURCE = """# 周明谈大模型

文丨朱丽琨 编辑丨程曼祺

周明是在国内 AI 市场温度降到谷底的时刻决定创业的。那是两年前，2020
年底，他考虑辞去工作。

**《晚点》：你为什么创业？**

周明：因为大模型会成为基础设施。

**《晚点》：你们具体怎么做？**

周明：两条腿走路。
"""


@pytest.fixture()
def project(tmp_path):
    edition_folder(tmp_path)
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    (tmp_path / "corpus" / "raw" / "zhou_ming.txt").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "corpus", *args], catch_exceptions=False)


def test_import_then_reimport_then_hand_edit(project):
    source = str(project / "corpus" / "raw" / "zhou_ming.txt")
    first = run(project, "import", source)
    assert first.exit_code == 0, first.output
    article = project / "corpus" / "zhou-ming.md"
    text = article.read_text(encoding="utf-8")
    removed = len(SOURCE) - len(text.split("---\n", 2)[2].removeprefix("\n"))
    assert first.output == f"zhou-ming: written, 5 paragraphs, {removed} characters removed, 0 spans repaired, 0 damaged\n"
    assert "authors:\n- 朱丽琨\n" in text and "**《晚点》：**你为什么创业？" in text
    assert "2020 年底" in text
    assert (project / "corpus" / "zhou-ming.log").exists()

    again = run(project, "import", source)
    assert again.output.startswith("zhou-ming: unchanged,")
    assert article.read_text(encoding="utf-8") == text

    article.write_text(text.replace("两条腿走路", "两条腿走路（译者注）"), encoding="utf-8")
    kept = run(project, "import", source)
    assert "zhou-ming: kept," in kept.output and "use --force" in kept.output
    assert "译者注" in article.read_text(encoding="utf-8")

    forced = run(project, "import", "--force", source)
    assert forced.output.startswith("zhou-ming: updated,")


def test_import_and_check_count_the_same_paragraphs(project):
    (project / "corpus" / "raw" / "zhou_ming.txt").write_text(
        SOURCE + "\n## 两条腿\n\n- 第一条\n- 第二条\n\n![图](https://example.com/a.png)\n", encoding="utf-8")
    imported = run(project, "import", str(project / "corpus" / "raw" / "zhou_ming.txt"))
    checked = run(project, "check")
    paragraphs = checked.output.splitlines()[1].split()[2]
    assert imported.output.startswith(f"zhou-ming: written, {paragraphs} paragraphs,"), (imported.output, checked.output)


def test_importing_the_clean_article_changes_nothing(project):
    run(project, "import", str(project / "corpus" / "raw" / "zhou_ming.txt"))
    article = project / "corpus" / "zhou-ming.md"
    before = article.read_text(encoding="utf-8")
    result = run(project, "import", str(article))
    assert result.output.startswith("zhou-ming: unchanged,")
    assert article.read_text(encoding="utf-8") == before


def test_disable_a_rule_and_unknown_rule(project):
    source = str(project / "corpus" / "raw" / "zhou_ming.txt")
    result = run(project, "import", "--disable", "speakers", source)
    assert result.exit_code == 0
    assert "**周明：**" not in (project / "corpus" / "zhou-ming.md").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["--root", str(project), "corpus", "import", "--disable", "nope", source])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: unknown rule nope; rules are: decoding, chrome,")


def test_check_and_strict(project):
    run(project, "import", str(project / "corpus" / "raw" / "zhou_ming.txt"))
    ok = run(project, "check", "--strict")
    assert ok.exit_code == 0
    assert ok.output.splitlines()[-1] == "1 articles, 0 damaged spans flagged"
    article = project / "corpus" / "zhou-ming.md"
    article.write_text(article.read_text(encoding="utf-8").replace("两条腿走路", "两条⟦腿走⟧路"), encoding="utf-8")
    lenient = run(project, "check")
    assert lenient.exit_code == 0
    strict = CliRunner().invoke(cli, ["--root", str(project), "corpus", "check", "--strict"])
    assert strict.exit_code == 1
    assert "Error: 1 damaged spans are flagged" in strict.output


def test_missing_source_file(project):
    result = CliRunner().invoke(cli, ["--root", str(project), "corpus", "import", str(project / "nope.txt")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {project / 'nope.txt'}: cannot read source")


def test_slugs_are_safe():
    from translate.corpus.slugs import is_safe, slugify

    assert slugify("000_4695234a35547297.txt") == "000-4695234a"
    assert slugify("../../etc/passwd") == "passwd"
    assert slugify("周明访谈.txt") == "zhou-ming-fang-tan"
    assert slugify("....txt") == "article"
    for name in ("../x.txt", "a/b/c.md", "周明.txt", "CON", "-x-.txt"):
        assert is_safe(slugify(name))


def test_import_help_names_every_rule_in_order():
    from translate.corpus.rules import RULE_NAMES

    result = CliRunner().invoke(cli, ["corpus", "import", "--help"], terminal_width=400)
    listed = " ".join(result.output.split()).split("Rules, in order: ")[1].split(".")[0]
    assert tuple(name.strip() for name in listed.split(",")) == RULE_NAMES


def test_rules_lists_every_rule_in_order():
    from translate.corpus.rules import RULE_NAMES

    result = CliRunner().invoke(cli, ["corpus", "rules"])
    assert result.exit_code == 0
    assert tuple(line.split()[0] for line in result.output.splitlines()) == RULE_NAMES
