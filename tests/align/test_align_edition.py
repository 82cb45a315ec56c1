"""``bitext align ARTICLE ENGLISH_FILE``: an article's existing English aligned into its PO store, used by the build.

One small article (a title and four paragraphs of two sentences) and Englishes that make each
bead shape: 1-1, 1-2, 2-1, 1-0 and 0-1.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.postedit.store import read_store

SLUG = "aaa-battery"
ARTICLE = """---
title: 新电池工厂在北京落成
source_file: 001_battery.txt
script: simplified
---

会议于2019年在北京召开。三家公司宣布合作开发新电池。

工厂将雇用两千名工人。特斯拉和宁德时代都派代表出席。

项目总投资为50亿元。预计2025年投产。

市长对此表示欢迎。这是最后一段。
"""
TERMS = """zh,en,variants,keep,case,kind,note
电池,battery,,,,concept,
宁德时代,CATL,,,,company,
特斯拉,Tesla,,,,company,
"""
TITLE = "New battery factory opens in Beijing"
P1 = "The conference was held in Beijing in 2019. Three companies announced a partnership to develop a new battery."
P2 = "The factory will employ two thousand workers. Tesla and CATL both sent representatives."
P3 = "The project's total investment is 5 billion yuan. Production is expected to start in 2025."
P4 = "The mayor welcomed it. This is the last paragraph."
ONE_TO_ONE = "\n\n".join([TITLE, P1, P2, P3, P4]) + "\n"
#: 1-2 (b001.s2 in two sentences), 2-1 (b002 in one), 1-0 (b003.s1 left out), 0-1 (a sentence added after b004.s2).
SPLIT = "Three companies announced a partnership. Together they will develop a new battery."
JOINED = "The factory, which will employ two thousand workers, was attended by representatives of both Tesla and CATL."
ADDED = "Analysts at Morgan Stanley praised the choice of site on Friday."
EVERY_SHAPE = "\n\n".join([
    TITLE, f"The conference was held in Beijing in 2019. {SPLIT}", JOINED, "Production is expected to start in 2025.",
    f"{P4} {ADDED}"]) + "\n"


def make_project(folder: Path) -> Path:
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    (folder / "corpus" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "glossary" / "terms.csv").write_text(TERMS, encoding="utf-8")
    (folder / "edition.toml").write_text(
        '[edition]\ntitle = "Align test"\n'
        f'[paths]\nmodels = "{folder / "no-models"}"\n'
        '[translation]\nengine = "gloss"\n', encoding="utf-8")
    return folder


def bitext(project: Path, *args: str, code: int | None = 0):
    result = CliRunner().invoke(cli, ["--root", str(project), "-q", *args])
    if code is not None:
        assert result.exit_code == code, f"bitext {' '.join(args)} → {result.exit_code}\n{result.output}"
    return result


def english(project: Path, text: str, name: str = "english.txt") -> str:
    path = project / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def store_path(project: Path) -> Path:
    return project / "corpus" / f"{SLUG}.en.po"


def entries(project: Path) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(store_path(project)), wrapwidth=0)}


def translations(project: Path) -> dict[str, dict]:
    data = json.loads((project / "build" / "translations" / f"{SLUG}.json").read_text(encoding="utf-8"))
    out = {data["title"]["id"]: data["title"]}
    for block in data["blocks"]:
        out.update((s["id"], s) for s in block["segments"])
    return out


def html_english_row(project: Path, block: str) -> str:
    """The text of the English column of one block's row in the built HTML."""
    page = (project / "build" / "html" / f"{SLUG}.html").read_text(encoding="utf-8")
    row = page[page.index(f'id="{block}"'):]
    column = row[row.index('<div class="en"'):]
    column = column[:column.index("</div>")]
    return " ".join(re.sub(r"<[^>]+>", " ", column).split())


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("align") / "edition")
    bitext(project, "build", "--engine", "gloss", "--no-pdf")
    return project


@pytest.fixture
def project(tmp_path, built_template) -> Path:
    target = tmp_path / "edition"
    shutil.copytree(built_template, target)
    return target


