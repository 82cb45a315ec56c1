"""``bitext align``: align an existing English translation with its Chinese."""

from __future__ import annotations

from pathlib import Path

import click

_FILE = click.Path(dir_okay=True, path_type=Path)


@click.command()
@click.argument("source", type=_FILE)
@click.argument("english", type=_FILE)
@click.option("--sentences", is_flag=True,
              help="SOURCE and ENGLISH are sentence files, one sentence a line (UTF-8): align them and print the "
                   "beads. Works outside an edition.")
@click.option("--glossary", "glossary_path", type=_FILE, default=None,
              help="A termbase in the edition's CSV format (like glossary/terms.csv) whose targets count as evidence.")
@click.option("--translations", type=_FILE, default=None,
              help="An engine's English of each Chinese sentence, one a line, compared with the English.")
@click.option("--no-dictionary", is_flag=True, help="Align without CC-CEDICT's senses (length, figures, names only).")
@click.option("--confidence", is_flag=True, help="Print each bead's confidence (0–1) after a tab.")
@click.pass_context
def align(ctx: click.Context, source: Path, english: Path, sentences: bool, glossary_path: Path | None,
          translations: Path | None, no_dictionary: bool, confidence: bool) -> None:
    """Align an English translation with its Chinese, sentence by sentence.

    With --sentences, SOURCE is a file of Chinese sentences and ENGLISH a file of English
    ones, one a line; the beads are printed one a line as the research aligners write
    them, 0-based line indices: [0]:[0] (1-1), [1]:[1,2] (1-2), [2,3]:[3] (2-1),
    [4]:[] (the English leaves line 4 out), []:[5] (the English adds line 5).

    \b
    Example:
      bitext align --sentences book.zh.txt book.en.txt > beads.txt
    """
    if not sentences:
        from translate.cli.options import settings_from

        settings_from(ctx)  # outside an edition: how to start one
        raise click.UsageError("aligning an article's English into the edition is not available yet; "
                               "give --sentences ZH_FILE EN_FILE to align two sentence files")
    from translate.align import align as align_sentences
    from translate.align.files import read_sentences

    zh = read_sentences(source)
    en = read_sentences(english)
    engine_english = None
    if translations is not None:
        engine_english = read_sentences(translations)
        if len(engine_english) != len(zh):
            from translate.errors import BitextError

            raise BitextError(f"has {len(engine_english):,} lines for {len(zh):,} Chinese sentences in {source}; "
                              "give one translation a line", path=translations)
    glossary = None
    if glossary_path is not None:
        from translate.glossary import Glossary

        glossary = Glossary.load(glossary_path)
    beads = align_sentences(zh, en, glossary=glossary, dictionary=not no_dictionary, translations=engine_english)
    click.echo("".join(f"{bead}\t{bead.confidence:.3f}\n" if confidence else f"{bead}\n" for bead in beads), nl=False)


COMMANDS = [align]
