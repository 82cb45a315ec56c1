"""``bitext postedit status`` and ``bitext postedit tmx``, and the CLI's view of the formats."""

import xml.etree.ElementTree as ET

from posttools import SLUG_ONE, SLUG_TWO, bitext, set_target

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def import_edits(project, edits):
    bitext(project, "postedit", "export")
    for slug, changes in edits.items():
        path = project / "build" / "postedit" / f"{slug}.xlf"
        text = path.read_text(encoding="utf-8")
        for unit_id, english in changes.items():
            text = set_target(text, unit_id, english, state="final")
        path.write_text(text, encoding="utf-8")
        bitext(project, "postedit", "import", str(path))


def test_status_counts_segments_by_origin_and_lists_stale_ones(project):
    import_edits(project, {SLUG_ONE: {"b001.s1": "Zhou Ming founded Langboat.",
                                      "b001.s2": "He thinks large models matter.",
                                      "b004.s1": "This is the last paragraph."}})
    article = project / "corpus" / f"{SLUG_ONE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("这是最后一段。", "这是真正的最后一段。"), encoding="utf-8")
    assert bitext(project, "postedit", "status").stdout == (
        "article  segments  edited  stale  machine  gloss\n"
        "------------------------------------------------\n"
        "aaa-one         8       2      1        0      6\n"
        "  stale b004.s1: 这是真正的最后一段。 (the edit was for: 这是最后一段。)\n"
        "bbb-two         4       1      0        0      3\n"
        "------------------------------------------------\n"
        "edition        12       3      1        0      9\n")


def test_tmx_holds_every_edited_pair_once_and_parses_back(project):
    import_edits(project, {SLUG_ONE: {"b001.s2": "He thinks large models matter.", "title": "Zhou Ming on large models"},
                           SLUG_TWO: {"b001.s1": "Langboat is small."}})
    out = project / "memory.tmx"
    result = bitext(project, "postedit", "tmx", "--out", str(out))
    assert result.stdout == f"Wrote 4 translation unit(s) to {out}\n"
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert (header.get("srclang"), header.get("segtype"), header.get("creationtool")) == ("zh-CN", "sentence", "bitext")
    pairs = [(tu.get("tuid"), tu.get("srclang"), [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")])
             for tu in root.iter("tu")]
    assert pairs == [
        (f"{SLUG_ONE}/title", "zh-CN", [("zh-CN", "周明谈大模型"), ("en", "Zhou Ming on large models")]),
        (f"{SLUG_ONE}/b001.s2", "zh-CN", [("zh-CN", "他认为大模型很重要。"), ("en", "He thinks large models matter.")]),
        # The Traditional article: its own text, tagged zh-TW (the 100 % match of b001.s2 among them).
        (f"{SLUG_TWO}/b001.s1", "zh-TW", [("zh-TW", "瀾舟科技很小。"), ("en", "Langboat is small.")]),
        (f"{SLUG_TWO}/b001.s2", "zh-TW", [("zh-TW", "他認為大模型很重要。"), ("en", "He thinks large models matter.")]),
    ]
    assert [p.text for p in root.find("body/tu").findall("prop")] == [SLUG_ONE, "title"]
    # The same edits give the same file (no dates): it diffs cleanly.
    first = out.read_bytes()
    bitext(project, "postedit", "tmx", "--out", str(out))
    assert out.read_bytes() == first


def test_tmx_of_an_edition_without_edits_is_empty_but_valid(project):
    result = bitext(project, "postedit", "tmx")
    path = project / "build" / "postedit" / "edited.tmx"
    assert result.stdout == f"Wrote 0 translation unit(s) to {path}\n"
    assert ET.fromstring(path.read_bytes()).find("body") is not None


def test_the_cli_offers_exactly_the_formats_the_library_writes():
    from translate.cli.postedit import export_command
    from translate.formats import formats
    from translate.postedit.export import FORMAT_NAMES

    choices = next(p for p in export_command.params if p.name == "format_name").type.choices
    assert tuple(choices) == FORMAT_NAMES == ("xliff", "xliff12", "po")
    assert set(FORMAT_NAMES) == {f.name for f in formats("segments") if f.writes == "article"}