def test_one_to_one_english_becomes_aligned_entries_with_their_comment(project):
    result = bitext(project, "align", SLUG, english(project, ONE_TO_ONE))
    assert result.output.startswith(f"{SLUG}: 9 beads (9 1-1), 0 to check")
    assert "9 applied, 0 unchanged, 0 conflicts, 0 skipped" in result.output
    po = entries(project)
    assert po["title"].msgstr == TITLE and "aligned" in po["title"].flags
    assert po["b003.s1"].msgstr == "The project's total investment is 5 billion yuan."
    assert re.search(r"^aligned \((?:0|1)\.\d\d\): The project's total investment is 5 billion yuan\.$",
                     po["b003.s1"].comment, re.M)
    # The machine draft the last build wrote stays beside it.
    assert "gloss: " in po["b003.s1"].comment
    origins = {e.id: e.origin for e in read_store(store_path(project))}
    assert set(origins.values()) == {"aligned"}


def test_every_bead_shape_reaches_the_build_without_losing_or_repeating_english(project):
    result = bitext(project, "align", SLUG, english(project, EVERY_SHAPE))
    assert "(5 1-1, 1 1-2, 1 2-1, 1 1-0, 1 0-1)" in result.output
    po = entries(project)
    assert po["b001.s2"].msgstr == SPLIT  # 1-2: the two English sentences joined with a space
    assert po["b002.s1"].msgstr == JOINED and po["b002.s2"].msgstr == ""  # 2-1: the English on the first
    assert "aligned" in po["b002.s2"].flags and re.search(r"^aligned \(\d\.\d\d\): joined with b002\.s1$",
                                                          po["b002.s2"].comment, re.M)
    assert po["b003.s1"].msgstr == "" and "aligned" not in po["b003.s1"].flags  # 1-0
    assert "aligned: not in the English" in po["b003.s1"].comment.splitlines()
    assert po["b004.s2"].msgstr == f"This is the last paragraph. {ADDED}"  # 0-1: to the previous bead
    added = float(re.search(r"^aligned \((\d\.\d\d)\)", po["b004.s2"].comment, re.M).group(1))
    assert added < 0.5

    bitext(project, "build", "--engine", "gloss", "--no-pdf")
    segments = translations(project)
    assert segments["b001.s2"]["origin"] == "aligned" and segments["b001.s2"]["en"] == SPLIT
    assert (segments["b002.s2"]["origin"], segments["b002.s2"]["en"], segments["b002.s2"]["joined"]) == \
        ("aligned", "", "b002.s1")
    assert segments["b004.s2"]["confidence"] == pytest.approx(added, abs=0.005)
    assert segments["b003.s1"]["origin"] == "gloss"  # left out of the English: translated as usual
    row = html_english_row(project, "b002")
    assert row.count("two thousand workers") == 1 and "Tesla and CATL" in row
    assert html_english_row(project, "b004").count(ADDED) == 1
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    assert report["edition"]["segments_by_origin"] == {"edited": 0, "aligned": 8, "mt": 0, "gloss": 1}
    # The joined segment's terms (特斯拉, 宁德时代) are honoured by the bead's English, which the carrier holds.
    assert report["edition"]["violations"] == 0
    assert not [f for a in report["articles"] for f in a["flags"] if f["segment"] in ("b002.s1", "b002.s2")]
    # The store a build syncs keeps every aligned comment.
    assert entries(project)["b002.s2"].comment.count("joined with b002.s1") == 1


def test_status_lists_the_beads_to_check(project):
    bitext(project, "align", SLUG, english(project, EVERY_SHAPE))
    status = bitext(project, "postedit", "status").stdout
    lines = status.splitlines()
    assert lines[0].split() == ["article", "segments", "edited", "aligned", "stale", "machine", "gloss"]
    assert lines[2].split() == [SLUG, "9", "0", "8", "0", "0", "1"]
    assert "  check b003.s1 (not in the English): 项目总投资为50亿元。" in lines
    assert any(re.fullmatch(r"  check b004\.s2 \(0\.\d\d\): 这是最后一段。", line) for line in lines)
    assert not any("b002" in line for line in lines)  # a sure 2-1 bead is not listed
    everything = bitext(project, "postedit", "status", "--below", "1").stdout
    assert "  check b002.s1+b002.s2 (" in everything


