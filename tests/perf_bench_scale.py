"""The 500-article benchmark's synthetic corpus (bench/scale.py): copies never repeat a sentence, and the
glossary edit it times is the one the fewest articles hold."""

from __future__ import annotations

from bench.scale import _rarest_term, _uniquely


def test_a_copy_marks_every_full_stop_of_its_body_and_leaves_the_front_matter():
    article = "---\ntitle: 标题。\n---\n第一句。第二句。\n"
    assert _uniquely(article, 0) == article
    copy = _uniquely(article, 7)
    assert copy.startswith("---\ntitle: 标题。\n---\n")
    assert copy.endswith("第一句（7）。第二句（7）。\n")
    assert _uniquely("无前言。", 2) == "无前言（2）。"


def test_the_edit_is_of_the_term_the_fewest_articles_hold(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "terms.csv").write_text(
        "zh,en\n大模型,large model\n算力,compute\n芯片,chip\n", encoding="utf-8")
    for n, text in enumerate(["大模型和算力。", "大模型。", "大模型与算力。"]):
        (tmp_path / "corpus" / f"a{n}.md").write_text(text, encoding="utf-8")
    assert _rarest_term(tmp_path) == (3, "算力", 2)  # 芯片 is in none, 大模型 in three
