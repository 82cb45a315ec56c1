"""A hand-made edition with aligned English: a 2-1 bead (one English sentence for two Chinese segments), a sure
bead, an unsure one whose English is hostile markup, and the rest of the sample edition as it was."""

from __future__ import annotations

from dataclasses import replace

from factories import HOSTILE, glossary, sample_edition
from translate.models import Edition, Segment

#: The English of the 2-1 bead: it stands once, in its carrier b002.s1, and translates b002.s2 too.
JOINED_EN = "Zhou Ming founded Langboat because he thinks large models matter."
#: A sure bead's English.
SURE_EN = "Why did you found a company at all?"
#: An unsure bead's English: hostile markup that every output must escape.
UNSURE_EN = f"Because {HOSTILE} large models will be infrastructure."


def _aligned(segment: Segment, en: str, confidence: float, *, joined: str = "", slug: str = "interview") -> Segment:
    from translate.glossary.honour import proof_terms

    block = segment.id.split(".")[0]
    terms, violations = proof_terms(slug, block, segment.id, segment.zh, en, glossary()) if en else ((), ())
    return replace(segment, en=en, origin="aligned", confidence=confidence, joined=joined, engine="aligned",
                   terms=terms, violations=violations)


def aligned_edition() -> Edition:
    """The sample edition with the interview's b002 a 2-1 bead (confidence 0.42, under the review threshold),
    b003.s1 a sure bead (0.93) and b004.s1 an unsure one (0.3) with hostile English."""
    from translate.quality import check_edition

    edition = sample_edition()
    interview = edition.articles[0]
    changed = {
        "b002.s1": lambda s: _aligned(s, JOINED_EN, 0.42),
        "b002.s2": lambda s: _aligned(s, "", 0.42, joined="b002.s1"),
        "b003.s1": lambda s: _aligned(s, SURE_EN, 0.93),
        "b004.s1": lambda s: _aligned(s, UNSURE_EN, 0.3),
    }
    blocks = tuple(replace(b, segments=tuple(changed[s.id](s) if s.id in changed else s for s in b.segments))
                   for b in interview.blocks)
    articles = (replace(interview, blocks=blocks), *edition.articles[1:])
    edition = replace(edition, articles=articles, report=None)
    return replace(edition, report=check_edition(edition))


# --- a project whose English bitext align wrote: a small article with a 2-1 bead ---------------------------------

SLUG = "aaa-battery"
ARTICLE = """---
title: 新电池工厂在北京落成
source_file: 001_battery.txt
script: simplified
---

会议于2019年在北京召开。三家公司宣布合作开发新电池。

工厂将雇用两千名工人。特斯拉和宁德时代都派代表出席。

市长对此表示欢迎。这是最后一段。
"""
#: b002's two sentences in one English sentence: a 2-1 bead whose carrier is b002.s1.
BEAD = "The factory, which will employ two thousand workers, was attended by representatives of both Tesla and CATL."
ENGLISH = "\n\n".join([
    "New battery factory opens in Beijing",
    "The conference was held in Beijing in 2019. Three companies announced a partnership to develop a new battery.",
    BEAD, "The mayor welcomed it. This is the last paragraph."]) + "\n"


def run_bitext(project, *args: str) -> str:
    """``bitext --root project -q ARGS``, which must succeed; its output."""
    from click.testing import CliRunner

    from translate.cli import cli

    result = CliRunner().invoke(cli, ["--root", str(project), "-q", *args])
    assert result.exit_code == 0, f"bitext {' '.join(args)} → {result.exit_code}\n{result.output}"
    return result.output


def make_aligned_project(project):
    """A one-article edition built with the dictionary gloss, then its English aligned by ``bitext align``."""
    (project / "corpus").mkdir(parents=True)
    (project / "glossary").mkdir()
    (project / "corpus" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    (project / "glossary" / "terms.csv").write_text("zh,en,variants,keep,case,kind,note\n特斯拉,Tesla,,,,company,\n",
                                                   encoding="utf-8")
    (project / "edition.toml").write_text('[edition]\ntitle = "Aligned"\n[translation]\nengine = "gloss"\n',
                                          encoding="utf-8")
    run_bitext(project, "build", "--engine", "gloss", "--no-pdf", "--no-epub")
    (project / "english.txt").write_text(ENGLISH, encoding="utf-8")
    run_bitext(project, "align", SLUG, str(project / "english.txt"))
    return project