def test_rerunning_keeps_a_translators_entry_and_reports_the_conflict(project):
    path = english(project, ONE_TO_ONE)
    bitext(project, "align", SLUG, path)
    again = bitext(project, "align", SLUG, path)
    assert "0 applied, 9 unchanged, 0 conflicts, 0 skipped" in again.output
    # A translator corrects one sentence (Poedit keeps the unknown flag) and confirms another by removing the flag.
    po = polib.pofile(str(store_path(project)), wrapwidth=0)
    po.find("b001.s1", by="msgctxt").msgstr = "The meeting took place in Beijing in 2019."
    confirmed = po.find("b002.s1", by="msgctxt")
    confirmed.flags.remove("aligned")
    po.save()
    edits = {e.id: e for e in read_store(store_path(project))}
    assert (edits["b001.s1"].origin, edits["b002.s1"].origin, edits["b003.s1"].origin) == \
        ("edited", "edited", "aligned")

    changed = ONE_TO_ONE.replace("The conference was held", "A conference was held").replace(
        "The factory will", "This factory will")
    result = bitext(project, "align", SLUG, english(project, changed), code=1)
    assert "2 conflicts" in result.output
    assert re.search(r"  conflict: \S+en\.po:\d+: b001\.s1: the segment is already edited \(now: The meeting took "
                     r"place in Beijing in 2019\.\); --force overwrites it", result.output)
    assert result.output.rstrip().endswith("2 conflict(s) not aligned (the rest was): a translator's English "
                                           "stands there; --force overwrites it")
    po = entries(project)
    assert po["b001.s1"].msgstr == "The meeting took place in Beijing in 2019."
    assert po["b002.s1"].msgstr == "The factory will employ two thousand workers."

    bitext(project, "align", "--force", SLUG, english(project, changed))
    po = entries(project)
    assert po["b001.s1"].msgstr == "A conference was held in Beijing in 2019." and "aligned" in po["b001.s1"].flags


def test_a_dry_run_writes_nothing(project):
    before = store_path(project).read_bytes()
    result = bitext(project, "align", "--dry-run", SLUG, english(project, EVERY_SHAPE))
    assert "(dry run: nothing written)" in result.output and "9 applied" in result.output
    assert store_path(project).read_bytes() == before


def test_a_missing_paragraph_is_left_out_and_listed(project):
    missing = "\n\n".join([TITLE, P1, P3, P4]) + "\n"
    result = bitext(project, "align", SLUG, english(project, missing))
    assert "2 1-0" in result.output
    assert "  check b002.s1 (not in the English)" in result.output
    assert "  check b002.s2 (not in the English)" in result.output
    po = entries(project)
    assert po["b002.s1"].msgstr == "" and po["b003.s1"].msgstr.startswith("The project's total investment")


def test_paragraphs_in_another_order_are_reported_not_trusted(project):
    moved = "\n\n".join([TITLE, P3, P2, P1, P4]) + "\n"
    result = bitext(project, "align", SLUG, english(project, moved))
    checks = re.findall(r"^  check (\S+) \(([^)]*)\)$", result.output, re.M)
    # The sentences whose English moved are listed for review, whatever the aligner made of them.
    listed = {segment for ids, _ in checks for segment in ids.split("+")}
    assert {"b001.s1", "b003.s1"} <= listed


def test_the_glossary_proof_catches_a_wrong_term_in_aligned_english(project):
    wrong = ONE_TO_ONE.replace("develop a new battery", "develop a new accumulator")
    wrong = wrong.replace("Tesla and CATL both", "Tesla and Contemporary Amperex both")
    bitext(project, "align", SLUG, english(project, wrong))
    bitext(project, "build", "--engine", "gloss", "--no-pdf")
    segments = translations(project)
    assert [(v["segment"], v["term"]) for v in segments["b001.s2"]["violations"]] == [("b001.s2", "电池")]
    assert [(v["segment"], v["term"]) for v in segments["b002.s2"]["violations"]] == [("b002.s2", "宁德时代")]
    check = bitext(project, "postedit", "check", code=1).output
    assert "b001.s2: 电池 must come out as 'battery'" in check


def test_a_joined_segments_terms_are_proven_against_the_carriers_english(project):
    wrong = EVERY_SHAPE.replace("both Tesla and CATL", "both Tesla and its partner")
    bitext(project, "align", SLUG, english(project, wrong))
    bitext(project, "build", "--engine", "gloss", "--no-pdf")
    joined = translations(project)["b002.s2"]
    assert joined["en"] == "" and [v["term"] for v in joined["violations"]] == ["宁德时代"]
    assert [t["honoured"] for t in joined["terms"]] == [True, False]


@pytest.mark.parametrize("name", ["nosuch", "../corpus/aaa-battery"])
def test_an_unknown_article_is_one_line_naming_the_slugs(project, name):
    result = bitext(project, "align", name, english(project, ONE_TO_ONE), code=1)
    assert result.output.startswith("Error: no article ") and len(result.output.splitlines()) == 1
    assert f"give a slug (the name of a corpus/*.md file: {SLUG})" in result.output


