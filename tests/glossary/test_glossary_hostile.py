"""Termbase entries that would break every build (issue 26 §3): bounded lengths, visible text, no recursion.

Every way an entry arrives — the termbase file, ``glossary add``, ``glossary
import`` of CSV, TSV or TBX — refuses a term or variant longer than
:data:`~translate.glossary.checks.MAX_SOURCE_CHARS`, a target longer than
:data:`~translate.glossary.checks.MAX_TARGET_CHARS`, and a source or target that
is invisible or empty once normalised (zero-width characters, bidi marks, only
whitespace or punctuation), in one line naming the file and line. The matcher
builds and matches a glossary of very long terms without recursion.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary import Glossary
from translate.glossary.checks import INVISIBLE_CHARACTERS, MAX_SOURCE_CHARS, MAX_TARGET_CHARS, check_glossary
from translate.glossary.matcher import Matcher
from translate.glossary.tbx import write_tbx
from translate.models import Term

HEADER = "zh,en,variants,keep,case,kind,note\n"

#: (column, value, what the error says): each is refused wherever it arrives.
REFUSED = [
    ("zh", "大" * 1200, f"at most {MAX_SOURCE_CHARS}"),
    ("zh", "模型" * 5000, f"at most {MAX_SOURCE_CHARS}"),
    ("en", "large model " * 20, f"at most {MAX_TARGET_CHARS}"),
    ("variants", "大" * (MAX_SOURCE_CHARS + 1), f"at most {MAX_SOURCE_CHARS}"),
    ("en", "\u200b", "invisible"),
    ("en", "\u200e\u200f", "invisible"),
    ("en", "\u2066large model\u2069", "invisible"),
    ("en", "large\u200dmodel", "invisible"),
    ("en", "\ufeff", "invisible"),
    ("en", "\u3164", "invisible"),
    ("en", "...", "no letter or digit"),
    ("en", "\u3000\u00a0——", "no letter or digit"),
    ("zh", "\u202e模型", "invisible"),
    ("zh", "。，、", "no letter or digit"),
    ("variants", "\u200b", "invisible"),
    ("note", "注" * 5000, "at most"),
]
REFUSED_IDS = ["zh-1200", "zh-10000", "en-240", "variant-101", "en-zwsp", "en-lrm-rlm", "en-isolates", "en-zwj-inside",
               "en-bom", "en-hangul-filler", "en-dots", "en-spaces-dashes", "zh-rlo", "zh-punctuation",
               "variant-zwsp", "note-5000"]


def entry(column: str, value: str) -> dict[str, str]:
    """A good entry with one cell replaced."""
    cells = {"zh": "大模型", "en": "large model", "variants": "", "kind": "concept", "note": ""}
    cells[column] = value
    return cells


def csv_line(cells: dict[str, str]) -> str:
    quoted = [f'"{v}"' if "," in v else v for v in (cells["zh"], cells["en"], cells["variants"], "", "",
                                                     cells["kind"], cells["note"])]
    return ",".join(quoted) + "\n"


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(project), "glossary", *args])


def one_line_error(result, where: str, says: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"Error: {where}"), result.output
    assert says in result.output, result.output
    assert len(result.output) < 400, f"the error quotes too much: {len(result.output)} characters"


@pytest.mark.hostile("glossary")
@pytest.mark.parametrize(("column", "value", "says"), REFUSED, ids=REFUSED_IDS)
def test_the_termbase_file_refuses_the_entry_at_its_line(project, termbase, column, value, says):
    with termbase.open("a", encoding="utf-8") as file:
        file.write(csv_line(entry(column, value)).replace("大模型", "大模型甲", 1) if column != "zh"
                   else csv_line(entry(column, value)))
    line = len(termbase.read_text(encoding="utf-8").splitlines())
    started = time.monotonic()
    result = run(project, "check", "--no-corpus")
    assert time.monotonic() - started < 30, "checking one long entry must not take minutes"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert f"terms.csv:{line}: " in result.output and says in result.output, result.output
    assert "Traceback" not in result.output and len(result.output) < 2000, result.output
    with pytest.raises(GlossaryError, match=f"terms.csv:{line}: .*{says}"):
        Glossary.load(termbase)  # what every build does first


@pytest.mark.hostile("glossary")
@pytest.mark.parametrize(("column", "value", "says"), REFUSED, ids=REFUSED_IDS)
def test_glossary_add_refuses_it(project, termbase, column, value, says):
    before = termbase.read_bytes()
    cells = entry(column, value)
    args = ["add", cells["zh"], cells["en"]]
    for name in ("variants", "kind", "note"):
        if cells[name]:
            args += [f"--{name}", cells[name]]
    one_line_error(run(project, *args), str(termbase), says)
    assert termbase.read_bytes() == before


@pytest.mark.hostile("glossary")
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".tbx"])
@pytest.mark.parametrize(("column", "value", "says"), [REFUSED[1], REFUSED[4], REFUSED[10]],
                         ids=["zh-10000", "en-zwsp", "en-dots"])
def test_glossary_import_refuses_it(project, termbase, tmp_path, suffix, column, value, says):
    before = termbase.read_bytes()
    cells = entry(column, value)
    source = tmp_path / f"vendor{suffix}"
    if suffix == ".tbx":
        term = Term(zh=cells["zh"], en=cells["en"], kind=cells["kind"])
        source.write_text(write_tbx([Term(zh="新词", en="new word"), term]), encoding="utf-8")
    else:
        text = HEADER + "新词,new word,,,,,\n" + csv_line(cells)
        source.write_text(text.replace(",", "\t") if suffix == ".tsv" else text, encoding="utf-8")
    started = time.monotonic()
    result = run(project, "import", str(source))
    assert time.monotonic() - started < 30, "importing one long entry must not take minutes"
    one_line_error(result, str(source), says)
    assert termbase.read_bytes() == before


def test_the_limits_leave_room_for_every_real_entry():
    shipped = Path(__file__).resolve().parents[2] / "glossary" / "terms.csv"
    assert [d for d in check_glossary(shipped) if d.severity == "error"] == []
    assert MAX_SOURCE_CHARS >= 100 and MAX_TARGET_CHARS >= 200


@pytest.mark.hostile("glossary")
@pytest.mark.parametrize("length", [1200, 10_000])
def test_the_matcher_does_not_recurse_over_a_long_term(length):
    # Every prefix of the long term is a term too: the deepest regular expression a trie can give.
    long_term = "".join("大模型创业公司"[i % 7] for i in range(length))
    terms = [Term(zh=long_term[:n], en=f"term {n}") for n in (*range(1, 40), length // 2, length)]
    matcher = Matcher(terms)
    text = "前言" + long_term + "后记"
    found = matcher.find(text)
    assert [(m.start, m.end) for m in found] == [(2, 2 + length)]
    assert matcher.find("大模型后")[0].term.zh == "大模型"


def test_the_matcher_builds_under_a_low_recursion_limit():
    terms = [Term(zh="模" * n, en=f"term {n}") for n in range(1, MAX_SOURCE_CHARS + 1)]
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 100)  # a hundred frames to spare, whatever the terms' length
    try:
        matcher = Matcher(terms)
        found = matcher.find("模" * (MAX_SOURCE_CHARS + 5))
    finally:
        sys.setrecursionlimit(limit)
    assert [m.end - m.start for m in found] == [MAX_SOURCE_CHARS, 5]


def test_every_format_character_counts_as_invisible():
    import unicodedata

    missed = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
              if unicodedata.category(chr(code)) in ("Cf", "Zl", "Zp") and not INVISIBLE_CHARACTERS.match(chr(code))]
    assert missed == []


@pytest.mark.hostile("glossary")
def test_twenty_thousand_case_variants_of_one_word_load_in_linear_time(tmp_path):
    # Exact-case entries that fold to one form: the duplicate check compared each with every one
    # before it, and the matcher kept them in one list it scanned per entry (about a minute in all).
    import itertools

    word = "abcdefghijklmno"
    rows = [HEADER]
    for n, bits in zip(range(20_000), itertools.product((0, 1), repeat=len(word))):
        rows.append("".join(c.upper() if b else c for c, b in zip(word, bits)) + f",term {n},,,exact,,\n")
    path = tmp_path / "terms.csv"
    path.write_text("".join(rows), encoding="utf-8")
    started = time.monotonic()
    glossary = Glossary.load(path)
    assert time.monotonic() - started < 20, "loading 20,000 entries must take seconds, not a minute"
    assert [m.term.line for m in glossary.find("see Abcdefghijklmno here")] == [2 + 16384]


@pytest.mark.hostile("glossary")
def test_a_term_nested_in_thousands_names_a_few_of_them(tmp_path):
    # One warning line used to list every longer term: 2,000 of them made a line of 60,000 characters.
    rows = [HEADER, "模型,model,,,,,\n"] + [f"模型{chr(0x4E00 + n)}{chr(0x4E00 + n // 7)},model {n},,,,,\n"
                                            for n in range(2000)]
    path = tmp_path / "terms.csv"
    path.write_text("".join(rows), encoding="utf-8")
    nested = [d for d in check_glossary(path) if d.line == 2]
    assert len(nested) == 1 and "and 1,995 more" in nested[0].message, nested
    assert len(str(nested[0])) < 400