def test_the_article_may_be_named_by_its_corpus_path(project):
    result = bitext(project, "align", str(project / "corpus" / f"{SLUG}.md"), english(project, ONE_TO_ONE))
    assert result.output.startswith(f"{SLUG}: 9 beads")


def _word(text: str) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in text.strip().split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["english.md", "english.html", "english.docx"])
def test_the_english_may_be_markdown_a_web_page_or_a_word_file(project, name):
    if name.endswith(".md"):
        content: str | bytes = "# " + ONE_TO_ONE
    elif name.endswith(".html"):
        paragraphs = ONE_TO_ONE.strip().split("\n\n")
        content = ("<!DOCTYPE html><html><head><title>Site</title></head><body><nav><a href='/'>Home</a></nav>"
                   f"<article><h1>{paragraphs[0]}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
                   + "</article><footer>Copyright Example Corp. All rights reserved.</footer></body></html>")
    else:
        content = _word(ONE_TO_ONE)
    path = project / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = bitext(project, "align", SLUG, str(path))
    assert result.output.startswith(f"{SLUG}: 9 beads (9 1-1), 0 to check"), result.output
    po = entries(project)
    assert po["title"].msgstr == TITLE and po["b004.s2"].msgstr == "This is the last paragraph."


def test_the_machine_english_the_store_holds_is_given_to_the_aligner_and_nothing_is_translated(project, monkeypatch):
    from translate.align import edition
    from translate.settings import load_settings

    settings = load_settings(project)
    path = english(project, ONE_TO_ONE)
    assert not edition.align_article(settings, SLUG, path, dry_run=True).machine_english  # gloss drafts: not given
    text = store_path(project).read_text(encoding="utf-8")
    store_path(project).write_text(text.replace("#. gloss: ", "#. machine: "), encoding="utf-8")
    given = []
    import translate.align as package

    def spy(zh, en, **options):
        given.append(options["translations"])
        return package.aligner.align(zh, en, **options)

    monkeypatch.setattr(package, "align", spy)
    result = edition.align_article(settings, SLUG, path, dry_run=True)
    assert result.machine_english and len(given[0]) == 9 and given[0][0]


def test_a_speakers_label_in_the_english_is_left_to_the_label_segment():
    from translate.align.edition import Placed, Unit, planned_entries

    units = [Unit("b001.s1", "你为什么创业？", 1, speaker="Reporter"), Unit("b002.s1", "好。", 2, speaker="Zhou Ming"),
             Unit("b003.s1", "问题是：为什么？", 3, speaker="Zhou Ming"), Unit("b004.s1", "好。", 4)]
    english = ["Reporter: Why did you start a company?", "**Zhou Ming:** Because.",
               "Then the question could be: why OpenAI?", "Good: fine."]
    beads = [Placed((i,), (i,), 0.9) for i in range(4)]
    assert [entries[0][1] for entries in planned_entries(units, english, beads)] == [
        "Why did you start a company?", "Because.", "Then the question could be: why OpenAI?", "Good: fine."]



def test_a_joined_segment_whose_carrier_went_stale_takes_the_machines_english(project):
    bitext(project, "align", SLUG, english(project, EVERY_SHAPE))
    article = project / "corpus" / f"{SLUG}.md"
    article.write_text(ARTICLE.replace("工厂将雇用两千名工人。", "工厂将雇用三千名工人。"), encoding="utf-8")
    bitext(project, "build", "--engine", "gloss", "--no-pdf")
    segments = translations(project)
    assert segments["b002.s1"]["stale"] and segments["b002.s1"]["origin"] == "gloss"
    assert segments["b002.s2"]["origin"] == "gloss" and segments["b002.s2"]["en"]
    assert JOINED not in html_english_row(project, "b002")


def test_a_sentence_the_english_leaves_out_keeps_a_translators_english_even_forced(project):
    bitext(project, "align", SLUG, english(project, ONE_TO_ONE))
    po = polib.pofile(str(store_path(project)), wrapwidth=0)
    entry = po.find("b003.s1", by="msgctxt")
    entry.msgstr, entry.flags = "Investment totals 5 billion yuan.", []
    po.save()
    missing = "\n\n".join([TITLE, P1, P2, "Production is expected to start in 2025.", P4]) + "\n"
    result = bitext(project, "align", "--force", SLUG, english(project, missing))
    assert "skipped: " in result.output and "b003.s1: the English leaves it out; a translator's English stays" \
        in result.output
    assert entries(project)["b003.s1"].msgstr == "Investment totals 5 billion yuan."
